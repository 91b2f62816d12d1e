/* tmpguard — run --supervise: which programs the library covers itself
 * (lib/guard/reach.h). The same questions as scan's (cli/elf.c), by the
 * same names (core/elfnames.h), asked without libelf: of this process's
 * program in memory, and of a program file's first page before it is
 * exec'd. */
#include <config.h>

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/elfnames.h"
#include "core/sys.h"
#include "core/syscall.h"
#include "lib/guard/reach.h"
#include "lib/real.h"

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

/* ---- this process's program, in memory ---------------------------------- */

/* A dynamic section's address as ld.so left it: relocated in place by
 * glibc (2.35 and later), as linked elsewhere. */
static uintptr_t tg_dyn_addr(ElfW(Addr) v, uintptr_t bias)
{
	return v < bias ? v + bias : v;
}

/* How many symbols .dynsym has: DT_HASH says, else the last chain of
 * DT_GNU_HASH ends at the highest one. */
static size_t tg_dynsym_count(const ElfW(Word) *hash, const uint32_t *gnu)
{
	if (hash != NULL)
		return hash[1];
	if (gnu == NULL)
		return 0;
	uint32_t nbuckets = gnu[0], symoffset = gnu[1], bloom = gnu[2];
	const uint32_t *buckets =
		(const uint32_t *)((const ElfW(Addr) *)(gnu + 4) + bloom);
	const uint32_t *chains = buckets + nbuckets;
	uint32_t last = 0;
	for (uint32_t i = 0; i < nbuckets; i++)
		if (buckets[i] > last)
			last = buckets[i];
	if (last < symoffset)
		return symoffset;
	while (!(chains[last - symoffset] & 1))
		last++;
	return (size_t)last + 1;
}

static int tg_dynamic_bypasses(const ElfW(Dyn) *dyn, uintptr_t bias)
{
	const char *strtab = NULL;
	const ElfW(Sym) *symtab = NULL;
	const ElfW(Word) *hash = NULL;
	const uint32_t *gnu = NULL;
	for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
		uintptr_t a = tg_dyn_addr(d->d_un.d_ptr, bias);
		switch (d->d_tag) {
		case DT_STRTAB: strtab = (const char *)a; break;
		case DT_SYMTAB: symtab = (const ElfW(Sym) *)a; break;
		case DT_HASH: hash = (const ElfW(Word) *)a; break;
		case DT_GNU_HASH: gnu = (const uint32_t *)a; break;
		default: break;
		}
	}
	if (strtab == NULL || symtab == NULL)
		return 0;
	for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_NEEDED &&
		    tg_soname_is_liburing(strtab + d->d_un.d_val))
			return 1;
	size_t n = tg_dynsym_count(hash, gnu);
	for (size_t i = 1; i < n; i++)
		if (symtab[i].st_shndx == SHN_UNDEF && symtab[i].st_name != 0 &&
		    tg_import_bypasses(strtab + symtab[i].st_name))
			return 1;
	return 0;
}

/* Go's build-id note among the notes of a PT_NOTE segment */
static int tg_notes_say_go(const char *p, size_t len)
{
	while (len >= sizeof(ElfW(Nhdr))) {
		const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
		size_t name = (n->n_namesz + 3) & ~(size_t)3;
		size_t desc = (n->n_descsz + 3) & ~(size_t)3;
		size_t whole = sizeof *n + name + desc;
		if (whole > len)
			break;
		if (tg_note_is_go(n->n_type, n->n_namesz, p + sizeof *n))
			return 1;
		p += whole;
		len -= whole;
	}
	return 0;
}

int tg_reach_self_bypasses(void)
{
	unsigned long (*aux)(unsigned long) = tg_real_default("getauxval");
	if (aux == NULL)
		return 1;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)aux(AT_PHDR);
	size_t phnum = aux(AT_PHNUM);
	if (ph == NULL)
		return 1;
	uintptr_t bias = 0;
	int have_bias = 0;
	for (size_t i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_PHDR) {
			bias = (uintptr_t)ph - ph[i].p_vaddr;
			have_bias = 1;
		}
	if (!have_bias)
		return 1; /* unsure */
	for (size_t i = 0; i < phnum; i++) {
		if (ph[i].p_type == PT_NOTE &&
		    tg_notes_say_go((const char *)(bias + ph[i].p_vaddr),
				    ph[i].p_filesz))
			return 1;
		if (ph[i].p_type == PT_DYNAMIC &&
		    tg_dynamic_bypasses((const ElfW(Dyn) *)(bias + ph[i].p_vaddr),
					bias))
			return 1;
	}
	return 0;
}

/* ---- what an exec will run ------------------------------------------------ */

/* The variables a covered program's environment carries, by a hash of
 * "NAME=VALUE" (the strings themselves may be overwritten: programs that
 * set their process title do), and the library's file. */
static const char *const tg_carried[] = {
	"LD_PRELOAD=", "TMPGUARD_HANDSHAKE=", "TMPGUARD_SUPERVISE=",
	"TMPGUARD_SUPERVISE_FILTER=",
};
#define TG_NCARRIED (sizeof tg_carried / sizeof tg_carried[0])
static uint64_t tg_carried_hash[TG_NCARRIED];
static const char *tg_library_file;

static uint64_t tg_fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* Which of tg_carried e is, or -1. */
static int tg_carried_index(const char *e)
{
	if (e[0] != 'L' && e[0] != 'T')
		return -1;
	for (size_t i = 0; i < TG_NCARRIED; i++)
		if (strncmp(e, tg_carried[i], strlen(tg_carried[i])) == 0)
			return (int)i;
	return -1;
}

void tg_reach_note_env(char *const envp[])
{
	for (; envp != NULL && *envp != NULL; envp++) {
		int i = tg_carried_index(*envp);
		if (i >= 0 && tg_carried_hash[i] == 0)
			tg_carried_hash[i] = tg_fnv(*envp);
	}
	int (*addr)(const void *, Dl_info *) = tg_real_default("dladdr");
	Dl_info info;
	if (addr != NULL && addr((const void *)tg_reach_note_env, &info) != 0 &&
	    info.dli_fname != NULL && info.dli_fname[0] == '/')
		tg_library_file = info.dli_fname;
}

static int tg_env_carries(char *const envp[])
{
	if (envp == NULL)
		envp = tg_real_environ();
	unsigned found = 0;
	for (; envp != NULL && *envp != NULL; envp++) {
		int i = tg_carried_index(*envp);
		if (i < 0 || (found & (1u << i)))
			continue; /* the loader takes the first */
		if (tg_fnv(*envp) != tg_carried_hash[i])
			return 0;
		found |= 1u << i;
	}
	return found == (1u << TG_NCARRIED) - 1;
}

/* A set-user-ID or set-group-ID program runs in secure-execution mode,
 * where the loader ignores LD_PRELOAD's paths, unless no_new_privs keeps
 * its privileges from it. */
static int tg_secure_exec(const struct stat *st)
{
	return (st->st_mode & (S_ISUID | S_ISGID)) &&
	       TG_SYSCALL(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1;
}

extern const ElfW(Ehdr) __ehdr_start; /* the library's own header */

enum tg_file_reach { TG_FILE_COVERED, TG_FILE_NOT, TG_FILE_SCRIPT };

/* An ELF header and program headers in buf (n bytes of fd): covered when
 * the loader is glibc's and the class and machine are the library's. */
static enum tg_file_reach tg_elf_reach(int fd, const char *buf, long n)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)buf;
	if ((size_t)n < sizeof *eh ||
	    eh->e_ident[EI_CLASS] != __ehdr_start.e_ident[EI_CLASS] ||
	    eh->e_ident[EI_DATA] != __ehdr_start.e_ident[EI_DATA] ||
	    eh->e_machine != __ehdr_start.e_machine ||
	    eh->e_phentsize != sizeof(ElfW(Phdr)) ||
	    eh->e_phoff > (size_t)n ||
	    eh->e_phnum > ((size_t)n - eh->e_phoff) / sizeof(ElfW(Phdr)))
		return TG_FILE_NOT;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(buf + eh->e_phoff);
	for (size_t i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_INTERP)
			continue;
		char interp[256];
		size_t len = ph[i].p_filesz < sizeof interp ? ph[i].p_filesz
							     : sizeof interp;
		if (len < 2 || TG_SYSCALL(SYS_pread64, fd, interp, len,
					  ph[i].p_offset) != (long)len ||
		    interp[len - 1] != '\0')
			return TG_FILE_NOT;
		return tg_libc_of_interp(interp) == TG_LIBC_GLIBC ? TG_FILE_COVERED
							     : TG_FILE_NOT;
	}
	return TG_FILE_NOT; /* static, or a shared object run directly */
}

/* The file's first page, judged; for a script, its interpreter's path
 * copied to interp. */
static enum tg_file_reach tg_file_reach(const char *path, char *interp,
					size_t ilen)
{
	int fd = tg_sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) /* not there: the exec fails too; else unsure */
		return errno == ENOENT || errno == ENOTDIR ? TG_FILE_COVERED
							   : TG_FILE_NOT;
	char buf[4096] __attribute__((aligned(8))); /* read as ELF headers */
	struct stat st;
	long n = tg_sys_fstat(fd, &st) < 0 ? -1
		 : TG_SYSCALL(SYS_pread64, fd, buf, sizeof buf, 0);
	enum tg_file_reach r = TG_FILE_COVERED;
	if (n < 0 || tg_secure_exec(&st))
		r = TG_FILE_NOT;
	else if (n >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0)
		r = tg_elf_reach(fd, buf, n);
	else if (n >= 3 && buf[0] == '#' && buf[1] == '!') {
		/* "#!" [blanks] INTERP [blanks ARG]: the kernel's reading */
		long i = 2, j = 0;
		while (i < n && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		while (i < n && j < (long)ilen - 1 && buf[i] != ' ' &&
		       buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\0')
			interp[j++] = buf[i++];
		interp[j] = '\0';
		r = j > 0 && j < (long)ilen - 1 ? TG_FILE_SCRIPT : TG_FILE_NOT;
	} /* anything else the kernel will not run: execvp hands it to sh */
	tg_sys_close(fd);
	return r;
}

int tg_reach_exec_covered(const char *path, char *const envp[])
{
	int saved = errno;
	char interp[256];
	int covered = tg_env_carries(envp);
	if (covered && tg_library_file != NULL &&
	    TG_SYSCALL(SYS_faccessat2, AT_FDCWD, tg_library_file, R_OK,
		       AT_EACCESS) < 0 && errno != ENOSYS)
		covered = 0; /* the loader cannot read it for this program */
	enum tg_file_reach r = covered ? tg_file_reach(path, interp, sizeof interp)
				       : TG_FILE_NOT;
	if (r == TG_FILE_SCRIPT) {
		char deeper[8];
		r = tg_file_reach(interp, deeper, sizeof deeper);
	}
	errno = saved;
	return r == TG_FILE_COVERED;
}
