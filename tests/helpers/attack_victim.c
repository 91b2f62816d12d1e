/* attack_victim — victims for tmpguard's attack suite (tests/attack/).
 *
 *   attack_victim handoff fork|exec TEMPLATE RELEASE
 *       The parent names a file with mktemp(3), prints "NAME <path>", waits
 *       until RELEASE exists (the deterministic race window), then hands the
 *       name to a child that creates it: "fork" — a forked child fopen(w)s
 *       it; "exec" — the child execs /bin/sh, whose redirection creates it.
 *       Prints "OK" or "ERR errno=N ENAME" for the child's creation; exits
 *       with the child's status.
 *
 *   attack_victim loop TEMPLATE N DELAY_US
 *       N iterations of: name = mktemp(TEMPLATE); open(name,
 *       O_WRONLY|O_CREAT|O_TRUNC, 0644), write, close; DELAY_US of "work";
 *       fopen(name, "a"), append "VICTIM-DATA <i>"; then unlink. The name is
 *       visible (inotify) between the two opens. Prints the count of
 *       iterations whose first and second creation succeeded.
 *
 *   attack_victim spawn PATH RELEASE
 *       Registers posix_spawn_file_actions_addopen(1, PATH,
 *       O_WRONLY|O_CREAT|O_TRUNC, 0644), prints "NAME <path>", waits until
 *       RELEASE exists (the attacker plants after the registration), then
 *       posix_spawns /bin/echo VICTIM-DATA with that action.
 *
 *   attack_victim realpath PATH     realpath(3), then open the result
 *                                   O_WRONLY|O_TRUNC and write VICTIM-DATA
 *   attack_victim connect PATH      connect to a Unix socket, send VICTIM-DATA
 *   attack_victim fifo-write PATH   mkfifo (its failure reported, ignored, as
 *                                   scripts do), then open O_WRONLY and write
 *   attack_victim sem NAME          sem_open(NAME, O_CREAT, 0600, 0), sem_post
 *   attack_victim shm NAME FLAGS    shm_open(NAME, FLAGS, 0600), write
 *   attack_victim errloop PATH N FLAGS
 *       N times: open(PATH, FLAGS, 0644) (given up after 100 ms: a FIFO with
 *       no reader), write VICTIM-DATA, close, unlink; then one line
 *       "TALLY OK=n ENAME=n ..." of the outcomes.
 *   FLAGS: names joined by '|' (WRONLY|APPEND, RDWR|CREAT ...).
 *
 * For the attacker (run as tgattacker from a staged copy):
 *   attack_victim listen PATH OUT STOP   bind a 0666 Unix socket at PATH,
 *       print READY, append what each client sends to OUT, until STOP
 *       exists
 *   attack_victim sem-plant NAME         sem_open(O_CREAT|O_EXCL, 0666, 0)
 *   attack_victim sem-value NAME         prints "VALUE n"
 *
 * Results: "OK ..." or "ERR errno=N ENAME" on stdout.
 * Written the way legacy programs are: no O_EXCL, no checks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case EACCES: return "EACCES";
	case EEXIST: return "EEXIST";
	case ELOOP: return "ELOOP";
	case EISDIR: return "EISDIR";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case ENXIO: return "ENXIO";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case EINVAL: return "EINVAL";
	case ENOTDIR: return "ENOTDIR";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ETXTBSY: return "ETXTBSY";
	default: return "E?";
	}
}

static int wait_file(const char *path)
{
	for (int i = 0; i < 200; i++) { /* 10 s */
		if (access(path, F_OK) == 0)
			return 0;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return -1;
}

static int handoff(const char *how, const char *tmpl, const char *rel)
{
	char name[PATH_MAX];
	snprintf(name, sizeof name, "%s", tmpl);
	if (mktemp(name) == NULL || name[0] == '\0') {
		printf("ERR errno=%d %s (mktemp)\n", errno, ename(errno));
		return 1;
	}
	printf("NAME %s\n", name);
	fflush(stdout);
	if (wait_file(rel) != 0)
		return 3;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (strcmp(how, "exec") == 0) {
			execl("/bin/sh", "sh", "-c",
			      "printf 'VICTIM-DATA\\n' > \"$1\" && echo OK", "sh",
			      name, (char *)NULL);
			_exit(127);
		}
		FILE *f = fopen(name, "w");
		if (f == NULL) {
			printf("ERR errno=%d %s\n", errno, ename(errno));
			fflush(stdout);
			_exit(1);
		}
		fputs("VICTIM-DATA\n", f);
		fclose(f);
		printf("OK\n");
		fflush(stdout);
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int loop(const char *tmpl, int n, long delay_us)
{
	int done = 0;
	for (int i = 0; i < n; i++) {
		char name[PATH_MAX];
		snprintf(name, sizeof name, "%s", tmpl);
		if (mktemp(name) == NULL || name[0] == '\0')
			continue;
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			continue;
		if (write(fd, "HEADER\n", 7) != 7) {
			close(fd);
			continue;
		}
		close(fd);
		struct timespec ts = {0, delay_us * 1000};
		nanosleep(&ts, NULL);
		FILE *f = fopen(name, "a");
		if (f != NULL) {
			fprintf(f, "VICTIM-DATA %d\n", i);
			fclose(f);
			done++;
		}
		unlink(name);
	}
	printf("DONE %d of %d\n", done, n);
	return 0;
}

static int fail(const char *what)
{
	int e = errno;
	printf("ERR errno=%d %s (%s)\n", e, ename(e), what);
	return 1;
}

static int parse_flags(const char *s)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{"RDONLY", O_RDONLY}, {"WRONLY", O_WRONLY}, {"RDWR", O_RDWR},
		{"CREAT", O_CREAT},   {"EXCL", O_EXCL},     {"TRUNC", O_TRUNC},
		{"APPEND", O_APPEND},
	};
	int flags = 0;
	while (*s) {
		size_t n = strcspn(s, "|");
		size_t i;
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i].name) == n &&
			    strncmp(names[i].name, s, n) == 0)
				break;
		if (i == sizeof names / sizeof names[0]) {
			printf("USAGE unknown flag in %s\n", s);
			exit(2);
		}
		flags |= names[i].value;
		s += n + (s[n] != '\0');
	}
	return flags;
}

static int write_marker(int fd)
{
	static const char m[] = "VICTIM-DATA\n";
	if (write(fd, m, sizeof m - 1) != (ssize_t)(sizeof m - 1))
		return fail("write");
	return 0;
}

/* The action is registered first; the plant comes after it. */
static int spawn(const char *path, const char *rel)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	int e = posix_spawn_file_actions_addopen(
		&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (e != 0) {
		errno = e;
		return fail("posix_spawn_file_actions_addopen");
	}
	printf("NAME %s\n", path);
	if (wait_file(rel) != 0)
		return 3;
	char *args[] = {"/bin/echo", "VICTIM-DATA", NULL};
	extern char **environ;
	pid_t pid;
	e = posix_spawn(&pid, "/bin/echo", &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e != 0) {
		errno = e;
		return fail("posix_spawn");
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return fail("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("ERR child status %d\n", st);
		return 1;
	}
	printf("OK\n");
	return 0;
}

static int real_then_open(const char *path)
{
	char *r = realpath(path, NULL);
	if (r == NULL)
		return fail("realpath");
	printf("REAL %s\n", r);
	int fd = open(r, O_WRONLY | O_TRUNC);
	free(r);
	if (fd < 0)
		return fail("open");
	int rc = write_marker(fd);
	close(fd);
	if (rc == 0)
		printf("OK\n");
	return rc;
}

static int unix_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof a->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a->sun_path, path);
	return 0;
}

static int connect_send(const char *path)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || unix_addr(&a, path) < 0)
		return fail("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		return fail("connect");
	int rc = write_marker(fd);
	close(fd);
	if (rc == 0)
		printf("OK\n");
	return rc;
}

static int listen_collect(const char *path, const char *out, const char *stop)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || unix_addr(&a, path) < 0)
		return fail("socket");
	umask(0);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0)
		return fail("bind");
	printf("READY\n");
	for (int i = 0; i < 300 && access(stop, F_OK) != 0; i++) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		char buf[256];
		ssize_t n;
		int o = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
		while ((n = read(c, buf, sizeof buf)) > 0)
			if (o >= 0 && write(o, buf, (size_t)n) != n)
				break;
		if (o >= 0)
			close(o);
		close(c);
	}
	return 0;
}

static int fifo_write(const char *path)
{
	if (mkfifo(path, 0600) < 0)
		printf("MKFIFO errno=%d %s\n", errno, ename(errno));
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return fail("open");
	int rc = write_marker(fd);
	close(fd);
	if (rc == 0)
		printf("OK\n");
	return rc;
}

static int sem_cmd(const char *how, const char *name)
{
	sem_t *s;
	if (strcmp(how, "sem-plant") == 0) {
		umask(0);
		s = sem_open(name, O_CREAT | O_EXCL, 0666, 0);
	} else if (strcmp(how, "sem-value") == 0) {
		s = sem_open(name, 0);
	} else {
		s = sem_open(name, O_CREAT, 0600, 0);
	}
	if (s == SEM_FAILED)
		return fail("sem_open");
	int v = -1;
	if (strcmp(how, "sem-value") == 0) {
		sem_getvalue(s, &v);
		printf("VALUE %d\n", v);
	} else if (strcmp(how, "sem") == 0 && sem_post(s) < 0) {
		return fail("sem_post");
	} else {
		printf("OK\n");
	}
	sem_close(s);
	return 0;
}

static int shm_cmd(const char *name, const char *flags)
{
	int fd = shm_open(name, parse_flags(flags), 0600);
	if (fd < 0)
		return fail("shm_open");
	int rc = write_marker(fd);
	close(fd);
	if (rc == 0)
		printf("OK\n");
	return rc;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* errno values a refused or failed open may give, for the tally */
static const int tally_errs[] = {0,      EACCES, ENOENT, EEXIST, ELOOP,
				 ENXIO,  EAGAIN, EINTR,  EISDIR, EPERM};
#define NTALLY (sizeof tally_errs / sizeof tally_errs[0])

static int errloop(const char *path, int n, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART: a blocked open gives EINTR */
	sigaction(SIGALRM, &sa, NULL);
	long count[NTALLY + 1] = {0};
	for (int i = 0; i < n; i++) {
		/* every 100 ms, not once: the library's own system calls
		 * before the open (slowed by strace, in a slow build) may
		 * take the first signal, and an open blocked on a FIFO
		 * must still be interrupted */
		struct itimerval t = {{0, 100 * 1000}, {0, 100 * 1000}};
		setitimer(ITIMER_REAL, &t, NULL);
		int fd = open(path, flags, 0644);
		int e = errno;
		memset(&t, 0, sizeof t);
		setitimer(ITIMER_REAL, &t, NULL);
		if (fd >= 0) {
			write_marker(fd);
			close(fd);
			unlink(path);
			e = 0;
		}
		size_t k;
		for (k = 0; k < NTALLY && tally_errs[k] != e; k++)
			;
		count[k]++;
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	printf("TALLY");
	for (size_t k = 0; k <= NTALLY; k++)
		if (count[k])
			printf(" %s=%ld",
			       k == NTALLY ? "other"
			       : k == 0    ? "OK"
					   : ename(tally_errs[k]),
			       count[k]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && strcmp(argv[1], "handoff") == 0)
		return handoff(argv[2], argv[3], argv[4]);
	if (argc == 5 && strcmp(argv[1], "loop") == 0)
		return loop(argv[2], atoi(argv[3]), atol(argv[4]));
	if (argc == 4 && strcmp(argv[1], "spawn") == 0)
		return spawn(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "realpath") == 0)
		return real_then_open(argv[2]);
	if (argc == 3 && strcmp(argv[1], "connect") == 0)
		return connect_send(argv[2]);
	if (argc == 5 && strcmp(argv[1], "listen") == 0)
		return listen_collect(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "fifo-write") == 0)
		return fifo_write(argv[2]);
	if (argc == 3 && strncmp(argv[1], "sem", 3) == 0)
		return sem_cmd(argv[1], argv[2]);
	if (argc == 4 && strcmp(argv[1], "shm") == 0)
		return shm_cmd(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "errloop") == 0)
		return errloop(argv[2], atoi(argv[3]), parse_flags(argv[4]));
	fputs("usage: attack_victim handoff fork|exec TEMPLATE RELEASE\n"
	      "       attack_victim loop TEMPLATE N DELAY_US\n"
	      "       attack_victim spawn PATH RELEASE\n"
	      "       attack_victim realpath|connect|fifo-write PATH\n"
	      "       attack_victim listen PATH OUT STOP\n"
	      "       attack_victim sem|sem-plant|sem-value NAME\n"
	      "       attack_victim shm NAME FLAGS\n"
	      "       attack_victim errloop PATH N FLAGS\n",
	      stderr);
	return 2;
}
