/* tmpguard — hooks: the open family and creat, each name its own symbol
 * (importers bind by name: open64, the fortified __open_2 ...).
 *
 * The fast path is a flag test, one load and the path's first bytes: a
 * call that neither creates, nor may touch a reserved name, nor may resolve
 * through a shared directory (lib/guard/where.h) goes straight to the next
 * definition. All else happens out of line, in tg_open_guarded. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>

#include "core/sys.h"
#include "lib/export.h"
#include "lib/guard/create.h"
#include "lib/guard/where.h"
#include "lib/real.h"

#undef open64
#undef openat64
#undef creat64

/* Which of the table's open family a call came in by. */
#define TG_OPEN_ID(sym) TG_OPEN_ID_##sym
#define TG_OPEN_ENUM(family, sym, ...) TG_OPEN_ID(sym),
enum tg_open_sym {
	TG_SYMBOLS_OPEN(TG_OPEN_ENUM, TG_SYMBOL_SKIP, TG_OPEN_ENUM)
};
#undef TG_OPEN_ENUM

#define TG_OPEN_NAME(family, sym, ...) [TG_OPEN_ID(sym)] = #sym,
static const char tg_open_names[][sizeof "__openat64_2"] = {
	TG_SYMBOLS_OPEN(TG_OPEN_NAME, TG_SYMBOL_SKIP, TG_OPEN_NAME)
};
#undef TG_OPEN_NAME

/* A creating call (a reserved name is only made exclusive at its
 * creation), and a path that may resolve through a shared directory, need
 * a look. */
static inline int tg_open_needs_look(int dirfd, const char *path, int flags)
{
	return tg_unlikely((flags & O_CREAT) != 0) ||
	       tg_where_maybe(dirfd, path);
}

#define TG_READ_MODE(flags, mode) \
	mode_t mode = 0; \
	if (tg_flags_need_mode(flags)) { \
		va_list ap; \
		va_start(ap, flags); \
		mode = (mode_t)va_arg(ap, int); \
		va_end(ap); \
	}

/* While dlsym itself runs, the next definitions may not be bound yet: the
 * raw system call is the same thing without recursion. */
#define TG_NEXT_OPENAT(sym, dirfd, path, flags, mode) \
	(TG_REAL(sym) ? TG_REAL(sym)(dirfd, path, flags, mode) \
		      : tg_sys_openat(dirfd, path, flags, mode))
#define TG_NEXT_OPEN(sym, path, flags, mode) \
	(TG_REAL(sym) ? TG_REAL(sym)(path, flags, mode) \
		      : tg_sys_openat(AT_FDCWD, path, flags, mode))

/* The program's own call, through the same symbol it made. */
static int tg_open_forward(enum tg_open_sym sym, int dirfd, const char *path,
			   int flags, mode_t mode)
{
	switch (sym) {
	case TG_OPEN_ID(open): return TG_NEXT_OPEN(open, path, flags, mode);
	case TG_OPEN_ID(open64): return TG_NEXT_OPEN(open64, path, flags, mode);
	case TG_OPEN_ID(openat):
		return TG_NEXT_OPENAT(openat, dirfd, path, flags, mode);
	case TG_OPEN_ID(openat64):
		return TG_NEXT_OPENAT(openat64, dirfd, path, flags, mode);
	case TG_OPEN_ID(__open_2): return TG_REAL(__open_2)(path, flags);
	case TG_OPEN_ID(__open64_2): return TG_REAL(__open64_2)(path, flags);
	case TG_OPEN_ID(__openat_2):
		return TG_REAL(__openat_2)(dirfd, path, flags);
	case TG_OPEN_ID(__openat64_2):
		return TG_REAL(__openat64_2)(dirfd, path, flags);
	case TG_OPEN_ID(creat): return TG_REAL(creat)(path, mode);
	case TG_OPEN_ID(creat64): return TG_REAL(creat64)(path, mode);
	}
	errno = ENOSYS;
	return -1;
}

/* Decide, then return what the library opened or refused, or make the
 * program's own call. look: 0 when the call needs no look and only came
 * here to bind its next definition (or to pass a mode). */
__attribute__((noinline, cold)) static int
tg_open_guarded(enum tg_open_sym sym, int dirfd, const char *path, int flags,
		mode_t mode, const void *caller, int look)
{
	if (!look)
		return tg_open_forward(sym, dirfd, path, flags, mode);
	struct tg_create c = TG_CREATE_INIT(tg_open_names[sym], dirfd, path,
					    flags, mode, caller);
	switch (tg_create_begin(&c)) {
	case TG_OPENED:
		return c.fd;
	case TG_REFUSED:
		errno = c.err;
		return -1;
	case TG_FORWARD:
		break;
	}
	int fd = tg_open_forward(sym, dirfd, path, flags,
				 tg_forward_mode(flags, mode));
	tg_create_end(&c, fd);
	return fd;
}

/* The fast path comes first and takes nothing from the variadic part: a
 * call without a mode (no O_CREAT, no O_TMPFILE) that needs no look goes
 * to a bound next definition with its two fixed arguments, so the hook
 * needs no frame of its own. Everything else reads the mode and goes out
 * of line. */
#define TG_HOOK_OPEN(sym) \
	TG_EXPORT int sym(const char *path, int flags, ...) \
	{ \
		int look = tg_open_needs_look(AT_FDCWD, path, flags); \
		if (tg_likely(!look) && tg_likely(!tg_flags_need_mode(flags)) && \
		    tg_likely(tg_real_##sym != NULL)) \
			return tg_real_##sym(path, flags); \
		TG_READ_MODE(flags, mode); \
		return tg_open_guarded(TG_OPEN_ID(sym), AT_FDCWD, path, \
				       flags, mode, TG_CALLER(), look); \
	}

#define TG_HOOK_OPENAT(sym) \
	TG_EXPORT int sym(int dirfd, const char *path, int flags, ...) \
	{ \
		int look = tg_open_needs_look(dirfd, path, flags); \
		if (tg_likely(!look) && tg_likely(!tg_flags_need_mode(flags)) && \
		    tg_likely(tg_real_##sym != NULL)) \
			return tg_real_##sym(dirfd, path, flags); \
		TG_READ_MODE(flags, mode); \
		return tg_open_guarded(TG_OPEN_ID(sym), dirfd, path, \
				       flags, mode, TG_CALLER(), look); \
	}

/* The fortified entries take no mode and abort on O_CREAT: forward them as
 * themselves so that check still happens where glibc puts it. */
#define TG_HOOK_OPEN_2(sym) \
	TG_EXPORT int sym(const char *path, int flags) \
	{ \
		if (tg_likely(!tg_open_needs_look(AT_FDCWD, path, flags)) || \
		    (flags & O_CREAT)) \
			return TG_REAL(sym)(path, flags); \
		return tg_open_guarded(TG_OPEN_ID(sym), AT_FDCWD, path, \
				       flags, 0, TG_CALLER(), 1); \
	}

#define TG_HOOK_OPENAT_2(sym) \
	TG_EXPORT int sym(int dirfd, const char *path, int flags) \
	{ \
		if (tg_likely(!tg_open_needs_look(dirfd, path, flags)) || \
		    (flags & O_CREAT)) \
			return TG_REAL(sym)(dirfd, path, flags); \
		return tg_open_guarded(TG_OPEN_ID(sym), dirfd, path, \
				       flags, 0, TG_CALLER(), 1); \
	}

/* creat(2) is its own system call on x86_64: hooking open misses it. */
#define TG_HOOK_CREAT(sym) \
	TG_EXPORT int sym(const char *path, mode_t mode) \
	{ \
		return tg_open_guarded(TG_OPEN_ID(sym), AT_FDCWD, path, \
				       O_CREAT | O_WRONLY | O_TRUNC, mode, \
				       TG_CALLER(), 1); \
	}

TG_HOOK_OPEN(open)
TG_HOOK_OPEN(open64)
TG_HOOK_OPENAT(openat)
TG_HOOK_OPENAT(openat64)
TG_HOOK_OPEN_2(__open_2)
TG_HOOK_OPEN_2(__open64_2)
TG_HOOK_OPENAT_2(__openat_2)
TG_HOOK_OPENAT_2(__openat64_2)
TG_HOOK_CREAT(creat)
TG_HOOK_CREAT(creat64)
