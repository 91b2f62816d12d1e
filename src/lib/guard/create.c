/* tmpguard — the decision every creating hook makes: classify the parent
 * directory, consult the reservation table, then act (harden) or watch
 * (audit). Hooks call this only for candidates; the common case never gets
 * here. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/guard/create.h"
#include "lib/log/emit.h"
#include "core/sys.h"
#include "core/reserve.h"
#include "lib/guard/safeopen.h"
#include "core/seen.h"
#include "lib/state.h"

/* Directory classifications made for logging, per (call site, path); the
 * payload bit says "shared". Only ever decides whether to log: protection
 * never trusts a remembered classification (a directory can be removed and
 * recreated by someone else under the same name). */
static struct tg_seen tg_sites;

/* Reserved names are matched as the program wrote them, so only names that
 * mean the same thing wherever they are resolved from. */
static int tg_is_reserved(int dirfd, const char *path)
{
	if (!tg_reserve_any() || path == NULL)
		return 0;
	if (dirfd != AT_FDCWD && path[0] != '/')
		return 0;
	return tg_reserve_contains(path);
}

/* Is the parent of path (relative to dirfd) shared? One fstatat. */
static int tg_parent_shared(int dirfd, const char *path, char *parent,
			    size_t parent_len, const char **base)
{
	if (tg_path_split(path, parent, parent_len, base) < 0)
		return -1;
	struct stat st;
	if (tg_sys_fstatat(dirfd, parent, &st, 0) < 0)
		return -1;
	return tg_state_dir_shared(&st);
}

/* Open the parent for safe-open and make sure it is still a shared
 * directory (it may have been swapped since it was classified). */
static int tg_open_shared_parent(int dirfd, const char *parent)
{
	int pfd = tg_sys_openat(dirfd, parent,
				O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (pfd < 0)
		return -1;
	struct stat st;
	if (tg_sys_fstat(pfd, &st) < 0 || !tg_state_dir_shared(&st)) {
		tg_sys_close(pfd);
		return -1;
	}
	return pfd;
}

/* open(2) returns the lowest free descriptor (programs rely on it:
 * close(1); open(...)). The parent's descriptor held that slot while the
 * file was opened; move the file down into it. */
static int tg_lowest_fd(int fd, int freed, int flags)
{
	if (freed > fd)
		return fd;
	int low = tg_sys_fcntl(fd, (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
	if (low < 0 || low > fd) {
		if (low >= 0)
			tg_sys_close(low);
		return fd;
	}
	tg_sys_close(fd);
	return low;
}

static void tg_audit_object(const struct tg_create *c,
			    const struct stat *st)
{
	enum tg_object_verdict v = tg_object_check(st, tg_sys_geteuid());
	if (tg_object_is_plant(v, st, tg_sys_geteuid()))
		tg_emit(TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED, c->func, c->path,
			0, c->caller, tg_object_verdict_name(v));
}

static enum tg_outcome tg_opened(struct tg_create *c, int fd, int saved)
{
	c->fd = fd;
	errno = saved;
	return TG_OPENED;
}

static enum tg_outcome tg_refused(struct tg_create *c,
				  enum tg_object_verdict why,
				  enum tg_event_kind kind, int saved)
{
	c->err = errno;
	if (why != TG_OBJ_OK || kind == TG_EV_RACE_BLOCKED)
		tg_emit(kind, TG_ACT_BLOCKED, c->func, c->path, c->err,
			c->caller,
			why != TG_OBJ_OK ? tg_object_verdict_name(why) : NULL);
	errno = saved;
	return TG_REFUSED;
}

static enum tg_outcome tg_do_safe_open(struct tg_create *c,
				       const char *parent, const char *base,
				       int saved)
{
	tg_emit(TG_EV_PREDICTABLE_CREATE, TG_ACT_HARDENED, c->func, c->path, 0,
		c->caller, NULL);
	int pfd = tg_open_shared_parent(c->dirfd, parent);
	if (pfd < 0) {
		c->plan = TG_PLAN_PASS; /* the directory changed under us */
		errno = saved;
		return TG_FORWARD;
	}
	enum tg_object_verdict why;
	int fd = tg_safe_open_at(pfd, base, c->flags, c->mode, &why);
	int err = errno;
	tg_sys_close(pfd);
	errno = err;
	if (fd >= 0)
		return tg_opened(c, tg_lowest_fd(fd, pfd, c->flags), saved);
	return tg_refused(c, why, TG_EV_HIJACK_BLOCKED, saved);
}

static enum tg_outcome tg_do_exclusive(struct tg_create *c, int saved)
{
	tg_reserve_take(c->path);
	int fd = tg_sys_openat(c->dirfd, c->path,
			       c->flags | O_CREAT | O_EXCL | O_NOFOLLOW,
			       tg_harden_file_mode(c->mode));
	if (fd >= 0) {
		if (!(c->flags & O_EXCL)) /* the program's own call was unsafe */
			tg_emit(TG_EV_REWRITTEN, TG_ACT_HARDENED, c->func,
				c->path, 0, c->caller, NULL);
		return tg_opened(c, fd, saved);
	}
	if (errno == EEXIST)
		return tg_refused(c, TG_OBJ_OK, TG_EV_RACE_BLOCKED, saved);
	c->err = errno;
	errno = saved;
	return TG_REFUSED;
}

static enum tg_outcome tg_do_verify(struct tg_create *c, int saved)
{
	enum tg_object_verdict why;
	int fd = tg_verify_open_at(c->dirfd, c->path, c->flags, c->mode, &why);
	if (fd >= 0)
		return tg_opened(c, fd, saved);
	return tg_refused(c, why, TG_EV_HIJACK_BLOCKED, saved);
}

static void tg_audit_before(struct tg_create *c, int shared)
{
	if (shared && tg_flags_predictable(c->flags))
		tg_emit(TG_EV_PREDICTABLE_CREATE, TG_ACT_LOGGED, c->func,
			c->path, 0, c->caller, NULL);
	if (c->reserved && (c->flags & O_CREAT))
		tg_reserve_take(c->path);
	/* Look before the call: a planted FIFO may hang it. */
	struct stat st;
	if (tg_sys_fstatat(c->dirfd, c->path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		c->pre_exists = 1;
		tg_audit_object(c, &st);
	}
}

/* Should a predictable creation at this (call site, path) be logged? Only
 * the first time, and only in a shared directory: the directory is stat'ed
 * once per (call site, path). */
static int tg_site_first_shared(const struct tg_create *c)
{
	uint64_t key = tg_seen_key(0, c->caller, c->path);
	if (tg_seen_find(&tg_sites, key))
		return 0;
	char parent[PATH_MAX];
	const char *base;
	int shared = tg_parent_shared(c->dirfd, c->path, parent, sizeof parent,
				      &base);
	if (shared < 0)
		return 0;
	tg_seen_add(&tg_sites, key | (uint64_t)shared);
	return shared;
}

/* Objects safe to use wherever they are: the caller's own regular file with
 * one link, or a character device (/dev/null: no unprivileged user can make
 * one, and a symlink to one was refused by O_NOFOLLOW). */
static int tg_safe_anywhere(const struct stat *st)
{
	return tg_object_check(st, tg_sys_geteuid()) == TG_OBJ_OK ||
	       S_ISCHR(st->st_mode);
}

/* harden, a predictable creation of a name nobody reserved. Open first and
 * verify what was opened: an object safe anywhere is used as is, and the
 * directory is then only stat'ed once per call site and path, to log. A new
 * name, a plant or someone else's object is decided by a fresh look at the
 * directory: safe-open where it is shared, the program's own call where it
 * is not. */
static enum tg_outcome tg_harden_predictable(struct tg_create *c, int saved)
{
	int fd = tg_sys_openat(c->dirfd, c->path,
			       (c->flags & ~(O_CREAT | O_EXCL | O_TRUNC)) |
				       O_NOFOLLOW | O_NONBLOCK,
			       0);
	if (fd >= 0) {
		struct stat st;
		if (tg_sys_fstat(fd, &st) == 0 && tg_safe_anywhere(&st)) {
			if (tg_site_first_shared(c))
				tg_emit(TG_EV_PREDICTABLE_CREATE,
					TG_ACT_HARDENED, c->func, c->path, 0,
					c->caller, NULL);
			fd = tg_finish_existing(fd, c->flags, &st, c->dirfd,
						c->path);
			if (fd < 0) {
				c->err = errno;
				errno = saved;
				return TG_REFUSED;
			}
			return tg_opened(c, fd, saved);
		}
		tg_sys_close(fd);
	}
	char parent[PATH_MAX];
	const char *base = NULL;
	if (tg_parent_shared(c->dirfd, c->path, parent, sizeof parent,
			     &base) == 1)
		return tg_do_safe_open(c, parent, base, saved);
	c->plan = TG_PLAN_PASS; /* a private directory: the program's call */
	errno = saved;
	return TG_FORWARD;
}

enum tg_outcome tg_create_begin(struct tg_create *c)
{
	int saved = errno;
	c->plan = TG_PLAN_PASS;
	if (c->path == NULL)
		return TG_FORWARD;
	const struct tg_config *cfg = tg_config();
	c->reserved = tg_is_reserved(c->dirfd, c->path);
	int predictable = tg_flags_predictable(c->flags);
	if (!predictable && !c->reserved) {
		errno = saved;
		return TG_FORWARD;
	}
	if (cfg->mode == TG_MODE_HARDEN && predictable && !c->reserved) {
		c->plan = TG_PLAN_SAFE_OPEN;
		return tg_harden_predictable(c, saved);
	}
	char parent[PATH_MAX];
	const char *base = NULL;
	int shared = 0;
	/* harden treats a reserved name the same in any directory */
	if (predictable && !(cfg->mode == TG_MODE_HARDEN && c->reserved)) {
		shared = tg_parent_shared(c->dirfd, c->path, parent,
					  sizeof parent, &base);
		if (shared < 0) /* let the kernel report what is wrong */
			shared = 0;
	}
	c->plan = tg_plan_open(cfg->mode, c->flags, shared, c->reserved);
	enum tg_outcome out = TG_FORWARD;
	switch (c->plan) {
	case TG_PLAN_SAFE_OPEN: /* taken by tg_harden_predictable */
		break;
	case TG_PLAN_EXCLUSIVE:
		out = tg_do_exclusive(c, saved);
		break;
	case TG_PLAN_VERIFY:
		out = tg_do_verify(c, saved);
		break;
	case TG_PLAN_AUDIT:
		tg_audit_before(c, shared);
		break;
	case TG_PLAN_PASS:
		break;
	}
	if (out == TG_FORWARD)
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

/* --- mkdir, mkfifo, mknod --- */

void tg_node_begin(struct tg_node *n)
{
	n->reserved = tg_is_reserved(n->dirfd, n->path);
	if (!n->reserved)
		return;
	int saved = errno;
	tg_reserve_take(n->path);
	if (tg_config()->mode == TG_MODE_HARDEN)
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
	enum tg_mode mode = tg_config()->mode;
	if (rc == 0) {
		if (mode == TG_MODE_HARDEN)
			tg_emit(TG_EV_REWRITTEN, TG_ACT_HARDENED, n->func,
				n->path, 0, n->caller, NULL);
	} else if (n->reserved) {
		if (mode == TG_MODE_HARDEN)
			tg_emit(TG_EV_RACE_BLOCKED, TG_ACT_BLOCKED, n->func,
				n->path, EEXIST, n->caller, NULL);
		else
			tg_emit(TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED, n->func,
				n->path, 0, n->caller, "squatted");
	} else {
		/* EEXIST in a shared directory on another user's object: a
		 * program that ignores EEXIST would now use the plant. */
		char parent[PATH_MAX];
		const char *base;
		struct stat st;
		if (tg_parent_shared(n->dirfd, n->path, parent, sizeof parent,
				     &base) == 1 &&
		    tg_sys_fstatat(n->dirfd, n->path, &st,
				   AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_uid != tg_sys_geteuid() && st.st_uid != 0) {
			/* audit only watched the kernel refuse: nothing of
			 * ours blocked it, so it is a detection */
			if (mode == TG_MODE_HARDEN)
				tg_emit(TG_EV_HIJACK_BLOCKED, TG_ACT_BLOCKED,
					n->func, n->path, EEXIST, n->caller,
					"foreign-owner");
			else
				tg_emit(TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED,
					n->func, n->path, 0, n->caller,
					"foreign-owner");
		}
	}
	errno = saved;
}
