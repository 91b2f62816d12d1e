/* tmpguard — safe-open: create exclusively, or reuse only what is provably
 * the caller's own regular file. */
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

/* The name vanished between the exclusive create and the reopen: retry a
 * few times, then give up with the kernel's last word. */
#define TG_SAFE_OPEN_TRIES 8
/* tmpfile's fallback: names drawn before giving up */
#define TG_TMPFILE_TRIES 100

static uid_t tg_euid(uid_t euid)
{
	return euid == TG_EUID_SELF ? tg_sys_geteuid() : euid;
}

static int tg_close_keep_errno(int fd)
{
	int err = errno;
	tg_sys_close(fd);
	errno = err;
	return -1;
}

int tg_parent_pin(int dirfd, const char *path, const char **base,
		  struct stat *st)
{
	char parent[PATH_MAX];
	if (tg_path_split(path, parent, sizeof parent, base) < 0)
		return -1;
	int pfd = tg_sys_openat(dirfd, parent, O_PATH | O_DIRECTORY | O_CLOEXEC,
				0);
	if (pfd < 0)
		return -1;
	if (tg_sys_fstat(pfd, st) < 0)
		return tg_close_keep_errno(pfd);
	return pfd;
}

int tg_parent_look(int dirfd, const char *path, struct stat *st)
{
	char parent[PATH_MAX];
	const char *base;
	if (tg_path_split(path, parent, sizeof parent, &base) < 0)
		return -1;
	return tg_sys_fstatat(dirfd, parent, st, 0);
}

int tg_probe_open(int dirfd, const char *path, int flags)
{
	return tg_sys_openat(dirfd, path,
			     (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) |
				     O_NOFOLLOW | O_NONBLOCK,
			     0);
}

static int tg_refuse(int fd, enum tg_object_verdict v,
		     enum tg_object_verdict *refused)
{
	if (fd >= 0)
		tg_sys_close(fd);
	*refused = v;
	/* A directory keeps the kernel's own answer. */
	errno = v == TG_OBJ_DIRECTORY ? EISDIR : EACCES;
	return -1;
}

/* The object could not be opened: if it is a plant, say so; otherwise the
 * kernel's errno stands. */
static int tg_classify_failure(int dirfd, const char *name, uid_t euid,
			       enum tg_object_verdict *refused)
{
	int err = errno;
	struct stat st;
	if (tg_sys_fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		enum tg_object_verdict v = tg_object_plant(&st, tg_euid(euid));
		if (v != TG_OBJ_OK)
			return tg_refuse(-1, v, refused);
	}
	errno = err;
	return -1;
}

/* O_TRUNC, applied after the check. The kernel truncates even through a
 * read-only open; ftruncate cannot, so a read-only caller's file is
 * truncated through a write descriptor proven to be the same inode. */
static int tg_truncate(int fd, int flags, const struct stat *st, int dirfd,
		       const char *name)
{
	if ((flags & O_ACCMODE) != O_RDONLY)
		return ftruncate(fd, 0);
	int wfd = tg_sys_openat(dirfd, name,
				O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
				0);
	if (wfd < 0)
		return -1;
	struct stat wst;
	int rc = -1;
	if (tg_sys_fstat(wfd, &wst) == 0 && wst.st_dev == st->st_dev &&
	    wst.st_ino == st->st_ino)
		rc = ftruncate(wfd, 0);
	else
		errno = EACCES; /* swapped under us: touch nothing */
	tg_close_keep_errno(wfd);
	return rc;
}

int tg_finish_existing(int fd, int flags, const struct stat *st, int dirfd,
		       const char *name)
{
	/* The status flags F_SETFL can change are exactly the program's,
	 * without the O_NONBLOCK we added: no need to read them first. */
	if (!(flags & O_NONBLOCK))
		tg_sys_fcntl(fd, F_SETFL,
			     flags & (O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME));
	if ((flags & O_TRUNC) && st->st_size > 0 &&
	    tg_truncate(fd, flags, st, dirfd, name) < 0)
		return tg_close_keep_errno(fd);
	return fd;
}

/* The object is open as fd: keep it only if it is ours (or, allow_dir, our
 * own directory); then give it the program's flags back. */
static int tg_accept(int fd, int flags, int allow_dir, int dirfd,
		     const char *name, uid_t euid,
		     enum tg_object_verdict *refused)
{
	struct stat st;
	if (tg_sys_fstat(fd, &st) < 0)
		return tg_close_keep_errno(fd);
	enum tg_object_verdict v = tg_object_plant(&st, tg_euid(euid));
	if (v != TG_OBJ_OK)
		return tg_refuse(fd, v, refused);
	if (S_ISDIR(st.st_mode) && !allow_dir) { /* ours: the kernel's EISDIR */
		tg_sys_close(fd);
		errno = EISDIR;
		return -1;
	}
	return tg_finish_existing(fd, flags, &st, dirfd, name);
}

int tg_safe_open_at(int pfd, const char *base, int flags, mode_t mode,
		    uid_t euid, enum tg_object_verdict *refused)
{
	*refused = TG_OBJ_OK;
	int saved = errno;
	for (int i = 0; i < TG_SAFE_OPEN_TRIES; i++) {
		int fd = tg_sys_openat(pfd, base,
				       (flags & ~O_TRUNC) | O_CREAT | O_EXCL |
					       O_NOFOLLOW,
				       tg_harden_file_mode(mode));
		if (fd >= 0) {
			errno = saved;
			return fd;
		}
		if (errno != EEXIST)
			return -1;
		/* Something is there: a planted symlink fails with ELOOP, a
		 * planted FIFO does not block. */
		fd = tg_probe_open(pfd, base, flags);
		if (fd >= 0) {
			fd = tg_accept(fd, flags, 0, pfd, base, euid, refused);
			if (fd >= 0)
				errno = saved;
			return fd;
		}
		if (errno == ENOENT)
			continue;
		return tg_classify_failure(pfd, base, euid, refused);
	}
	return -1;
}

int tg_exclusive_open_at(int dirfd, const char *path, int flags, mode_t mode)
{
	return tg_sys_openat(dirfd, path, flags | O_CREAT | O_EXCL | O_NOFOLLOW,
			     tg_harden_file_mode(mode));
}

int tg_verify_open_at(int dirfd, const char *path, int flags, mode_t mode,
		      uid_t euid, enum tg_object_verdict *refused)
{
	*refused = TG_OBJ_OK;
	int saved = errno;
	int fd = tg_sys_openat(dirfd, path,
			       (flags & ~O_TRUNC) | O_NOFOLLOW | O_NONBLOCK,
			       mode);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		return tg_classify_failure(dirfd, path, euid, refused);
	}
	fd = tg_accept(fd, flags, 1, dirfd, path, euid, refused);
	if (fd >= 0)
		errno = saved;
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
	if (freed > fd)
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
