/* tmpguard bench — the micro workloads, and a timer.
 *
 *   workloads w1 N FILE          N x open(FILE, O_RDONLY) + close
 *   workloads w2 N DIR           N x open(DIR/same, O_CREAT|O_TRUNC|O_WRONLY, 0644)
 *                                + close, one existing file (created first)
 *   workloads w2new N DIR        the same, N distinct new files DIR/f<i>
 *   workloads w3r N FILE         N x fopen(FILE, "r") + fclose
 *   workloads w3w N DIR          N x fopen(DIR/same, "w") + fclose
 *   workloads w4mktemp N DIR     N x mktemp(DIR/tgbench.XXXXXX) + open(O_CREAT|
 *                                O_WRONLY|O_TRUNC, 0600) + close + unlink
 *   workloads w4mkstemp N DIR    N x mkstemp(DIR/tgbench.XXXXXX) + close + unlink
 *   workloads w5 N PROG          N x posix_spawn(PROG) + waitpid
 *   workloads w8chmod N FILE     N x chmod(FILE, 0644)
 *   workloads w8utimensat N FILE N x utimensat(AT_FDCWD, FILE, NULL, 0)
 *   workloads w8truncate N FILE  N x truncate(FILE, 0)
 *   workloads w8 N PROG          N x vfork + execve(PROG) + waitpid: the exec
 *                                hook in the child, then PROG's start-up
 *   workloads w8fail N PROG      N x execve(PROG) of a PROG that is not there
 *                                (ENOENT): the hook alone, for its
 *                                instruction count
 *   workloads w7 N [-e VAR=VAL]... -- CMD ARG...
 *                                N x posix_spawn(CMD ARG...) + waitpid, with
 *                                VAR=VAL added to CMD's environment only
 *   workloads time [-e VAR=VAL]... -- CMD ARG...
 *                                runs CMD with VAR=VAL set (only in CMD), waits
 *                                for it and prints "WALL_S CPU_S STATUS" on
 *                                stdout: wall clock, and user+sys of CMD and of
 *                                every descendant it waited for.
 * With BENCH_FILTER=min in the environment, a loop first installs a
 * seccomp filter of eight instructions that reads openat's flags (the
 * least any filter that traps a creating open runs on every openat): the
 * floor of what run --supervise's filter costs (SV rows, config min).
 * The loops check every result and exit 1 on the first failure. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "workloads: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_timer(int argc, char **argv)
{
	int i = 2;
	char **envs = calloc((size_t)argc, sizeof *envs);
	int ne = 0;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
			envs[ne++] = argv[++i];
		else {
			fprintf(stderr, "workloads time: bad argument %s\n", argv[i]);
			return 2;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "workloads time: no command\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		die("fork", NULL);
	if (pid == 0) {
		for (int k = 0; k < ne; k++)
			putenv(envs[k]);
		execvp(cmd[0], cmd);
		fprintf(stderr, "workloads time: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4", NULL);
	double wall = now() - t0;
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("%.6f %.6f %d\n", wall, cpu, status);
	return 0;
}

/* Is the variable of entry e ("NAME=...") one of env[0..n)? */
static int in_env(char **env, int n, const char *e)
{
	size_t len = strcspn(e, "=") + 1;
	for (int k = 0; k < n; k++)
		if (strncmp(env[k], e, len) == 0)
			return 1;
	return 0;
}

/* w7: what a CI job wrapping many short commands pays per command; the
 * variables go to CMD only, so that the loop itself runs without them. */
static int run_spawns(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	size_t nenv = 0;
	while (environ[nenv] != NULL)
		nenv++;
	char **envp = calloc(nenv + (size_t)argc + 1, sizeof *envp);
	if (envp == NULL)
		die("calloc", NULL);
	int ne = 0;
	int i = 3;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-e") != 0 || i + 1 >= argc) {
			fprintf(stderr, "workloads w7: bad argument %s\n", argv[i]);
			return 2;
		}
		envp[ne++] = argv[++i];
	}
	if (n <= 0 || i + 1 >= argc) {
		fprintf(stderr, "workloads w7: N and a command are needed\n");
		return 2;
	}
	int ours = ne;
	for (size_t k = 0; k < nenv; k++)
		if (!in_env(envp, ours, environ[k]))
			envp[ne++] = environ[k];
	char **cmd = argv + i + 1;
	for (long k = 0; k < n; k++) {
		pid_t pid;
		int rc = posix_spawn(&pid, cmd[0], NULL, NULL, cmd, envp);
		if (rc != 0) {
			errno = rc;
			die("posix_spawn", cmd[0]);
		}
		int st;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid", cmd[0]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "workloads: %s failed\n", cmd[0]);
			return 1;
		}
	}
	return 0;
}

/* openat with O_CREAT and without O_EXCL fails with EPERM (no loop makes
 * one under this config); everything else is allowed. */
static void install_min_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, O_CREAT | O_EXCL),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, O_CREAT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof f / sizeof f[0], f };
	/* prctl, not syscall(2): a program importing syscall is one run
	 * calls only partly protected, and says so */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		die("seccomp", "BENCH_FILTER=min");
}

int main(int argc, char **argv)
{
	const char *filter = getenv("BENCH_FILTER");
	if (filter != NULL && strcmp(filter, "min") == 0)
		install_min_filter();
	if (argc >= 2 && strcmp(argv[1], "time") == 0)
		return run_timer(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "w7") == 0)
		return run_spawns(argc, argv);
	if (argc != 4) {
		fprintf(stderr, "usage: workloads w1|w2|w2new|w3r|w3w|w4mktemp|w4mkstemp|w5|w8chmod|w8utimensat|w8truncate|w8|w8fail N ARG\n"
				"       workloads w7 N [-e VAR=VAL]... -- CMD ARG...\n"
				"       workloads time [-e VAR=VAL]... -- CMD ARG...\n");
		return 2;
	}
	const char *w = argv[1];
	long n = strtol(argv[2], NULL, 10);
	const char *arg = argv[3];
	char path[4096];

	if (strcmp(w, "w1") == 0) {
		for (long i = 0; i < n; i++) {
			int fd = open(arg, O_RDONLY);
			if (fd < 0)
				die("open", arg);
			close(fd);
		}
	} else if (strcmp(w, "w2") == 0 || strcmp(w, "w3w") == 0) {
		snprintf(path, sizeof path, "%s/same", arg);
		int fd = open(path, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			die("open", path);
		close(fd);
		for (long i = 0; i < n; i++) {
			if (w[1] == '2') {
				fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
				if (fd < 0)
					die("open", path);
				close(fd);
			} else {
				FILE *f = fopen(path, "w");
				if (!f)
					die("fopen", path);
				fclose(f);
			}
		}
	} else if (strcmp(w, "w2new") == 0) {
		for (long i = 0; i < n; i++) {
			snprintf(path, sizeof path, "%s/f%ld", arg, i);
			int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
			if (fd < 0)
				die("open", path);
			close(fd);
		}
	} else if (strcmp(w, "w3r") == 0) {
		for (long i = 0; i < n; i++) {
			FILE *f = fopen(arg, "r");
			if (!f)
				die("fopen", arg);
			fclose(f);
		}
	} else if (strcmp(w, "w4mktemp") == 0) {
		for (long i = 0; i < n; i++) {
			snprintf(path, sizeof path, "%s/tgbench.XXXXXX", arg);
			if (mktemp(path)[0] == '\0')
				die("mktemp", arg);
			int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
			if (fd < 0)
				die("open", path);
			close(fd);
			if (unlink(path) != 0)
				die("unlink", path);
		}
	} else if (strcmp(w, "w4mkstemp") == 0) {
		for (long i = 0; i < n; i++) {
			snprintf(path, sizeof path, "%s/tgbench.XXXXXX", arg);
			int fd = mkstemp(path);
			if (fd < 0)
				die("mkstemp", arg);
			close(fd);
			if (unlink(path) != 0)
				die("unlink", path);
		}
	} else if (strcmp(w, "w5") == 0) {
		char *const av[] = { (char *)arg, NULL };
		for (long i = 0; i < n; i++) {
			pid_t pid;
			int rc = posix_spawn(&pid, arg, NULL, NULL, av, environ);
			if (rc != 0) {
				errno = rc;
				die("posix_spawn", arg);
			}
			int st;
			while (waitpid(pid, &st, 0) < 0)
				if (errno != EINTR)
					die("waitpid", arg);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				fprintf(stderr, "workloads: %s failed\n", arg);
				return 1;
			}
		}
	} else if (strcmp(w, "w8chmod") == 0) {
		for (long i = 0; i < n; i++)
			if (chmod(arg, 0644) != 0)
				die("chmod", arg);
	} else if (strcmp(w, "w8utimensat") == 0) {
		for (long i = 0; i < n; i++)
			if (utimensat(AT_FDCWD, arg, NULL, 0) != 0)
				die("utimensat", arg);
	} else if (strcmp(w, "w8truncate") == 0) {
		for (long i = 0; i < n; i++)
			if (truncate(arg, 0) != 0)
				die("truncate", arg);
	} else if (strcmp(w, "w8fail") == 0) {
		char *const av[] = { (char *)arg, NULL };
		for (long i = 0; i < n; i++)
			if (execve(arg, av, environ) == 0 || errno != ENOENT)
				die("execve", arg);
	} else if (strcmp(w, "w8") == 0) {
		char *const av[] = { (char *)arg, NULL };
		for (long i = 0; i < n; i++) {
			pid_t pid = vfork();
			if (pid == 0) {
				execve(arg, av, environ);
				_exit(127);
			}
			if (pid < 0)
				die("vfork", arg);
			int st;
			while (waitpid(pid, &st, 0) < 0)
				if (errno != EINTR)
					die("waitpid", arg);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				fprintf(stderr, "workloads: %s failed\n", arg);
				return 1;
			}
		}
	} else {
		fprintf(stderr, "workloads: unknown workload %s\n", w);
		return 2;
	}
	return 0;
}
