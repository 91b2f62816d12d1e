/* tmpguard — the one decision every creating hook makes, split in two so
 * each hook can forward to its own next definition in between. */
#ifndef TG_CREATE_H
#define TG_CREATE_H

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
	int reserved;
	int pre_exists;
};

enum tg_outcome {
	TG_FORWARD = 0, /* the hook makes its own next call, then tg_create_end */
	TG_OPENED,      /* c->fd is open; return it */
	TG_REFUSED,     /* fail with c->err */
};

/* Decide and, in harden mode, act. Preserves errno. */
enum tg_outcome tg_create_begin(struct tg_create *c);
/* After a forwarded call: audit checks on the result. Preserves errno. */
void tg_create_end(struct tg_create *c, int fd);

#define TG_CREATE_INIT(fn, dfd, p, fl, md, who) \
	{ .func = (fn), .dirfd = (dfd), .path = (p), .flags = (fl), \
	  .mode = (md), .caller = (who), .fd = -1 }

/* The name-level check used by mkdir, mkfifo, mknod: in harden mode a
 * reserved name gets mode 0700 (directory) or 0600; an EEXIST on a reserved
 * name logs race-blocked; an EEXIST on an object another user owns in a
 * shared directory logs hijack-blocked. *mode is adjusted in place. */
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

#endif
