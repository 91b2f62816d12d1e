/* tmpguard — the guard of every call that may create or touch a reserved
 * name: it asks the policy (core/policy.h) what to do, gathers the facts
 * a plan asks for, and carries the plan out with safe-open
 * (core/safeopen.h). Split in two so that each hook can make its own next
 * call in between. */
#ifndef TG_LIB_GUARD_CREATE_H
#define TG_LIB_GUARD_CREATE_H

#include <sys/stat.h>
#include <sys/types.h>
#include "core/policy.h"

struct tg_create {
	/* in */
	const char *func;
	int dirfd;            /* AT_FDCWD or the openat descriptor */
	const char *path;
	int flags;
	mode_t mode;
	const void *caller;
	/* out */
	int fd;               /* TG_OPENED */
	int err;              /* TG_REFUSED */
	/* between begin and end (audit) */
	enum tg_plan plan;
	int pre_exists;
	int names_dir;        /* the call opens a shared directory itself */
};

enum tg_outcome {
	TG_FORWARD = 0, /* the hook makes its own next call, then tg_create_end */
	TG_OPENED,      /* c->fd is open; return it */
	TG_REFUSED,     /* fail with c->err */
};

/* Decide and, in harden mode, act. Preserves errno. */
enum tg_outcome tg_create_begin(struct tg_create *c);
/* After a forwarded call (fd: its result, -1 on failure): audit checks on
 * the result; a shared directory's descriptor remembered. Preserves errno. */
void tg_create_end(struct tg_create *c, int fd);

/* The mode a forwarded call passes on: under run --supervise a creating
 * call carries run's mark, so that the filter lets by what the library
 * has judged instead of trapping it a second time (cli/supervise.c). The
 * kernel keeps only the low bits, so the call is the same call. */
mode_t tg_forward_mode(int flags, mode_t mode);

#define TG_CREATE_INIT(fn, dfd, p, fl, md, who) \
	{ .func = (fn), .dirfd = (dfd), .path = (p), .flags = (fl), \
	  .mode = (md), .caller = (who), .fd = -1 }

/* mkdir, mkfifo, mknod: exclusive by nature. Before the call a reserved
 * name is consumed (and in harden mode its *mode made 0700 or 0600); after
 * it, tg_judge_node says what to log. */
struct tg_node {
	const char *func;
	int dirfd;
	const char *path;
	mode_t *mode;
	int is_dir;
	const void *caller;
	int reserved;
};
void tg_node_begin(struct tg_node *n);
void tg_node_end(struct tg_node *n, int rc);

/* Was this name handed out by a name generator in this process? Reserved
 * names are matched as the program wrote them, so only names that mean the
 * same thing wherever they are resolved from. */
int tg_guard_reserved(int dirfd, const char *path);

/* Is the parent of path shared? One stat, so only for decisions that
 * choose what to log or refuse, never to act on the directory. */
enum tg_parent tg_guard_parent(int dirfd, const char *path);

/* Log what the policy reported, if anything. */
void tg_guard_report(struct tg_report r, const char *func, const char *path,
		     const void *caller);

#endif
