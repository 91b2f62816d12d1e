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
#include <semaphore.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "core/symbols.h"

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

/* sem_open: mode and value exist only with O_CREAT, as the library reads
 * them */
#define FLOOR_SEM_MODE(name, ret, params, args) \
	EXPORT ret name params \
	{ \
		mode_t mode = 0; \
		unsigned value = 0; \
		if (oflag & O_CREAT) { \
			va_list ap; \
			va_start(ap, oflag); \
			mode = (mode_t)va_arg(ap, int); \
			value = va_arg(ap, unsigned); \
			va_end(ap); \
		} \
		FLOOR_NEXT(name, ret, params); \
		if (__builtin_expect(floor_next == NULL, 0)) { \
			errno = ENOSYS; \
			return FLOOR_FAILED(ret); \
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

TG_SYMBOLS(FLOOR_FORWARD, TG_SYMBOL_SKIP, FLOOR_FORWARD)
