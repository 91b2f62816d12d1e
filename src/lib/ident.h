/* tmpguard — who this process is: its pid and effective uid, for event
 * lines, without two system calls for each. What decides (is this object
 * the process's own?) asks the kernel: tg_sys_geteuid. */
#ifndef TG_IDENT_H
#define TG_IDENT_H

#include <sys/types.h>

pid_t tg_self_pid(void);
/* both, for an event line */
void tg_self(pid_t *pid, uid_t *euid);

/* A set*id call may have changed the effective uid: read it again. */
void tg_ident_forget(void);

/* A child that shares this process's memory under another pid is about to
 * be made (vfork, clone with CLONE_VM): from now on, ask the kernel every
 * time. */
void tg_ident_stop_caching(void);

#endif
