/* tmpguard — hooks: directories and special files. These calls are
 * exclusive by nature; what matters is a reserved name (mode tightened, a
 * squat reported) and an EEXIST on another user's object in a shared
 * directory (reported: programs that ignore EEXIST then use the plant). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "lib/export.h"
#include "lib/guard/create.h"
#include "lib/real.h"

#define TG_NODE(fn, dfd, p, modevar, dir, call) \
	do { \
		struct tg_node n = { .func = (fn), .dirfd = (dfd), .path = (p), \
				     .mode = &(modevar), .is_dir = (dir), \
				     .caller = TG_CALLER() }; \
		tg_node_begin(&n); \
		int rc_ = (call); \
		tg_node_end(&n, rc_); \
		return rc_; \
	} while (0)

TG_EXPORT int mkdir(const char *path, mode_t mode)
{
	TG_NODE("mkdir", AT_FDCWD, path, mode, 1, TG_REAL(mkdir)(path, mode));
}

TG_EXPORT int mkdirat(int dirfd, const char *path, mode_t mode)
{
	TG_NODE("mkdirat", dirfd, path, mode, 1,
		TG_REAL(mkdirat)(dirfd, path, mode));
}

TG_EXPORT int mkfifo(const char *path, mode_t mode)
{
	TG_NODE("mkfifo", AT_FDCWD, path, mode, 0, TG_REAL(mkfifo)(path, mode));
}

TG_EXPORT int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	TG_NODE("mkfifoat", dirfd, path, mode, 0,
		TG_REAL(mkfifoat)(dirfd, path, mode));
}

TG_EXPORT int mknod(const char *path, mode_t mode, dev_t dev)
{
	TG_NODE("mknod", AT_FDCWD, path, mode, 0,
		TG_REAL(mknod)(path, mode, dev));
}

TG_EXPORT int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	TG_NODE("mknodat", dirfd, path, mode, 0,
		TG_REAL(mknodat)(dirfd, path, mode, dev));
}

/* The old stat-versioned entry points (_MKNOD_VER 0): served by the current
 * mknodat, since glibc >= 2.33 offers them only as compat symbols. */
TG_EXPORT int __xmknod(int ver, const char *path, mode_t mode, dev_t *dev)
{
	if (ver != 0 || dev == NULL) {
		errno = EINVAL;
		return -1;
	}
	TG_NODE("__xmknod", AT_FDCWD, path, mode, 0,
		TG_REAL(mknodat)(AT_FDCWD, path, mode, *dev));
}

TG_EXPORT int __xmknodat(int ver, int dirfd, const char *path, mode_t mode,
			 dev_t *dev)
{
	if (ver != 0 || dev == NULL) {
		errno = EINVAL;
		return -1;
	}
	TG_NODE("__xmknodat", dirfd, path, mode, 0,
		TG_REAL(mknodat)(dirfd, path, mode, *dev));
}
