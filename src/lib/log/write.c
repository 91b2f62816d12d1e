/* tmpguard — one record written whole, without SIGPIPE. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "core/sys.h"
#include "core/syscall.h"
#include "lib/log/write.h"

/* A pipe (or a socket that did not take MSG_NOSIGNAL's way) is written with
 * SIGPIPE blocked in this thread, and a SIGPIPE this write raised is taken
 * off the thread's pending set before the mask is restored; one that was
 * already pending (the program's own) is left alone. The kernel's signal
 * set by system calls: six libc symbols fewer to bind in every process. */
static int tg_write_blocking_sigpipe(int fd, const char *buf, size_t len)
{
	const uint64_t pipe_only = (uint64_t)1 << (SIGPIPE - 1);
	uint64_t old, pending;
	if (TG_SYSCALL(SYS_rt_sigprocmask, SIG_BLOCK, &pipe_only, &old,
		       sizeof old) != 0)
		return -1; /* cannot make it safe: better lost than fatal */
	int was_pending =
		TG_SYSCALL(SYS_rt_sigpending, &pending, sizeof pending) == 0 &&
		(pending & pipe_only) != 0;
	int rc = tg_sys_write_all(fd, buf, len);
	int err = errno;
	if (rc < 0 && err == EPIPE && !was_pending) {
		static const struct timespec zero = { 0, 0 };
		while (TG_SYSCALL(SYS_rt_sigtimedwait, &pipe_only, NULL, &zero,
				  sizeof pipe_only) < 0 &&
		       errno == EINTR)
			;
	}
	TG_SYSCALL(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof old);
	errno = err;
	return rc;
}

int tg_log_write(int fd, unsigned mode, const char *buf, size_t len)
{
	if (S_ISREG(mode) || S_ISCHR(mode) || S_ISBLK(mode))
		return tg_sys_write_all(fd, buf, len);
	if (S_ISSOCK(mode)) { /* the common whole send needs no mask */
		ssize_t n = (ssize_t)TG_SYSCALL(SYS_sendto, fd, buf, len,
						MSG_NOSIGNAL, NULL, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && errno != ENOTSOCK && errno != EINTR)
			return -1;
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		}
	}
	return tg_write_blocking_sigpipe(fd, buf, len);
}
