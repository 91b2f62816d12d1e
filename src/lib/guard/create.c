/* tmpguard — the guard of the open family: the policy's plan for the call,
 * carried out. Hooks call this only for candidates (a creating call, a
 * path that may resolve through a shared directory, or any call once a
 * name was reserved); the common case never gets here. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/reserve.h"
#include "core/safeopen.h"
#include "core/sys.h"
#include "lib/guard/create.h"
#include "lib/guard/where.h"
#include "lib/log/emit.h"
#include "lib/state.h"

int tg_guard_reserved(int dirfd, const char *path)
{
	if (!tg_reserve_any() || path == NULL)
		return 0;
	if (dirfd != AT_FDCWD && path[0] != '/')
		return 0;
	return tg_reserve_contains(path);
}

void tg_guard_report(struct tg_report r, const char *func, const char *path,
		     const void *caller)
{
	if (r.kind != TG_EV_NONE)
		tg_emit((enum tg_event_kind)r.kind, r.action, func, path, r.err,
			caller, r.detail);
}

enum tg_parent tg_guard_parent(int dirfd, const char *path)
{
	struct stat st;
	if (tg_parent_look(dirfd, path, &st) < 0)
		return TG_PARENT_UNKNOWN;
	return tg_state_dir_shared(&st) ? TG_PARENT_SHARED : TG_PARENT_PRIVATE;
}

static void tg_create_report(const struct tg_create *c, struct tg_report r)
{
	tg_guard_report(r, c->func, c->path, c->caller);
}

static enum tg_outcome tg_opened(struct tg_create *c, int fd)
{
	c->fd = fd;
	return TG_OPENED;
}

/* Refused with errno; a plant (why) is logged as such. */
static enum tg_outcome tg_refused(struct tg_create *c,
				  enum tg_object_verdict why)
{
	c->err = errno;
	if (why != TG_OBJ_OK)
		tg_create_report(c, tg_report_plant(TG_MODE_HARDEN, why, c->err));
	return TG_REFUSED;
}

static enum tg_outcome tg_do_judge(struct tg_create *c, struct tg_walk *w)
{
	int created;
	mode_t shared_mode = tg_create_mode(tg_config()->file_mode, c->mode, 0);
	int fd = tg_ruled_open(w, c->flags, c->mode, shared_mode, &created);
	int err = errno;
	if (tg_walk_predictable_there(c->flags, w))
		tg_create_report(c, tg_report_predictable(TG_MODE_HARDEN));
	int low = w->pfd >= 0 && (w->fd < 0 || w->pfd < w->fd) ? w->pfd : w->fd;
	enum tg_object_verdict why = w->refused;
	if (fd < 0 && err == EISDIR && tg_walk_dir_squatted(c->flags, w))
		tg_create_report(c, tg_report_plant(TG_MODE_AUDIT,
						    TG_OBJ_DIRECTORY, 0));
	/* a directory in a shared directory that is shared itself (listed,
	 * world-writable or planted): paths relative to it are walked too */
	int shared_dir = fd >= 0 && w->fd >= 0 && S_ISDIR(w->st.st_mode) &&
			 (tg_state_dir_shared(&w->st) ||
			  (w->parent_shared && tg_dir_planted(&w->st, w->trust)));
	struct stat dir_st = w->st;
	tg_walk_done(w);
	errno = err;
	if (fd < 0)
		return tg_refused(c, why);
	fd = tg_lowest_fd(fd, low, c->flags);
	if (shared_dir)
		tg_where_remember_dirfd(fd, &dir_st);
	return tg_opened(c, fd);
}

/* audit: the same walk and judgement, logged; the call stays the
 * program's. Whether something was there tells tg_create_end whether to
 * look at what the call opened. */
static void tg_do_watch(struct tg_create *c, struct tg_walk *w)
{
	struct tg_report r[2];
	int n;
	int rc = tg_walk_watch(w, c->flags, r, &n);
	for (int i = 0; i < n; i++)
		tg_create_report(c, r[i]);
	c->pre_exists = !(rc == 0 && w->fd < 0);
	/* the call will open a directory that is shared itself: remember the
	 * descriptor it gets, as harden does */
	c->names_dir = rc == 0 && w->fd >= 0 && S_ISDIR(w->st.st_mode) &&
		       (tg_state_dir_shared(&w->st) ||
			(w->parent_shared && tg_dir_planted(&w->st, w->trust)));
	tg_walk_done(w);
}

static enum tg_outcome tg_do_exclusive(struct tg_create *c)
{
	tg_reserve_take(c->path);
	int fd = tg_exclusive_open_at(c->dirfd, c->path, c->flags,
				      tg_create_mode(tg_config()->file_mode,
						     c->mode, 0));
	if (fd >= 0) {
		if (!(c->flags & O_EXCL)) /* the program's own call was unsafe */
			tg_emit(TG_EV_REWRITTEN, TG_ACT_HARDENED, c->func,
				c->path, 0, c->caller, NULL);
		return tg_opened(c, fd);
	}
	c->err = errno;
	if (c->err == EEXIST)
		tg_emit(TG_EV_RACE_BLOCKED, TG_ACT_BLOCKED, c->func, c->path,
			EEXIST, c->caller, NULL);
	return TG_REFUSED;
}

static enum tg_outcome tg_do_verify(struct tg_create *c)
{
	enum tg_object_verdict why;
	int fd = tg_verify_open_at(c->dirfd, c->path, c->flags, TG_EUID_SELF,
				   &why);
	if (fd < 0)
		return tg_refused(c, why);
	return tg_opened(c, fd);
}

/* audit: what the call opens or would open. A reserved name must be new,
 * or the caller's own (part 1's rule); anything else is judged by the rule
 * of shared directories. */
static void tg_audit_object(const struct tg_create *c, const struct stat *st,
			    int reserved)
{
	enum tg_object_verdict v;
	if (reserved) {
		v = tg_object_plant(st, tg_sys_geteuid());
	} else {
		struct tg_trust t = tg_where_trust();
		v = tg_judge_entry(st, tg_open_use(c->flags), &t);
	}
	if (v != TG_OBJ_OK)
		tg_create_report(c, tg_report_plant(TG_MODE_AUDIT, v, 0));
}

/* audit, a reserved name: look before the call (a planted FIFO may hang
 * it), and after it when nothing was there. */
static void tg_audit_before(struct tg_create *c)
{
	if (c->flags & O_CREAT)
		tg_reserve_take(c->path);
	struct stat st;
	if (tg_sys_fstatat(c->dirfd, c->path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		c->pre_exists = 1;
		tg_audit_object(c, &st, 1);
	}
}

/* The plan's step loop: a LOOK teaches the facts one thing, each other
 * plan is carried out and ends the call's decision. */
static enum tg_outcome tg_create_decide(struct tg_create *c)
{
	struct tg_walk w;
	struct tg_trust trust;
	int where = tg_where(c->dirfd, c->path, &w);
	struct tg_open_facts f = {
		.mode = tg_config()->mode,
		.flags = c->flags,
		.reserved = tg_guard_reserved(c->dirfd, c->path),
		.candidate = (where & TG_WHERE_SHARED) &&
			     tg_open_walked(c->flags, where & TG_WHERE_SHALLOW),
	};
	c->names_dir = (where & TG_WHERE_NAMES_DIR) != 0;
	for (;;) {
		c->plan = tg_plan_open(&f);
		switch (c->plan) {
		case TG_PLAN_LOOK_PARENT:
			f.parent = tg_guard_parent(c->dirfd, c->path);
			continue;
		case TG_PLAN_JUDGE:
		case TG_PLAN_WATCH:
			trust = tg_where_trust();
			w.trust = &trust;
			if (w.ids == NULL)
				w.ids = tg_state_dir_ids(&w.nids);
			if (c->plan == TG_PLAN_JUDGE)
				return tg_do_judge(c, &w);
			tg_do_watch(c, &w);
			return TG_FORWARD;
		case TG_PLAN_EXCLUSIVE:
			return tg_do_exclusive(c);
		case TG_PLAN_VERIFY:
			return tg_do_verify(c);
		case TG_PLAN_AUDIT:
			tg_audit_before(c);
			return TG_FORWARD;
		case TG_PLAN_PASS:
			return TG_FORWARD;
		}
		return TG_FORWARD;
	}
}

enum tg_outcome tg_create_begin(struct tg_create *c)
{
	c->plan = TG_PLAN_PASS;
	if (c->path == NULL)
		return TG_FORWARD;
	int saved = errno;
	enum tg_outcome out = tg_create_decide(c);
	errno = saved;
	return out;
}

mode_t tg_forward_mode(int flags, mode_t mode)
{
	unsigned mark = __atomic_load_n(&tg_sys_create_mark, __ATOMIC_RELAXED);
	if (mark == 0 || !(flags & O_CREAT))
		return mode;
	return (mode & TG_MARK_MODE_BITS) | mark;
}

void tg_create_end(struct tg_create *c, int fd)
{
	if (fd < 0)
		return;
	int saved = errno;
	struct stat st;
	if (c->names_dir && tg_sys_fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		tg_where_remember_dirfd(fd, &st);
	if ((c->plan != TG_PLAN_AUDIT && c->plan != TG_PLAN_WATCH) ||
	    c->pre_exists) {
		errno = saved;
		return;
	}
	/* Nothing was there a moment ago: did a plant win the race? */
	if (tg_sys_fstat(fd, &st) == 0)
		tg_audit_object(c, &st, c->plan == TG_PLAN_AUDIT);
	errno = saved;
}
