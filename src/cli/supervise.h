/* tmpguard run --supervise — a seccomp user-notification supervisor for
 * what the preload cannot reach (DESIGN.md, part 3). The filter traps
 * only the unsafe forms of the calls the library judges; run receives
 * each trapped call on a thread of its own, judges it with the library's
 * core (walk, policy, safe-open), acts on the caller's behalf and logs the
 * library's events.
 *
 * The filter goes only where the library cannot follow, because any
 * filter makes every system call of a process dearer: the command itself
 * gets it when it is not a program the library protects (scan's verdict),
 * and the library puts it on a process before it execs one, or at start-up
 * in one that bypasses it (lib/guard/filter.h), handing run the listener
 * over the handshake socket. --supervise-all puts it on the command
 * whatever it is, and so on the whole tree.
 *
 * The filter is made in run (libseccomp) before the fork and exported to
 * the library (TMPGUARD_SUPERVISE_FILTER); the child, between vfork and
 * exec, only installs it (one system call, no allocation) and sends run
 * the listener descriptor. */
#ifndef TG_CLI_SUPERVISE_H
#define TG_CLI_SUPERVISE_H

#include <pthread.h>
#include <sys/types.h>

#include "cli/tally.h"

struct supervision {
	int on;                 /* --supervise */
	int quiet;              /* --quiet: no note about no_new_privs */
	/* made by tg_supervise_prepare, read by the child */
	void *filter;           /* struct sock_fprog */
	int nnp;                /* the child sets no_new_privs first */
	int killable;           /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */
	int child_filter;       /* the child installs it (set by run) */
	int sock[2];            /* listeners reach the thread on sock[1]:
				 * the child's, and those the library hands
				 * over (forwarded by the handshake's tally) */
	/* run's side, from tg_supervise_start */
	int stop[2];            /* a byte on stop[1] ends the thread */
	int running;
	pthread_t thread;
	struct supervisor *state;
};

/* Before the fork: libseccomp built in, the kernel able (user
 * notification, ADDFD that answers the call, CONTINUE), the filter made
 * for this mode (TMPGUARD_MODE, as exported for the command). 0, or the
 * exit status (125) after a message saying why not. */
int tg_supervise_prepare(struct supervision *sv);

/* In the vfork child, before exec: no_new_privs when needed, the filter,
 * the listener sent to run. Async-signal-safe; 0, or -1 with errno. */
int tg_supervise_child(const struct supervision *sv);

/* In run, once the child has exec'd: starts the supervisor thread, which
 * takes every listener that reaches sock[0] (hs forwards those handed
 * over) and counts its events in run's handshake. 0, or -1 after a
 * message (the command is then killed by the caller). */
int tg_supervise_start(struct supervision *sv, struct handshake *hs);

/* Stops the thread (the tree is gone, or run is ending) and releases
 * everything. A process still in the tree then gets ENOSYS from its
 * next trapped call, as it does if run dies: never a hang. */
void tg_supervise_stop(struct supervision *sv);

#endif
