/* tmpguard — a path resolved one component at a time, each entry of a
 * shared or planted directory judged before it is used. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/sys.h"
#include "core/syscall.h"
#include "core/walk.h"

#define TG_WALK_LINKS 40 /* the kernel's MAXSYMLINKS */
#define TG_WALK_SMALL 256
#define TG_O_PIN (O_PATH | O_NOFOLLOW | O_CLOEXEC)

/* What is left to resolve, NUL-terminated, in `rest`. A path that fits is
 * kept on the stack; a longer one, or any path once a symbolic link is
 * spliced in, moves to a mapping of two PATH_MAX areas (the second takes
 * the link's target while the first still holds what follows it). */
struct tg_rest {
	char *rest;
	char *big; /* the mapping, or NULL */
	char small[TG_WALK_SMALL];
};

static int tg_rest_init(struct tg_rest *r, const char *s, size_t len)
{
	r->big = NULL;
	if (len < sizeof r->small) {
		memcpy(r->small, s, len + 1);
		r->rest = r->small;
		return 0;
	}
	r->big = tg_sys_map(2 * PATH_MAX);
	if (r->big == MAP_FAILED) {
		r->big = NULL;
		errno = ENOMEM;
		return -1;
	}
	memcpy(r->big, s, len + 1);
	r->rest = r->big;
	return 0;
}

static void tg_rest_free(struct tg_rest *r)
{
	if (r->big != NULL)
		tg_sys_unmap(r->big, 2 * PATH_MAX);
}

/* next (inside r) becomes the link's target, read from lfd, followed by
 * "/" and next when next is not empty. */
static int tg_rest_splice(struct tg_rest *r, int lfd, const char *next)
{
	if (r->big == NULL) {
		r->big = tg_sys_map(2 * PATH_MAX);
		if (r->big == MAP_FAILED) {
			r->big = NULL;
			errno = ENOMEM;
			return -1;
		}
		size_t n = strlen(next);
		memcpy(r->big, next, n + 1); /* next was on the stack */
		next = r->big;
	}
	char *target = r->big + PATH_MAX;
	long n = TG_SYSCALL(SYS_readlinkat, lfd, "", target, PATH_MAX);
	if (n < 0)
		return -1;
	size_t rest = strlen(next);
	if ((size_t)n + 1 + rest >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (rest > 0) {
		target[n++] = '/';
		memcpy(target + n, next, rest);
		n += (long)rest;
	}
	target[n] = '\0';
	memcpy(r->big, target, (size_t)n + 1);
	r->rest = r->big;
	return 0;
}

static int tg_pin_dir(int at, const char *name)
{
	return tg_sys_openat(at, name, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
}

/* The walk's start: the shared directory the first `skip` bytes name, "/",
 * or (a relative path) a descriptor of its own for dirfd. */
static int tg_walk_start(struct tg_walk *w, const char **p, int *shared)
{
	const char *path = w->path;
	*shared = w->start_shared;
	if (path[0] != '/') {
		*p = path;
		return tg_pin_dir(w->dirfd, ".");
	}
	if (w->skip > 0 && w->skip < PATH_MAX) {
		char prefix[PATH_MAX];
		memcpy(prefix, path, w->skip);
		prefix[w->skip] = '\0';
		*p = path + w->skip;
		*shared = 1;
		return tg_pin_dir(AT_FDCWD, prefix);
	}
	*p = path;
	return tg_pin_dir(AT_FDCWD, "/");
}

void tg_walk_done(struct tg_walk *w)
{
	if (w->fd >= 0)
		tg_sys_close(w->fd);
	if (w->pfd >= 0 && w->pfd != w->fd)
		tg_sys_close(w->pfd);
	w->fd = w->pfd = -1;
}

static int tg_walk_refuse(struct tg_walk *w, enum tg_object_verdict v)
{
	w->refused = v;
	errno = EACCES;
	return -1;
}

/* The final object is the directory cur itself ("/", "dir/.", "x/.."). */
static int tg_walk_at_dir(struct tg_walk *w, int cur, int shared)
{
	w->fd = cur;
	w->pfd = cur;
	w->parent_shared = shared;
	if (tg_sys_fstat(cur, &w->st) < 0)
		return -1;
	return 0;
}

/* w->check_stable: an entry is about to be looked up in cur, a shared or
 * planted directory (*st its fstat when *known). */
static void tg_walk_check_stable(struct tg_walk *w, int cur, struct stat *st,
				 int *known)
{
	if (!w->check_stable || !w->stable)
		return;
	if (!*known)
		*known = tg_sys_fstat(cur, st) == 0;
	if (!*known || !tg_dir_keeps_entries(st, w->trust))
		w->stable = 0;
}

int tg_walk(struct tg_walk *w)
{
	w->pfd = w->fd = -1;
	w->parent_shared = 0;
	w->base[0] = '\0';
	w->refused = TG_OBJ_OK;
	w->stable = w->check_stable;
	size_t len = strlen(w->path);
	if (len == 0) {
		errno = ENOENT;
		return -1;
	}
	if (len >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	const char *start;
	int shared;
	int cur = tg_walk_start(w, &start, &shared);
	if (cur < 0)
		return -1;
	struct tg_rest r;
	if (tg_rest_init(&r, start, strlen(start)) < 0) {
		tg_sys_close(cur);
		return -1;
	}
	int rc = -1, links = 0;
	struct stat cur_st; /* for check_stable */
	int cur_known = 0;
	for (;;) {
		char *c = r.rest;
		while (*c == '/')
			c++;
		if (*c == '\0') { /* nothing more: the directory itself */
			rc = tg_walk_at_dir(w, cur, shared);
			cur = -1;
			break;
		}
		size_t clen = strcspn(c, "/");
		char *next = c + clen;
		int dir_wanted = *next == '/'; /* more follows, or a trailing '/' */
		while (*next == '/')
			next++;
		int last = *next == '\0';
		if (clen > NAME_MAX) {
			errno = ENAMETOOLONG;
			break;
		}
		char name[NAME_MAX + 1];
		memcpy(name, c, clen);
		name[clen] = '\0';
		r.rest = next;
		if (w->parent_only && last && !dir_wanted) {
			if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
				errno = EISDIR; /* no file is made under such a name */
				break;
			}
			memcpy(w->base, name, clen + 1);
			w->pfd = cur;
			w->parent_shared = shared;
			cur = -1;
			rc = 0;
			break;
		}
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			int up = tg_pin_dir(cur, "..");
			struct stat st;
			if (up < 0 || tg_sys_fstat(up, &st) < 0) {
				if (up >= 0)
					tg_sys_close(up);
				break;
			}
			tg_sys_close(cur);
			cur = up;
			cur_st = st;
			cur_known = 1;
			/* whether the parent was planted is not known here:
			 * shared only as a directory of its own */
			shared = tg_dir_is_shared(&st, w->ids, w->nids);
			continue;
		}
		if (shared)
			tg_walk_check_stable(w, cur, &cur_st, &cur_known);
		int nfd = tg_sys_openat(cur, name, TG_O_PIN, 0);
		if (nfd < 0) {
			if (errno == ENOENT && last && !dir_wanted) {
				memcpy(w->base, name, clen + 1);
				w->pfd = cur;
				w->parent_shared = shared;
				cur = -1;
				rc = 0;
			}
			break;
		}
		struct stat st;
		if (tg_sys_fstat(nfd, &st) < 0) {
			tg_sys_close(nfd);
			break;
		}
		if (S_ISLNK(st.st_mode) && (!last || w->follow || dir_wanted)) {
			enum tg_object_verdict v =
				shared ? tg_judge_entry(&st, TG_USE_FOLLOW, w->trust)
				       : TG_OBJ_OK;
			int spliced = -1;
			if (v != TG_OBJ_OK && last) { /* where it was refused */
				memcpy(w->base, name, clen + 1);
				w->pfd = cur;
				w->parent_shared = shared;
				cur = -1;
			}
			if (v != TG_OBJ_OK)
				tg_walk_refuse(w, v);
			else if (++links > TG_WALK_LINKS)
				errno = ELOOP;
			else
				spliced = tg_rest_splice(&r, nfd,
							 dir_wanted && last ? "." : next);
			int err = errno;
			tg_sys_close(nfd);
			errno = err;
			if (spliced < 0)
				break;
			if (r.rest[0] == '/') { /* an absolute target: from "/" */
				int root = tg_pin_dir(AT_FDCWD, "/");
				if (root < 0)
					break;
				tg_sys_close(cur);
				cur = root;
				cur_known = 0;
				shared = 0;
			}
			continue;
		}
		if (last && !dir_wanted) {
			memcpy(w->base, name, clen + 1);
			w->fd = nfd;
			w->st = st;
			w->pfd = cur;
			w->parent_shared = shared;
			cur = -1;
			enum tg_object_verdict v =
				shared ? tg_judge_entry(&st, w->use, w->trust)
				       : TG_OBJ_OK;
			rc = v == TG_OBJ_OK ? 0 : tg_walk_refuse(w, v);
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			tg_sys_close(nfd);
			errno = ENOTDIR;
			break;
		}
		if (last) { /* "dir/": the directory itself, judged in cur */
			enum tg_object_verdict v =
				shared ? tg_judge_entry(&st, w->use, w->trust)
				       : TG_OBJ_OK;
			memcpy(w->base, name, clen + 1);
			w->fd = nfd;
			w->st = st;
			w->pfd = cur;
			w->parent_shared = shared;
			cur = -1;
			rc = v == TG_OBJ_OK ? 0 : tg_walk_refuse(w, v);
			break;
		}
		int now_shared = tg_dir_is_shared(&st, w->ids, w->nids) ||
				 (shared && tg_dir_planted(&st, w->trust));
		tg_sys_close(cur);
		cur = nfd;
		cur_st = st;
		cur_known = 1;
		shared = now_shared;
	}
	int err = errno;
	if (cur >= 0)
		tg_sys_close(cur);
	tg_rest_free(&r);
	errno = err;
	return rc;
}

int tg_walk_dir_shared(int dirfd, const struct tg_trust *t,
		       const struct tg_dir_id *ids, int nids)
{
	struct stat st, up;
	if (tg_sys_fstatat(dirfd, "", &st, AT_EMPTY_PATH) < 0)
		return 0;
	if (tg_dir_is_shared(&st, ids, nids))
		return 1;
	return tg_sys_fstatat(dirfd, "..", &up, 0) == 0 &&
	       tg_dir_is_shared(&up, ids, nids) && tg_dir_planted(&st, t);
}

int tg_walk_watch(struct tg_walk *w, int flags, struct tg_report r[2], int *n)
{
	w->use = tg_open_use(flags);
	w->follow = !(flags & O_NOFOLLOW);
	int rc = tg_walk(w);
	*n = 0;
	if (tg_walk_predictable_there(flags, w))
		r[(*n)++] = tg_report_predictable(TG_MODE_AUDIT);
	if (rc < 0 && w->refused != TG_OBJ_OK)
		r[(*n)++] = tg_report_plant(TG_MODE_AUDIT, w->refused, 0);
	else if (rc == 0 && tg_walk_dir_squatted(flags, w))
		r[(*n)++] = tg_report_plant(TG_MODE_AUDIT, TG_OBJ_DIRECTORY, 0);
	return rc;
}

/* ---- the path calls --------------------------------------------------------- */

const char *tg_path_unslashed(const char *path, char buf[PATH_MAX])
{
	size_t len = strlen(path);
	if (len < 2 || path[len - 1] != '/' || len >= PATH_MAX)
		return path;
	while (len > 1 && path[len - 1] == '/')
		len--;
	memcpy(buf, path, len);
	buf[len] = '\0';
	return buf;
}

/* What the call fails with anyway on the object the walk reached, as the
 * kernel (or glibc) would: 0 when nothing. */
static int tg_path_fails(const struct tg_walk *w, const struct tg_path_call *c)
{
	if (w->fd < 0)
		return 0;
	if (c->slashed && !S_ISDIR(w->st.st_mode))
		return ENOTDIR;
	if (c->link_errno != 0 && !c->follow && S_ISLNK(w->st.st_mode))
		return c->link_errno;
	return 0;
}

enum tg_judgement tg_path_judge(enum tg_mode mode, const struct tg_walk *w,
				const struct tg_path_call *c, int rc, int err,
				struct tg_report *report, int *err_out)
{
	enum tg_object_verdict why = rc < 0 ? w->refused : TG_OBJ_OK;
	int fails = tg_path_fails(w, c);
	report->kind = TG_EV_NONE;
	if (why != TG_OBJ_OK) {
		/* what the kernel refuses itself is not tmpguard's refusal */
		*report = tg_report_plant(fails ? TG_MODE_AUDIT : mode, why,
					  fails ? 0 : EACCES);
		err = fails ? fails : EACCES;
	} else if (fails) {
		rc = -1;
		err = fails;
	}
	*err_out = err;
	if (mode != TG_MODE_HARDEN)
		return TG_JUDGED_FORWARD;
	if (rc == 0 && w->fd >= 0)
		return TG_JUDGED_PINNED;
	return TG_JUDGED_REFUSED;
}
