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

#include "core/sys.h"
#include "lib/export.h"
#include "lib/guard/create.h"
#include "lib/real.h"
#include "lib/state.h"

/* What the policy asks to know: is the parent shared, and what is already
 * under the name there. */
static void tg_spawn_look(struct tg_spawn_facts *f, const char *path)
{
	struct stat st;
	f->looked = 1;
	f->parent = tg_guard_parent(AT_FDCWD, path);
	if (f->parent == TG_PARENT_SHARED &&
	    tg_sys_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
		f->plant = tg_object_plant(&st, tg_sys_geteuid());
}

TG_EXPORT int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa,
					       int fd, const char *path,
					       int oflag, mode_t mode)
{
	if (tg_likely(!tg_flags_predictable(oflag)))
		return TG_REAL(posix_spawn_file_actions_addopen)(fa, fd, path,
								 oflag, mode);
	static const char func[] = "posix_spawn_file_actions_addopen";
	int saved = errno;
	const void *caller = TG_CALLER();
	struct tg_spawn_facts f = { .mode = tg_config()->mode, .flags = oflag };
	enum tg_spawn_plan plan = tg_plan_spawn(&f);
	if (plan == TG_SPAWN_LOOK) {
		tg_spawn_look(&f, path);
		if (f.parent == TG_PARENT_SHARED) {
			tg_guard_report(tg_report_predictable(f.mode), func, path,
					caller);
			if (f.plant != TG_OBJ_OK)
				tg_guard_report(tg_report_plant(f.mode, f.plant,
								EACCES),
						func, path, caller);
		}
		plan = tg_plan_spawn(&f);
	}
	errno = saved;
	switch (plan) {
	case TG_SPAWN_REFUSE:
		return EACCES; /* returned, as POSIX says */
	case TG_SPAWN_HARDEN:
		oflag |= O_NOFOLLOW;
		mode = tg_harden_file_mode(mode);
		break;
	default:
		break;
	}
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
