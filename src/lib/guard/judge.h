/* tmpguard — the guard of the path calls after which a plant wins by its
 * name: truncate, chmod, chown, the utime family, the sources of rename
 * and link, realpath. One judgement for all of them: a path that may
 * resolve through a shared directory is walked under the rule
 * (core/walk.h). In harden mode the hook then acts on what the walk
 * pinned, never on the name again, or the call fails; in audit mode the
 * judgement is logged and the program's own call made. */
#ifndef TG_LIB_GUARD_JUDGE_H
#define TG_LIB_GUARD_JUDGE_H

#include <errno.h>

#include "core/policy.h"
#include "core/sys.h"
#include "core/walk.h"
#include "lib/guard/marked.h"
#include "lib/guard/where.h"

/* glibc declares most of these paths nonnull, so the compiler would drop
 * a test for NULL in the hook itself; a null path must reach the next
 * definition (EFAULT, EINVAL), not be read. Costs no instruction. */
static inline const char *tg_opaque(const char *p)
{
	__asm__("" : "+r"(p));
	return p;
}

/* The fast path of every path hook: 1 when path certainly resolves through
 * no shared directory (lib/guard/where.h), or is null. */
static inline int tg_path_private(int dirfd, const char *path)
{
	path = tg_opaque(path);
	return __builtin_expect(path == NULL, 0) || !tg_where_maybe(dirfd, path);
}

/* A path hook's fast path: the path resolves through no shared directory
 * and the next definition is bound, so the hook is a test and a jump to
 * it. Anything else goes out of line, where the guard, a null path, the
 * first binding and run --supervise's mark (lib/guard/marked.h) are
 * handled. */
#define TG_PATH_FAST(name, dirfd, path) \
	(__builtin_expect(tg_path_private(dirfd, path), 1) && \
	 __builtin_expect(tg_real_##name != NULL, 1) && !tg_path_marking())

struct tg_judged {
	/* in */
	const char *func;
	const void *caller;
	enum tg_use use;
	int follow;          /* the call follows a final symbolic link */
	int link_errno;      /* not 0: what the call fails with anyway on a
			      * final symbolic link it does not follow
			      * (fchmodat: EOPNOTSUPP) */
	int want_dir;        /* the call never follows its final component,
			      * not even with a trailing '/', which then
			      * asks for a directory (rename: ENOTDIR on
			      * anything else). What the call fails on
			      * anyway is only reported, as the kernel's
			      * refusal, when the rule refuses it. */
	/* out: TG_JUDGED_PINNED: w.fd the object (O_PATH), w.st its lstat,
	 * w.pfd and w.base its directory and name there */
	struct tg_walk w;
	int err;             /* TG_JUDGED_REFUSED */
	/* private */
	struct tg_trust trust;
	int saved_errno;
};

#define TG_JUDGED_INIT(fn, who, how, follows) \
	{ .func = (fn), .caller = (who), .use = (how), .follow = (follows), \
	  .w = { .fd = -1, .pfd = -1 } }

/* enum tg_judgement (core/walk.h): FORWARD, PINNED (act on j->w, then
 * tg_judged_done), REFUSED (fail with j->err). */

/* Judge the call on path (relative to dirfd). FORWARD for a path through
 * no shared directory, for audit (after logging what harden would
 * refuse) and for an empty path (the kernel's ENOENT, or AT_EMPTY_PATH's
 * descriptor). Harden: REFUSED with EACCES when the rule refuses an entry
 * (logged hijack-blocked), with the kernel's errno when the walk fails
 * otherwise (ENOENT for a missing object, ENOTDIR ...) or the call would
 * fail anyway (link_errno, want_dir); else PINNED. errno is the
 * program's again on every return. */
enum tg_judgement tg_judge(struct tg_judged *j, int dirfd, const char *path);

/* The hooks' start: 1 when the hook acts on the pin; 0 when the
 * judgement is the answer: *refused set, the call fails with errno set;
 * else the program's own call is made. */
static inline int tg_judge_pin(struct tg_judged *j, int dirfd,
			       const char *path, int *refused)
{
	enum tg_judgement v = tg_judge(j, dirfd, path);
	*refused = v == TG_JUDGED_REFUSED;
	if (*refused)
		errno = j->err;
	return v == TG_JUDGED_PINNED;
}

/* Release what was pinned. rc: the act's result; errno stays the act's
 * when it failed, and is the program's again when it succeeded. */
long tg_judged_done(struct tg_judged *j, long rc);

/* "/proc/self/fd/N", which names exactly the pinned object. */
static inline void tg_judged_proc(const struct tg_judged *j,
				  char buf[TG_PROC_FD_PATH_MAX])
{
	tg_proc_fd_path(buf, j->w.fd);
}

/* Where /proc is not mounted: the pinned regular file or directory
 * opened for I/O (flags), by its name in the pinned directory, kept only
 * if it is still the pinned object (else EACCES). Anything else:
 * EOPNOTSUPP. */
int tg_judged_open(struct tg_judged *j, int flags);

/* Is /proc missing? Asked after a call on tg_judged_proc's name failed
 * with ENOENT, when that errno could be the kernel's for another path. */
int tg_judged_no_proc(const struct tg_judged *j);

#endif
