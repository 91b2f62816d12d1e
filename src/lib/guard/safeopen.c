/* tmpguard — safe-open: create exclusively, or reuse only what is provably
 * the caller's own regular file. Verify what was opened (fstat on the fd),
 * never what a path pointed to a moment earlier. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sys.h"
#include "lib/guard/safeopen.h"

/* The name vanished between the exclusive create and the reopen: retry a
 * few times, then give up with the kernel's last word. */
#define TG_SAFE_OPEN_TRIES 8

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
static int tg_classify_failure(int dirfd, const char *name,
			       enum tg_object_verdict *refused)
{
	int err = errno;
	struct stat st;
	if (tg_sys_fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		enum tg_object_verdict v = tg_object_check(&st, tg_sys_geteuid());
		if (tg_object_is_plant(v, &st, tg_sys_geteuid()))
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
	int err = errno;
	tg_sys_close(wfd);
	errno = err;
	return rc;
}

/* The object is open as fd: keep it only if it is ours; then give it the
 * program's flags back (O_NONBLOCK only if asked, O_TRUNC now). */
static int tg_accept(int fd, int flags, int allow_dir, int dirfd,
		     const char *name, enum tg_object_verdict *refused)
{
	struct stat st;
	if (tg_sys_fstat(fd, &st) < 0) {
		int err = errno;
		tg_sys_close(fd);
		errno = err;
		return -1;
	}
	enum tg_object_verdict v = tg_object_check(&st, tg_sys_geteuid());
	if (v == TG_OBJ_DIRECTORY && allow_dir && st.st_uid == tg_sys_geteuid())
		v = TG_OBJ_OK;
	if (v != TG_OBJ_OK) {
		if (!tg_object_is_plant(v, &st, tg_sys_geteuid())) { /* ours: EISDIR */
			tg_sys_close(fd);
			errno = EISDIR;
			return -1;
		}
		return tg_refuse(fd, v, refused);
	}
	return tg_finish_existing(fd, flags, &st, dirfd, name);
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
	    tg_truncate(fd, flags, st, dirfd, name) < 0) {
		int err = errno;
		tg_sys_close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int tg_safe_open_at(int dirfd, const char *base, int flags, mode_t mode,
		    enum tg_object_verdict *refused)
{
	*refused = TG_OBJ_OK;
	int saved = errno;
	for (int i = 0; i < TG_SAFE_OPEN_TRIES; i++) {
		int fd = tg_sys_openat(dirfd, base,
				       (flags & ~O_TRUNC) | O_CREAT | O_EXCL |
					       O_NOFOLLOW,
				       tg_harden_file_mode(mode));
		if (fd >= 0) {
			errno = saved;
			return fd;
		}
		if (errno != EEXIST)
			return -1;
		/* Something is there. O_NONBLOCK: a planted FIFO must not hang
		 * us; O_NOFOLLOW: a planted symlink fails with ELOOP. */
		fd = tg_sys_openat(dirfd, base,
				   (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) |
					   O_NOFOLLOW | O_NONBLOCK,
				   0);
		if (fd >= 0) {
			fd = tg_accept(fd, flags, 0, dirfd, base, refused);
			if (fd >= 0)
				errno = saved;
			return fd;
		}
		if (errno == ENOENT)
			continue;
		return tg_classify_failure(dirfd, base, refused);
	}
	return -1;
}

int tg_verify_open_at(int dirfd, const char *path, int flags, mode_t mode,
		      enum tg_object_verdict *refused)
{
	*refused = TG_OBJ_OK;
	int saved = errno;
	int fd = tg_sys_openat(dirfd, path,
			       (flags & ~O_TRUNC) | O_NOFOLLOW | O_NONBLOCK,
			       mode);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		return tg_classify_failure(dirfd, path, refused);
	}
	fd = tg_accept(fd, flags, 1, dirfd, path, refused);
	if (fd >= 0)
		errno = saved;
	return fd;
}
