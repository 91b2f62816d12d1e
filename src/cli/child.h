/* tmpguard run — the command as a child process: the signals run takes
 * and gives back, starting it, and waiting for it and for what it leaves
 * behind while counting what the library reports. */
#ifndef TG_CLI_CHILD_H
#define TG_CLI_CHILD_H

#include <signal.h>
#include <sys/types.h>

#include "cli/tally.h"

#define TG_NIGNORED 3 /* SIGINT, SIGQUIT, SIGPIPE (child.c) */

struct signals {
	struct sigaction old_ignored[TG_NIGNORED];
	struct sigaction old_chld;
	sigset_t old_mask;
	int fd; /* signalfd for SIGTERM, SIGHUP, SIGCHLD; -1 if unavailable */
};

/* Ignores what the terminal sends to the whole foreground group, takes
 * SIGTERM and SIGHUP through s->fd to forward them, and SIGCHLD to reap;
 * the old dispositions are kept in s for the child. */
void tg_signals_take(struct signals *s);

/* Makes run the subreaper of what it starts (orphaned descendants become
 * its children), then forks and execs path with argv (through /bin/sh when
 * the kernel will not execute it, as execvp does); returns the child's pid,
 * or -(exit status) when it could not be started (after a message). */
struct supervision;
/* With sv (run --supervise; NULL otherwise), the child installs the
 * filter before it execs (cli/supervise.h). */
pid_t tg_child_start(const char *path, char **argv, const struct signals *s,
		     const struct supervision *sv);

/* Runs until the child has exited, counting reports, forwarding signals
 * and reaping adopted orphans meanwhile. Returns its wait status, or -1. */
int tg_child_wait(pid_t child, const struct signals *sig,
		  const struct handshake *hs, struct tally *t);

/* Then reads the reports of descendants that outlive it: at once when
 * none is left, else once they have all exited, within a bound, or when a
 * SIGTERM/SIGHUP arrives (when run could not become their subreaper: once
 * the socket has been quiet a moment). */
void tg_child_drain_reports(const struct signals *sig,
			    const struct handshake *hs, struct tally *t);

#endif
