/* tmpguard bench — the floor: a forward-only preload.
 *
 * It interposes exactly the symbols libtmpguard.so exports (the same
 * version script, src/lib/libtmpguard.sym) and does nothing but forward each
 * call to the next definition, bound lazily with dlsym(RTLD_NEXT) on first
 * use of each symbol. open/openat read the variadic mode the same way the
 * library does (only when O_CREAT or O_TMPFILE is set). What this costs is
 * what any interposer pays; the benchmark reports tmpguard over it. */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/hooks/vfork.h"

#undef open64
#undef openat64
#undef creat64
#undef fopen64
#undef freopen64
#undef tmpfile64
#undef mkstemp64
#undef mkostemp64
#undef mkstemps64
#undef mkostemps64

#define EXPORT __attribute__((visibility("default")))

#ifndef O_TMPFILE
#define O_TMPFILE 0
#endif
#define NEEDS_MODE(f) (((f) & O_CREAT) != 0 || ((f) & O_TMPFILE) == O_TMPFILE)

static void *floor_bind(void **slot, const char *name)
{
	void *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (__builtin_expect(p == NULL, 0)) {
		p = dlsym(RTLD_NEXT, name);
		__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	}
	return p;
}

/* FWD(ret, name, (params), (args)): a forwarder for a fixed-arity symbol;
 * a missing next definition fails with ENOSYS. */
#define FWD(ret, name, params, args, fail)                                  \
	EXPORT ret name params                                              \
	{                                                                   \
		static void *next_##name;                                   \
		ret (*fn) params = (ret (*) params)floor_bind(&next_##name, #name); \
		if (__builtin_expect(fn == NULL, 0)) {                      \
			errno = ENOSYS;                                     \
			return fail;                                        \
		}                                                           \
		return fn args;                                             \
	}

/* The open family: while dlsym itself runs the slot may still be empty;
 * the raw system call is the same thing without recursion. */
#define FWD_OPEN(name)                                                      \
	EXPORT int name(const char *path, int flags, ...)                   \
	{                                                                   \
		static void *next_##name;                                   \
		mode_t mode = 0;                                            \
		if (NEEDS_MODE(flags)) {                                    \
			va_list ap;                                         \
			va_start(ap, flags);                                \
			mode = (mode_t)va_arg(ap, int);                     \
			va_end(ap);                                         \
		}                                                           \
		int (*fn)(const char *, int, ...) =                         \
			(int (*)(const char *, int, ...))floor_bind(&next_##name, #name); \
		if (__builtin_expect(fn == NULL, 0))                        \
			return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode); \
		return fn(path, flags, mode);                               \
	}
#define FWD_OPENAT(name)                                                    \
	EXPORT int name(int dirfd, const char *path, int flags, ...)        \
	{                                                                   \
		static void *next_##name;                                   \
		mode_t mode = 0;                                            \
		if (NEEDS_MODE(flags)) {                                    \
			va_list ap;                                         \
			va_start(ap, flags);                                \
			mode = (mode_t)va_arg(ap, int);                     \
			va_end(ap);                                         \
		}                                                           \
		int (*fn)(int, const char *, int, ...) =                    \
			(int (*)(int, const char *, int, ...))floor_bind(&next_##name, #name); \
		if (__builtin_expect(fn == NULL, 0))                        \
			return (int)syscall(SYS_openat, dirfd, path, flags, mode); \
		return fn(dirfd, path, flags, mode);                        \
	}

FWD_OPEN(open)
FWD_OPEN(open64)
FWD_OPENAT(openat)
FWD_OPENAT(openat64)

FWD(int, __open_2, (const char *p, int f), (p, f), -1)
FWD(int, __open64_2, (const char *p, int f), (p, f), -1)
FWD(int, __openat_2, (int d, const char *p, int f), (d, p, f), -1)
FWD(int, __openat64_2, (int d, const char *p, int f), (d, p, f), -1)
FWD(int, creat, (const char *p, mode_t m), (p, m), -1)
FWD(int, creat64, (const char *p, mode_t m), (p, m), -1)

FWD(FILE *, fopen, (const char *p, const char *m), (p, m), NULL)
FWD(FILE *, fopen64, (const char *p, const char *m), (p, m), NULL)
FWD(FILE *, freopen, (const char *p, const char *m, FILE *s), (p, m, s), NULL)
FWD(FILE *, freopen64, (const char *p, const char *m, FILE *s), (p, m, s), NULL)
FWD(FILE *, tmpfile, (void), (), NULL)
FWD(FILE *, tmpfile64, (void), (), NULL)

FWD(char *, mktemp, (char *t), (t), NULL)
FWD(char *, tmpnam, (char s[L_tmpnam]), (s), NULL)
FWD(char *, tmpnam_r, (char s[L_tmpnam]), (s), NULL)
FWD(char *, tempnam, (const char *d, const char *p), (d, p), NULL)

FWD(int, mkstemp, (char *t), (t), -1)
FWD(int, mkstemp64, (char *t), (t), -1)
FWD(int, mkostemp, (char *t, int f), (t, f), -1)
FWD(int, mkostemp64, (char *t, int f), (t, f), -1)
FWD(int, mkstemps, (char *t, int s), (t, s), -1)
FWD(int, mkstemps64, (char *t, int s), (t, s), -1)
FWD(int, mkostemps, (char *t, int s, int f), (t, s, f), -1)
FWD(int, mkostemps64, (char *t, int s, int f), (t, s, f), -1)
FWD(char *, mkdtemp, (char *t), (t), NULL)

FWD(int, mkdir, (const char *p, mode_t m), (p, m), -1)
FWD(int, mkdirat, (int d, const char *p, mode_t m), (d, p, m), -1)
FWD(int, mkfifo, (const char *p, mode_t m), (p, m), -1)
FWD(int, mkfifoat, (int d, const char *p, mode_t m), (d, p, m), -1)
FWD(int, mknod, (const char *p, mode_t m, dev_t v), (p, m, v), -1)
FWD(int, mknodat, (int d, const char *p, mode_t m, dev_t v), (d, p, m, v), -1)
FWD(int, __xmknod, (int ver, const char *p, mode_t m, dev_t *v), (ver, p, m, v), -1)
FWD(int, __xmknodat, (int ver, int d, const char *p, mode_t m, dev_t *v), (ver, d, p, m, v), -1)

FWD(int, posix_spawn_file_actions_addopen,
    (posix_spawn_file_actions_t *fa, int fd, const char *p, int f, mode_t m),
    (fa, fd, p, f, m), ENOSYS)
FWD(int, shm_open, (const char *n, int f, mode_t m), (n, f, m), -1)

FWD(int, setuid, (uid_t u), (u), -1)
FWD(int, seteuid, (uid_t u), (u), -1)
FWD(int, setreuid, (uid_t r, uid_t e), (r, e), -1)
FWD(int, setresuid, (uid_t r, uid_t e, uid_t s), (r, e, s), -1)

/* clone: the trailing arguments passed on as they came, as the library does */
EXPORT int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	static void *next_clone;
	va_list ap;
	va_start(ap, arg);
	void *a5 = va_arg(ap, void *), *a6 = va_arg(ap, void *), *a7 = va_arg(ap, void *);
	va_end(ap);
	int (*next)(int (*)(void *), void *, int, void *, ...) =
		(int (*)(int (*)(void *), void *, int, void *, ...))floor_bind(&next_clone, "clone");
	if (__builtin_expect(next == NULL, 0)) {
		errno = ENOSYS;
		return -1;
	}
	return next(fn, stack, flags, arg, a5, a6, a7);
}

#if defined(__x86_64__) && !defined(__ILP32__)
/* vfork: a jump to the next one, with the caller's return address still on
 * the stack (a C forwarder would return twice through one frame). */
static pid_t floor_vfork_as_fork(void)
{
	return (pid_t)syscall(SYS_fork);
}
__attribute__((used)) static void *floor_next_vfork(void)
{
	static void *next_vfork;
	void *p = floor_bind(&next_vfork, "vfork");
	return p != NULL ? p : (void *)floor_vfork_as_fork;
}
TG_VFORK_TRAMPOLINE(floor_next_vfork);
#endif
