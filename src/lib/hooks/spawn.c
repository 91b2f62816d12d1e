/* tmpguard — hooks: posix_spawn's file actions. A spawn's open runs in the
 * child, where no hook sees it: registration is the only point that knows
 * the path and flags (lib/guard/actions.h); the actions' end releases what
 * harden pinned for them. */
#include <config.h>

#include <fcntl.h>
#include <spawn.h>

#include "lib/export.h"
#include "lib/guard/actions.h"
#include "lib/guard/where.h"
#include "lib/real.h"

__attribute__((noinline, cold)) static int
tg_addopen_guarded(posix_spawn_file_actions_t *fa, int fd, const char *path,
		   int oflag, mode_t mode, const void *caller)
{
	struct tg_spawn_open o = { .fa = fa, .path = path, .flags = oflag,
				   .mode = mode, .caller = caller };
	int err = tg_actions_begin(&o);
	if (err != 0)
		return err; /* returned, as POSIX says */
	int rc = TG_REAL(posix_spawn_file_actions_addopen)(
		fa, fd, o.reg_path, o.reg_flags, o.reg_mode);
	tg_actions_end(&o, rc);
	return rc;
}

TG_EXPORT int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa,
					       int fd, const char *path,
					       int oflag, mode_t mode)
{
	if (tg_likely(fd < 0 ||
		      (!tg_flags_predictable(oflag) &&
		       !tg_where_maybe(AT_FDCWD, path))))
		return TG_REAL(posix_spawn_file_actions_addopen)(fa, fd, path,
								 oflag, mode);
	return tg_addopen_guarded(fa, fd, path, oflag, mode, TG_CALLER());
}

/* Actions set up again over old ones (never destroyed): the old pins go. */
TG_EXPORT int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	if (tg_unlikely(__atomic_load_n(&tg_actions_held, __ATOMIC_RELAXED)))
		tg_actions_release(fa);
	return TG_REAL(posix_spawn_file_actions_init)(fa);
}

TG_EXPORT int
posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	if (tg_unlikely(__atomic_load_n(&tg_actions_held, __ATOMIC_RELAXED)))
		tg_actions_release(fa);
	return TG_REAL(posix_spawn_file_actions_destroy)(fa);
}
