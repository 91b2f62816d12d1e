/* tmpguard — the ELF inspector shared by `tmpguard scan` and `tmpguard
 * run`'s pre-check: can the preload library reach this program? (static or
 * dynamic, which libc, a Go program, a script and its interpreter, set-id
 * bits, which temporary-file and open-family functions it imports, raw
 * system calls and io_uring). Built on elfutils' libelf, which reads both
 * classes and byte orders. */
#ifndef TG_ELF_H
#define TG_ELF_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/elfnames.h"

enum tg_elf_kind {
	TG_FILE_OTHER = 0,  /* neither ELF nor "#!" (execvp hands it to sh) */
	TG_FILE_SCRIPT,     /* "#!": see script_interp */
	TG_FILE_ELF_FOREIGN, /* ELF of another class or byte order than this
			      * host's (parsed all the same) */
	TG_FILE_ELF_STATIC, /* no PT_INTERP: ld.so never runs, no preload */
	TG_FILE_ELF_LIBRARY, /* no PT_INTERP but a DT_SONAME: a shared object
			      * run directly, such as ld.so itself (which
			      * does preload) */
	TG_FILE_ELF_DYNAMIC /* PT_INTERP: see interp, libc */
};


/* The functions scan reports when a file imports them (an undefined symbol
 * in .dynsym). */
enum tg_sym_class {
	TG_SYM_UNSAFE = 0, /* makes a name another user can predict or race */
	TG_SYM_SAFE,       /* the mkstemp family, mkdtemp, tmpfile */
	TG_SYM_OPEN,       /* open family and stdio the library also hooks */
	TG_SYM_OTHER       /* worth knowing: dlopen, syscall (which also
			    * makes the verdict partly) */
};
struct tg_watched_sym {
	const char *name;
	enum tg_sym_class cls;
};
extern const struct tg_watched_sym tg_elf_watched[];
extern const size_t tg_elf_nwatched; /* at most 64 */

struct tg_elf_info {
	enum tg_elf_kind kind;
	/* ELF only */
	int bits;                 /* 32 or 64 */
	uint16_t machine;         /* e_machine */
	char interp[PATH_MAX];    /* PT_INTERP, "" when static */
	enum tg_libc libc;        /* from DT_NEEDED, else from interp */
	int go;                   /* .go.buildinfo or a Go build-id note */
	uint64_t imports;         /* bit i: imports tg_elf_watched[i].name */
	/* what shows that it uses io_uring, "" when nothing does: "imports
	 * NAME" (an io_uring_* function, liburing's setup ones first), "needs
	 * LIBRARY" (DT_NEEDED liburing), or "has NAME built in" (liburing's
	 * setup linked in statically, seen only when not stripped) */
	char io_uring[96];
	/* scripts only: "#!INTERP ARG" (ARG is "" when there is none) */
	char script_interp[PATH_MAX];
	char script_arg[PATH_MAX];
	/* any file */
	int setuid, setgid;
	uid_t owner;
	gid_t group;
};

/* Inspects path. Returns 0, or -1 with errno when it cannot be opened or
 * read. A malformed ELF file is reported as far as it could be read. */
int tg_elf_inspect(const char *path, struct tg_elf_info *info);

/* Why the library cannot be interposed at all in this ELF program, or NULL
 * (also for scripts and non-ELF files: the caller decides about those).
 * host_machine is this host's e_machine (0: do not compare). */
const char *tg_elf_unreachable(const struct tg_elf_info *info,
			       uint16_t host_machine);

/* Imports syscall: it may make any system call without libc's wrappers. */
int tg_elf_raw_syscalls(const struct tg_elf_info *info);

/* How this program makes file system calls the library cannot see although
 * it loads it (raw system calls through syscall(), io_uring), as a phrase
 * written into buf ("makes system calls without libc's wrappers (imports
 * syscall)"), or NULL. Only the program's own imports and DT_NEEDED count,
 * not those of the libraries it loads (libstdc++ imports syscall for its
 * futexes), nor system call instructions in its own code. */
const char *tg_elf_bypass(const struct tg_elf_info *info, char *buf, size_t len);

enum tg_verdict { TG_VERDICT_PROTECTED = 0, TG_VERDICT_PARTLY, TG_VERDICT_NOT };
const char *tg_verdict_name(enum tg_verdict v); /* "protected" ... */

/* scan's verdict on one inspected file (for a script: on the file itself;
 * the caller inspects the interpreter). *why is an English reason: a static
 * string, or buf (TG_ELF_WHY_MAX bytes will do). */
#define TG_ELF_WHY_MAX 512
enum tg_verdict tg_elf_verdict(const struct tg_elf_info *info,
			       uint16_t host_machine, char *buf, size_t len,
			       const char **why);

/* e_machine of the running tmpguard, 0 if unknown. */
uint16_t tg_elf_host_machine(void);

#endif
