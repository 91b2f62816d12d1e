/* tmpguard run --supervise — the path calls of contract part 2, item 2
 * (truncate, chmod, chown, the utime family with a path, the sources of
 * rename and link) as trapped system calls: decoded, judged as the
 * library judges them (core/walk.h: tg_walk, tg_path_judge) and, in
 * harden mode, carried out here on what the walk pinned. */
#ifndef TG_CLI_PATHTRAP_H
#define TG_CLI_PATHTRAP_H

#include <linux/seccomp.h>

#include "cli/trap.h"
#include "cli/tracee.h"
#include "core/walk.h"

/* req as a path call to judge: 0 and c filled (c->pathcall set), or -1:
 * not one of them, or a form the kernel answers itself (an unknown flag;
 * the utime forms without a path, which act on a descriptor). */
int tg_pathcall_decode(const struct seccomp_notif *req, struct call *c);

/* What the call carries besides its path, read from the process: the
 * destination and the directory it is relative to, the times. 0, or -1
 * with *err the errno the kernel would give the call (0: none; the call
 * is then the kernel's). */
int tg_pathcall_gather(const struct tracee *t, struct call *c, int *err);

/* Walk c's path (w set up by the caller, who releases it) as the caller,
 * judge it, log what the library logs, and in harden mode carry the call
 * out on what the walk pinned (v: the call's result) or refuse it; in
 * audit mode the call continues. slashed: w->path lost trailing '/'s. */
void tg_pathcall_judge(const struct supervisor *s, struct call *c,
		       struct tg_walk *w, int slashed, struct verdict *v);

#endif
