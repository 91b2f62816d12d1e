/* tmpguard — safe-open: create exclusively, or use only what the rule
 * accepted, by the descriptor that pinned it. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/names.h"
#include "core/safeopen.h"
#include "core/sys.h"

/* A creation lost to a plant that appeared after the walk: walk again a
 * few times, then give up with EACCES. */
#define TG_RULED_TRIES 8
/* tmpfile's fallback: names drawn before giving up */
#define TG_TMPFILE_TRIES 100
#define TG_O_PIN (O_PATH | O_NOFOLLOW | O_CLOEXEC)

static int tg_close_keep_errno(int fd)
{
	int err = errno;
	tg_sys_close(fd);
	errno = err;
	return -1;
}

int tg_parent_look(int dirfd, const char *path, struct stat *st)
{
	char parent[PATH_MAX];
	const char *base;
	if (tg_path_split(path, parent, sizeof parent, &base) < 0)
		return -1;
	return tg_sys_fstatat(dirfd, parent, st, 0);
}

int tg_pin(int dirfd, const char *path, struct stat *st)
{
	int fd = tg_sys_openat(dirfd, path, TG_O_PIN, 0);
	if (fd >= 0 && tg_sys_fstat(fd, st) < 0)
		return tg_close_keep_errno(fd);
	return fd;
}

/* By name, not following, without blocking on a FIFO, kept only if it is
 * the object judged as st (else EACCES); then the program's own O_NONBLOCK
 * and O_TRUNC. */
static int tg_open_same(int dirfd, const char *name, const struct stat *st,
			int flags)
{
	int fd = tg_sys_openat(dirfd, name,
			       (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) |
				       O_NOFOLLOW | O_NONBLOCK,
			       0);
	if (fd < 0)
		return -1;
	struct stat now;
	if (tg_sys_fstat(fd, &now) < 0)
		return tg_close_keep_errno(fd);
	if (now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
		tg_sys_close(fd); /* swapped since it was judged */
		errno = EACCES;
		return -1;
	}
	if (!(flags & O_NONBLOCK))
		tg_sys_fcntl(fd, F_SETFL,
			     flags & (O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME));
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY &&
	    S_ISREG(now.st_mode) && ftruncate(fd, 0) < 0)
		return tg_close_keep_errno(fd);
	return fd;
}

int tg_reopen(int pinned, const struct stat *st, int pfd, const char *base,
	      int flags, mode_t mode)
{
	if (S_ISLNK(st->st_mode)) { /* a link not to be followed */
		errno = ELOOP;
		return -1;
	}
	char proc[TG_PROC_FD_PATH_MAX];
	tg_proc_fd_path(proc, pinned);
	/* the mode matters only to O_TMPFILE, made in a pinned directory */
	int fd = tg_sys_openat(AT_FDCWD, proc,
			       flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW), mode);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	/* /proc is not mounted */
	if (pfd < 0 || base == NULL) {
		errno = ENOENT;
		return -1;
	}
	return tg_open_same(pfd, base, st, flags);
}

/* The name right after a listed shared directory's own name ("/tmp/x"),
 * or "" when the path goes on below it. */
static const char *tg_shallow_name(const struct tg_walk *w)
{
	if (w->path[0] != '/' || w->skip == 0 || !w->start_shared)
		return "";
	const char *name = w->path + w->skip;
	while (*name == '/')
		name++;
	if (strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return "";
	return name;
}

/* A name directly in a listed shared directory, the common case: its
 * lstat says what it is, without pinning the directory and the name. A
 * regular file the rule accepts is opened by that name (not following,
 * not blocking) and kept only if it is still the file judged; a missing
 * name is created exclusively. 1: done, *fd the result (or -1, errno);
 * 0: anything else (another kind of object, a refusal, a race, a
 * failure), which the walk decides. The prefix up to the listed name is resolved by name
 * as the walk's start is. */
static int tg_ruled_open_shallow(struct tg_walk *w, int flags,
				 mode_t shared_mode, int *created, int *fd)
{
	if (tg_shallow_name(w)[0] == '\0' ||
	    ((flags & O_TRUNC) && (flags & O_ACCMODE) == O_RDONLY))
		return 0;
	int saved = errno;
	struct stat st;
	if (tg_sys_fstatat(AT_FDCWD, w->path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return 0;
		if (!(flags & O_CREAT)) {
			*fd = -1;
			return 1;
		}
		*fd = tg_sys_openat(AT_FDCWD, w->path,
				    flags | O_CREAT | O_EXCL | O_NOFOLLOW,
				    shared_mode);
		if (*fd < 0)
			return 0; /* something appeared meanwhile */
		*created = 1;
		w->parent_shared = 1;
		errno = saved;
		return 1;
	}
	if (!S_ISREG(st.st_mode) ||
	    tg_judge_entry(&st, tg_open_use(flags), w->trust) != TG_OBJ_OK)
		return 0;
	*fd = tg_open_same(AT_FDCWD, w->path, &st, flags);
	if (*fd < 0) {
		/* swapped since it was looked at (ENXIO: a FIFO without a
		 * reader, ELOOP: a link, EACCES: another file), or the kernel
		 * refuses: the walk judges what is there now, or says why */
		errno = saved;
		return 0;
	}
	w->parent_shared = 1;
	w->st = st;
	errno = saved;
	return 1;
}

int tg_ruled_open(struct tg_walk *w, int flags, mode_t mode,
		  mode_t shared_mode, int *created)
{
	*created = 0;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY)) {
		errno = EINVAL; /* what the kernel answers to this pair */
		return -1;
	}
	size_t len = strlen(w->path);
	if ((flags & O_CREAT) && len > 0 && w->path[len - 1] == '/') {
		errno = EISDIR; /* no file is made with a trailing '/' */
		return -1;
	}
	w->use = tg_open_use(flags);
	w->follow = !(flags & O_NOFOLLOW);
	if (flags & O_EXCL && flags & O_CREAT) {
		/* the program's own exclusive creation, at the directory the
		 * walk reached: the kernel refuses anything under the name */
		w->parent_only = 1;
		if (tg_walk(w) < 0)
			return -1;
		int fd = tg_sys_openat(w->pfd, w->base, flags, mode);
		*created = fd >= 0;
		return fd;
	}
	int shallow_fd;
	if (tg_ruled_open_shallow(w, flags, shared_mode, created, &shallow_fd))
		return shallow_fd;
	for (int i = 0; i < TG_RULED_TRIES; i++) {
		int saved = errno;
		if (tg_walk(w) < 0)
			return -1;
		if (w->fd >= 0) {
			if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
				errno = EEXIST;
				return -1;
			}
			if (w->leave_special && !S_ISREG(w->st.st_mode) &&
			    !S_ISDIR(w->st.st_mode) && !S_ISLNK(w->st.st_mode)) {
				errno = EOPNOTSUPP;
				return -1;
			}
			int fd = tg_reopen(w->fd, &w->st, w->pfd, w->base, flags,
					   mode);
			if (fd >= 0)
				errno = saved;
			return fd;
		}
		if (!(flags & O_CREAT))
			return -1; /* the walk's ENOENT */
		int shared = w->parent_shared;
		int fd = shared ? tg_sys_openat(w->pfd, w->base,
						flags | O_CREAT | O_EXCL | O_NOFOLLOW,
						shared_mode)
				: tg_sys_openat(w->pfd, w->base, flags, mode);
		if (fd >= 0) {
			*created = 1;
			errno = saved;
			return fd;
		}
		if (!shared || errno != EEXIST || (flags & O_EXCL))
			return -1;
		tg_walk_done(w); /* something appeared: judge it */
	}
	errno = EACCES;
	return -1;
}

int tg_ruled_open_log(struct tg_walk *w)
{
	int created;
	return tg_ruled_open(w,
			     O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
				     O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
			     0600, 0600, &created);
}

int tg_exclusive_open_at(int dirfd, const char *path, int flags, mode_t mode)
{
	return tg_sys_openat(dirfd, path, flags | O_CREAT | O_EXCL | O_NOFOLLOW,
			     mode);
}

int tg_verify_open_at(int dirfd, const char *path, int flags, uid_t euid,
		      enum tg_object_verdict *refused)
{
	*refused = TG_OBJ_OK;
	struct stat st;
	int pinned = tg_pin(dirfd, path, &st);
	if (pinned < 0)
		return -1;
	if (euid == TG_EUID_SELF)
		euid = tg_sys_geteuid();
	enum tg_object_verdict v = tg_object_plant(&st, euid);
	int fd = -1;
	if (v != TG_OBJ_OK) {
		*refused = v;
		errno = EACCES;
	} else {
		fd = tg_reopen(pinned, &st, -1, NULL, flags, 0);
	}
	int err = errno;
	tg_sys_close(pinned);
	errno = err;
	return fd;
}

static int tg_tmpfile_named(const char *dir)
{
	char path[PATH_MAX];
	size_t dlen = strlen(dir);
	if (dlen + 16 >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, dlen);
	memcpy(path + dlen, "/tmpf", 5);
	for (int tries = 0; tries < TG_TMPFILE_TRIES; tries++) {
		if (tg_random_chars(path + dlen + 5, 10) < 0)
			return -1;
		path[dlen + 15] = '\0';
		int fd = tg_sys_openat(AT_FDCWD, path,
				       O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW,
				       0600);
		if (fd >= 0) {
			tg_sys_unlink(path);
			return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

int tg_tmpfile_open(const char *dir)
{
	int fd = tg_sys_openat(AT_FDCWD, dir, O_TMPFILE | O_RDWR | O_EXCL,
			       0600);
	if (fd >= 0)
		return fd;
	if (errno == EISDIR || errno == EOPNOTSUPP || errno == EINVAL)
		return tg_tmpfile_named(dir);
	return -1;
}

int tg_lowest_fd(int fd, int freed, int flags)
{
	if (freed < 0 || freed > fd)
		return fd;
	int low = tg_sys_fcntl(fd, (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD,
			       0);
	if (low < 0 || low > fd) {
		if (low >= 0)
			tg_sys_close(low);
		return fd;
	}
	tg_sys_close(fd);
	return low;
}
