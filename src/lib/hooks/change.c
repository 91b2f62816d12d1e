/* tmpguard — hooks: the calls that change, in place, the object a path
 * names: truncate, chmod, chown, the utime family (each name its own
 * symbol: utime, utimes and futimesat reach the kernel through glibc's
 * internal helper, which a utimensat hook does not see).
 *
 * The fast path is the path's first bytes (lib/guard/judge.h): a call
 * through no shared directory goes straight to the next definition. A
 * judged call in harden mode acts on the object the walk pinned, through
 * /proc/self/fd/N or the pinned descriptor itself, never on the name
 * again. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/syscall.h"
#include "lib/export.h"
#include "lib/guard/judge.h"
#include "lib/guard/marked.h"
#include "lib/real.h"

#undef truncate64

/* The flags each *at call takes; anything else is the kernel's or glibc's
 * EINVAL, left to the next definition. */
#define TG_CHMOD_FLAGS AT_SYMLINK_NOFOLLOW
#define TG_CHOWN_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
#define TG_UTIMENS_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)

/* Where /proc is missing: the pinned file opened (for writing, to
 * truncate it; for reading, to change its mode) and acted on by its
 * descriptor. */
static long tg_truncate_opened(struct tg_judged *j, off64_t len)
{
	if (!S_ISREG(j->w.st.st_mode)) { /* the kernel's answers */
		errno = S_ISDIR(j->w.st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	int fd = tg_judged_open(j, O_WRONLY);
	if (fd < 0)
		return -1;
	long rc = ftruncate(fd, len);
	int err = errno;
	tg_sys_close(fd);
	errno = err;
	return rc;
}

static long tg_chmod_opened(struct tg_judged *j, mode_t mode)
{
	int fd = tg_judged_open(j, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	long rc = TG_SYSCALL(SYS_fchmod, fd, mode);
	int err = errno;
	tg_sys_close(fd);
	errno = err;
	return rc;
}

/* Each call's judgement: 1 and *rc when the guard answered (acted on the
 * pin, or refused); 0: the program's own call is to be made. */
static int tg_truncate_judged(const char *func, const char *path,
			      off64_t len, const void *caller, int *rc)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_WRITE, 1);
	int refused;
	if (!tg_judge_pin(&j, AT_FDCWD, path, &refused)) {
		*rc = -1;
		return refused;
	}
	char proc[TG_PROC_FD_PATH_MAX];
	tg_judged_proc(&j, proc);
	long r = tg_path_marking() ? TG_MARKED(SYS_truncate, proc, len)
				   : TG_REAL(truncate64)(proc, len);
	if (r < 0 && errno == ENOENT) /* the pinned file is there: no /proc */
		r = tg_truncate_opened(&j, len);
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

/* The hooks' slow paths (TG_PATH_FAST), out of line and making the
 * program's own call themselves. at: the *at or 64 name the call came in
 * by. */
__attribute__((noinline, cold)) static int
tg_truncate_guarded(int at64, const char *path, off64_t len,
		    const void *caller)
{
	int rc;
	if (!tg_path_private(AT_FDCWD, path) &&
	    tg_truncate_judged(at64 ? "truncate64" : "truncate", path, len,
			       caller, &rc))
		return rc;
	if (tg_path_marking() && path != NULL)
		return (int)TG_MARKED(SYS_truncate, path, len);
	return at64 ? TG_REAL(truncate64)(path, len)
		    : TG_REAL(truncate)(path, (off_t)len);
}

TG_EXPORT int truncate(const char *path, off_t len)
{
	if (TG_PATH_FAST(truncate, AT_FDCWD, path))
		return tg_real_truncate(path, len);
	return tg_truncate_guarded(0, path, len, TG_CALLER());
}

TG_EXPORT int truncate64(const char *path, off64_t len)
{
	if (TG_PATH_FAST(truncate64, AT_FDCWD, path))
		return tg_real_truncate64(path, len);
	return tg_truncate_guarded(1, path, len, TG_CALLER());
}

/* chmod, fchmodat: a symbolic link's own mode cannot be changed (glibc's
 * fchmodat with AT_SYMLINK_NOFOLLOW fails with EOPNOTSUPP): such a link is
 * never pinned, nor refused by tmpguard, only reported. */
static int tg_chmod_judged(const char *func, int dirfd, const char *path,
			   mode_t mode, int flags, const void *caller, int *rc)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_CHANGE,
					    !(flags & AT_SYMLINK_NOFOLLOW));
	j.link_errno = EOPNOTSUPP;
	int refused;
	if (!tg_judge_pin(&j, dirfd, path, &refused)) {
		*rc = -1;
		return refused;
	}
	char proc[TG_PROC_FD_PATH_MAX];
	tg_judged_proc(&j, proc);
	long r = tg_path_marking()
			 ? TG_MARKED(SYS_fchmodat, AT_FDCWD, proc, mode)
			 : TG_REAL(fchmodat)(AT_FDCWD, proc, mode, 0);
	if (r < 0 && errno == ENOENT)
		r = tg_chmod_opened(&j, mode);
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

__attribute__((noinline, cold)) static int
tg_chmod_guarded(int at, int dirfd, const char *path, mode_t mode, int flags,
		 const void *caller)
{
	int rc;
	if (!tg_path_private(dirfd, path) && !(flags & ~TG_CHMOD_FLAGS) &&
	    tg_chmod_judged(at ? "fchmodat" : "chmod", dirfd, path, mode, flags,
			    caller, &rc))
		return rc;
	/* with flags, glibc's own way (AT_SYMLINK_NOFOLLOW): its calls are
	 * trapped and let through */
	if (tg_path_marking() && path != NULL && flags == 0)
		return (int)TG_MARKED(SYS_fchmodat, dirfd, path, mode);
	return at ? TG_REAL(fchmodat)(dirfd, path, mode, flags)
		  : TG_REAL(chmod)(path, mode);
}

TG_EXPORT int chmod(const char *path, mode_t mode)
{
	if (TG_PATH_FAST(chmod, AT_FDCWD, path))
		return tg_real_chmod(path, mode);
	return tg_chmod_guarded(0, AT_FDCWD, path, mode, 0, TG_CALLER());
}

TG_EXPORT int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	if (TG_PATH_FAST(fchmodat, dirfd, path))
		return tg_real_fchmodat(dirfd, path, mode, flags);
	return tg_chmod_guarded(1, dirfd, path, mode, flags, TG_CALLER());
}

/* chown, fchownat: the pinned object's owner changed through its O_PATH
 * descriptor (AT_EMPTY_PATH); with AT_SYMLINK_NOFOLLOW that is the link
 * itself, judged as such. */
static int tg_chown_judged(const char *func, int dirfd, const char *path,
			   uid_t owner, gid_t group, int flags,
			   const void *caller, int *rc)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_CHANGE,
					    !(flags & AT_SYMLINK_NOFOLLOW));
	int refused;
	if (!tg_judge_pin(&j, dirfd, path, &refused)) {
		*rc = -1;
		return refused;
	}
	long r = tg_path_marking()
			 ? TG_MARKED(SYS_fchownat, j.w.fd, "", owner, group,
				     AT_EMPTY_PATH)
			 : TG_REAL(fchownat)(j.w.fd, "", owner, group,
					     AT_EMPTY_PATH);
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

__attribute__((noinline, cold)) static int
tg_chown_guarded(int at, int dirfd, const char *path, uid_t owner,
		 gid_t group, int flags, const void *caller)
{
	int rc;
	if (!tg_path_private(dirfd, path) && !(flags & ~TG_CHOWN_FLAGS) &&
	    tg_chown_judged(at ? "fchownat" : "chown", dirfd, path, owner,
			    group, flags, caller, &rc))
		return rc;
	if (tg_path_marking() && path != NULL)
		return (int)TG_MARKED(SYS_fchownat, dirfd, path, owner, group,
				      flags);
	return at ? TG_REAL(fchownat)(dirfd, path, owner, group, flags)
		  : TG_REAL(chown)(path, owner, group);
}

TG_EXPORT int chown(const char *path, uid_t owner, gid_t group)
{
	if (TG_PATH_FAST(chown, AT_FDCWD, path))
		return tg_real_chown(path, owner, group);
	return tg_chown_guarded(0, AT_FDCWD, path, owner, group, 0,
					TG_CALLER());
}

TG_EXPORT int fchownat(int dirfd, const char *path, uid_t owner, gid_t group,
		       int flags)
{
	if (TG_PATH_FAST(fchownat, dirfd, path))
		return tg_real_fchownat(dirfd, path, owner, group, flags);
	return tg_chown_guarded(1, dirfd, path, owner, group, flags,
					TG_CALLER());
}

/* The utime family: every form's times as utimensat's (NULL: now), as
 * glibc converts them; set on /proc/self/fd/N, or on the pinned
 * descriptor itself (AT_EMPTY_PATH) for a link not followed and where
 * /proc is missing. */
static int tg_utimens_judged(const char *func, int dirfd, const char *path,
			     const struct timespec *ts, int flags,
			     const void *caller, int *rc)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_CHANGE,
					    !(flags & AT_SYMLINK_NOFOLLOW));
	int refused;
	if (!tg_judge_pin(&j, dirfd, path, &refused)) {
		*rc = -1;
		return refused;
	}
	long r = -1;
	errno = ENOENT;
	if (!S_ISLNK(j.w.st.st_mode)) {
		char proc[TG_PROC_FD_PATH_MAX];
		tg_judged_proc(&j, proc);
		r = tg_path_marking()
			    ? TG_MARKED(SYS_utimensat, AT_FDCWD, proc, ts, 0)
			    : TG_REAL(utimensat)(AT_FDCWD, proc, ts, 0);
	}
	if (r < 0 && errno == ENOENT)
		r = tg_path_marking()
			    ? TG_MARKED(SYS_utimensat, j.w.fd, "", ts,
					AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)
			    : TG_REAL(utimensat)(j.w.fd, "", ts,
						 AT_EMPTY_PATH |
							 AT_SYMLINK_NOFOLLOW);
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

/* Which of the family a call came in by, and its times. */
enum tg_utime_sym { TG_UTIME, TG_UTIMES, TG_FUTIMESAT, TG_UTIMENSAT };
static const char tg_utime_names[][sizeof "utimensat"] = {
	[TG_UTIME] = "utime", [TG_UTIMES] = "utimes",
	[TG_FUTIMESAT] = "futimesat", [TG_UTIMENSAT] = "utimensat",
};

/* The times of any form as utimensat's, converted as glibc converts them
 * (the kernel checks their ranges): NULL for now. */
static const struct timespec *tg_timespecs(enum tg_utime_sym sym,
					   const void *times,
					   struct timespec ts[2])
{
	if (times == NULL || sym == TG_UTIMENSAT)
		return times;
	if (sym == TG_UTIME) {
		const struct utimbuf *ub = times;
		ts[0] = (struct timespec){ .tv_sec = ub->actime };
		ts[1] = (struct timespec){ .tv_sec = ub->modtime };
		return ts;
	}
	const struct timeval *tv = times;
	for (int i = 0; i < 2; i++) {
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return ts;
}

__attribute__((noinline, cold)) static int
tg_utime_guarded(enum tg_utime_sym sym, int dirfd, const char *path,
		 const void *times, int flags, const void *caller)
{
	int rc;
	struct timespec ts[2];
	if (!tg_path_private(dirfd, path) && !(flags & ~TG_UTIMENS_FLAGS) &&
	    tg_utimens_judged(tg_utime_names[sym], dirfd, path,
			      tg_timespecs(sym, times, ts), flags, caller, &rc))
		return rc;
	/* every form is utimensat in the kernel, times converted as glibc
	 * converts them; without a path, glibc's own way (untrapped) */
	if (tg_path_marking() && path != NULL)
		return (int)TG_MARKED(SYS_utimensat, dirfd, path,
				      tg_timespecs(sym, times, ts), flags);
	switch (sym) {
	case TG_UTIME:
		return TG_REAL(utime)(path, times);
	case TG_UTIMES:
		return TG_REAL(utimes)(path, times);
	case TG_FUTIMESAT:
		return TG_REAL(futimesat)(dirfd, path, times);
	case TG_UTIMENSAT:
		break;
	}
	return TG_REAL(utimensat)(dirfd, path, times, flags);
}

TG_EXPORT int utime(const char *path, const struct utimbuf *times)
{
	if (TG_PATH_FAST(utime, AT_FDCWD, path))
		return tg_real_utime(path, times);
	return tg_utime_guarded(TG_UTIME, AT_FDCWD, path, times, 0,
					TG_CALLER());
}

TG_EXPORT int utimes(const char *path, const struct timeval tv[2])
{
	if (TG_PATH_FAST(utimes, AT_FDCWD, path))
		return tg_real_utimes(path, tv);
	return tg_utime_guarded(TG_UTIMES, AT_FDCWD, path, tv, 0,
					TG_CALLER());
}

TG_EXPORT int futimesat(int dirfd, const char *path, const struct timeval tv[2])
{
	if (TG_PATH_FAST(futimesat, dirfd, path))
		return tg_real_futimesat(dirfd, path, tv);
	return tg_utime_guarded(TG_FUTIMESAT, dirfd, path, tv, 0,
					TG_CALLER());
}

TG_EXPORT int utimensat(int dirfd, const char *path,
			const struct timespec ts[2], int flags)
{
	if (TG_PATH_FAST(utimensat, dirfd, path))
		return tg_real_utimensat(dirfd, path, ts, flags);
	return tg_utime_guarded(TG_UTIMENSAT, dirfd, path, ts, flags,
					TG_CALLER());
}
