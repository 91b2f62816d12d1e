/* tmpguard report — the function, source file and line of a call site,
 * with elfutils' libdwfl: the module's symbol table and DWARF line table,
 * from the module itself or from separate debug information found by
 * libdwfl's standard search (build-id trees, .gnu_debuglink, debuginfod
 * when DEBUGINFOD_URLS is set), in the default places and --debug-dir's. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef HAVE_LIBDW
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <unistd.h>
#endif

#include "cli/srcline.h"
#include "cli/util.h"

#ifdef HAVE_LIBDW
/* The --debug-dir directories, colon-separated (NULL: none), and the
 * search path handed to libdwfl: those, then libdwfl's own default (the
 * module's directory, its .debug subdirectory, /usr/lib/debug). Build-id
 * trees are looked for under the absolute entries. */
static char *debug_dirs;
static char *search_path;
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &search_path,
};

/* Modules already reported, so that each module's files are opened and
 * read once; each in a Dwfl of its own, since all are reported at bias 0
 * and would overlap in one. */
#define TG_DWFL_CACHE 16
static struct dwfl_module {
	char *path;
	Dwfl *dwfl; /* NULL: not an ELF file that could be read */
	Dwfl_Module *mod;
} cache[TG_DWFL_CACHE];
static size_t cached, next_slot;
#endif

int tg_srcline_debug_dir(const char *dir)
{
	char *abs = realpath(dir, NULL);
	char *shown = tg_cli_printable(dir);
	int ret = -1;
	struct stat st;
	if (abs == NULL)
		tg_cli_say("report: --debug-dir=%s: %s", shown, strerror(errno));
	else if (stat(abs, &st) != 0 || !S_ISDIR(st.st_mode))
		tg_cli_say("report: --debug-dir=%s: not a directory", shown);
	else if (strchr(abs, ':') != NULL) /* the search path's separator */
		tg_cli_say("report: --debug-dir=%s: a directory name with ':' cannot be searched",
			   shown);
	else
		ret = 0;
	free(shown);
#ifdef HAVE_LIBDW
	if (ret == 0) {
		char *more = tg_cli_join(debug_dirs != NULL ? debug_dirs : "",
					 ':', abs);
		free(debug_dirs);
		debug_dirs = more;
	}
#endif
	free(abs);
	return ret;
}

#ifdef HAVE_LIBDW
static void release(struct dwfl_module *m)
{
	if (m->dwfl != NULL)
		dwfl_end(m->dwfl);
	free(m->path);
	m->path = NULL;
	m->dwfl = NULL;
	m->mod = NULL;
}

/* The module at path reported at bias 0: a fixed-address program where it
 * was linked, a PIE program or shared object with its link-time addresses,
 * which is how the library's offsets count (the return address minus the
 * module's load base). */
static Dwfl_Module *report_module(const char *path, Dwfl **dwflp)
{
	*dwflp = NULL;
	/* a log names any path: never hang on a FIFO or read a device */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	if (search_path == NULL)
		search_path = tg_cli_join(debug_dirs != NULL ? debug_dirs : "",
					  ':', ":.debug:/usr/lib/debug");
	Dwfl *dwfl = dwfl_begin(&callbacks);
	if (dwfl == NULL) {
		close(fd);
		return NULL;
	}
	dwfl_report_begin(dwfl);
	/* on success the descriptor is libdwfl's, closed by dwfl_end */
	Dwfl_Module *mod = dwfl_report_elf(dwfl, path, path, fd, 0, true);
	if (mod == NULL)
		close(fd);
	if (mod == NULL || dwfl_report_end(dwfl, NULL, NULL) != 0) {
		dwfl_end(dwfl);
		return NULL;
	}
	*dwflp = dwfl;
	return mod;
}

static Dwfl_Module *module_of(const char *path)
{
	for (size_t i = 0; i < cached; i++)
		if (strcmp(cache[i].path, path) == 0)
			return cache[i].mod;
	struct dwfl_module *m = &cache[next_slot];
	if (cached == TG_DWFL_CACHE) /* evict the oldest */
		release(m);
	else
		cached++;
	next_slot = (next_slot + 1) % TG_DWFL_CACHE;
	m->path = tg_cli_xstrdup(path);
	m->mod = report_module(path, &m->dwfl);
	return m->mod;
}

void tg_srcline_forget(void)
{
	for (size_t i = 0; i < cached; i++)
		release(&cache[i]);
	cached = next_slot = 0;
	free(search_path);
	free(debug_dirs);
	search_path = debug_dirs = NULL;
}

static void source_of(Dwfl_Module *mod, Dwarf_Addr addr, struct tg_srcline *out)
{
	Dwfl_Line *l = dwfl_module_getsrc(mod, addr);
	int lineno = 0;
	const char *src = l != NULL
				  ? dwfl_lineinfo(l, NULL, &lineno, NULL, NULL, NULL)
				  : NULL;
	if (src == NULL || src[0] == '\0' || lineno <= 0)
		return;
	/* a relative name is relative to the compilation directory */
	const char *dir = src[0] != '/' ? dwfl_line_comp_dir(l) : NULL;
	if (dir != NULL && dir[0] == '/')
		snprintf(out->file, sizeof out->file, "%s/%s", dir, src);
	else
		snprintf(out->file, sizeof out->file, "%s", src);
	out->line = lineno;
}
#else
void tg_srcline_forget(void)
{
}
#endif

int tg_srcline_find(const char *module, uint64_t offset, struct tg_srcline *out)
{
	out->func[0] = out->file[0] = '\0';
	out->line = 0;
#ifdef HAVE_LIBDW
	if (module[0] != '/' || offset == 0)
		return -1;
	Dwfl_Module *mod = module_of(module);
	if (mod == NULL)
		return -1;
	Dwarf_Addr addr = offset - 1;
	GElf_Off off;
	GElf_Sym sym;
	const char *name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL,
						NULL, NULL);
	if (name != NULL && name[0] != '\0')
		snprintf(out->func, sizeof out->func, "%s", name);
	source_of(mod, addr, out);
	return out->func[0] != '\0' || out->line > 0 ? 0 : -1;
#else
	(void)module;
	(void)offset;
	return -1;
#endif
}
