/* tmpguard — the guard of mkdir, mkfifo and mknod. These calls are
 * exclusive by nature; what matters is a reserved name (its mode tightened,
 * a squat reported) and an EEXIST on another user's object in a shared
 * directory (reported: programs that ignore EEXIST then use the plant). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "core/reserve.h"
#include "core/sys.h"
#include "lib/guard/create.h"
#include "lib/guard/where.h"
#include "lib/state.h"

void tg_node_begin(struct tg_node *n)
{
	n->reserved = tg_guard_reserved(n->dirfd, n->path);
	if (!n->reserved)
		return;
	int saved = errno;
	enum tg_node_plan plan = tg_plan_node(tg_config()->mode, 1);
	if (plan != TG_NODE_PASS)
		tg_reserve_take(n->path);
	/* private: 0700 for a directory, 0600 for anything else */
	if (plan == TG_NODE_TAKE_PRIVATE &&
	    tg_config()->file_mode == TG_FILE_MODE_PRIVATE)
		*n->mode = (*n->mode & ~(mode_t)07777) |
			   (n->is_dir ? 0700 : 0600);
	errno = saved;
}

void tg_node_end(struct tg_node *n, int rc)
{
	if (n->path == NULL || (rc == 0 && !n->reserved) ||
	    (rc < 0 && errno != EEXIST))
		return;
	int saved = errno;
	struct tg_node_facts f = {
		.mode = tg_config()->mode,
		.reserved = n->reserved,
		.err = rc == 0 ? 0 : saved,
		.squatted = -1,
	};
	int look;
	struct tg_report r = tg_judge_node(&f, &look);
	if (look) {
		struct stat st;
		f.parent = tg_guard_parent(n->dirfd, n->path);
		if (f.parent == TG_PARENT_SHARED &&
		    tg_sys_fstatat(n->dirfd, n->path, &st,
				   AT_SYMLINK_NOFOLLOW) == 0) {
			struct tg_trust t = tg_where_trust();
			f.squatted = !tg_trusted(&t, st.st_uid);
		}
		r = tg_judge_node(&f, &look);
	}
	tg_guard_report(r, n->func, n->path, n->caller);
	errno = saved;
}
