/* tmpguard — one judgement for the path calls: walk, judge, report, and
 * hand the hook the pin or the refusal. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "core/safeopen.h"
#include "lib/guard/create.h"
#include "lib/guard/judge.h"
#include "lib/state.h"

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
	char unslashed[PATH_MAX];
	const char *walked =
		j->want_dir ? tg_path_unslashed(path, unslashed) : path;
	if (path[0] == '\0' ||
	    !(tg_where(dirfd, walked, &j->w) & TG_WHERE_SHARED))
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
	struct tg_path_call call = { j->follow, j->link_errno, walked != path };
	struct tg_report report;
	enum tg_judgement v =
		tg_path_judge(mode, &j->w, &call, rc, err, &report, &err);
	if (report.kind != TG_EV_NONE)
		tg_guard_report(report, j->func, path, j->caller);
	if (v == TG_JUDGED_FORWARD) {
		tg_walk_done(&j->w);
		errno = j->saved_errno;
		return TG_JUDGED_FORWARD;
	}
	if (v == TG_JUDGED_PINNED) {
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
