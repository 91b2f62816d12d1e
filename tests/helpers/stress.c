/* stress — hostile host programs for tmpguard's reliability tests.
 *
 *   stress events DIR N RC        N opens (O_CREAT, no O_EXCL) of distinct
 *                                 names DIR/evI, one call site; exit RC. With
 *                                 TG_STRESS_PAUSE=FILE, waits (<= 10 s) for
 *                                 FILE to exist after the first open.
 *   stress threads DIR T I        T threads x I iterations, each: open,
 *                                 fopen, mkstemp, tmpfile, mkdir, mkfifo,
 *                                 tmpnam_r; every 4th iteration a fork
 *                                 child (open, _exit), every 4th+1 a vfork
 *                                 child (execve true), every 4th+2
 *                                 posix_spawn of true. Prints EXPECT N: the
 *                                 number of predictable-create events due.
 *   stress sigalrm DIR N [cold]   one open of DIR/warm (not when cold: then
 *                                 the first signal can arrive while the
 *                                 library reads its configuration), then N
 *                                 opens of distinct names while SIGALRM
 *                                 fires every 50 us; the handler opens
 *                                 DIR/sig (one call site, one path). Prints
 *                                 HANDLER K (runs of the handler).
 *   stress closeall DIR           open DIR/parent (logged), fork; the child
 *                                 closes every descriptor,
 *                                 opens DIR/ownI (I < 8, landing on fd 0..7),
 *                                 writes "OWN I\n" to each while making
 *                                 predictable opens DIR/cI, and exits 0.
 *   stress reuseall DIR           open DIR/parent (logged: the log file is
 *                                 open now), then DIR/own, and dup2 it onto
 *                                 every other descriptor from 3 up to the
 *                                 soft RLIMIT_NOFILE (at most 4096) less 16;
 *                                 then 8 predictable opens DIR/cI, each
 *                                 followed by "OWN I\n" written through the
 *                                 highest of those descriptors. Exit 0.
 *   stress dlopen LIB PATH        dlopen LIB, call its tg_test_lib_open(PATH).
 *   stress init                   nothing: the .init_array entry has run
 *                                 (opens $TG_INIT_PATH when set).
 * Exit status: RC / 0 success, 1 failure, 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *dir;

/* An ELF .init_array entry of the program itself: runs before main, and
 * before or after the preloaded library's constructor depending on the
 * loader's order; either way the hook must work. */
static void early_init(void)
{
	const char *p = getenv("TG_INIT_PATH");
	if (p) {
		int fd = open(p, O_WRONLY | O_CREAT, 0600);
		if (fd >= 0)
			close(fd);
	}
}
__attribute__((section(".init_array"), used)) static void (*early_ptr)(void) =
	early_init;

static int open_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int cmd_events(int n, int rc)
{
	const char *pause = getenv("TG_STRESS_PAUSE");
	char p[4096];
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof p, "%s/ev%d", dir, i);
		if (open_create(p) < 0)
			return 1;
		if (i == 0 && pause) {
			struct timespec t = { 0, 20000000 };
			for (int k = 0; k < 500 && access(pause, F_OK) != 0; k++)
				nanosleep(&t, NULL);
		}
	}
	return rc;
}

static int iters;
static int failed;

static void *worker(void *arg)
{
	long t = (long)arg;
	char p[4096];
	for (int i = 0; i < iters; i++) {
		snprintf(p, sizeof p, "%s/o%ld-%d", dir, t, i);
		if (open_create(p) < 0)
			__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
		snprintf(p, sizeof p, "%s/f%ld-%d", dir, t, i);
		FILE *f = fopen(p, "w");
		if (f)
			fclose(f);
		else
			__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
		snprintf(p, sizeof p, "%s/s%ld-%d.XXXXXX", dir, t, i);
		int fd = mkstemp(p);
		if (fd >= 0)
			close(fd), unlink(p);
		else
			__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
		f = tmpfile();
		if (f)
			fclose(f);
		snprintf(p, sizeof p, "%s/d%ld-%d.XXXXXX", dir, t, i);
		if (mkdtemp(p))
			rmdir(p);
		char nb[L_tmpnam];
		(void)tmpnam_r(nb);
		pid_t pid = -1;
		switch (i % 4) {
		case 0:
			pid = fork();
			if (pid == 0) {
				snprintf(p, sizeof p, "%s/c%ld-%d", dir, t, i);
				_exit(open_create(p) < 0 ? 1 : 0);
			}
			break;
		case 1: {
			char *argv[] = { "true", NULL };
			pid = vfork();
			if (pid == 0) {
				execve("/bin/true", argv, environ);
				_exit(127);
			}
			break;
		}
		case 2: {
			char *argv[] = { "true", NULL };
			if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv,
					environ) != 0)
				pid = -1;
			break;
		}
		}
		if (i % 4 < 3) {
			int st;
			if (pid < 0 || waitpid(pid, &st, 0) != pid ||
			    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
				__atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static int cmd_threads(int nt, int ni)
{
	pthread_t th[256];
	iters = ni;
	if (nt > 256)
		return 2;
	for (long t = 0; t < nt; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)t) != 0)
			return 1;
	for (int t = 0; t < nt; t++)
		pthread_join(th[t], NULL);
	/* open + fopen per iteration, and one open per fork child */
	printf("EXPECT %d\nFAILED %d\n", nt * ni * 2 + nt * ((ni + 3) / 4),
	       failed);
	return failed ? 1 : 0;
}

static volatile sig_atomic_t handler_runs;
static char sigpath[4096];

static void on_alarm(int sig)
{
	(void)sig;
	int saved = errno;
	int fd = open(sigpath, O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
	handler_runs++;
	errno = saved;
}

static int cmd_sigalrm(int n, int cold)
{
	char p[4096];
	snprintf(sigpath, sizeof sigpath, "%s/sig", dir);
	snprintf(p, sizeof p, "%s/warm", dir);
	if (!cold && open_create(p) < 0)
		return 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	setitimer(ITIMER_REAL, &it, NULL);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof p, "%s/m%d", dir, i);
		if (open_create(p) < 0 && errno != EINTR)
			bad++;
		FILE *f = tmpfile();
		if (f)
			fclose(f);
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	printf("HANDLER %d\nBAD %d\n", (int)handler_runs, bad);
	return bad ? 1 : 0;
}

static int cmd_closeall(void)
{
	char pp[4096];
	snprintf(pp, sizeof pp, "%s/parent", dir);
	if (open_create(pp) < 0) /* the parent logs before it forks */
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		for (int fd = 0; fd < 1024; fd++)
			close(fd);
		int fds[8];
		char p[4096], line[32];
		for (int i = 0; i < 8; i++) {
			snprintf(p, sizeof p, "%s/own%d", dir, i);
			fds[i] = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
			if (fds[i] != i)
				_exit(3);
		}
		for (int i = 0; i < 8; i++) {
			snprintf(p, sizeof p, "%s/c%d", dir, i);
			if (open_create(p) < 0)
				_exit(4);
			int n = snprintf(line, sizeof line, "OWN %d\n", i);
			if (write(fds[i], line, (size_t)n) != n)
				_exit(5);
		}
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	printf("CHILD %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

static int cmd_reuseall(void)
{
	char p[4096], line[32];
	snprintf(p, sizeof p, "%s/parent", dir);
	if (open_create(p) < 0)
		return 1;
	snprintf(p, sizeof p, "%s/own", dir);
	int own = open(p, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0600);
	if (own < 0)
		return 1;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1;
	int top = rl.rlim_cur > 4096 ? 4096 : (int)rl.rlim_cur;
	top -= 16; /* room for the library to open its log again */
	int last = own;
	for (int fd = 3; fd < top; fd++) {
		if (fd == own)
			continue;
		if (dup2(own, fd) != fd)
			return 1;
		last = fd;
	}
	for (int i = 0; i < 8; i++) {
		snprintf(p, sizeof p, "%s/c%d", dir, i);
		if (open_create(p) < 0)
			return 1;
		int n = snprintf(line, sizeof line, "OWN %d\n", i);
		if (write(last, line, (size_t)n) != n)
			return 1;
	}
	printf("LAST %d\n", last);
	return 0;
}

static int cmd_dlopen(const char *lib, const char *path)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 1;
	}
	int (*fn)(const char *) = (int (*)(const char *))dlsym(h, "tg_test_lib_open");
	if (!fn)
		return 1;
	int rc = fn(path);
	dlclose(h);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *cmd = argv[1];
	if (!strcmp(cmd, "init"))
		return 0;
	if (!strcmp(cmd, "dlopen") && argc == 4)
		return cmd_dlopen(argv[2], argv[3]);
	if (argc < 3)
		return 2;
	dir = argv[2];
	if (!strcmp(cmd, "events") && argc == 5)
		return cmd_events(atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(cmd, "threads") && argc == 5)
		return cmd_threads(atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(cmd, "sigalrm") && (argc == 4 || argc == 5))
		return cmd_sigalrm(atoi(argv[3]), argc == 5 && !strcmp(argv[4], "cold"));
	if (!strcmp(cmd, "closeall"))
		return cmd_closeall();
	if (!strcmp(cmd, "reuseall"))
		return cmd_reuseall();
	return 2;
}
