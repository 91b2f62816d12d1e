/* tmpguard — hooks: the calls that change who the process is, forwarded
 * untouched. They only tell lib/ident.c when what it remembers (pid,
 * effective uid) may no longer hold: a set*id call changed the euid, or a
 * child is about to share this memory under another pid (vfork, clone with
 * CLONE_VM but not CLONE_THREAD). fork and _Fork need no hook: the page
 * lib/ident.c keeps is wiped in the child. */
#include <config.h>

#include <sched.h>
#include <stdarg.h>
#include <unistd.h>

#include "core/syscall.h"
#include "lib/export.h"
#include "lib/hooks/vfork.h"
#include "lib/ident.h"
#include "lib/real.h"

/* The euid is read again after the call, succeeded or not (a failed
 * setresuid may have changed some ids before failing on another). */
TG_EXPORT int setuid(uid_t uid)
{
	int rc = TG_REAL(setuid)(uid);
	tg_ident_forget();
	return rc;
}

TG_EXPORT int seteuid(uid_t euid)
{
	int rc = TG_REAL(seteuid)(euid);
	tg_ident_forget();
	return rc;
}

TG_EXPORT int setreuid(uid_t ruid, uid_t euid)
{
	int rc = TG_REAL(setreuid)(ruid, euid);
	tg_ident_forget();
	return rc;
}

TG_EXPORT int setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
	int rc = TG_REAL(setresuid)(ruid, euid, suid);
	tg_ident_forget();
	return rc;
}

/* glibc's clone: the child runs fn on its own stack. The trailing
 * arguments (parent_tid, tls, child_tid) are passed on as they came; glibc
 * reads them only when flags ask for them. */
TG_EXPORT int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	pid_t *parent_tid = va_arg(ap, pid_t *);
	void *tls = va_arg(ap, void *);
	pid_t *child_tid = va_arg(ap, pid_t *);
	va_end(ap);
	if ((flags & CLONE_VM) && !(flags & CLONE_THREAD))
		tg_ident_stop_caching();
	return TG_REAL(clone)(fn, stack, flags, arg, parent_tid, tls,
			      child_tid);
}

#if defined(__x86_64__) && !defined(__ILP32__)
/* Only if vfork is called from inside dlsym, where nothing can be bound: a
 * fork, which POSIX allows vfork to be (a system call: naming glibc's fork
 * would cost every process a relocation at start-up). */
static pid_t tg_vfork_as_fork(void)
{
	return (pid_t)TG_SYSCALL(SYS_fork);
}

/* Run by the assembly below in the parent, before the child exists: stop
 * the caching, and give the next vfork. */
__attribute__((used)) static void *tg_next_vfork(void)
{
	tg_ident_stop_caching();
	void *next = (void *)TG_REAL(vfork);
	return next != NULL ? next : (void *)tg_vfork_as_fork;
}

TG_VFORK_TRAMPOLINE(tg_next_vfork);
#endif
