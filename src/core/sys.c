/* tmpguard — the system calls tmpguard makes for itself. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/out.h"
#include "core/sys.h"
#include "core/syscall.h"

unsigned tg_sys_create_mark;

int tg_sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	if (flags & O_CREAT)
		mode |= __atomic_load_n(&tg_sys_create_mark, __ATOMIC_RELAXED);
	return (int)TG_SYSCALL(SYS_openat, dirfd, path, flags, mode);
}

int tg_sys_close(int fd)
{
	return (int)TG_SYSCALL(SYS_close, fd);
}

#if defined(SYS_newfstatat) && !defined(__ILP32__) && \
	(defined(__x86_64__) || defined(__aarch64__))
int tg_sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)TG_SYSCALL(SYS_newfstatat, dirfd, path, st, flags);
}
#else
int tg_sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return fstatat(dirfd, path, st, flags);
}
#endif

#if defined(SYS_fstat) && !defined(__ILP32__) && defined(__x86_64__)
/* fstat proper: no empty path to copy in (the kernel's AT_EMPTY_PATH
 * shortcut is newer than some hosts), and the log's check runs per record */
int tg_sys_fstat(int fd, struct stat *st)
{
	return (int)TG_SYSCALL(SYS_fstat, fd, st);
}
#else
int tg_sys_fstat(int fd, struct stat *st)
{
	return tg_sys_fstatat(fd, "", st, AT_EMPTY_PATH);
}
#endif

int tg_sys_identity(int fd, struct tg_identity *id)
{
#if defined(SYS_statx) && defined(STATX_INO)
	struct statx sx;
	if (TG_SYSCALL(SYS_statx, fd, "", AT_EMPTY_PATH,
		       STATX_TYPE | STATX_INO | STATX_NLINK, &sx) == 0) {
		id->dev = (unsigned long long)sx.stx_dev_major << 32 |
			  sx.stx_dev_minor;
		id->ino = sx.stx_ino;
		id->mode = sx.stx_mode;
		id->nlink = sx.stx_nlink;
		return 0;
	}
	if (errno != ENOSYS && errno != EPERM) /* EPERM: a seccomp filter */
		return -1;
#endif
	struct stat st;
	if (tg_sys_fstat(fd, &st) != 0)
		return -1;
	id->dev = (unsigned long long)major(st.st_dev) << 32 | minor(st.st_dev);
	id->ino = st.st_ino;
	id->mode = st.st_mode;
	id->nlink = (unsigned long)st.st_nlink;
	return 0;
}

#if defined(SYS_mmap) && (defined(__x86_64__) || defined(__aarch64__))
void *tg_sys_map(size_t len)
{
	return (void *)TG_SYSCALL(SYS_mmap, NULL, len, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void *tg_sys_map_file(int fd, size_t len)
{
	return (void *)TG_SYSCALL(SYS_mmap, NULL, len, PROT_READ, MAP_PRIVATE,
				  fd, 0);
}
#else
void *tg_sys_map(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void *tg_sys_map_file(int fd, size_t len)
{
	return mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
}
#endif

void tg_sys_unmap(void *p, size_t len)
{
	TG_SYSCALL(SYS_munmap, p, len);
}

pid_t tg_sys_getpid(void)
{
	return (pid_t)TG_SYSCALL(SYS_getpid);
}

uid_t tg_sys_geteuid(void)
{
#ifdef SYS_geteuid32 /* 32-bit x86: the 16-bit call would truncate */
	return (uid_t)TG_SYSCALL(SYS_geteuid32);
#else
	return (uid_t)TG_SYSCALL(SYS_geteuid);
#endif
}

static ssize_t tg_sys_write(int fd, const void *buf, size_t len)
{
	return (ssize_t)TG_SYSCALL(SYS_write, fd, buf, len);
}

int tg_sys_unlink(const char *path)
{
	return (int)TG_SYSCALL(SYS_unlinkat, AT_FDCWD, path, 0);
}

int tg_sys_fcntl(int fd, int cmd, long arg)
{
	return (int)TG_SYSCALL(SYS_fcntl, fd, cmd, arg);
}

int tg_sys_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = tg_sys_write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int tg_sys_send_datagram_fd(int fd, const char *where, const void *buf,
			    size_t len, int pass)
{
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	size_t n = strlen(where);
	if (fd < 0 || n == 0 || n >= sizeof addr.sun_path) {
		errno = EINVAL;
		return -1;
	}
	memcpy(addr.sun_path, where, n);
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if (where[0] == '@')
		addr.sun_path[0] = '\0';
	else
		alen++; /* the NUL of a path name */
	struct iovec iov = { (void *)buf, len };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr msg = { .msg_name = &addr, .msg_namelen = alen,
			      .msg_iov = &iov, .msg_iovlen = 1 };
	if (pass >= 0) {
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof u.buf;
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass, sizeof pass);
	}
	/* a descriptor must not be lost: that send waits for room */
	int flags = MSG_NOSIGNAL | (pass >= 0 ? 0 : MSG_DONTWAIT);
	for (int tries = 0; tries < 50; tries++) {
		if (TG_SYSCALL(SYS_sendmsg, fd, &msg, flags) == (long)len)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		struct timespec pause = { 0, 1000000 }; /* the receiver is busy */
		TG_SYSCALL(SYS_nanosleep, &pause, NULL);
	}
	return -1;
}

int tg_sys_send_datagram(int fd, const char *where, const void *buf,
			 size_t len)
{
	return tg_sys_send_datagram_fd(fd, where, buf, len, -1);
}

void *tg_sys_wipeonfork_page(void **slot)
{
	void *page = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (__builtin_expect(page != NULL, 1))
		return page == TG_WIPE_NONE ? NULL : page;
	void *fresh = TG_WIPE_NONE;
#ifdef MADV_WIPEONFORK
	int saved = errno;
	void *m = tg_sys_map(TG_WIPE_PAGE);
	if (m != MAP_FAILED) {
		if (TG_SYSCALL(SYS_madvise, m, TG_WIPE_PAGE, MADV_WIPEONFORK) == 0) {
#ifdef MADV_DONTDUMP
			TG_SYSCALL(SYS_madvise, m, TG_WIPE_PAGE, MADV_DONTDUMP);
#endif
			fresh = m;
		} else {
			tg_sys_unmap(m, TG_WIPE_PAGE);
		}
	}
	errno = saved;
#endif
	void *none = NULL;
	if (!__atomic_compare_exchange_n(slot, &none, fresh, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		if (fresh != TG_WIPE_NONE) /* another thread mapped one first */
			tg_sys_unmap(fresh, TG_WIPE_PAGE);
		fresh = none;
	}
	return fresh == TG_WIPE_NONE ? NULL : fresh;
}

void tg_proc_fd_path(char buf[TG_PROC_FD_PATH_MAX], int fd)
{
	struct tg_out o = TG_OUT_INIT(buf, TG_PROC_FD_PATH_MAX);
	tg_out_lit(&o, "/proc/self/fd/");
	tg_out_u64(&o, (uint64_t)(unsigned)fd);
	tg_out_end(&o);
}
