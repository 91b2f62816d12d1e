/* tmpguard bench — the floor: a forward-only preload.
 *
 * It interposes exactly the symbols libtmpguard.so exports (the same table,
 * src/core/symbols.h, and the version script made from it) and does
 * nothing but forward each call to the next definition, bound lazily with
 * dlsym(RTLD_NEXT) on first use of each symbol. open/openat read the
 * variadic mode the same way the library does (only when O_CREAT or
 * O_TMPFILE is set). What this costs is what any interposer pays; the
 * benchmark reports tmpguard over it. */
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

#include "core/symbols.h"
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

/* What a call that cannot be forwarded returns, with errno ENOSYS: -1 or
 * NULL. */
#define FLOOR_FAILED(ret) _Generic((ret)0, int: -1, default: NULL)
#define FLOOR_ARGS(...) __VA_ARGS__

/* One forwarder per row of the table (core/symbols.h), by its shape. */
#define FLOOR_FORWARD(family, name, shape, ret, params, args) \
	FLOOR_##shape(name, ret, params, args)

#define FLOOR_NEXT(name, ret, params) \
	static void *next_##name; \
	ret(*floor_next) params = \
		(ret(*) params)floor_bind(&next_##name, #name)

#define FLOOR_FIXED(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		FLOOR_NEXT(name, ret, params); \
		if (__builtin_expect(floor_next == NULL, 0)) { \
			errno = ENOSYS; \
			return FLOOR_FAILED(ret); \
		} \
		return floor_next args; \
	}

#define FLOOR_ERRNUM(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		FLOOR_NEXT(name, ret, params); \
		if (__builtin_expect(floor_next == NULL, 0)) \
			return ENOSYS; \
		return floor_next args; \
	}

/* The open family: while dlsym itself runs the slot may still be empty;
 * the raw system call is the same thing without recursion. */
#define FLOOR_READ_MODE(flags) \
	mode_t mode = 0; \
	if (NEEDS_MODE(flags)) { \
		va_list ap; \
		va_start(ap, flags); \
		mode = (mode_t)va_arg(ap, int); \
		va_end(ap); \
	}

#define FLOOR_OPEN_MODE(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		FLOOR_READ_MODE(flags); \
		FLOOR_NEXT(name, ret, params); \
		if (__builtin_expect(floor_next == NULL, 0)) \
			return (ret)syscall(SYS_openat, AT_FDCWD, \
					    FLOOR_ARGS args); \
		return floor_next args; \
	}

#define FLOOR_OPENAT_MODE(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		FLOOR_READ_MODE(flags); \
		FLOOR_NEXT(name, ret, params); \
		if (__builtin_expect(floor_next == NULL, 0)) \
			return (ret)syscall(SYS_openat, FLOOR_ARGS args); \
		return floor_next args; \
	}

/* clone: the trailing arguments passed on as they came, as the library
 * does */
#define FLOOR_CLONE(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		va_list ap; \
		va_start(ap, arg); \
		void *parent_tid = va_arg(ap, void *); \
		void *tls = va_arg(ap, void *); \
		void *child_tid = va_arg(ap, void *); \
		va_end(ap); \
		FLOOR_NEXT(name, ret, params); \
		if (__builtin_expect(floor_next == NULL, 0)) { \
			errno = ENOSYS; \
			return -1; \
		} \
		return floor_next args; \
	}

/* execl, execle, execlp: the arguments collected into an argv, as the
 * library does, then the call they go on as (execv, execve, execvp). */
#define FLOOR_ARGV(arg) \
	size_t argc_ = 1; \
	va_list ap_; \
	va_start(ap_, arg); \
	while (va_arg(ap_, const char *) != NULL) \
		argc_++; \
	va_end(ap_); \
	char *argv[argc_ + 1]; \
	argv[0] = (char *)(arg); \
	va_start(ap_, arg); \
	for (size_t i_ = 1; i_ <= argc_; i_++) \
		argv[i_] = va_arg(ap_, char *);
#define FLOOR_ARGL(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		FLOOR_ARGV(arg); \
		va_end(ap_); \
		FLOOR_NEXT(execv, int, (const char *, char *const[])); \
		return floor_next(path, argv); \
	}
#define FLOOR_ARGLE(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		FLOOR_ARGV(arg); \
		char *const *envp = va_arg(ap_, char *const *); \
		va_end(ap_); \
		FLOOR_NEXT(execve, int, \
			   (const char *, char *const[], char *const[])); \
		return floor_next(path, argv, envp); \
	}
#define FLOOR_ARGLP(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		FLOOR_ARGV(arg); \
		va_end(ap_); \
		FLOOR_NEXT(execvp, int, (const char *, char *const[])); \
		return floor_next(file, argv); \
	}

/* vfork: a jump to the next one, with the caller's return address still on
 * the stack (a C forwarder would return twice through one frame). */
#if defined(__x86_64__) && !defined(__ILP32__)
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
#define FLOOR_VFORK(name, ret, params, args) \
	TG_VFORK_TRAMPOLINE(floor_next_vfork);
#else
#define FLOOR_VFORK(name, ret, params, args)
#endif

TG_SYMBOLS(FLOOR_FORWARD, TG_SYMBOL_SKIP, FLOOR_FORWARD)
