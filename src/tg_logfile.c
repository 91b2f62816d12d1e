/* tmpguard — the log file's descriptor, kept open between records.
 *
 * The descriptor lives at a high number (F_DUPFD_CLOEXEC from 512: the
 * kernel hands out the lowest free number, so a program's own opens do not
 * land there) and is checked (tg_sys_identity) before every write: when its device
 * and inode are not the log's any more, the program closed or reused the
 * number, and the log is reopened elsewhere without touching the program's
 * descriptor. It is replaced after a second, so a rotated log is followed,
 * and at once when the log was deleted (the name is opened again).
 *
 * Lock-free: the published descriptor is a sequence-counted record. A
 * reader that sees it change (another thread, or a signal handler that
 * interrupted this one while publishing) writes through a descriptor of its
 * own for that record; nothing waits. Forked children inherit the record
 * and the descriptor (O_APPEND keeps lines whole); exec closes it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tg_logfile.h"
#include "tg_real.h"

#define TG_LOGFILE_FD_MIN 512
#define TG_LOGFILE_FD_MIN_SMALL 128 /* RLIMIT_NOFILE at 512 or below */
#define TG_LOGFILE_REFRESH_S 1

static struct {
	unsigned seq; /* odd while a thread publishes */
	int fd;
	unsigned long long dev;
	unsigned long long ino;
	time_t opened;
} tg_kept = { 0, -1, 0, 0, 0 };

struct tg_logfile_view {
	int fd;
	unsigned long long dev;
	unsigned long long ino;
	time_t opened;
};

/* 0 and a consistent view of the kept descriptor, or -1. */
static int tg_kept_read(struct tg_logfile_view *v)
{
	unsigned seq = __atomic_load_n(&tg_kept.seq, __ATOMIC_ACQUIRE);
	if (seq & 1)
		return -1;
	v->fd = __atomic_load_n(&tg_kept.fd, __ATOMIC_RELAXED);
	v->dev = __atomic_load_n(&tg_kept.dev, __ATOMIC_RELAXED);
	v->ino = __atomic_load_n(&tg_kept.ino, __ATOMIC_RELAXED);
	v->opened = __atomic_load_n(&tg_kept.opened, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&tg_kept.seq, __ATOMIC_RELAXED) != seq)
		return -1;
	return v->fd >= 0 ? 0 : -1;
}

/* Publishes v unless another thread is publishing or did since `seen`.
 * Returns 1 when published. */
static int tg_kept_publish(unsigned seen, const struct tg_logfile_view *v)
{
	if ((seen & 1) ||
	    !__atomic_compare_exchange_n(&tg_kept.seq, &seen, seen + 1, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return 0;
	__atomic_store_n(&tg_kept.fd, v->fd, __ATOMIC_RELAXED);
	__atomic_store_n(&tg_kept.dev, v->dev, __ATOMIC_RELAXED);
	__atomic_store_n(&tg_kept.ino, v->ino, __ATOMIC_RELAXED);
	__atomic_store_n(&tg_kept.opened, v->opened, __ATOMIC_RELAXED);
	__atomic_store_n(&tg_kept.seq, seen + 2, __ATOMIC_RELEASE);
	return 1;
}

/* Regular files and character devices only: no SIGPIPE, no blocking. */
static int tg_write_plain(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 1: still the log's file; 0: not ours any more, or the log was deleted
 * (no links: the name is to be opened again, and may now be a symlink). */
static int tg_is_ours(const struct tg_logfile_view *v, int *deleted)
{
	struct tg_identity id;
	*deleted = 0;
	if (tg_sys_identity(v->fd, &id) != 0 || id.dev != v->dev ||
	    id.ino != v->ino)
		return 0;
	if (id.nlink == 0 && S_ISREG(id.mode)) {
		*deleted = 1;
		return 0;
	}
	return 1;
}

/* The log opened afresh and moved to a high number; -1 when it cannot be
 * opened, -2 when it must not be kept (v->fd then holds a descriptor to
 * write this record through and close). */
static int tg_open_high(const char *path, struct tg_logfile_view *v)
{
	/* O_NOFOLLOW: a log in a shared directory must not be redirected by a
	 * planted symlink. O_NONBLOCK: a FIFO without a reader fails (ENXIO)
	 * instead of hanging the host. */
	int fd = tg_sys_openat(AT_FDCWD, path,
			       O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
				       O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
			       0600);
	if (fd < 0)
		return -1;
	struct tg_identity id;
	if (tg_sys_identity(fd, &id) != 0 ||
	    !(S_ISREG(id.mode) || S_ISCHR(id.mode))) {
		v->fd = fd;
		return -2;
	}
	int high = (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC,
				TG_LOGFILE_FD_MIN);
	if (high < 0)
		high = (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC,
				    TG_LOGFILE_FD_MIN_SMALL);
	if (high < 0) {
		v->fd = fd;
		return -2;
	}
	tg_sys_close(fd);
	v->fd = high;
	v->dev = id.dev;
	v->ino = id.ino;
	return 0;
}

int tg_logfile_append(const char *path, const char *line, size_t len,
		      time_t now)
{
	unsigned seq = __atomic_load_n(&tg_kept.seq, __ATOMIC_ACQUIRE);
	struct tg_logfile_view old = { -1, 0, 0, 0 };
	int deleted = 0;
	int have = tg_kept_read(&old) == 0 && tg_is_ours(&old, &deleted);
	if (have && now >= old.opened && now - old.opened < TG_LOGFILE_REFRESH_S) {
		if (tg_write_plain(old.fd, line, len) == 0)
			return 0;
		/* EBADF: another thread replaced it between the check and
		 * the write; anything else is the file's own failure */
		if (errno != EBADF)
			return -1;
		have = 0;
	}

	struct tg_logfile_view fresh;
	int rc = tg_open_high(path, &fresh);
	if (rc == -1)
		return -1;
	if (rc == -2) {
		tg_sys_close(fresh.fd);
		return 1;
	}
	fresh.opened = now;
	int written = tg_write_plain(fresh.fd, line, len);
	if (tg_kept_publish(seq, &fresh)) {
		/* the replaced descriptor is closed only when it was still the
		 * log's: a number the program took over is the program's */
		if (have || deleted)
			tg_sys_close(old.fd);
	} else {
		tg_sys_close(fresh.fd);
	}
	return written;
}
