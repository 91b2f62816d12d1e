/* tmpguard — the ELF inspector, on elfutils' libelf. Every file may be
 * anything the user names: libelf checks offsets and sizes against the
 * file, and whatever cannot be read is reported as far as it was read. */
#include <config.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/elf.h"
#include "core/symbols.h"

/* The kernel reads this much of a file to find "#!" (BINPRM_BUF_SIZE). */
#define TG_SHEBANG_MAX 256

/* The hooks (core/symbols.h), a family at a time, in the class scan reports
 * them under, each class in table order. Then two calls that are not
 * hooks. */
#define TG_WATCH_UNSAFE(family, name, ...) { #name, TG_SYM_UNSAFE },
#define TG_WATCH_SAFE(family, name, ...) { #name, TG_SYM_SAFE },
#define TG_WATCH_OPEN(family, name, ...) { #name, TG_SYM_OPEN },
#define TG_WATCH_HOOKS(FAMILY, WATCH) FAMILY(WATCH, TG_SYMBOL_SKIP, WATCH)
const struct tg_watched_sym tg_elf_watched[] = {
	TG_WATCH_HOOKS(TG_SYMBOLS_NAME_GENERATORS, TG_WATCH_UNSAFE)
	TG_WATCH_HOOKS(TG_SYMBOLS_SAFE_CREATORS, TG_WATCH_SAFE)
	TG_WATCH_HOOKS(TG_SYMBOLS_TMPFILE, TG_WATCH_SAFE)
	TG_WATCH_HOOKS(TG_SYMBOLS_OPEN, TG_WATCH_OPEN)
	TG_WATCH_HOOKS(TG_SYMBOLS_STDIO, TG_WATCH_OPEN)
	TG_WATCH_HOOKS(TG_SYMBOLS_NODES, TG_WATCH_OPEN)
	TG_WATCH_HOOKS(TG_SYMBOLS_SPAWN, TG_WATCH_OPEN)
	TG_WATCH_HOOKS(TG_SYMBOLS_SHM, TG_WATCH_OPEN)
	{ "dlopen", TG_SYM_OTHER },     { "syscall", TG_SYM_OTHER },
};
_Static_assert(sizeof tg_elf_watched / sizeof tg_elf_watched[0] <= 64,
	       "tg_elf_info.imports has a bit per watched function");
const size_t tg_elf_nwatched = sizeof tg_elf_watched / sizeof tg_elf_watched[0];

/* ---- scripts ------------------------------------------------------------- */

static size_t span_blanks(const char *s, size_t i, size_t end)
{
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* "#!INTERP ARG\n" as the kernel splits it: one interpreter, the rest of
 * the line as a single argument. */
static void parse_shebang(const char *buf, size_t len, struct tg_elf_info *info)
{
	size_t end = 2;
	while (end < len && buf[end] != '\n' && buf[end] != '\0')
		end++;
	size_t i = span_blanks(buf, 2, end);
	size_t start = i;
	while (i < end && buf[i] != ' ' && buf[i] != '\t')
		i++;
	size_t n = i - start < PATH_MAX - 1 ? i - start : PATH_MAX - 1;
	memcpy(info->script_interp, buf + start, n);
	info->script_interp[n] = '\0';

	i = span_blanks(buf, i, end);
	size_t stop = end;
	while (stop > i && (buf[stop - 1] == ' ' || buf[stop - 1] == '\t' ||
			    buf[stop - 1] == '\r'))
		stop--;
	n = stop - i < PATH_MAX - 1 ? stop - i : PATH_MAX - 1;
	memcpy(info->script_arg, buf + i, n);
	info->script_arg[n] = '\0';
	info->kind = TG_FILE_SCRIPT;
}

/* ---- ELF through libelf -------------------------------------------------- */

/* What inspect_elf gathers on its way through the sections. */
struct reading {
	int has_soname;
	/* io_uring: the import that shows it best, a DT_NEEDED liburing, a
	 * liburing setup function linked in */
	char uring_import[64], uring_needed[64], uring_builtin[64];
};

static enum tg_libc libc_of_needed(const char *name)
{
	if (strcmp(name, "libc.so.6") == 0 || strcmp(name, "libc.so.6.1") == 0)
		return TG_LIBC_GLIBC;
	if (strstr(name, "musl") != NULL)
		return TG_LIBC_MUSL;
	return TG_LIBC_UNKNOWN;
}

static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* the ones that create a ring: io_uring_queue_init{,_params,_mem} and the
 * raw io_uring_setup */
static int is_uring_setup(const char *name)
{
	return strncmp(name, "io_uring_queue_init", 19) == 0 ||
	       strcmp(name, "io_uring_setup") == 0;
}

/* PT_INTERP, and Go's build-id note in PT_NOTE (for stripped sections). */
static void read_segments(Elf *e, struct tg_elf_info *info)
{
	size_t phnum;
	if (elf_getphdrnum(e, &phnum) != 0)
		return;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(e, (int)i, &ph) == NULL)
			continue;
		if (ph.p_type == PT_INTERP) {
			Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset,
							   ph.p_filesz, ELF_T_BYTE);
			if (d != NULL && d->d_size > 0 &&
			    memchr(d->d_buf, '\0', d->d_size) != NULL)
				copy_str(info->interp, sizeof info->interp, d->d_buf);
			else
				strcpy(info->interp, "?"); /* dynamic all the same */
		} else if (ph.p_type == PT_NOTE && !info->go) {
			Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset,
							   ph.p_filesz, ELF_T_NHDR);
			size_t off = 0, name_off, desc_off;
			GElf_Nhdr nh;
			while (d != NULL &&
			       (off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
				if (tg_note_is_go(nh.n_type, nh.n_namesz,
						  (char *)d->d_buf + name_off))
					info->go = 1;
			}
		}
	}
}

static void read_dynamic(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
			 struct tg_elf_info *info, struct reading *r)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (d == NULL || sh->sh_entsize == 0)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn dyn;
		if (gelf_getdyn(d, (int)i, &dyn) == NULL || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == DT_SONAME)
			r->has_soname = 1;
		if (dyn.d_tag != DT_NEEDED)
			continue;
		const char *name = elf_strptr(e, sh->sh_link, dyn.d_un.d_val);
		if (name == NULL)
			continue;
		if (info->libc == TG_LIBC_UNKNOWN)
			info->libc = libc_of_needed(name);
		if (tg_soname_is_liburing(name) && r->uring_needed[0] == '\0')
			copy_str(r->uring_needed, sizeof r->uring_needed, name);
	}
}

/* The dynamic symbols it imports; in .symtab (SHT_SYMTAB), only a liburing
 * setup function it defines. */
static void read_symbols(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
			 struct tg_elf_info *info, struct reading *r)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (d == NULL || sh->sh_entsize == 0)
		return;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (gelf_getsym(d, (int)i, &sym) == NULL)
			break;
		if (sym.st_name == 0)
			continue;
		int defined = sym.st_shndx != SHN_UNDEF;
		if (sh->sh_type == SHT_SYMTAB) {
			const char *name;
			if (defined && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
			    r->uring_builtin[0] == '\0' &&
			    (name = elf_strptr(e, sh->sh_link, sym.st_name)) != NULL &&
			    is_uring_setup(name))
				copy_str(r->uring_builtin, sizeof r->uring_builtin, name);
			continue;
		}
		if (defined)
			continue;
		const char *name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (name == NULL)
			continue;
		for (size_t w = 0; w < tg_elf_nwatched; w++)
			if (strcmp(name, tg_elf_watched[w].name) == 0)
				info->imports |= (uint64_t)1 << w;
		if (tg_name_is_uring_call(name) &&
		    (r->uring_import[0] == '\0' ||
		     (is_uring_setup(name) && !is_uring_setup(r->uring_import))))
			copy_str(r->uring_import, sizeof r->uring_import, name);
	}
}

static void read_sections(Elf *e, struct tg_elf_info *info, struct reading *r)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx) != 0)
		shstrndx = SHN_UNDEF;
	for (Elf_Scn *scn = elf_nextscn(e, NULL); scn != NULL;
	     scn = elf_nextscn(e, scn)) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) == NULL)
			continue;
		const char *name = shstrndx != SHN_UNDEF
					   ? elf_strptr(e, shstrndx, sh.sh_name)
					   : NULL;
		if (name != NULL && (strcmp(name, ".go.buildinfo") == 0 ||
				     strcmp(name, ".note.go.buildid") == 0))
			info->go = 1;
		if (sh.sh_type == SHT_DYNAMIC)
			read_dynamic(e, scn, &sh, info, r);
		else if (sh.sh_type == SHT_DYNSYM || sh.sh_type == SHT_SYMTAB)
			read_symbols(e, scn, &sh, info, r);
	}
}

static void note_io_uring(const struct reading *r, struct tg_elf_info *info)
{
	if (r->uring_import[0] != '\0')
		snprintf(info->io_uring, sizeof info->io_uring, "imports %s",
			 r->uring_import);
	else if (r->uring_needed[0] != '\0')
		snprintf(info->io_uring, sizeof info->io_uring, "needs %s",
			 r->uring_needed);
	else if (r->uring_builtin[0] != '\0')
		snprintf(info->io_uring, sizeof info->io_uring, "has %s built in",
			 r->uring_builtin);
}

static void inspect_elf(int fd, struct tg_elf_info *info)
{
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (e == NULL)
		e = elf_begin(fd, ELF_C_READ, NULL);
	if (e == NULL || elf_kind(e) != ELF_K_ELF) {
		if (e != NULL)
			elf_end(e);
		return;
	}
	const char *ident = elf_getident(e, NULL);
	GElf_Ehdr eh;
	if (ident == NULL || gelf_getehdr(e, &eh) == NULL) {
		elf_end(e);
		return;
	}
	info->bits = ident[EI_CLASS] == ELFCLASS32 ? 32 : 64;
	info->machine = eh.e_machine;
	read_segments(e, info);
	struct reading r = { 0 };
	read_sections(e, info, &r);
	note_io_uring(&r, info);
	if (info->interp[0] != '\0') {
		info->kind = TG_FILE_ELF_DYNAMIC;
		/* no DT_NEEDED named a libc (it may come through another
		 * library): the loader tells which one it was linked for */
		if (info->libc == TG_LIBC_UNKNOWN)
			info->libc = tg_libc_of_interp(info->interp);
	} else {
		info->kind = r.has_soname ? TG_FILE_ELF_LIBRARY : TG_FILE_ELF_STATIC;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	int host_data = ELFDATA2LSB;
#else
	int host_data = ELFDATA2MSB;
#endif
	if (ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
	    ident[EI_DATA] != host_data)
		info->kind = TG_FILE_ELF_FOREIGN;
	elf_end(e);
}

/* What the first bytes say: a script, an ELF file, or something else. */
static void inspect_contents(int fd, uint64_t size, struct tg_elf_info *info)
{
	unsigned char head[TG_SHEBANG_MAX];
	size_t len = size < sizeof head ? (size_t)size : sizeof head;
	if (len < 4)
		return;
	ssize_t got = pread(fd, head, len, 0);
	if (got < 4)
		return;
	len = (size_t)got;
	if (head[0] == '#' && head[1] == '!') {
		parse_shebang((const char *)head, len, info);
		return;
	}
	if (memcmp(head, ELFMAG, SELFMAG) == 0)
		inspect_elf(fd, info);
}

int tg_elf_inspect(const char *path, struct tg_elf_info *info)
{
	memset(info, 0, sizeof *info);
	if (elf_version(EV_CURRENT) == EV_NONE) {
		errno = ENOSYS;
		return -1;
	}
	/* O_NONBLOCK: a FIFO named by mistake must not hang. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	info->setuid = (st.st_mode & S_ISUID) != 0;
	info->setgid = (st.st_mode & S_ISGID) != 0 && (st.st_mode & S_IXGRP);
	info->owner = st.st_uid;
	info->group = st.st_gid;
	if (S_ISREG(st.st_mode))
		inspect_contents(fd, (uint64_t)st.st_size, info);
	close(fd);
	return 0;
}

/* ---- verdicts ------------------------------------------------------------ */

/* e_machine of this program: the ELF header alone (the field lies at the
 * same offset in both classes, in this machine's byte order), not a whole
 * inspection of the program: run asks before every command. */
uint16_t tg_elf_host_machine(void)
{
	static uint16_t machine;
	static int done;
	if (!done) {
		done = 1;
		unsigned char head[EI_NIDENT + 4];
		int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
		    memcmp(head, ELFMAG, SELFMAG) == 0)
			memcpy(&machine, head + offsetof(Elf64_Ehdr, e_machine),
			       sizeof machine);
		if (fd >= 0)
			close(fd);
	}
	return machine;
}

const char *tg_elf_unreachable(const struct tg_elf_info *info,
			       uint16_t host_machine)
{
	if (info->kind == TG_FILE_ELF_FOREIGN)
		return info->bits == 32 ? "a 32-bit program"
					: "built for another architecture";
	if (info->kind != TG_FILE_ELF_STATIC && info->kind != TG_FILE_ELF_DYNAMIC)
		return NULL;
	if (host_machine != 0 && info->machine != host_machine)
		return "built for another architecture";
	if (info->go)
		return "a Go program";
	if (info->kind == TG_FILE_ELF_STATIC)
		return "statically linked";
	if (info->libc == TG_LIBC_MUSL)
		return "linked against musl";
	return NULL;
}

const char *tg_verdict_name(enum tg_verdict v)
{
	switch (v) {
	case TG_VERDICT_PROTECTED:
		return "protected";
	case TG_VERDICT_PARTLY:
		return "partly";
	default:
		return "not";
	}
}

int tg_elf_raw_syscalls(const struct tg_elf_info *info)
{
	for (size_t i = 0; i < tg_elf_nwatched; i++)
		if (strcmp(tg_elf_watched[i].name, "syscall") == 0)
			return (info->imports & ((uint64_t)1 << i)) != 0;
	return 0;
}

const char *tg_elf_bypass(const struct tg_elf_info *info, char *buf, size_t len)
{
	int raw = tg_elf_raw_syscalls(info), uring = info->io_uring[0] != '\0';
	if (!raw && !uring)
		return NULL;
	snprintf(buf, len, "%s%s%s%s%s",
		 raw ? "makes system calls without libc's wrappers (imports "
		       "syscall)"
		     : "",
		 raw && uring ? " and " : "", uring ? "uses io_uring (" : "",
		 info->io_uring, uring ? ")" : "");
	return buf;
}

#define TG_UNSEEN "the library does not see file operations made that way"

enum tg_verdict tg_elf_verdict(const struct tg_elf_info *info,
			       uint16_t host_machine, char *buf, size_t len,
			       const char **why)
{
	const char *because = tg_elf_unreachable(info, host_machine);
	if (because != NULL) {
		*why = because;
		return TG_VERDICT_NOT;
	}
	switch (info->kind) {
	case TG_FILE_OTHER:
		*why = "not an ELF file";
		return TG_VERDICT_NOT;
	case TG_FILE_SCRIPT:
		*why = "a script: what runs is its interpreter";
		return TG_VERDICT_NOT;
	case TG_FILE_ELF_LIBRARY:
		*why = "a shared library: protected in the dynamically linked "
		       "programs that load it";
		return TG_VERDICT_PROTECTED;
	default:
		break;
	}
	char how[TG_ELF_WHY_MAX / 2];
	const char *bypass = tg_elf_bypass(info, how, sizeof how);
	if (info->setuid || info->setgid) {
		*why = info->setuid
			       ? "set-user-ID: run by another user it is a secure "
				 "execution, where ld.so ignores an LD_PRELOAD path "
				 "with a '/' in it"
			       : "set-group-ID: run by a user outside its group it "
				 "is a secure execution, where ld.so ignores an "
				 "LD_PRELOAD path with a '/' in it";
	} else if (info->libc != TG_LIBC_GLIBC) {
		*why = "dynamically linked against an unknown libc";
	} else if (bypass != NULL) {
		snprintf(buf, len, "dynamically linked against glibc, but %s: %s",
			 bypass, TG_UNSEEN);
		*why = buf;
		return TG_VERDICT_PARTLY;
	} else {
		*why = "dynamically linked against glibc: interposable";
		return TG_VERDICT_PROTECTED;
	}
	/* partly already: say the other reason too */
	if (bypass != NULL) {
		snprintf(buf, len, "%s; it also %s: %s", *why, bypass, TG_UNSEEN);
		*why = buf;
	}
	return TG_VERDICT_PARTLY;
}
