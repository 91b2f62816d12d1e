/* tmpguard run: check the command, run it with the library preloaded,
 * count what the library reports through the handshake socket, summarize. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

#include "cli/cli.h"
#include "cli/elf.h"
#include "core/event.h"
#include "core/handshake.h"

#define TG_TOKEN_BYTES 16     /* 32 hex digits */
#define TG_NAME_RANDOM_BYTES 8 /* 16 hex digits in the socket name */
#define TG_RCVBUF (4 << 20)
#define TG_DATAGRAM_MAX 512
#define TG_POLL_FALLBACK_MS 50 /* without pidfd: how often to try waitpid */
#define TG_DRAIN_SILENCE_MS 50 /* after the command: stop after this quiet */
#define TG_DRAIN_MAX_MS 500    /* ... or this long at most */
#define TG_SCRIPT_DEPTH 4      /* "#!" nesting the kernel follows */

struct run_options {
	struct tg_settings settings;
	int fail_on_violation;
	int quiet;
};

/* ---- options ------------------------------------------------------------- */

/* --fail-on-violation, --quiet: 1 when argv[i] is one of them (recorded),
 * 0 when not, -1 after a message. */
static int run_flag(struct run_options *o, char **argv, int i)
{
	int rc = tg_cli_option_flag(argv, i, "fail-on-violation");
	if (rc > 0)
		o->fail_on_violation = 1;
	if (rc != 0)
		return rc;
	rc = tg_cli_option_flag(argv, i, "quiet");
	if (rc > 0)
		o->quiet = 1;
	return rc;
}

/* Options stop at "--" or at the first argument that is not one. Sets
 * *first to the index of COMMAND and returns -1, or returns the exit
 * status when run must stop here. */
static int parse_run_options(int argc, char **argv, struct run_options *o,
			     int *first)
{
	int i;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break; /* the command */
		int rc = tg_settings_option(&o->settings, argc, argv, &i);
		if (rc == 0)
			rc = run_flag(o, argv, i);
		if (rc < 0)
			return TG_EXIT_USAGE;
		if (rc > 0)
			continue;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			tg_cli_usage("run", 0);
			return TG_EXIT_OK;
		}
		char *shown = tg_cli_printable(arg);
		tg_cli_say("run: unknown option '%s'", shown);
		free(shown);
		tg_cli_usage("run", 1);
		return TG_EXIT_USAGE;
	}
	if (i >= argc) {
		tg_cli_say("run: no command given");
		tg_cli_usage("run", 1);
		return TG_EXIT_USAGE;
	}
	*first = i;
	return -1;
}

/* ---- finding the command, as a shell does -------------------------------- */

static int is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* name looked up in $PATH: the first executable regular file, malloc'ed;
 * else NULL, with *denied set to the first match that is not executable. */
static char *search_path(const char *name, char **denied)
{
	const char *path = getenv("PATH");
	char fallback[256];
	if (path == NULL) {
		size_t n = confstr(_CS_PATH, fallback, sizeof fallback);
		path = n > 0 && n <= sizeof fallback ? fallback : "/bin:/usr/bin";
	}
	*denied = NULL;
	while (name[0] != '\0') {
		const char *end = strchr(path, ':');
		size_t len = end != NULL ? (size_t)(end - path) : strlen(path);
		char *cand = NULL;
		/* an empty entry is the working directory */
		if (asprintf(&cand, "%.*s/%s", (int)(len > 0 ? len : 1),
			     len > 0 ? path : ".", name) < 0)
			return NULL;
		struct stat st;
		if (is_executable_file(cand))
			return cand;
		if (*denied == NULL && stat(cand, &st) == 0 && S_ISREG(st.st_mode))
			*denied = cand;
		else
			free(cand);
		if (end == NULL)
			break;
		path = end + 1;
	}
	return NULL;
}

/* A command named with a '/': it must exist, be a file and executable. */
static int check_named_file(const char *name)
{
	struct stat st;
	const char *problem = NULL;
	int status = TG_EXIT_CANNOT_EXEC;
	if (stat(name, &st) < 0) {
		int err = errno;
		problem = strerror(err);
		if (err == ENOENT || err == ENOTDIR)
			status = TG_EXIT_NOT_FOUND;
	} else if (S_ISDIR(st.st_mode)) {
		problem = strerror(EISDIR);
	} else if (access(name, X_OK) < 0) {
		problem = strerror(errno);
	}
	if (problem == NULL)
		return 0;
	char *shown = tg_cli_printable(name);
	tg_cli_say("%s: %s", shown, problem);
	free(shown);
	return status;
}

/* The file that runs for name, malloc'ed in *path; or the shell's exit
 * status (126, 127) after its message. */
static int resolve_command(const char *name, char **path)
{
	if (strchr(name, '/') != NULL) {
		int status = check_named_file(name);
		*path = status == 0 ? tg_cli_xstrdup(name) : NULL;
		return status;
	}
	char *denied;
	*path = search_path(name, &denied);
	if (*path != NULL) {
		free(denied);
		return 0;
	}
	int status = denied != NULL ? TG_EXIT_CANNOT_EXEC : TG_EXIT_NOT_FOUND;
	char *shown = tg_cli_printable(denied != NULL ? denied : name);
	if (denied != NULL)
		tg_cli_say("%s: %s", shown, strerror(EACCES));
	else
		tg_cli_say("%s: command not found", shown);
	free(shown);
	free(denied);
	return status;
}

/* ---- the pre-check: can the library reach the program? ------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/* The program a script runs: its "#!" interpreter, or for "#!/usr/bin/env
 * NAME" the NAME that env finds in $PATH. malloc'ed; NULL if unknown. */
static char *script_program(const struct tg_elf_info *info)
{
	if (info->script_interp[0] == '\0')
		return NULL;
	const char *arg = info->script_arg;
	if (strcmp(base_name(info->script_interp), "env") != 0 ||
	    arg[0] == '\0' || arg[0] == '-' || strchr(arg, ' ') != NULL)
		return tg_cli_xstrdup(info->script_interp);
	if (strchr(arg, '/') != NULL)
		return tg_cli_xstrdup(arg);
	char *denied;
	char *found = search_path(arg, &denied);
	free(denied);
	return found;
}

/* Why the library cannot be interposed in this program, or NULL: the same
 * judgement as `tmpguard scan` (elf.c). */
static const char *unreachable_because(const struct tg_elf_info *info)
{
	return tg_elf_unreachable(info, tg_elf_host_machine());
}

/* The exec would be a secure execution (AT_SECURE: its effective ids
 * differ from our real ones), for which ld.so ignores an LD_PRELOAD path
 * with a '/' in it. */
static int runs_set_id(const struct tg_elf_info *info)
{
	return (info->setuid && info->owner != getuid()) ||
	       (info->setgid && info->group != getgid());
}

static void warn_unreachable(const char *cmd, const char *file, int interp,
			     const char *because)
{
	char *real = realpath(file, NULL); /* say which file, exactly */
	char *c = tg_cli_printable(cmd);
	char *f = tg_cli_printable(real != NULL ? real : file);
	free(real);
	tg_cli_say("warning: %s (%s%s) is %s: the library cannot be interposed "
		   "there; its temporary files are NOT protected",
		   c, interp ? "interpreter " : "", f, because);
	free(c);
	free(f);
}

/* Follows "#!" to the program that really runs; info then describes it
 * and *file names it (malloc'ed). Returns the depth, or -1 if lost. */
static int follow_scripts(char **file, struct tg_elf_info *info)
{
	int depth = 0;
	while (info->kind == TG_FILE_SCRIPT) {
		char *next = script_program(info);
		free(*file);
		*file = next;
		if (next == NULL || ++depth > TG_SCRIPT_DEPTH ||
		    tg_elf_inspect(next, info) < 0)
			return -1;
	}
	return depth;
}

/* Inspects the command (for a script, its interpreter) and warns when the
 * library cannot protect it. Says nothing about files it cannot read.
 * Returns 1 when preloading would stop the program altogether: musl's
 * loader, unlike glibc's, fails on a library it cannot link. */
static int precheck(const char *cmd, const char *path)
{
	int breaks = 0;
	struct tg_elf_info *info = tg_cli_xmalloc(sizeof *info);
	char *file = tg_cli_xstrdup(path);
	if (tg_elf_inspect(file, info) == 0) {
		/* the kernel ignores set-id bits on scripts */
		if (info->kind != TG_FILE_SCRIPT && runs_set_id(info))
			warn_unreachable(cmd, file, 0,
					 info->setuid ? "set-user-ID"
						      : "set-group-ID");
		int depth = follow_scripts(&file, info);
		const char *because = depth >= 0 ? unreachable_because(info)
						 : NULL;
		if (because != NULL)
			warn_unreachable(cmd, file, depth > 0, because);
		breaks = depth >= 0 && info->libc == TG_LIBC_MUSL;
	}
	free(file);
	free(info);
	return breaks;
}

/* ---- the handshake socket ------------------------------------------------ */

struct handshake {
	int fd;
	char token[2 * TG_TOKEN_BYTES + 1];
	char name[64]; /* abstract: bound with a leading NUL, exported without */
};

static int random_bytes(unsigned char *buf, size_t len)
{
	size_t got = 0;
#ifdef HAVE_GETRANDOM
	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
#endif
	if (got < len) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		while (fd >= 0 && got < len) {
			ssize_t n = read(fd, buf + got, len - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (fd >= 0)
			close(fd);
	}
	return got == len ? 0 : -1;
}

/* 2*n lowercase hex digits (and a NUL) from the CSPRNG. */
static int random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	if (n > sizeof raw || random_bytes(raw, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

static int bind_abstract(int fd, const char *name)
{
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	size_t len = strlen(name);
	memcpy(addr.sun_path + 1, name, len);
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	return bind(fd, (struct sockaddr *)&addr, alen);
}

/* Many processes may report at once: ask for a large queue (root may
 * exceed net.core.rmem_max). */
static void enlarge_receive_buffer(int fd)
{
	int size = TG_RCVBUF;
	if (geteuid() == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) == 0)
		return;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

static int handshake_open(struct handshake *hs)
{
	hs->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (hs->fd < 0) {
		tg_cli_say("run: cannot create the handshake socket: %s",
			   strerror(errno));
		return -1;
	}
	char rnd[2 * TG_NAME_RANDOM_BYTES + 1];
	int bound = -1;
	for (int tries = 0; tries < 8 && bound < 0; tries++) {
		if (random_hex(hs->token, TG_TOKEN_BYTES) < 0 ||
		    random_hex(rnd, TG_NAME_RANDOM_BYTES) < 0)
			break;
		snprintf(hs->name, sizeof hs->name, "tmpguard-%ld-%s",
			 (long)getpid(), rnd);
		bound = bind_abstract(hs->fd, hs->name);
		if (bound < 0 && errno != EADDRINUSE)
			break;
	}
	if (bound < 0) {
		tg_cli_say("run: cannot set up the handshake socket: %s",
			   strerror(errno));
		close(hs->fd);
		hs->fd = -1;
		return -1;
	}
	enlarge_receive_buffer(hs->fd);
	return 0;
}

/* ---- counting what the library reports ----------------------------------- */

struct pid_set {
	pid_t *slots; /* open addressing; 0 is free */
	size_t cap, count;
};

static void pid_set_insert(struct pid_set *s, pid_t pid)
{
	size_t i = (size_t)pid * 2654435761u % s->cap;
	while (s->slots[i] != 0 && s->slots[i] != pid)
		i = (i + 1) % s->cap;
	if (s->slots[i] == 0) {
		s->slots[i] = pid;
		s->count++;
	}
}

static void pid_set_add(struct pid_set *s, pid_t pid)
{
	if ((s->count + 1) * 2 > s->cap) {
		struct pid_set bigger = { NULL, s->cap ? s->cap * 2 : 64, 0 };
		bigger.slots = tg_cli_xmalloc(bigger.cap * sizeof(pid_t));
		memset(bigger.slots, 0, bigger.cap * sizeof(pid_t));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i] != 0)
				pid_set_insert(&bigger, s->slots[i]);
		free(s->slots);
		*s = bigger;
	}
	pid_set_insert(s, pid);
}

struct tally {
	unsigned long violations, blocked;
	struct pid_set processes; /* every pid that said hello or logged */
};

/* A datagram (core/handshake.h); anything else is ignored. */
static void tally_datagram(struct tally *t, const struct handshake *hs,
			   char *msg)
{
	struct tg_handshake_msg m;
	enum tg_handshake_type type = tg_handshake_parse(msg, hs->token, &m);
	if (type == TG_HANDSHAKE_NONE)
		return;
	if (type == TG_HANDSHAKE_EVENT) {
		t->violations++;
		if (m.action == TG_ACT_BLOCKED)
			t->blocked++;
	}
	pid_set_add(&t->processes, m.pid);
}

/* Reads every datagram already queued. */
static void receive_queued(int fd, struct tally *t, const struct handshake *hs)
{
	for (;;) {
		char buf[TG_DATAGRAM_MAX + 1];
		ssize_t n = recv(fd, buf, TG_DATAGRAM_MAX, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (n > TG_DATAGRAM_MAX)
			continue; /* longer than any real report */
		buf[n] = '\0';
		tally_datagram(t, hs, buf);
	}
}

/* ---- signals ------------------------------------------------------------- */

/* The parent ignores what the terminal sends to the whole foreground group
 * (the command gets it too) and SIGPIPE (the summary must not kill it);
 * SIGTERM and SIGHUP, sent to tmpguard alone, are forwarded to the command.
 * The child gets back everything as tmpguard found it. */
static const int ignored_signals[] = { SIGINT, SIGQUIT, SIGPIPE };
#define TG_NIGNORED (sizeof ignored_signals / sizeof ignored_signals[0])

struct signals {
	struct sigaction old_ignored[TG_NIGNORED];
	struct sigaction old_chld;
	sigset_t old_mask;
	int fd; /* signalfd for SIGTERM, SIGHUP; -1 if unavailable */
};

static void signals_take(struct signals *s)
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

/* Reads the pending SIGTERM/SIGHUP; forwards them to pid when pid > 0.
 * Returns how many there were. */
static int signals_forward(const struct signals *s, pid_t pid)
{
	int count = 0;
	struct signalfd_siginfo si;
	while (s->fd >= 0 && read(s->fd, &si, sizeof si) == (ssize_t)sizeof si) {
		count++;
		if (pid > 0)
			kill(pid, (int)si.ssi_signo);
	}
	return count;
}

/* ---- starting the command ------------------------------------------------ */

/* LD_PRELOAD as run found it, to give back to a program the library would
 * break. */
static char *original_preload;

static int export_environment(const struct run_options *o, const char *lib,
			      const struct handshake *hs)
{
	const struct tg_settings *s = &o->settings;
	const char *inherited = getenv("LD_PRELOAD");
	free(original_preload);
	original_preload = inherited ? tg_cli_xstrdup(inherited) : NULL;
	char *preload = tg_cli_join(lib, ':', inherited);
	char *dirs = s->dirs != NULL ? tg_cli_join(getenv("TMPGUARD_DIRS"), ':',
						   s->dirs)
				     : NULL;
	char *handshake = NULL;
	int rc = asprintf(&handshake, "%s@%s", hs->token, hs->name) < 0 ? -1 : 0;
	if (rc == 0)
		rc = setenv("LD_PRELOAD", preload, 1) |
		     setenv("TMPGUARD_HANDSHAKE", handshake, 1) |
		     (s->mode ? setenv("TMPGUARD_MODE", s->mode, 1) : 0) |
		     (s->format ? setenv("TMPGUARD_FORMAT", s->format, 1) : 0) |
		     (s->log ? setenv("TMPGUARD_LOG", s->log, 1) : 0) |
		     (dirs ? setenv("TMPGUARD_DIRS", dirs, 1) : 0);
	if (rc != 0)
		tg_cli_say("run: cannot set the environment: %s", strerror(errno));
	free(preload);
	free(dirs);
	free(handshake);
	return rc;
}

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

/* In the child: exec, else report errno through errfd and exit. */
static void exec_command(const char *path, char **argv, char **sh_argv,
			 const struct signals *s, int errfd)
{
	signals_give_back(s);
	execv(path, argv);
	if (errno == ENOEXEC)
		execv(sh_argv[0], sh_argv);
	int err = errno;
	ssize_t ignored = write(errfd, &err, sizeof err);
	(void)ignored;
	_exit(err == ENOENT ? TG_EXIT_NOT_FOUND : TG_EXIT_CANNOT_EXEC);
}

/* The errno of a failed exec, read from the child's close-on-exec pipe: 0
 * when the exec succeeded (the pipe closed empty). */
static int exec_error(int fd)
{
	int err = 0;
	ssize_t n;
	do
		n = read(fd, &err, sizeof err);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof err ? err : 0;
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

/* Forks and execs; returns the child's pid, or -(exit status) when it could
 * not be started (after a message). */
static pid_t start_command(const char *path, char **argv,
			   const struct signals *s)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		tg_cli_say("run: pipe: %s", strerror(errno));
		return -TG_EXIT_USAGE;
	}
	char **sh_argv = shell_argv(path, argv);
	pid_t pid = fork();
	if (pid == 0)
		exec_command(path, argv, sh_argv, s, pipefd[1]);
	free(sh_argv);
	close(pipefd[1]);
	if (pid < 0) {
		tg_cli_say("run: fork: %s", strerror(errno));
		close(pipefd[0]);
		return -TG_EXIT_USAGE;
	}
	int err = exec_error(pipefd[0]);
	close(pipefd[0]);
	if (err == 0)
		return pid;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	say_exec_failure(argv[0], path, err);
	return -(err == ENOENT ? TG_EXIT_NOT_FOUND : TG_EXIT_CANNOT_EXEC);
}

/* ---- waiting ------------------------------------------------------------- */

struct session {
	struct handshake hs;
	struct signals sig;
	struct tally tally;
	pid_t child;
};

static int open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* Runs until the child has exited, counting reports and forwarding
 * signals meanwhile. Returns its wait status, or -1. */
static int wait_for_command(struct session *ss)
{
	int pidfd = open_pidfd(ss->child);
	int status = -1;
	for (;;) {
		struct pollfd fds[3] = {
			{ .fd = ss->hs.fd, .events = POLLIN },
			{ .fd = ss->sig.fd, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		int n = poll(fds, 3, pidfd >= 0 ? -1 : TG_POLL_FALLBACK_MS);
		if (n < 0 && errno != EINTR)
			break;
		if (fds[0].revents != 0)
			receive_queued(ss->hs.fd, &ss->tally, &ss->hs);
		if (fds[1].revents != 0)
			signals_forward(&ss->sig, ss->child);
		if (pidfd >= 0 && fds[2].revents == 0)
			continue;
		pid_t r = waitpid(ss->child, &status, WNOHANG);
		if (r == ss->child || (r < 0 && errno != EINTR))
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
	if (status == -1) /* poll failed: block instead */
		while (waitpid(ss->child, &status, 0) < 0 && errno == EINTR)
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

/* Descendants that outlive the command may still be reporting: read until
 * the socket has been quiet a moment. A SIGTERM/SIGHUP ends the wait (the
 * command is gone: there is no one to forward it to). */
static void drain_reports(struct session *ss)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	receive_queued(ss->hs.fd, &ss->tally, &ss->hs);
	for (;;) {
		long left = TG_DRAIN_MAX_MS - elapsed_ms(&start);
		if (left <= 0)
			return;
		struct pollfd fds[2] = {
			{ .fd = ss->hs.fd, .events = POLLIN },
			{ .fd = ss->sig.fd, .events = POLLIN },
		};
		int n = poll(fds, 2, left < TG_DRAIN_SILENCE_MS ? (int)left
							       : TG_DRAIN_SILENCE_MS);
		if (n == 0 || (n < 0 && errno != EINTR))
			return;
		if (fds[1].revents != 0 && signals_forward(&ss->sig, 0) > 0)
			return;
		if (fds[0].revents != 0)
			receive_queued(ss->hs.fd, &ss->tally, &ss->hs);
	}
}

/* ---- the summary --------------------------------------------------------- */

static int status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return TG_EXIT_USAGE;
}

static const char *plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Prints the warning and summary lines; returns run's exit status. */
static int summarize(const struct run_options *o, const char *cmd,
		     const struct tally *t, int command_status)
{
	unsigned long procs = t->processes.count;
	int failing = o->fail_on_violation && command_status == 0 &&
		      (t->violations > 0 || procs == 0);
	if (procs == 0) {
		char *c = tg_cli_printable(cmd);
		tg_cli_say("warning: the library did not load in %s (0 processes "
			   "reported): it ran UNPROTECTED", c);
		free(c);
	}
	if (o->quiet && t->violations == 0 && procs > 0)
		return command_status;

	struct tg_effective eff;
	tg_settings_effective(&eff);
	const char *why = !failing ? ""
			  : t->violations > 0
				  ? "; exit status 3 (--fail-on-violation): violations were recorded"
				  : "; exit status 3 (--fail-on-violation): the library did not load";
	tg_cli_say("%lu %s (%lu blocked) in %lu %s, mode %s; log: %s%s",
		   t->violations, plural(t->violations, "violation", "violations"),
		   t->blocked, procs, plural(procs, "process", "processes"),
		   eff.mode, eff.log, why);
	free(eff.log);
	return failing ? TG_EXIT_VIOLATION : command_status;
}

/* ---- the subcommand ------------------------------------------------------ */

/* Everything before the fork that can fail with a usage-level status:
 * finding the command, the library, the log file and the socket. */
static int prepare(const struct run_options *o, const char *cmd,
		   char **path, struct session *ss)
{
	int rc = resolve_command(cmd, path);
	if (rc != 0)
		return rc;
	char *lib = tg_cli_preload_path();
	if (lib == NULL || tg_settings_touch_log(&o->settings) < 0 ||
	    handshake_open(&ss->hs) < 0) {
		free(lib);
		return TG_EXIT_USAGE;
	}
	rc = export_environment(o, lib, &ss->hs) < 0 ? TG_EXIT_USAGE : 0;
	free(lib);
	return rc;
}

/* From the fork to the summary; returns run's exit status. */
static int supervise(const struct run_options *o, char **command,
		     const char *path, struct session *ss)
{
	if (precheck(command[0], path)) {
		tg_cli_say("not preloading the library: musl's loader would "
			   "refuse it and stop the program");
		if (original_preload != NULL)
			setenv("LD_PRELOAD", original_preload, 1);
		else
			unsetenv("LD_PRELOAD");
	}
	signals_take(&ss->sig);
	ss->child = start_command(path, command, &ss->sig);
	if (ss->child < 0)
		return -ss->child;
	int status = wait_for_command(ss);
	drain_reports(ss);
	return summarize(o, command[0], &ss->tally,
			 status == -1 ? TG_EXIT_USAGE : status_of(status));
}

static int run_command(const struct run_options *o, char **command)
{
	struct session ss = { .hs = { .fd = -1 }, .sig = { .fd = -1 } };
	char *path = NULL;
	int rc = prepare(o, command[0], &path, &ss);
	if (rc == 0)
		rc = supervise(o, command, path, &ss);
	if (ss.hs.fd >= 0)
		close(ss.hs.fd);
	if (ss.sig.fd >= 0)
		close(ss.sig.fd);
	free(ss.tally.processes.slots);
	free(path);
	return rc;
}

int tg_cli_run(int argc, char **argv)
{
	struct run_options o = { 0 };
	int first = 0;
	int rc = parse_run_options(argc, argv, &o, &first);
	if (rc < 0)
		rc = run_command(&o, argv + first);
	free(o.settings.log);
	free(o.settings.dirs);
	return rc;
}
