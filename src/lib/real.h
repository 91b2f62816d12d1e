/* tmpguard — the next definitions of the interposed symbols (the table in
 * core/symbols.h), each bound on its first use; binding is idempotent, so a
 * race between threads is harmless. */
#ifndef TG_REAL_H
#define TG_REAL_H

#include <spawn.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/symbols.h"

/* The next definition of every symbol that has one: its type and the slot
 * TG_REAL binds. */
#define TG_REAL_DECLARE(family, name, shape, ret, params, args) \
	typedef ret(*tg_real_##name##_fn) params; \
	extern tg_real_##name##_fn tg_real_##name;
/* Every exported hook with the table's prototype: a hook defined otherwise
 * fails to compile (every hook file uses TG_REAL, so sees these). */
#define TG_HOOK_DECLARE(family, name, shape, ret, params, args) \
	ret name params;
#define TG_HOOK_AND_REAL_DECLARE(...) \
	TG_HOOK_DECLARE(__VA_ARGS__) TG_REAL_DECLARE(__VA_ARGS__)
TG_SYMBOLS(TG_HOOK_AND_REAL_DECLARE, TG_REAL_DECLARE, TG_HOOK_DECLARE)
#undef TG_HOOK_AND_REAL_DECLARE
#undef TG_HOOK_DECLARE
#undef TG_REAL_DECLARE

/* Resolve one next definition with dlsym(RTLD_NEXT) and store it in *slot.
 * Returns NULL only when dlsym is already running on this thread (a hook
 * called from inside dlsym): callers of the open family then make the raw
 * system call instead. */
void *tg_real_bind(void **slot, const char *name);

/* The next definition, bound on first use: a program pays for the symbols
 * it calls, not for the whole table (start-up cost is per process). */
#define TG_REAL(name) \
	(__builtin_expect(tg_real_##name != NULL, 1) \
		 ? tg_real_##name \
		 : (tg_real_##name##_fn)tg_real_bind((void **)&tg_real_##name, #name))

/* Raw system calls, used by the library's own I/O and when a next definition
 * cannot be had (re-entrancy during binding). Never recurse into hooks. */
int tg_sys_openat(int dirfd, const char *path, int flags, mode_t mode);
int tg_sys_close(int fd);

/* fstatat and fstat as system calls where the kernel's struct stat is
 * glibc's (64-bit x86 and Arm): the library then needs no libc symbol
 * version newer than the loader needs anyway, which every process pays for
 * at start-up (ld.so checks each version the library names). */
struct stat;
int tg_sys_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int tg_sys_fstat(int fd, struct stat *st);

/* What a descriptor is: its device, inode, file type and link count, for the sinks'
 * check that a descriptor is still the log's before each record. statx
 * asks for no time stamp: an fstat of the log between appends makes every
 * append also store a fine-grained mtime on file systems that keep
 * multigrain time stamps (ext4, xfs, tmpfs since Linux 6.13), which doubles
 * the cost of a record there. Falls back to fstat where statx is missing. */
struct tg_identity {
	unsigned long long dev; /* major << 32 | minor */
	unsigned long long ino;
	unsigned mode;
	unsigned long nlink; /* 0: deleted, the name now means something else */
};
int tg_sys_identity(int fd, struct tg_identity *id);

/* More of the same: system calls the library makes for itself. */
#include <sys/types.h>
pid_t tg_sys_getpid(void);
uid_t tg_sys_geteuid(void);
ssize_t tg_sys_write(int fd, const void *buf, size_t len);
int tg_sys_unlink(const char *path);
int tg_sys_fcntl(int fd, int cmd, long arg);

/* An anonymous private read-write mapping (MAP_FAILED on failure) and its
 * release, for buffers that must not come from malloc: as system calls,
 * like the rest here, so the loader has fewer symbols to bind in every
 * process. */
#include <stddef.h>
void *tg_sys_map(size_t len);
void tg_sys_unmap(void *p, size_t len);

#endif
