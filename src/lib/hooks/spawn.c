/* tmpguard — hooks: posix_spawn's file actions and shm_open.
 * A spawn's open runs in the child, where no hook sees it: registration is
 * the only point that knows the path and flags. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/guard/create.h"
#include "lib/log/emit.h"
#include "lib/export.h"
#include "core/sys.h"
#include "lib/real.h"
#include "lib/state.h"

/* Is the parent of path shared? */
static int tg_spawn_target_shared(const char *path)
{
	char parent[PATH_MAX];
	const char *base;
	struct stat st;
	if (tg_path_split(path, parent, sizeof parent, &base) < 0 ||
	    tg_sys_fstatat(AT_FDCWD, parent, &st, 0) < 0)
		return 0;
	return tg_state_dir_shared(&st);
}

TG_EXPORT int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa,
					       int fd, const char *path,
					       int oflag, mode_t mode)
{
	if (tg_likely(!tg_flags_predictable(oflag)))
		return TG_REAL(posix_spawn_file_actions_addopen)(fa, fd, path,
								 oflag, mode);
	int saved = errno;
	const void *caller = TG_CALLER();
	if (tg_spawn_target_shared(path)) {
		int harden = tg_config()->mode == TG_MODE_HARDEN;
		tg_emit(TG_EV_PREDICTABLE_CREATE,
			harden ? TG_ACT_HARDENED : TG_ACT_LOGGED,
			"posix_spawn_file_actions_addopen", path, 0, caller,
			NULL);
		struct stat st;
		if (tg_sys_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			enum tg_object_verdict v = tg_object_check(&st, tg_sys_geteuid());
			if (tg_object_is_plant(v, &st, tg_sys_geteuid())) {
				tg_emit(harden ? TG_EV_HIJACK_BLOCKED
					       : TG_EV_HIJACK_DETECTED,
					harden ? TG_ACT_BLOCKED : TG_ACT_LOGGED,
					"posix_spawn_file_actions_addopen",
					path, harden ? EACCES : 0, caller,
					tg_object_verdict_name(v));
				if (harden) {
					errno = saved;
					return EACCES; /* returned, as POSIX says */
				}
			}
		}
		if (harden) {
			oflag |= O_NOFOLLOW;
			mode = tg_harden_file_mode(mode);
		}
	}
	errno = saved;
	return TG_REAL(posix_spawn_file_actions_addopen)(fa, fd, path, oflag,
							 mode);
}

/* shm_open creates under /dev/shm, a shared directory: the same rules as
 * open, applied to the name glibc would use. */
TG_EXPORT int shm_open(const char *name, int oflag, mode_t mode)
{
	if (tg_likely(!tg_flags_predictable(oflag)) || name == NULL)
		return TG_REAL(shm_open)(name, oflag, mode);
	while (*name == '/')
		name++;
	char path[PATH_MAX] = "/dev/shm/";
	size_t len = strlen(name);
	if (len == 0 || len + 10 > sizeof path || strchr(name, '/') != NULL)
		return TG_REAL(shm_open)(name, oflag, mode);
	memcpy(path + 9, name, len + 1);
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
