/* tmpguard — binding the next definitions of the interposed symbols. */
#include "config.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tg_real.h"

#define TG_REAL_DEFINE(name, ret, args) tg_real_##name##_fn tg_real_##name;
TG_REAL_SYMBOLS(TG_REAL_DEFINE)
#undef TG_REAL_DEFINE

/* dlsym takes the loader lock and may allocate. It runs once per symbol, on
 * that symbol's first call: in practice from ordinary code (a program's
 * first open is not made in a signal handler). A thread-local flag stops a
 * hook called from inside dlsym from recursing. */
static __thread int tg_binding __attribute__((tls_model("initial-exec")));

void *tg_real_bind(void **slot, const char *name)
{
	if (tg_binding)
		return NULL;
	tg_binding = 1;
	void *next = dlsym(RTLD_NEXT, name);
	tg_binding = 0;
	__atomic_store_n(slot, next, __ATOMIC_RELEASE);
	return next;
}

int tg_sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

int tg_sys_close(int fd)
{
	return (int)syscall(SYS_close, fd);
}

#if defined(SYS_newfstatat) && !defined(__ILP32__) && \
	(defined(__x86_64__) || defined(__aarch64__))
int tg_sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)syscall(SYS_newfstatat, dirfd, path, st, flags);
}
#else
int tg_sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return fstatat(dirfd, path, st, flags);
}
#endif

int tg_sys_fstat(int fd, struct stat *st)
{
	return tg_sys_fstatat(fd, "", st, AT_EMPTY_PATH);
}
