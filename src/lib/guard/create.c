/* tmpguard — the guard of the open family: the policy's plan for the call,
 * carried out. Hooks call this only for candidates (a creating call, or
 * any call once a name was reserved); the common case never gets here. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/reserve.h"
#include "core/safeopen.h"
#include "core/seen.h"
#include "core/sys.h"
#include "lib/guard/create.h"
#include "lib/log/emit.h"
#include "lib/state.h"

/* Directory classifications made for logging, per (call site, path); the
 * payload bit says "shared". Only ever decides whether to log: protection
 * never trusts a remembered classification (a directory can be removed and
 * recreated by someone else under the same name). */
static struct tg_seen tg_sites;

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

/* Should the reuse of the caller's own file at this (call site, path) be
 * logged as a predictable creation? Only the first time, and only in a
 * shared directory: the directory is looked at once per (call site, path). */
static int tg_site_first_shared(const struct tg_create *c)
{
	uint64_t key = tg_seen_key(0, c->caller, c->path);
	if (tg_seen_find(&tg_sites, key))
		return 0;
	enum tg_parent p = tg_guard_parent(c->dirfd, c->path);
	if (p == TG_PARENT_UNKNOWN)
		return 0;
	int shared = p == TG_PARENT_SHARED;
	tg_seen_add(&tg_sites, key | (uint64_t)shared);
	return shared;
}

static void tg_audit_object(const struct tg_create *c, const struct stat *st)
{
	enum tg_object_verdict v = tg_object_plant(st, tg_sys_geteuid());
	if (v != TG_OBJ_OK)
		tg_guard_report(tg_report_plant(TG_MODE_AUDIT, v, 0), c->func,
				c->path, c->caller);
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
		tg_guard_report(tg_report_plant(TG_MODE_HARDEN, why, c->err),
				c->func, c->path, c->caller);
	return TG_REFUSED;
}

static enum tg_outcome tg_use_probed(struct tg_create *c, int fd,
				     const struct stat *st)
{
	if (tg_site_first_shared(c))
		tg_guard_report(tg_report_predictable(TG_MODE_HARDEN), c->func,
				c->path, c->caller);
	fd = tg_finish_existing(fd, c->flags, st, c->dirfd, c->path);
	if (fd < 0)
		return tg_refused(c, TG_OBJ_OK);
	return tg_opened(c, fd);
}

/* pfd: the pinned parent, closed here */
static enum tg_outcome tg_do_safe_open(struct tg_create *c, int pfd,
				       const char *base)
{
	tg_guard_report(tg_report_predictable(TG_MODE_HARDEN), c->func, c->path,
			c->caller);
	enum tg_object_verdict why;
	int fd = tg_safe_open_at(pfd, base, c->flags, c->mode, TG_EUID_SELF,
				 &why);
	int err = errno;
	tg_sys_close(pfd);
	errno = err;
	if (fd < 0)
		return tg_refused(c, why);
	return tg_opened(c, tg_lowest_fd(fd, pfd, c->flags));
}

static enum tg_outcome tg_do_exclusive(struct tg_create *c)
{
	tg_reserve_take(c->path);
	int fd = tg_exclusive_open_at(c->dirfd, c->path, c->flags, c->mode);
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
	int fd = tg_verify_open_at(c->dirfd, c->path, c->flags, c->mode,
				   TG_EUID_SELF, &why);
	if (fd < 0)
		return tg_refused(c, why);
	return tg_opened(c, fd);
}

static void tg_audit_before(struct tg_create *c, enum tg_parent parent,
			    int reserved)
{
	if (parent == TG_PARENT_SHARED && tg_flags_predictable(c->flags))
		tg_guard_report(tg_report_predictable(TG_MODE_AUDIT), c->func,
				c->path, c->caller);
	if (reserved && (c->flags & O_CREAT))
		tg_reserve_take(c->path);
	/* Look before the call: a planted FIFO may hang it. */
	struct stat st;
	if (tg_sys_fstatat(c->dirfd, c->path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		c->pre_exists = 1;
		tg_audit_object(c, &st);
	}
}

/* The plan's step loop: each PROBE/LOOK/PIN teaches the facts one thing,
 * each other plan is carried out and ends the call's decision. */
static enum tg_outcome tg_create_decide(struct tg_create *c)
{
	struct tg_open_facts f = {
		.mode = tg_config()->mode,
		.flags = c->flags,
		.reserved = tg_guard_reserved(c->dirfd, c->path),
	};
	int probed = -1, pfd = -1;
	struct stat probed_st, parent_st;
	const char *base = NULL;
	for (;;) {
		c->plan = tg_plan_open(&f);
		switch (c->plan) {
		case TG_PLAN_PROBE:
			probed = tg_probe_open(c->dirfd, c->path, c->flags);
			f.probed = TG_PROBED_OTHER;
			if (probed >= 0 && tg_sys_fstat(probed, &probed_st) == 0 &&
			    tg_object_safe_anywhere(&probed_st, tg_sys_geteuid()))
				f.probed = TG_PROBED_OURS;
			else if (probed >= 0)
				tg_sys_close(probed);
			continue;
		case TG_PLAN_LOOK_PARENT:
			f.parent = tg_guard_parent(c->dirfd, c->path);
			continue;
		case TG_PLAN_PIN_PARENT:
			pfd = tg_parent_pin(c->dirfd, c->path, &base, &parent_st);
			f.parent = pfd < 0 ? TG_PARENT_UNKNOWN
				   : tg_state_dir_shared(&parent_st)
					   ? TG_PARENT_SHARED
					   : TG_PARENT_PRIVATE;
			if (pfd >= 0 && f.parent != TG_PARENT_SHARED) {
				tg_sys_close(pfd);
				pfd = -1;
			}
			continue;
		case TG_PLAN_USE_PROBED:
			return tg_use_probed(c, probed, &probed_st);
		case TG_PLAN_SAFE_OPEN:
			return tg_do_safe_open(c, pfd, base);
		case TG_PLAN_EXCLUSIVE:
			return tg_do_exclusive(c);
		case TG_PLAN_VERIFY:
			return tg_do_verify(c);
		case TG_PLAN_AUDIT:
			tg_audit_before(c, f.parent, f.reserved);
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

void tg_create_end(struct tg_create *c, int fd)
{
	if (c->plan != TG_PLAN_AUDIT || fd < 0 || c->pre_exists)
		return;
	/* Nothing was there a moment ago: did a plant win the race? */
	int saved = errno;
	struct stat st;
	if (tg_sys_fstat(fd, &st) == 0)
		tg_audit_object(c, &st);
	errno = saved;
}
