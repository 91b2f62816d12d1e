/* ident — processes and uids that change under the library: each step
 * creates a new file without O_EXCL in DIR (a predictable creation: one
 * event line, with pid and uid) and prints "STEP NAME PID" so that the test
 * can compare the line's pid and uid with the process's own.
 *
 *   ident DIR procs KIND...  the parent, then for each KIND (fork,
 *                     rawfork, vfork, clonevm) a child and the parent again
 *   ident DIR uids    (root) seteuid, setresuid, setreuid, a raw setresuid
 *                     system call, setuid in a child */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;

/* one predictable creation; the step line goes out with write(2), which a
 * vfork child may call */
static void step(const char *name)
{
	char path[4096], line[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	int n = snprintf(line, sizeof line, "STEP %s %ld %s\n", name,
			 (long)syscall(SYS_getpid), fd >= 0 ? "ok" : "failed");
	if (write(1, line, (size_t)n) < 0)
		_exit(3);
}

static void reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, __WALL) < 0)
		;
}

static int clone_child(void *arg)
{
	(void)arg;
	step("clonevm");
	return 0;
}

/* parent, then each child KIND followed by the parent again:
 * parent0 KIND1 parent1 KIND2 parent2 ... */
static int procs(int n, char **kinds)
{
	step("parent0");
	for (int i = 0; i < n; i++) {
		const char *k = kinds[i];
		pid_t pid;
		if (!strcmp(k, "fork")) {
			if ((pid = fork()) == 0) {
				step("fork");
				_exit(0);
			}
		} else if (!strcmp(k, "rawfork")) {
			/* no glibc, no atfork handlers */
			if ((pid = (pid_t)syscall(SYS_fork)) == 0) {
				step("rawfork");
				_exit(0);
			}
		} else if (!strcmp(k, "vfork")) {
			if ((pid = vfork()) == 0) {
				step("vfork");
				_exit(0);
			}
		} else if (!strcmp(k, "clonevm")) {
			static char stack[256 * 1024] __attribute__((aligned(16)));
			pid = clone(clone_child, stack + sizeof stack,
				    CLONE_VM | SIGCHLD, NULL);
		} else {
			return 2;
		}
		if (pid < 0)
			return 2;
		reap(pid);
		char name[32];
		snprintf(name, sizeof name, "parent%d", i + 1);
		step(name);
	}
	return 0;
}

static int uids(void)
{
	uid_t other = 65534;
	step("root1");
	if (seteuid(other) != 0)
		return 2;
	step("seteuid");
	if (seteuid(0) != 0)
		return 2;
	step("root2");
	if (setresuid((uid_t)-1, other, (uid_t)-1) != 0)
		return 2;
	step("setresuid");
	if (setresuid((uid_t)-1, 0, (uid_t)-1) != 0)
		return 2;
	step("root3");
	if (setreuid((uid_t)-1, other) != 0)
		return 2;
	step("setreuid");
	if (setreuid((uid_t)-1, 0) != 0)
		return 2;
	step("root4");
	/* no hook sees this one */
	if (syscall(SYS_setresuid, -1, other, -1) != 0)
		return 2;
	step("rawsetresuid");
	if (syscall(SYS_setresuid, -1, 0, -1) != 0)
		return 2;
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(other) != 0)
			_exit(2);
		step("setuid");
		_exit(0);
	}
	reap(pid);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ident DIR procs KIND...|uids\n");
		return 2;
	}
	dir = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(argv[2], "procs"))
		return procs(argc - 3, argv + 3);
	if (!strcmp(argv[2], "uids"))
		return uids();
	return 2;
}
