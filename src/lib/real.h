/* tmpguard — the next definitions of every interposed symbol, each bound
 * on its first use; binding is idempotent, so a race between threads is
 * harmless. */
#ifndef TG_REAL_H
#define TG_REAL_H

#include <spawn.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#define TG_REAL_SYMBOLS(X) \
	X(open, int, (const char *, int, ...)) \
	X(open64, int, (const char *, int, ...)) \
	X(openat, int, (int, const char *, int, ...)) \
	X(openat64, int, (int, const char *, int, ...)) \
	X(__open_2, int, (const char *, int)) \
	X(__open64_2, int, (const char *, int)) \
	X(__openat_2, int, (int, const char *, int)) \
	X(__openat64_2, int, (int, const char *, int)) \
	X(creat, int, (const char *, mode_t)) \
	X(creat64, int, (const char *, mode_t)) \
	X(fopen, FILE *, (const char *, const char *)) \
	X(fopen64, FILE *, (const char *, const char *)) \
	X(freopen, FILE *, (const char *, const char *, FILE *)) \
	X(freopen64, FILE *, (const char *, const char *, FILE *)) \
	X(tmpfile, FILE *, (void)) \
	X(tmpfile64, FILE *, (void)) \
	X(mktemp, char *, (char *)) \
	X(tmpnam, char *, (char *)) \
	X(tmpnam_r, char *, (char *)) \
	X(tempnam, char *, (const char *, const char *)) \
	X(mkstemp, int, (char *)) \
	X(mkstemp64, int, (char *)) \
	X(mkostemp, int, (char *, int)) \
	X(mkostemp64, int, (char *, int)) \
	X(mkstemps, int, (char *, int)) \
	X(mkstemps64, int, (char *, int)) \
	X(mkostemps, int, (char *, int, int)) \
	X(mkostemps64, int, (char *, int, int)) \
	X(mkdtemp, char *, (char *)) \
	X(mkdir, int, (const char *, mode_t)) \
	X(mkdirat, int, (int, const char *, mode_t)) \
	X(mkfifo, int, (const char *, mode_t)) \
	X(mkfifoat, int, (int, const char *, mode_t)) \
	X(mknod, int, (const char *, mode_t, dev_t)) \
	X(mknodat, int, (int, const char *, mode_t, dev_t)) \
	X(posix_spawn_file_actions_addopen, int, \
	  (posix_spawn_file_actions_t *, int, const char *, int, mode_t)) \
	X(shm_open, int, (const char *, int, mode_t)) \
	X(fdopen, FILE *, (int, const char *)) \
	X(setuid, int, (uid_t)) \
	X(seteuid, int, (uid_t)) \
	X(setreuid, int, (uid_t, uid_t)) \
	X(setresuid, int, (uid_t, uid_t, uid_t)) \
	X(clone, int, (int (*)(void *), void *, int, void *, ...)) \
	X(vfork, pid_t, (void))

#define TG_REAL_DECLARE(name, ret, args) \
	typedef ret (*tg_real_##name##_fn) args; \
	extern tg_real_##name##_fn tg_real_##name;
TG_REAL_SYMBOLS(TG_REAL_DECLARE)
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

#endif
