/* legacy — a deliberately old-fashioned program for tmpguard's integration
 * tests. Each subcommand makes one unsafe temporary-file call through the
 * real libc API, so that each build variant (plain, fortified, large-file,
 * both) imports the symbol a real legacy program of that kind imports.
 *
 * Output, on stdout, one machine-readable line per call:
 *   NAME <path>                       a name generator's result
 *   OK fd=N errno=E pid=P [...]       the call succeeded (errno after it;
 *                                     it was 0 before the call)
 *   ERR errno=N ENAME pid=P           the call failed
 * Exit status: 0 success, 1 the call failed, 2 usage, 3 a wait timed out.
 * Created regular files get the marker "VICTIM-DATA\n" written to them.
 *
 * Options, anywhere on the command line:
 *   --wait FILE   name generators: print the name, then wait until FILE
 *                 exists before creating (a deterministic race window)
 *   --hold FILE   after a successful call, wait until FILE exists before
 *                 closing and exiting (so /proc/PID/fd can be inspected)
 *
 * Flags arguments (FLAGS) are names joined by '|' (WRONLY|CREAT|TRUNC) or a
 * number; they are parsed at run time so the compiler never sees constant
 * flags: the fortified build must import __open_2, __openat_2 and friends.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* O_PATH, O_TMPFILE, mkostemp */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARKER "VICTIM-DATA\n"
#define NOINLINE __attribute__((noinline))

extern char **environ;

static const char *opt_wait;
static char name_buf2[PATH_MAX];
static const char *opt_hold;

/* Kept behind a volatile pointer so that even -O2 cannot fold the flags. */
static const char *volatile default_create_flags = "WRONLY|CREAT|TRUNC";

static const struct {
	const char *name;
	int value;
} flag_names[] = {
	{"RDONLY", O_RDONLY},     {"WRONLY", O_WRONLY},
	{"RDWR", O_RDWR},         {"CREAT", O_CREAT},
	{"EXCL", O_EXCL},         {"TRUNC", O_TRUNC},
	{"APPEND", O_APPEND},     {"NOFOLLOW", O_NOFOLLOW},
	{"NONBLOCK", O_NONBLOCK}, {"CLOEXEC", O_CLOEXEC},
	{"DIRECTORY", O_DIRECTORY}, {"TMPFILE", O_TMPFILE},
	{"PATH", O_PATH},
};

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{EPERM, "EPERM"},   {ENOENT, "ENOENT"},   {EINTR, "EINTR"},
	{EIO, "EIO"},       {ENXIO, "ENXIO"},     {EBADF, "EBADF"},
	{EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"},   {EACCES, "EACCES"},
	{EFAULT, "EFAULT"}, {EBUSY, "EBUSY"},     {EEXIST, "EEXIST"},
	{EXDEV, "EXDEV"},   {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},
	{EINVAL, "EINVAL"}, {ENFILE, "ENFILE"},   {EMFILE, "EMFILE"},
	{ETXTBSY, "ETXTBSY"}, {EFBIG, "EFBIG"},   {ENOSPC, "ENOSPC"},
	{EROFS, "EROFS"},   {EMLINK, "EMLINK"},   {ELOOP, "ELOOP"},
	{ENAMETOOLONG, "ENAMETOOLONG"}, {EOPNOTSUPP, "EOPNOTSUPP"},
	{ENOTEMPTY, "ENOTEMPTY"}, {EOVERFLOW, "EOVERFLOW"},
};

static const char *errname(int e)
{
	for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
		if (errno_names[i].err == e)
			return errno_names[i].name;
	return "E?";
}

static NOINLINE int parse_flags(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);
	if (end != s && *end == '\0')
		return (int)v;
	int flags = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, "|,");
		size_t i;
		for (i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
			if (strlen(flag_names[i].name) == n &&
			    strncmp(flag_names[i].name, p, n) == 0)
				break;
		if (i == sizeof flag_names / sizeof flag_names[0]) {
			fprintf(stdout, "USAGE unknown flag in %s\n", s);
			exit(2);
		}
		flags |= flag_names[i].value;
		p += n;
		if (*p)
			p++;
	}
	return flags;
}

/* The default create flags without stdio or allocation (for signal handlers
 * and vfork children); still invisible to the compiler as a constant. */
static int parse_flags_safe(void)
{
	const char *s = default_create_flags;
	return s[0] == 'W' ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
}

static mode_t parse_mode(const char *s, mode_t dflt)
{
	return s ? (mode_t)strtoul(s, NULL, 8) : dflt;
}

static void wait_for(const char *file)
{
	struct timespec ts = {0, 10 * 1000 * 1000};
	for (int i = 0; i < 3000; i++) { /* 30 s at most */
		if (access(file, F_OK) == 0)
			return;
		nanosleep(&ts, NULL);
	}
	printf("ERR wait-timeout %s\n", file);
	exit(3);
}

static int fail(int e)
{
	printf("ERR errno=%d %s pid=%d\n", e, errname(e), (int)getpid());
	fflush(stdout);
	return 1;
}

static void hold(void)
{
	fflush(stdout);
	if (opt_hold)
		wait_for(opt_hold);
}

/* Report a descriptor result: write the marker when writable, else read. */
static int fd_result(int fd, int e, int flags)
{
	if (fd < 0)
		return fail(e);
	printf("OK fd=%d errno=%d pid=%d\n", fd, e, (int)getpid());
	if ((flags & O_ACCMODE) != O_RDONLY && !(flags & O_PATH)) {
		if (write(fd, MARKER, strlen(MARKER)) < 0)
			printf("WRITE-FAILED errno=%d\n", errno);
	}
	hold();
	close(fd);
	return 0;
}

static int file_result(FILE *f, int e, const char *mode)
{
	if (!f)
		return fail(e);
	printf("OK fd=%d errno=%d pid=%d\n", fileno(f), e, (int)getpid());
	if (mode[0] != 'r' || strchr(mode, '+')) {
		fputs(MARKER, f);
		fflush(f);
	}
	hold();
	fclose(f);
	return 0;
}

/* ---- the open family ------------------------------------------------- */

/* open(p, flags_var, mode): 3 arguments -> open / open64 */
static NOINLINE int cmd_open(const char *path, const char *fl, const char *md)
{
	int flags = parse_flags(fl ? fl : default_create_flags);
	mode_t mode = parse_mode(md, 0666);
	errno = 0;
	int fd = open(path, flags, mode);
	return fd_result(fd, errno, flags);
}

/* open(p, flags_var): 2 arguments -> open / open64 / __open_2 / __open64_2.
 * Only for flags without O_CREAT (fortify aborts on O_CREAT without mode). */
static NOINLINE int cmd_open2(const char *path, const char *fl)
{
	int flags = parse_flags(fl);
	errno = 0;
	int fd = open(path, flags);
	return fd_result(fd, errno, flags);
}

static int open_dir(const char *dir)
{
	if (strcmp(dir, "-") == 0)
		return AT_FDCWD;
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	if (d < 0) {
		fail(errno);
		exit(1);
	}
	return d;
}

/* openat(d, p, flags_var, mode) -> openat / openat64 */
static NOINLINE int cmd_openat(const char *dir, const char *name,
			       const char *fl, const char *md)
{
	int d = open_dir(dir);
	int flags = parse_flags(fl ? fl : default_create_flags);
	mode_t mode = parse_mode(md, 0666);
	errno = 0;
	int fd = openat(d, name, flags, mode);
	return fd_result(fd, errno, flags);
}

/* openat(d, p, flags_var) -> openat / openat64 / __openat_2 / __openat64_2 */
static NOINLINE int cmd_openat2(const char *dir, const char *name,
				const char *fl)
{
	int d = open_dir(dir);
	int flags = parse_flags(fl);
	errno = 0;
	int fd = openat(d, name, flags);
	return fd_result(fd, errno, flags);
}

static NOINLINE int cmd_creat(const char *path, const char *md)
{
	mode_t mode = parse_mode(md, 0666);
	errno = 0;
	int fd = creat(path, mode);
	return fd_result(fd, errno, O_WRONLY);
}

/* ---- stdio ------------------------------------------------------------ */

static NOINLINE int cmd_fopen(const char *path, const char *mode)
{
	errno = 0;
	FILE *f = fopen(path, mode);
	return file_result(f, errno, mode);
}

static NOINLINE int cmd_freopen(const char *path, const char *mode)
{
	FILE *f = fdopen(dup(1), "w");
	if (!f)
		return fail(errno);
	errno = 0;
	FILE *g = freopen(path, mode, f);
	return file_result(g, errno, mode);
}

static NOINLINE int cmd_tmpfile(void)
{
	errno = 0;
	FILE *f = tmpfile();
	if (!f)
		return fail(errno);
	char proc[64], link[PATH_MAX + 1];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(f));
	ssize_t n = readlink(proc, link, PATH_MAX);
	link[n < 0 ? 0 : n] = '\0';
	printf("OK fd=%d errno=%d pid=%d link=%s\n", fileno(f), errno,
	       (int)getpid(), link);
	fputs(MARKER, f);
	fflush(f);
	hold();
	fclose(f);
	return 0;
}

/* Dedup checks: the same call site, one path many times / many paths. */
static NOINLINE int cmd_fopen_loop(const char *path, const char *count)
{
	int n = atoi(count), bad = 0;
	for (int i = 0; i < n; i++) {
		FILE *f = fopen(path, "w");
		if (!f)
			bad++;
		else
			fclose(f);
	}
	printf("%s opened=%d failed=%d pid=%d\n", bad ? "ERR" : "OK", n - bad,
	       bad, (int)getpid());
	return bad ? 1 : 0;
}

static NOINLINE int cmd_fopen_many(const char *prefix, const char *count)
{
	int n = atoi(count), bad = 0;
	char path[PATH_MAX];
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s.%d", prefix, i);
		FILE *f = fopen(path, "w");
		if (!f)
			bad++;
		else
			fclose(f);
	}
	printf("%s opened=%d failed=%d pid=%d\n", bad ? "ERR" : "OK", n - bad,
	       bad, (int)getpid());
	return bad ? 1 : 0;
}

/* ---- directories and special files ------------------------------------ */

static int rc_result(int rc, int e)
{
	if (rc < 0)
		return fail(e);
	printf("OK rc=%d errno=%d pid=%d\n", rc, e, (int)getpid());
	hold();
	return 0;
}

/* ---- the safe creators: observed only ---------------------------------- */

static NOINLINE int cmd_mkstemp(const char *tmpl)
{
	snprintf(name_buf2, sizeof name_buf2, "%s", tmpl);
	errno = 0;
	int fd = mkstemp(name_buf2);
	if (fd >= 0)
		printf("NAME %s\n", name_buf2);
	return fd_result(fd, errno, O_RDWR);
}

static NOINLINE int cmd_mkdtemp(const char *tmpl)
{
	snprintf(name_buf2, sizeof name_buf2, "%s", tmpl);
	errno = 0;
	char *d = mkdtemp(name_buf2);
	if (d)
		printf("NAME %s\n", d);
	return rc_result(d ? 0 : -1, errno);
}

static NOINLINE int cmd_mkdir(const char *path, const char *md)
{
	errno = 0;
	int rc = mkdir(path, parse_mode(md, 0777));
	return rc_result(rc, errno);
}

static NOINLINE int cmd_mkdirat(const char *dir, const char *name,
				const char *md)
{
	int d = open_dir(dir);
	errno = 0;
	int rc = mkdirat(d, name, parse_mode(md, 0777));
	return rc_result(rc, errno);
}

static NOINLINE int cmd_mkfifo(const char *path, const char *md)
{
	errno = 0;
	int rc = mkfifo(path, parse_mode(md, 0666));
	return rc_result(rc, errno);
}

static NOINLINE int cmd_mkfifoat(const char *dir, const char *name,
				 const char *md)
{
	int d = open_dir(dir);
	errno = 0;
	int rc = mkfifoat(d, name, parse_mode(md, 0666));
	return rc_result(rc, errno);
}

static NOINLINE int cmd_mknod(const char *path, const char *md)
{
	errno = 0;
	int rc = mknod(path, S_IFIFO | parse_mode(md, 0666), 0);
	return rc_result(rc, errno);
}

static NOINLINE int cmd_mknodat(const char *dir, const char *name,
				const char *md)
{
	int d = open_dir(dir);
	errno = 0;
	int rc = mknodat(d, name, S_IFIFO | parse_mode(md, 0666), 0);
	return rc_result(rc, errno);
}

/* ---- posix_spawn with a redirection ----------------------------------- */

static NOINLINE int cmd_spawn_redirect(const char *path)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	int flags = parse_flags(default_create_flags);
	int e = posix_spawn_file_actions_addopen(&fa, 1, path, flags, 0666);
	if (e != 0) {
		printf("ERR addopen errno=%d %s pid=%d\n", e, errname(e),
		       (int)getpid());
		return 1;
	}
	char *argv[] = {"/bin/echo", "VICTIM-DATA", NULL};
	pid_t pid;
	fflush(stdout);
	e = posix_spawn(&pid, "/bin/echo", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e != 0)
		return fail(e);
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return fail(errno);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("ERR child status=%d pid=%d\n", st, (int)getpid());
		return 1;
	}
	printf("OK child=%d pid=%d\n", (int)pid, (int)getpid());
	return 0;
}

/* ---- POSIX: open returns the lowest-numbered free descriptor ----------- */

/* close(0), then CALL on PATH: the classic "reopen stdin/stdout on a file"
 * idiom relies on getting descriptor 0 back. */
static NOINLINE int cmd_lowest_fd(const char *call, const char *path)
{
	int flags = parse_flags(default_create_flags), fd;
	close(0);
	errno = 0;
	if (!strcmp(call, "creat")) {
		fd = creat(path, 0666);
	} else if (!strcmp(call, "openat")) {
		fd = openat(AT_FDCWD, path, flags, 0666);
	} else if (!strcmp(call, "fopen")) {
		FILE *f = fopen(path, "w");
		fd = f ? fileno(f) : -1;
	} else {
		fd = open(path, flags, 0666);
	}
	if (fd < 0)
		return fail(errno);
	printf("OK fd=%d errno=%d pid=%d\n", fd, errno, (int)getpid());
	return 0;
}

/* freopen(PATH, MODE, stdout), the "send my output to a file" idiom: the
 * stream must stay on descriptor 1, so that children inherit the file. The
 * result line goes to a copy of the original stdout. */
static NOINLINE int cmd_freopen_stdout(const char *path, const char *mode)
{
	int report = dup(1);
	errno = 0;
	FILE *f = freopen(path, mode, stdout);
	int e = errno;
	if (!f) {
		dprintf(report, "ERR errno=%d %s pid=%d\n", e, errname(e), (int)getpid());
		return 1;
	}
	dprintf(report, "OK fd=%d errno=%d pid=%d\n", fileno(f), e, (int)getpid());
	fputs(MARKER, f);
	fflush(f);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	char *argv[] = {"/bin/echo", "CHILD-DATA", NULL};
	pid_t pid;
	if (posix_spawn(&pid, "/bin/echo", &fa, NULL, argv, environ) == 0)
		waitpid(pid, NULL, 0);
	posix_spawn_file_actions_destroy(&fa);
	return 0;
}

/* ---- hostile environments: threads, signal handlers, vfork ------------- */

static const char *thread_prefix;

static void *thread_main(void *arg)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s.%ld", thread_prefix, (long)(intptr_t)arg);
	FILE *f = fopen(path, "w");
	if (!f)
		return (void *)1;
	fputs(MARKER, f);
	fclose(f);
	return NULL;
}

/* N threads, each fopen(PREFIX.i, "w") at the same time. */
static NOINLINE int cmd_threads(const char *count, const char *prefix)
{
	int n = atoi(count), bad = 0;
	pthread_t t[64];
	if (n > 64)
		n = 64;
	thread_prefix = prefix;
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, thread_main, (void *)(intptr_t)i))
			return fail(errno);
	for (int i = 0; i < n; i++) {
		void *r;
		pthread_join(t[i], &r);
		if (r)
			bad++;
	}
	printf("%s threads=%d failed=%d pid=%d\n", bad ? "ERR" : "OK", n, bad,
	       (int)getpid());
	return bad ? 1 : 0;
}

static const char *volatile signal_path;
static volatile sig_atomic_t signal_fd = -2, signal_errno;

static void on_alarm(int sig)
{
	int e = errno;
	int fd = open(signal_path, parse_flags_safe(), 0666);
	signal_errno = errno;
	if (fd >= 0) {
		if (write(fd, MARKER, sizeof MARKER - 1) < 0)
			signal_errno = errno;
		close(fd);
	}
	signal_fd = fd;
	errno = e;
	(void)sig;
}

/* open(O_WRONLY|O_CREAT|O_TRUNC) from inside a signal handler. */
static NOINLINE int cmd_signal_open(const char *path)
{
	signal_path = path;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	raise(SIGALRM);
	if (signal_fd < 0)
		return fail(signal_errno);
	printf("OK in-handler pid=%d\n", (int)getpid());
	return 0;
}

/* open(O_WRONLY|O_CREAT|O_TRUNC) in a vfork child before _exit. */
static NOINLINE int cmd_vfork_open(const char *path)
{
	int flags = parse_flags_safe();
	pid_t pid = vfork();
	if (pid == 0) {
		int fd = open(path, flags, 0666);
		if (fd < 0)
			_exit(10 + (errno & 0x7f));
		if (write(fd, MARKER, sizeof MARKER - 1) < 0)
			_exit(2);
		_exit(0);
	}
	if (pid < 0)
		return fail(errno);
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return fail(errno);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (WIFEXITED(st) && WEXITSTATUS(st) >= 10)
			return fail(WEXITSTATUS(st) - 10);
		printf("ERR child status=%d pid=%d\n", st, (int)getpid());
		return 1;
	}
	printf("OK child=%d pid=%d\n", (int)pid, (int)getpid());
	return 0;
}

/* ---- reading only ------------------------------------------------------ */

static NOINLINE int cmd_read(int argc, char **argv)
{
	long total = 0;
	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0)
			return fail(errno);
		char buf[4096];
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0)
			total += n;
		close(fd);
	}
	printf("OK bytes=%ld pid=%d\n", total, (int)getpid());
	return 0;
}

/* ---- name generators, then a creation --------------------------------- */

static char name_buf[PATH_MAX];

/* Keeps the call before it from becoming a tail call, so that the return
 * address the library reports lies inside the calling function. */
#define NO_TAIL_CALL() __asm__ volatile("" ::: "memory")

static NOINLINE const char *gen_mktemp(char *tmpl)
{
	snprintf(name_buf, sizeof name_buf, "%s", tmpl);
	const char *r = mktemp(name_buf);
	NO_TAIL_CALL();
	return r;
}

static NOINLINE const char *gen_tmpnam(void)
{
	const char *r = tmpnam(NULL);
	NO_TAIL_CALL();
	return r;
}

static NOINLINE const char *gen_tmpnam_r(void)
{
	static char buf[L_tmpnam];
	const char *r = tmpnam_r(buf);
	NO_TAIL_CALL();
	return r;
}

static NOINLINE const char *gen_tempnam(const char *dir, const char *pfx)
{
	const char *r = tempnam(strcmp(dir, "-") ? dir : NULL,
				strcmp(pfx, "-") ? pfx : NULL);
	NO_TAIL_CALL();
	return r;
}

/* legacy names GEN COUNT [ARGS]: print COUNT generated names. */
static int cmd_names(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *gen = argv[0];
	int n = atoi(argv[1]);
	for (int i = 0; i < n; i++) {
		const char *p;
		if (!strcmp(gen, "mktemp") && argc >= 3)
			p = gen_mktemp(argv[2]);
		else if (!strcmp(gen, "tmpnam"))
			p = gen_tmpnam();
		else if (!strcmp(gen, "tmpnam_r"))
			p = gen_tmpnam_r();
		else if (!strcmp(gen, "tempnam") && argc >= 4)
			p = gen_tempnam(argv[2], argv[3]);
		else
			return 2;
		if (!p || !*p)
			return fail(errno);
		printf("NAME %s\n", p);
		if (!strcmp(gen, "tempnam"))
			free((void *)p);
	}
	return 0;
}

/* legacy GEN-USE [GEN ARGS] [USE ARGS]:
 *   GEN: mktemp TEMPLATE | tmpnam | tmpnam_r | tempnam DIR PFX  ("-" = NULL)
 *   USE: open [FLAGS [MODE]] | open2 FLAGS | openat [FLAGS [MODE]] (AT_FDCWD)
 *        | openat2 FLAGS | creat | fopen [MODE] | freopen [MODE] | mkdir
 *        | mkfifo | mknod */
static int cmd_gen_use(const char *gen, const char *use, int argc, char **argv)
{
	const char *name;
	int used;
	if (!strcmp(gen, "mktemp") && argc >= 1) {
		name = gen_mktemp(argv[0]);
		used = 1;
	} else if (!strcmp(gen, "tmpnam")) {
		name = gen_tmpnam();
		used = 0;
	} else if (!strcmp(gen, "tmpnam_r")) {
		name = gen_tmpnam_r();
		used = 0;
	} else if (!strcmp(gen, "tempnam") && argc >= 2) {
		name = gen_tempnam(argv[0], argv[1]);
		used = 2;
	} else {
		return 2;
	}
	if (!name || !*name)
		return fail(errno);
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s", name);
	printf("NAME %s\n", path);
	fflush(stdout);
	if (opt_wait)
		wait_for(opt_wait);
	argc -= used;
	argv += used;
	const char *a1 = argc > 0 ? argv[0] : NULL;
	const char *a2 = argc > 1 ? argv[1] : NULL;
	if (!strcmp(use, "open"))
		return cmd_open(path, a1, a2);
	if (!strcmp(use, "open2"))
		return cmd_open2(path, a1 ? a1 : "RDONLY");
	if (!strcmp(use, "openat"))
		return cmd_openat("-", path, a1, a2);
	if (!strcmp(use, "openat2"))
		return cmd_openat2("-", path, a1 ? a1 : "RDONLY");
	if (!strcmp(use, "creat"))
		return cmd_creat(path, a1);
	if (!strcmp(use, "fopen"))
		return cmd_fopen(path, a1 ? a1 : "w");
	if (!strcmp(use, "freopen"))
		return cmd_freopen(path, a1 ? a1 : "w");
	if (!strcmp(use, "mkdir"))
		return cmd_mkdir(path, a1);
	if (!strcmp(use, "mkfifo"))
		return cmd_mkfifo(path, a1);
	if (!strcmp(use, "mknod"))
		return cmd_mknod(path, a1);
	return 2;
}

static int usage(void)
{
	fputs("usage: legacy [--wait FILE] [--hold FILE] COMMAND ARGS\n"
	      "  open PATH [FLAGS [MODE]]   open2 PATH FLAGS\n"
	      "  openat DIR NAME [FLAGS [MODE]]   openat2 DIR NAME FLAGS\n"
	      "  creat PATH [MODE]   fopen PATH MODE   freopen PATH MODE\n"
	      "  tmpfile   fopen-loop PATH N   fopen-many PREFIX N\n"
	      "  mkdir PATH [MODE]   mkdirat DIR NAME [MODE]\n"
	      "  mkfifo PATH [MODE]  mkfifoat DIR NAME [MODE]\n"
	      "  mknod PATH [MODE]   mknodat DIR NAME [MODE]   (S_IFIFO)\n"
	      "  spawn-redirect PATH   read PATH...   names GEN N [ARGS]\n"
	      "  threads N PREFIX   signal-open PATH   vfork-open PATH\n"
	      "  mkstemp TEMPLATE   mkdtemp TEMPLATE\n"
	      "  lowest-fd open|openat|creat|fopen PATH   (after close(0))\n"
	      "  freopen-stdout PATH MODE\n"
	      "  GEN-USE [GEN ARGS] [USE ARGS]  GEN: mktemp TEMPLATE | tmpnam |\n"
	      "    tmpnam_r | tempnam DIR PFX; USE: open open2 openat openat2\n"
	      "    creat fopen freopen mkdir mkfifo mknod\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	char *args[64];
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--wait") && i + 1 < argc)
			opt_wait = argv[++i];
		else if (!strcmp(argv[i], "--hold") && i + 1 < argc)
			opt_hold = argv[++i];
		else if (n < 63)
			args[n++] = argv[i];
	}
	args[n] = NULL;
	if (n < 1)
		return usage();
	const char *cmd = args[0];
	char **a = args + 1;
	int na = n - 1;
#define ARG(i) (na > (i) ? a[i] : NULL)

	if (!strcmp(cmd, "open") && na >= 1)
		return cmd_open(a[0], ARG(1), ARG(2));
	if (!strcmp(cmd, "open2") && na >= 2)
		return cmd_open2(a[0], a[1]);
	if (!strcmp(cmd, "openat") && na >= 2)
		return cmd_openat(a[0], a[1], ARG(2), ARG(3));
	if (!strcmp(cmd, "openat2") && na >= 3)
		return cmd_openat2(a[0], a[1], a[2]);
	if (!strcmp(cmd, "creat") && na >= 1)
		return cmd_creat(a[0], ARG(1));
	if (!strcmp(cmd, "fopen") && na >= 2)
		return cmd_fopen(a[0], a[1]);
	if (!strcmp(cmd, "freopen") && na >= 2)
		return cmd_freopen(a[0], a[1]);
	if (!strcmp(cmd, "tmpfile"))
		return cmd_tmpfile();
	if (!strcmp(cmd, "fopen-loop") && na >= 2)
		return cmd_fopen_loop(a[0], a[1]);
	if (!strcmp(cmd, "fopen-many") && na >= 2)
		return cmd_fopen_many(a[0], a[1]);
	if (!strcmp(cmd, "mkdir") && na >= 1)
		return cmd_mkdir(a[0], ARG(1));
	if (!strcmp(cmd, "mkdirat") && na >= 2)
		return cmd_mkdirat(a[0], a[1], ARG(2));
	if (!strcmp(cmd, "mkfifo") && na >= 1)
		return cmd_mkfifo(a[0], ARG(1));
	if (!strcmp(cmd, "mkfifoat") && na >= 2)
		return cmd_mkfifoat(a[0], a[1], ARG(2));
	if (!strcmp(cmd, "mknod") && na >= 1)
		return cmd_mknod(a[0], ARG(1));
	if (!strcmp(cmd, "mknodat") && na >= 2)
		return cmd_mknodat(a[0], a[1], ARG(2));
	if (!strcmp(cmd, "spawn-redirect") && na >= 1)
		return cmd_spawn_redirect(a[0]);
	if (!strcmp(cmd, "freopen-stdout") && na >= 2)
		return cmd_freopen_stdout(a[0], a[1]);
	if (!strcmp(cmd, "lowest-fd") && na >= 2)
		return cmd_lowest_fd(a[0], a[1]);
	if (!strcmp(cmd, "mkstemp") && na >= 1)
		return cmd_mkstemp(a[0]);
	if (!strcmp(cmd, "mkdtemp") && na >= 1)
		return cmd_mkdtemp(a[0]);
	if (!strcmp(cmd, "threads") && na >= 2)
		return cmd_threads(a[0], a[1]);
	if (!strcmp(cmd, "signal-open") && na >= 1)
		return cmd_signal_open(a[0]);
	if (!strcmp(cmd, "vfork-open") && na >= 1)
		return cmd_vfork_open(a[0]);
	if (!strcmp(cmd, "read") && na >= 1)
		return cmd_read(na, a);
	if (!strcmp(cmd, "names"))
		return cmd_names(na, a);

	const char *dash = strchr(cmd, '-');
	if (dash && dash != cmd) {
		char gen[32];
		size_t gl = (size_t)(dash - cmd);
		if (gl < sizeof gen) {
			memcpy(gen, cmd, gl);
			gen[gl] = '\0';
			int rc = cmd_gen_use(gen, dash + 1, na, a);
			if (rc != 2)
				return rc;
		}
	}
	return usage();
}
