/* tmpguard report — the source file and line of a call site, from the
 * calling module's DWARF line table (libdw), when it has one. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <unistd.h>
#endif

#include "cli/srcline.h"
#include "cli/util.h"

#ifdef HAVE_LIBDW
/* Modules already opened, so that each one's DWARF is read once. */
#define TG_DW_CACHE 16
static struct dw_module {
	char *path;
	int fd;
	Dwarf *dw; /* NULL: no debug information */
} dw_cache[TG_DW_CACHE];
static size_t dw_cached, dw_next;

static Dwarf *dwarf_of(const char *module)
{
	for (size_t i = 0; i < dw_cached; i++)
		if (strcmp(dw_cache[i].path, module) == 0)
			return dw_cache[i].dw;
	struct dw_module *m = &dw_cache[dw_next];
	if (dw_cached == TG_DW_CACHE) { /* evict the oldest */
		if (m->dw != NULL)
			dwarf_end(m->dw);
		if (m->fd >= 0)
			close(m->fd);
		free(m->path);
	} else {
		dw_cached++;
	}
	dw_next = (dw_next + 1) % TG_DW_CACHE;
	m->path = tg_cli_xstrdup(module);
	m->fd = open(module, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	m->dw = m->fd >= 0 ? dwarf_begin(m->fd, DWARF_C_READ) : NULL;
	return m->dw;
}

void tg_srcline_forget(void)
{
	for (size_t i = 0; i < dw_cached; i++) {
		if (dw_cache[i].dw != NULL)
			dwarf_end(dw_cache[i].dw);
		if (dw_cache[i].fd >= 0)
			close(dw_cache[i].fd);
		free(dw_cache[i].path);
	}
	dw_cached = dw_next = 0;
}
#else
void tg_srcline_forget(void)
{
}
#endif

/* The offset is the return address minus the module's load base, which is
 * the link-time address for PIE programs and shared objects, and the
 * address itself for fixed-address programs (load base 0): what DWARF line
 * tables hold. */
int tg_srcline_find(const char *module, uint64_t offset, struct tg_srcline *out)
{
#ifdef HAVE_LIBDW
	if (module[0] != '/' || offset == 0)
		return -1;
	Dwarf *dw = dwarf_of(module);
	if (dw == NULL)
		return -1;
	Dwarf_Die cu;
	Dwarf_Addr addr = offset - 1;
	if (dwarf_addrdie(dw, addr, &cu) == NULL)
		return -1;
	Dwarf_Line *l = dwarf_getsrc_die(&cu, addr);
	int lineno = 0;
	const char *src = l != NULL ? dwarf_linesrc(l, NULL, NULL) : NULL;
	if (src == NULL || dwarf_lineno(l, &lineno) != 0 || lineno <= 0)
		return -1;
	/* a relative name is relative to the compilation directory */
	Dwarf_Attribute attr;
	const char *dir = src[0] != '/'
				  ? dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attr))
				  : NULL;
	if (dir != NULL && dir[0] == '/')
		snprintf(out->file, sizeof out->file, "%s/%s", dir, src);
	else
		snprintf(out->file, sizeof out->file, "%s", src);
	out->line = lineno;
	return 0;
#else
	(void)module;
	(void)offset;
	(void)out;
	return -1;
#endif
}
