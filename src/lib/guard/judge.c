/* tmpguard — one judgement for the path calls: walk, judge, report, and
 * hand the hook the pin or the refusal. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "core/safeopen.h"
#include "lib/guard/create.h"
#include "lib/guard/judge.h"
#include "lib/state.h"

/* A final symbolic link the call does not follow, which it fails on
 * anyway (link_errno). */
static int tg_judged_link_fails(const struct tg_judged *j)
{
	return j->link_errno != 0 && !j->follow && j->w.fd >= 0 &&
	       S_ISLNK(j->w.st.st_mode);
}

static enum tg_judgement tg_judged_refuse(struct tg_judged *j, int err)
{
	j->err = err;
	tg_walk_done(&j->w);
	errno = j->saved_errno;
	return TG_JUDGED_REFUSED;
}

enum tg_judgement tg_judge(struct tg_judged *j, int dirfd, const char *path)
{
	j->saved_errno = errno;
	j->w.fd = j->w.pfd = -1;
	if (path[0] == '\0' || !(tg_where(dirfd, path, &j->w) & TG_WHERE_SHARED))
		return TG_JUDGED_FORWARD;
	enum tg_mode mode = tg_config()->mode;
	j->trust = tg_where_trust();
	j->w.trust = &j->trust;
	if (j->w.ids == NULL)
		j->w.ids = tg_state_dir_ids(&j->w.nids);
	j->w.use = j->use;
	j->w.follow = j->follow;
	int rc = tg_walk(&j->w);
	int err = rc == 0 && j->w.fd < 0 ? ENOENT : errno;
	enum tg_object_verdict why = rc < 0 ? j->w.refused : TG_OBJ_OK;
	if (why != TG_OBJ_OK) {
		/* the kernel refuses this one itself: not tmpguard's doing */
		int kernels = tg_judged_link_fails(j);
		tg_guard_report(tg_report_plant(kernels ? TG_MODE_AUDIT : mode,
						why, kernels ? 0 : EACCES),
				j->func, path, j->caller);
		err = kernels ? j->link_errno : EACCES;
	}
	if (mode != TG_MODE_HARDEN) {
		tg_walk_done(&j->w);
		errno = j->saved_errno;
		return TG_JUDGED_FORWARD;
	}
	if (rc == 0 && j->w.fd >= 0) {
		errno = j->saved_errno;
		return TG_JUDGED_PINNED;
	}
	return tg_judged_refuse(j, err);
}

long tg_judged_done(struct tg_judged *j, long rc)
{
	int err = rc < 0 ? errno : j->saved_errno;
	tg_walk_done(&j->w);
	errno = err;
	return rc;
}

int tg_judged_open(struct tg_judged *j, int flags)
{
	if (!S_ISREG(j->w.st.st_mode) && !S_ISDIR(j->w.st.st_mode)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return tg_reopen(j->w.fd, &j->w.st, j->w.pfd, j->w.base,
			 flags | O_CLOEXEC, 0);
}

int tg_judged_no_proc(const struct tg_judged *j)
{
	char proc[TG_PROC_FD_PATH_MAX];
	struct stat st;
	tg_judged_proc(j, proc);
	return tg_sys_fstatat(AT_FDCWD, proc, &st, 0) < 0 && errno == ENOENT;
}
