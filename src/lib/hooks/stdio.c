/* tmpguard — hooks: stdio. glibc's fopen reaches the kernel through an
 * internal open no preload can see, so the stdio entry points are hooked
 * themselves: a hardened stream is our safe-open's descriptor under fdopen. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/reserve.h"
#include "core/safeopen.h"
#include "core/sys.h"
#include "lib/export.h"
#include "lib/guard/create.h"
#include "lib/guard/where.h"
#include "lib/real.h"
#include "lib/state.h"

#undef fopen64
#undef freopen64
#undef tmpfile64

/* Nothing to look at beyond the mode: a path that resolves through no
 * shared directory. */
static inline int tg_stdio_plain(const char *path)
{
	return tg_likely(!tg_where_maybe(AT_FDCWD, path));
}

/* Flags for a mode, or -1 when the call needs no look at all (not
 * creating, nothing else to look at, or a mode glibc will reject itself). */
static int tg_stdio_flags(const char *path, const char *mode)
{
	int flags;
	if (mode == NULL || tg_fopen_flags(mode, &flags) < 0)
		return -1;
	if (!(flags & O_CREAT) && tg_stdio_plain(path))
		return -1;
	return flags;
}

static FILE *tg_stream_from_fd(int fd, const char *mode)
{
	FILE *fp = TG_REAL(fdopen)(fd, mode);
	if (fp == NULL) {
		int err = errno;
		tg_sys_close(fd);
		errno = err;
	}
	return fp;
}

/* Under run --supervise, glibc's own open of a creating fopen carries no
 * mark (cli/supervise.c) and would be trapped though judged here: the
 * library opens the file itself (tg_sys_openat marks it) and makes the
 * stream with fdopen, the same stream for "w" modes (truncated, at offset
 * 0). Other modes ("a" seeks, ",ccs=" converts) are left to glibc. */
static int tg_stdio_markable(const char *mode, int flags)
{
	if (__atomic_load_n(&tg_sys_create_mark, __ATOMIC_RELAXED) == 0 ||
	    (flags & (O_CREAT | O_EXCL)) != O_CREAT || mode[0] != 'w')
		return 0;
	for (const char *m = mode + 1; *m; m++)
		if (*m != '+' && *m != 'b' && *m != 'e')
			return 0;
	return 1;
}

/* Everything past the fast path, out of line so the hook needs no frame. */
__attribute__((noinline, cold)) static FILE *
tg_fopen_guarded(int large, const char *path, const char *mode,
		 const void *caller)
{
	FILE *(*next)(const char *, const char *) =
		large ? TG_REAL(fopen64) : TG_REAL(fopen);
	const char *sym = large ? "fopen64" : "fopen";
	int flags = tg_stdio_flags(path, mode);
	if (flags < 0)
		return next(path, mode);
	struct tg_create c = TG_CREATE_INIT(sym, AT_FDCWD, path, flags, 0666,
					    caller);
	switch (tg_create_begin(&c)) {
	case TG_OPENED:
		return tg_stream_from_fd(c.fd, mode);
	case TG_REFUSED:
		errno = c.err;
		return NULL;
	case TG_FORWARD:
		break;
	}
	FILE *fp;
	int fd;
	if (tg_stdio_markable(mode, flags) &&
	    (fd = tg_sys_openat(AT_FDCWD, path, flags, 0666)) >= 0)
		fp = tg_stream_from_fd(fd, mode);
	else
		fp = next(path, mode);
	tg_create_end(&c, fp ? fileno(fp) : -1);
	return fp;
}

/* The fast path: "r..." never creates, decided on one character, and a
 * path through no shared directory needs nothing more. */
#define TG_HOOK_FOPEN(sym, large) \
	TG_EXPORT FILE *sym(const char *path, const char *mode) \
	{ \
		if (tg_likely(mode != NULL && mode[0] == 'r') && \
		    tg_stdio_plain(path) && tg_likely(tg_real_##sym != NULL)) \
			return tg_real_##sym(path, mode); \
		return tg_fopen_guarded(large, path, mode, TG_CALLER()); \
	}

TG_HOOK_FOPEN(fopen, 0)
TG_HOOK_FOPEN(fopen64, 1)

/* freopen must keep the caller's FILE object: reopen it on the verified
 * descriptor through /proc/self/fd, which names exactly that file. */
static FILE *tg_freopen_fd(FILE *(*next)(const char *, const char *, FILE *),
			   int fd, const char *mode, FILE *stream)
{
	char proc[TG_PROC_FD_PATH_MAX];
	tg_proc_fd_path(proc, fd);
	FILE *fp = next(proc, mode, stream);
	int err = errno;
	tg_sys_close(fd);
	errno = err;
	return fp;
}

#define TG_HOOK_FREOPEN(sym) \
	TG_EXPORT FILE *sym(const char *path, const char *mode, FILE *stream) \
	{ \
		int flags = path ? tg_stdio_flags(path, mode) : -1; \
		if (tg_likely(flags < 0)) \
			return TG_REAL(sym)(path, mode, stream); \
		struct tg_create c = TG_CREATE_INIT(#sym, AT_FDCWD, path, \
						    flags, 0666, TG_CALLER()); \
		switch (tg_create_begin(&c)) { \
		case TG_OPENED: \
			return tg_freopen_fd(TG_REAL(sym), c.fd, mode, stream); \
		case TG_REFUSED: \
			/* as a failed freopen does: the stream is closed */ \
			fclose(stream); \
			errno = c.err; \
			return NULL; \
		case TG_FORWARD: \
			break; \
		} \
		FILE *fp = TG_REAL(sym)(path, mode, stream); \
		tg_create_end(&c, fp ? fileno(fp) : -1); \
		return fp; \
	}

TG_HOOK_FREOPEN(freopen)
TG_HOOK_FREOPEN(freopen64)

/* tmpfile: an unnamed inode in $TMPDIR (glibc ignores it) or /tmp. */
static FILE *tg_tmpfile(FILE *(*next)(void))
{
	if (!tg_replaces_generators(tg_config()->mode))
		return next();
	int saved = errno;
	const char *dir = tg_secure_getenv("TMPDIR");
	int fd = -1;
	if (dir != NULL && dir[0] != '\0')
		fd = tg_tmpfile_open(dir);
	if (fd < 0)
		fd = tg_tmpfile_open("/tmp");
	if (fd < 0)
		return NULL;
	FILE *fp = tg_stream_from_fd(fd, "w+b");
	if (fp != NULL)
		errno = saved;
	return fp;
}

TG_EXPORT FILE *tmpfile(void)
{
	return tg_tmpfile(TG_REAL(tmpfile));
}

TG_EXPORT FILE *tmpfile64(void)
{
	return tg_tmpfile(TG_REAL(tmpfile64));
}
