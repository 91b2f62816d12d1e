/* tmpguard — hooks: named IPC objects in shared directories. A Unix socket
 * connected to by path, a POSIX semaphore or shared memory object under
 * /dev/shm: another user's object there is a plant (a server that reads
 * what the program sends, a semaphore that hangs it, memory it shares).
 *
 * The fast path: connect to anything but a Unix socket path, or to a path
 * the cheap test (lib/guard/where.h) rules out, goes straight to the next
 * definition, as does an exclusive creation. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core/sys.h"
#include "lib/export.h"
#include "lib/guard/create.h"
#include "lib/guard/ipc.h"
#include "lib/guard/where.h"
#include "lib/real.h"
#include "lib/state.h"

/* connect's address as a pointer, however <sys/socket.h> spells it. */
#ifdef __USE_GNU
#define TG_SOCKADDR(a) ((a).__sockaddr__)
#else
#define TG_SOCKADDR(a) (a)
#endif

#define TG_SUN_OFFSET offsetof(struct sockaddr_un, sun_path)

/* A Unix socket path (not abstract) that may resolve through a shared
 * directory; only its first two bytes are looked at. */
static inline int tg_connect_maybe(const struct sockaddr *sa, socklen_t len)
{
	if (sa == NULL || len <= TG_SUN_OFFSET || sa->sa_family != AF_UNIX)
		return 0;
	const char *sun = ((const struct sockaddr_un *)sa)->sun_path;
	if (sun[0] == '\0')
		return 0;
	char head[3] = { sun[0], len > TG_SUN_OFFSET + 1 ? sun[1] : '\0', '\0' };
	return tg_where_maybe(AT_FDCWD, head);
}

/* The socket accepted by the rule, connected to through its pin: the
 * kernel resolves /proc/self/fd/N to exactly that inode. Where /proc is
 * missing, by name again, just after the judgement. */
__attribute__((noinline, cold)) static int
tg_connect_guarded(int fd, __CONST_SOCKADDR_ARG addr, socklen_t len,
		   const void *caller)
{
	const struct sockaddr_un *un = (const void *)TG_SOCKADDR(addr);
	if (len > sizeof(struct sockaddr_un))
		return TG_REAL(connect)(fd, addr, len); /* the kernel's EINVAL */
	/* sun_path need not end in a NUL: it ends at len */
	char path[sizeof un->sun_path + 1];
	size_t n = len - TG_SUN_OFFSET;
	memcpy(path, un->sun_path, n);
	path[n] = '\0';
	struct tg_ipc c = {
		.func = "connect", .path = path, .use = TG_USE_CONNECT,
		.follow = 1, .keep_pin = 1, .caller = caller,
	};
	switch (tg_ipc_begin(&c)) {
	case TG_IPC_FORWARD:
		return TG_REAL(connect)(fd, addr, len);
	case TG_IPC_FAILED:
		errno = c.err;
		return -1;
	case TG_IPC_PINNED:
		break;
	}
	struct sockaddr_un pinned = { .sun_family = AF_UNIX };
	tg_proc_fd_path(pinned.sun_path, c.pin);
	socklen_t plen = (socklen_t)(TG_SUN_OFFSET + strlen(pinned.sun_path) + 1);
	int rc = TG_REAL(connect)(fd, (const struct sockaddr *)&pinned, plen);
	if (rc < 0 && errno == ENOENT) {
		struct stat st;
		if (tg_sys_fstatat(AT_FDCWD, pinned.sun_path, &st, 0) < 0)
			rc = TG_REAL(connect)(fd, addr, len); /* no /proc */
		else
			errno = ENOENT;
	}
	tg_ipc_done(&c);
	return rc;
}

TG_EXPORT int connect(int fd, __CONST_SOCKADDR_ARG addr, socklen_t len)
{
	if (tg_likely(!tg_connect_maybe(TG_SOCKADDR(addr), len)))
		return TG_REAL(connect)(fd, addr, len);
	return tg_connect_guarded(fd, addr, len, TG_CALLER());
}

/* The file glibc uses for a POSIX IPC name: "/dev/shm/" + prefix + name
 * without its leading slashes; 0 when glibc would refuse the name (it then
 * says why itself). */
static int tg_shm_path(char *buf, size_t size, const char *prefix,
		       const char *name)
{
	while (*name == '/')
		name++;
	size_t plen = strlen(prefix);
	size_t len = strlen(name);
	if (len == 0 || strchr(name, '/') != NULL || 9 + plen + len >= size)
		return 0;
	memcpy(buf, "/dev/shm/", 9);
	memcpy(buf + 9, prefix, plen);
	memcpy(buf + 9 + plen, name, len + 1);
	return 1;
}

/* sem_open opens /dev/shm/sem.NAME inside glibc, where no hook sees it
 * (O_NOFOLLOW, and O_RDWR: the semaphore is changed). The name is judged
 * just before; glibc then opens it by name. */
__attribute__((noinline, cold)) static sem_t *
tg_sem_open_guarded(const char *name, int oflag, mode_t mode, unsigned value,
		    const void *caller)
{
	char path[PATH_MAX];
	if (!tg_shm_path(path, sizeof path, "sem.", name))
		return TG_REAL(sem_open)(name, oflag, mode, value);
	struct tg_ipc c = {
		.func = "sem_open", .path = path, .use = TG_USE_WRITE,
		.predictable = (oflag & O_CREAT) != 0, .transient_links = 1,
		.caller = caller,
	};
	if (tg_ipc_begin(&c) == TG_IPC_FAILED) {
		errno = c.err;
		return SEM_FAILED;
	}
	const struct tg_config *cfg = tg_config();
	if ((oflag & O_CREAT) && cfg->mode == TG_MODE_HARDEN)
		mode = tg_create_mode(cfg->file_mode, mode, 0);
	return TG_REAL(sem_open)(name, oflag, mode, value);
}

TG_EXPORT sem_t *sem_open(const char *name, int oflag, ...)
{
	mode_t mode = 0;
	unsigned value = 0;
	if (oflag & O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		mode = (mode_t)va_arg(ap, int);
		value = va_arg(ap, unsigned);
		va_end(ap);
	}
	if (tg_likely((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)))
		return TG_REAL(sem_open)(name, oflag, mode, value);
	return tg_sem_open_guarded(name, oflag, mode, value, TG_CALLER());
}

/* shm_open opens /dev/shm/NAME inside glibc (O_NOFOLLOW, O_CLOEXEC), where
 * no hook sees it: the open family's guard does it instead, under the same
 * rule. Only an exclusive creation is left to glibc (the kernel refuses
 * anything under the name). */
TG_EXPORT int shm_open(const char *name, int oflag, mode_t mode)
{
	if (tg_likely((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)))
		return TG_REAL(shm_open)(name, oflag, mode);
	char path[PATH_MAX];
	if (!tg_shm_path(path, sizeof path, "", name))
		return TG_REAL(shm_open)(name, oflag, mode);
	int flags = oflag | O_NOFOLLOW | O_CLOEXEC;
	struct tg_create c = TG_CREATE_INIT("shm_open", AT_FDCWD, path, flags,
					    mode, TG_CALLER());
	switch (tg_create_begin(&c)) {
	case TG_OPENED:
		return c.fd;
	case TG_REFUSED:
		errno = c.err;
		return -1;
	case TG_FORWARD:
		break;
	}
	int fd = TG_REAL(shm_open)(name, oflag, mode);
	tg_create_end(&c, fd);
	return fd;
}
