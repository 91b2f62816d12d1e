/* tmpguard — the guard of named IPC objects: a Unix socket's path
 * (connect) and a named semaphore's file (sem_open). The object is
 * resolved with the walk (core/walk.h) and judged by the rule; harden
 * refuses what the rule refuses and, where the call can be made on what
 * was pinned, makes it there. */
#ifndef TG_LIB_GUARD_IPC_H
#define TG_LIB_GUARD_IPC_H

#include "core/policy.h"

struct tg_ipc {
	/* in */
	const char *func;
	const char *path;     /* as the call resolves it, NUL-terminated */
	enum tg_use use;
	int follow;           /* a final symbolic link is followed */
	int keep_pin;         /* harden: hand the accepted object over */
	int predictable;      /* a creation that may reuse an existing name */
	int transient_links;  /* a second link may be the creator's own,
			       * for a moment (sem_open's link, unlink) */
	const void *caller;
	/* out */
	int pin;              /* TG_IPC_PINNED: the object (O_PATH) */
	int err;              /* TG_IPC_FAILED */
};

enum tg_ipc_outcome {
	TG_IPC_FORWARD = 0, /* the program's own call */
	TG_IPC_PINNED,      /* harden: make the call on c->pin, then
			     * tg_ipc_done */
	TG_IPC_FAILED,      /* fail with c->err: refused (EACCES, logged),
			     * or what the kernel said to the walk */
};

/* Decide, walk and judge; log what the policy reports. Only for paths the
 * cheap test could not rule out. Preserves errno. */
enum tg_ipc_outcome tg_ipc_begin(struct tg_ipc *c);
/* Release what tg_ipc_begin pinned. Preserves errno. */
void tg_ipc_done(struct tg_ipc *c);

#endif
