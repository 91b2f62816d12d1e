/* tmpguard run — the command as a child process: the signals run takes,
 * gives back and forwards; vfork and exec, with the exec's errno left
 * where run reads it; waiting for it, and for the descendants it leaves behind
 * (run is their subreaper), while counting what the library reports. */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/child.h"
#include "cli/cli.h"
#include "cli/elf.h"
#include "cli/supervise.h"
#include "cli/tally.h"
#include "cli/util.h"

#define TG_POLL_FALLBACK_MS 50 /* without signalfd: how often to reap */
#define TG_DRAIN_MAX_MS 500    /* after the command: wait this long at most */
#define TG_DRAIN_SILENCE_MS 50 /* not a subreaper: stop after this quiet */

/* ---- signals ------------------------------------------------------------- */

/* The parent ignores what the terminal sends to the whole foreground group
 * (the command gets it too) and SIGPIPE (the summary must not kill it);
 * SIGTERM and SIGHUP, sent to tmpguard alone, are forwarded to the command;
 * SIGCHLD, read from the same signalfd, says a child is to be reaped.
 * The child gets back everything as tmpguard found it. */
static const int ignored_signals[] = { SIGINT, SIGQUIT, SIGPIPE };
_Static_assert(sizeof ignored_signals / sizeof ignored_signals[0] ==
		       TG_NIGNORED,
	       "struct signals keeps one old disposition per ignored signal");

void tg_signals_take(struct signals *s)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&ign.sa_mask);
	sigemptyset(&dfl.sa_mask);
	for (size_t i = 0; i < TG_NIGNORED; i++)
		sigaction(ignored_signals[i], &ign, &s->old_ignored[i]);
	/* an inherited SIG_IGN would reap the child before waitpid */
	sigaction(SIGCHLD, &dfl, &s->old_chld);

	sigset_t forward;
	sigemptyset(&forward);
	sigaddset(&forward, SIGTERM);
	sigaddset(&forward, SIGHUP);
	sigaddset(&forward, SIGCHLD);
	sigprocmask(SIG_BLOCK, &forward, &s->old_mask);
	s->fd = signalfd(-1, &forward, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->fd < 0) /* better not forwarding than not stoppable */
		sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

/* In the child, before exec. */
static void signals_give_back(const struct signals *s)
{
	for (size_t i = 0; i < TG_NIGNORED; i++)
		sigaction(ignored_signals[i], &s->old_ignored[i], NULL);
	sigaction(SIGCHLD, &s->old_chld, NULL);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

/* Reads the pending signals; forwards SIGTERM/SIGHUP to pid when pid > 0
 * (a SIGCHLD is only taken: the caller reaps). Returns how many SIGTERM
 * and SIGHUP there were. */
static int signals_forward(const struct signals *s, pid_t pid)
{
	int count = 0;
	struct signalfd_siginfo si;
	while (s->fd >= 0 && read(s->fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		count++;
		if (pid > 0)
			kill(pid, (int)si.ssi_signo);
	}
	return count;
}

/* ---- starting the command ------------------------------------------------ */

/* /bin/sh PATH ARG...: what execvp does with a file the kernel will not
 * execute (ENOEXEC), so that run behaves as a shell would. */
static char **shell_argv(const char *path, char **argv)
{
	size_t n = 0;
	while (argv[n] != NULL)
		n++;
	char **sh = tg_cli_xmalloc((n + 2) * sizeof *sh);
	sh[0] = (char *)"/bin/sh";
	sh[1] = (char *)path;
	for (size_t i = 1; i <= n; i++)
		sh[i + 1] = argv[i];
	return sh;
}

/* execve as a system call: between the filter and the exec nothing may
 * make a call the filter traps, since run, which must answer it, waits in
 * vfork until the child has exec'd; and a coverage build's execv first
 * writes its counts (creating opens). */
static void exec_raw(const char *path, char **argv)
{
	syscall(SYS_execve, path, argv, environ);
}

/* In the child: exec, else leave errno in *err and exit. With
 * --supervise, the filter first (*err negative when it failed). */
static void exec_command(const char *path, char **argv, char **sh_argv,
			 const struct signals *s,
			 const struct supervision *sv, volatile int *err)
{
	if (sv != NULL && tg_supervise_child(sv) < 0) {
		*err = -errno;
		_exit(TG_EXIT_USAGE);
	}
	signals_give_back(s);
	exec_raw(path, argv);
	if (errno == ENOEXEC)
		exec_raw(sh_argv[0], sh_argv);
	*err = errno;
	_exit(*err == ENOENT ? TG_EXIT_NOT_FOUND : TG_EXIT_CANNOT_EXEC);
}

/* vfork: the kernel copies no page table for the child, and run takes no
 * copy-on-write fault after it. The child borrows run's memory until it
 * has exec'd or exited, run resuming only then: it calls nothing but
 * async-signal-safe functions, and what it leaves in *err run reads. */
static pid_t spawn(const char *path, char **argv, char **sh_argv,
		   const struct signals *s, const struct supervision *sv,
		   volatile int *err)
{
	pid_t pid = vfork();
	if (pid == 0)
		exec_command(path, argv, sh_argv, s, sv, err);
	return pid;
}

static void say_exec_failure(const char *cmd, const char *path, int err)
{
	char *c = tg_cli_printable(cmd);
	struct tg_elf_info *info = tg_cli_xmalloc(sizeof *info);
	if (err == ENOENT && tg_elf_inspect(path, info) == 0 &&
	    info->kind == TG_FILE_SCRIPT) {
		char *i = tg_cli_printable(info->script_interp);
		tg_cli_say("%s: bad interpreter %s: %s", c, i, strerror(err));
		free(i);
	} else {
		tg_cli_say("%s: cannot execute: %s", c, strerror(err));
	}
	free(info);
	free(c);
}

pid_t tg_child_start(const char *path, char **argv, const struct signals *s,
		     const struct supervision *sv)
{
	char **sh_argv = shell_argv(path, argv);
	/* the command's orphans become run's children, so that run knows
	 * when the whole tree is gone (see tg_child_drain_reports) */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	volatile int exec_err = 0;
	pid_t pid = spawn(path, argv, sh_argv, s, sv, &exec_err);
	free(sh_argv);
	if (pid < 0) {
		tg_cli_say("run: fork: %s", strerror(errno));
		return -TG_EXIT_USAGE;
	}
	int err = exec_err;
	if (err == 0)
		return pid;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (err < 0) {
		tg_cli_say("run: --supervise: the filter could not be installed: "
			   "%s; the command was not run", strerror(-err));
		return -TG_EXIT_USAGE;
	}
	say_exec_failure(argv[0], path, err);
	return -(err == ENOENT ? TG_EXIT_NOT_FOUND : TG_EXIT_CANNOT_EXEC);
}

/* ---- waiting ------------------------------------------------------------- */

/* Reaps every child that has exited (the command, and the orphans of its
 * tree that run adopted), keeping the command's wait status in *status.
 * Returns 1 while some child is alive, 0 when none is left. */
static int reap_children(pid_t command, int *status)
{
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);
		if (pid > 0) {
			if (pid == command)
				*status = st;
			continue;
		}
		if (pid == 0)
			return 1;
		if (errno != EINTR)
			return 0; /* ECHILD */
	}
}

int tg_child_wait(pid_t child, const struct signals *sig,
		  const struct handshake *hs, struct tally *t)
{
	int status = -1;
	while (status == -1) {
		struct pollfd fds[2] = {
			{ .fd = hs->fd, .events = POLLIN },
			{ .fd = sig->fd, .events = POLLIN },
		};
		int n = poll(fds, 2, sig->fd >= 0 ? -1 : TG_POLL_FALLBACK_MS);
		if (n < 0 && errno != EINTR)
			break;
		if (fds[0].revents != 0)
			tg_tally_receive(hs->fd, t, hs);
		if (fds[1].revents != 0)
			signals_forward(sig, child);
		if (!reap_children(child, &status))
			break;
	}
	if (status == -1) /* poll failed: block instead */
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	return status;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

static int is_subreaper(void)
{
	int on = 0;
	return prctl(PR_GET_CHILD_SUBREAPER, &on) == 0 && on;
}

/* The wait after the command, until what its tree may still send is in.
 * As subreaper, run is the parent of every descendant still alive: it
 * waits until none is left (reaping them as they go), at most
 * TG_DRAIN_MAX_MS. Without that, it cannot see them and reads until the
 * socket has been quiet a moment. A SIGTERM/SIGHUP ends the wait (the
 * command is gone: there is no one to forward it to). */
static void wait_for_descendants(const struct signals *sig,
				 const struct handshake *hs, struct tally *t)
{
	int adopted = is_subreaper();
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int ignored;
		if (adopted && !reap_children(0, &ignored))
			return;
		long left = TG_DRAIN_MAX_MS - elapsed_ms(&start);
		if (left <= 0)
			return;
		long wait_ms = left;
		if (!adopted && wait_ms > TG_DRAIN_SILENCE_MS)
			wait_ms = TG_DRAIN_SILENCE_MS;
		else if (adopted && sig->fd < 0 && wait_ms > TG_POLL_FALLBACK_MS)
			wait_ms = TG_POLL_FALLBACK_MS;
		struct pollfd fds[2] = {
			{ .fd = hs->fd, .events = POLLIN },
			{ .fd = sig->fd, .events = POLLIN },
		};
		int n = poll(fds, 2, (int)wait_ms);
		if ((n == 0 && !adopted) || (n < 0 && errno != EINTR))
			return;
		if (fds[1].revents != 0 && signals_forward(sig, 0) > 0)
			return;
		if (fds[0].revents != 0)
			tg_tally_receive(hs->fd, t, hs);
	}
}

/* A datagram on a Unix socket is in the receiver's queue when sendto
 * returns: once the tree is gone, everything it sent is queued here. */
void tg_child_drain_reports(const struct signals *sig,
			    const struct handshake *hs, struct tally *t)
{
	wait_for_descendants(sig, hs, t);
	tg_tally_receive(hs->fd, t, hs);
}
