/* tmpguard tests — a statically linked program (Makefile.am links it
 * -all-static) that no preload reaches, for tmpguard run --supervise:
 *
 *   supervise_victim create PATH      open(PATH, O_WRONLY|O_CREAT|O_TRUNC,
 *                                     0666), then writes VICTIM-DATA into it
 *   supervise_victim lowest PATH      the same after closing descriptor 0:
 *                                     open(2) gives the lowest free number
 *   supervise_victim creat PATH       creat(PATH, 0666), then writes
 *   supervise_victim read PATH        open(PATH, O_RDONLY), reads
 *   supervise_victim excl PATH        open(PATH, O_WRONLY|O_CREAT|O_EXCL)
 *   supervise_victim cloexec PATH     create with O_CLOEXEC
 *   supervise_victim wait FILE PATH   waits until FILE exists, then create
 *   supervise_victim threads PATH N   N threads create PATH.I at once (prints
 *                                     "PID N", its process id, first)
 *   supervise_victim fork PATH        a forked child creates PATH
 *   supervise_victim vfork PATH       a vfork child execs this program to
 *                                     create PATH
 *   supervise_victim openat2 PATH     openat2(PATH, O_WRONLY|O_CREAT|O_TRUNC)
 *   supervise_victim uring PATH       io_uring_setup(2): "URING ok" or
 *                                     "URING errno=N NAME" (PATH unused)
 *   supervise_victim signals PATH N   N creations of PATH.I while SIGALRM
 *                                     (an SA_RESTART handler) arrives every
 *                                     20 microseconds; prints "SIGNALS
 *                                     caught=C failed=F"
 * The path calls, each printing "DONE pid=P" or "ERR errno=N NAME pid=P":
 *   supervise_victim truncate PATH    truncate(PATH, 3)
 *   supervise_victim chmod PATH       chmod(PATH, 0666)
 *   supervise_victim chown PATH UID   chown(PATH, UID, UID)
 *   supervise_victim utimensat PATH   utimensat(AT_FDCWD, PATH, both times
 *                                     1000000000, 0)
 *   supervise_victim utime PATH       utime(PATH, NULL): now
 *   supervise_victim rename FROM TO   rename(FROM, TO)
 *   supervise_victim link FROM TO     link(FROM, TO)
 *
 * Each creation prints "OK fd=N free=M lowest=L flags=F cloexec=C" (M:
 * the lowest free descriptor before the call, which open(2) gives; L: 1
 * when N is M; F: the file's
 * flags, octal) or "ERR errno=N NAME". Exit status 0, 1 when a call
 * failed, 2 on usage. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

static const char *errno_name(int err)
{
	switch (err) {
	case EACCES: return "EACCES";
	case EEXIST: return "EEXIST";
	case ENOENT: return "ENOENT";
	case ENOSYS: return "ENOSYS";
	case ELOOP: return "ELOOP";
	case EISDIR: return "EISDIR";
	case ENOTDIR: return "ENOTDIR";
	case EBADF: return "EBADF";
	case EINTR: return "EINTR";
	case EPERM: return "EPERM";
	default: return "OTHER";
	}
}

/* the lowest free descriptor number, taken before each call */
static int lowest_free = -1;

static int lowest(void)
{
	int fd = dup(2);
	if (fd >= 0)
		close(fd);
	return fd;
}

static int report(int fd, const char *data)
{
	if (fd < 0) {
		int err = errno;
		printf("ERR errno=%d %s\n", err, errno_name(err));
		fflush(stdout);
		return 1;
	}
	int fdflags = fcntl(fd, F_GETFD);
	if (data != NULL && write(fd, data, strlen(data)) < 0) {
		printf("ERR write errno=%d %s\n", errno, errno_name(errno));
		return 1;
	}
	printf("OK fd=%d free=%d lowest=%d flags=%o cloexec=%d\n", fd,
	       lowest_free, fd == lowest_free, fcntl(fd, F_GETFL),
	       (fdflags & FD_CLOEXEC) != 0);
	fflush(stdout);
	return 0;
}

static const char data[] = "VICTIM-DATA\n";

static int done(int rc)
{
	if (rc < 0) {
		int err = errno;
		printf("ERR errno=%d %s pid=%ld\n", err, errno_name(err),
		       (long)getpid());
		return 1;
	}
	printf("DONE pid=%ld\n", (long)getpid());
	return 0;
}

/* The path calls: 2 when mode is none of them. */
static int path_call(const char *mode, int argc, char **argv)
{
	const char *path = argv[2], *to = argc > 3 ? argv[3] : NULL;
	if (strcmp(mode, "truncate") == 0)
		return done(truncate(path, 3));
	if (strcmp(mode, "chmod") == 0)
		return done(chmod(path, 0666));
	if (strcmp(mode, "chown") == 0 && to != NULL)
		return done(chown(path, (uid_t)atol(to), (gid_t)atol(to)));
	if (strcmp(mode, "utimensat") == 0) {
		struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		return done(utimensat(AT_FDCWD, path, ts, 0));
	}
	if (strcmp(mode, "utime") == 0)
		return done(utime(path, NULL));
	if (strcmp(mode, "rename") == 0 && to != NULL)
		return done(rename(path, to));
	if (strcmp(mode, "link") == 0 && to != NULL)
		return done(link(path, to));
	return 2;
}

static volatile sig_atomic_t caught;

static void on_alarm(int sig)
{
	(void)sig;
	caught++;
}

/* Every creation must succeed and get its data, however often a signal
 * interrupts it while it waits for the supervisor. */
static int signal_storm(const char *path, int n)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval every = { { 0, 20 }, { 0, 20 } };
	setitimer(ITIMER_REAL, &every, NULL);
	int failed = 0;
	for (int i = 0; i < n; i++) {
		char name[4096];
		snprintf(name, sizeof name, "%s.%d", path, i);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0 || write(fd, data, sizeof data - 1) != sizeof data - 1)
			failed++;
		if (fd >= 0)
			close(fd);
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	printf("SIGNALS caught=%d failed=%d\n", (int)caught, failed);
	return failed != 0;
}

static void *thread_create(void *arg)
{
	int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	return (void *)(long)report(fd, data);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: supervise_victim MODE PATH...\n");
		return 2;
	}
	const char *mode = argv[1], *path = argv[2];
	if (strcmp(mode, "lowest") == 0)
		close(0);
	lowest_free = lowest();
	if (strcmp(mode, "create") == 0)
		return report(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666), data);
	if (strcmp(mode, "lowest") == 0)
		return report(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666), data);
	if (strcmp(mode, "creat") == 0)
		return report(creat(path, 0666), data);
	if (strcmp(mode, "read") == 0) {
		char buf[64];
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : 0;
		if (n > 0) {
			buf[n] = '\0';
			printf("READ %s", buf);
		}
		return report(fd, NULL);
	}
	if (strcmp(mode, "excl") == 0)
		return report(open(path, O_WRONLY | O_CREAT | O_EXCL, 0666), data);
	if (strcmp(mode, "cloexec") == 0)
		return report(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				   0666), data);
	if (strcmp(mode, "wait") == 0 && argc == 4) {
		struct stat st;
		for (int i = 0; i < 2000 && stat(path, &st) < 0; i++)
			usleep(5000);
		lowest_free = lowest();
		return report(open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0666),
			      data);
	}
	if (strcmp(mode, "threads") == 0 && argc == 4) {
		int n = atoi(argv[3]);
		pthread_t t[64];
		char names[64][4096];
		if (n < 1 || n > 64)
			return 2;
		printf("PID %ld\n", (long)getpid());
		fflush(stdout);
		for (int i = 0; i < n; i++) {
			snprintf(names[i], sizeof names[i], "%s.%d", path, i);
			pthread_create(&t[i], NULL, thread_create, names[i]);
		}
		int failed = 0;
		for (int i = 0; i < n; i++) {
			void *rc;
			pthread_join(t[i], &rc);
			failed |= rc != NULL;
		}
		return failed;
	}
	if (strcmp(mode, "fork") == 0) {
		fflush(stdout);
		/* the system call: a coverage build wraps fork(), and its
		 * wrapper crashes the child of a static program */
		pid_t pid = (pid_t)syscall(SYS_fork);
		if (pid == 0)
			_exit(report(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666),
				     data));
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	if (strcmp(mode, "vfork") == 0) {
		fflush(stdout);
		char *args[] = { argv[0], (char *)"create", (char *)path, NULL };
		pid_t pid = vfork();
		if (pid == 0) {
			execv("/proc/self/exe", args);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	if (strcmp(mode, "openat2") == 0) {
		/* struct open_how: flags, mode, resolve */
		unsigned long long how[3] = { O_WRONLY | O_CREAT | O_TRUNC, 0666, 0 };
		return report((int)syscall(SYS_openat2, AT_FDCWD, path, how,
					   sizeof how), data);
	}
	if (strcmp(mode, "uring") == 0) {
		unsigned char params[120] = { 0 }; /* struct io_uring_params */
		int fd = (int)syscall(SYS_io_uring_setup, 1, params);
		if (fd < 0)
			printf("URING errno=%d %s\n", errno, errno_name(errno));
		else
			printf("URING ok\n");
		return 0;
	}
	if (strcmp(mode, "signals") == 0 && argc == 4)
		return signal_storm(path, atoi(argv[3]));
	int rc = path_call(mode, argc, argv);
	if (rc != 2)
		return rc;
	fprintf(stderr, "supervise_victim: bad mode %s\n", mode);
	return 2;
}
