/* tests/ipc.sh's victim: named IPC objects and posix_spawn file actions.
 * One line per result: "OK ..." or "ERR errno=N ENAME" (tg_result).
 *   connect PATH               connect a stream socket to PATH, send a
 *                              secret line on success
 *   sem-open NAME FLAGS        sem_open(NAME, FLAGS, 0666, 0), then post
 *   shm-open NAME FLAGS        shm_open(NAME, FLAGS, 0666), write a line
 *   spawn-late PATH FLAGS READY GO
 *                              register an open of PATH on the child's
 *                              stdout, create READY, wait for GO, then
 *                              spawn echo through it and destroy the
 *                              actions
 *   spawn-loop PATH FLAGS N destroy|reinit
 *                              N registrations and spawns, the actions
 *                              destroyed or initialized again each time;
 *                              then the number of descriptors open
 * FLAGS: names joined by '|' (RDONLY, WRONLY, RDWR, CREAT, EXCL, TRUNC,
 * APPEND, NOFOLLOW) or a number. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int result(int ok, int err)
{
	if (ok) {
		printf("OK pid=%d\n", (int)getpid());
		return 0;
	}
	const char *name = strerrorname_np(err);
	printf("ERR errno=%d %s pid=%d\n", err, name ? name : "?",
	       (int)getpid());
	return 1;
}

static int parse_flags(const char *s)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{ "RDONLY", O_RDONLY }, { "WRONLY", O_WRONLY },
		{ "RDWR", O_RDWR },     { "CREAT", O_CREAT },
		{ "EXCL", O_EXCL },     { "TRUNC", O_TRUNC },
		{ "APPEND", O_APPEND }, { "NOFOLLOW", O_NOFOLLOW },
	};
	char *end;
	long v = strtol(s, &end, 0);
	if (end != s && *end == '\0')
		return (int)v;
	int flags = 0;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "|");
		size_t i;
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i].name) == n &&
			    strncmp(names[i].name, p, n) == 0)
				break;
		if (i == sizeof names / sizeof names[0]) {
			printf("USAGE unknown flag in %s\n", s);
			exit(2);
		}
		flags |= names[i].value;
		p += n;
		if (*p)
			p++;
	}
	return flags;
}

static void wait_for(const char *file)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	for (int i = 0; i < 3000; i++) { /* 30 s at most */
		if (access(file, F_OK) == 0)
			return;
		nanosleep(&ts, NULL);
	}
	printf("ERR wait-timeout %s\n", file);
	exit(3);
}

static int cmd_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof a.sun_path)
		return result(0, ENAMETOOLONG);
	strcpy(a.sun_path, path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return result(0, errno);
	errno = 0;
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0)
		return result(0, errno);
	static const char secret[] = "VICTIM-SECRET\n";
	if (write(s, secret, sizeof secret - 1) != (ssize_t)(sizeof secret - 1))
		return result(0, errno);
	close(s);
	return result(1, 0);
}

static int cmd_sem_open(const char *name, const char *flags)
{
	sem_t *s = sem_open(name, parse_flags(flags), 0666, 0);
	if (s == SEM_FAILED)
		return result(0, errno);
	int value = -1;
	sem_post(s);
	sem_getvalue(s, &value);
	printf("VALUE %d\n", value);
	sem_close(s);
	return result(1, 0);
}

static int cmd_shm_open(const char *name, const char *flags)
{
	int fd = shm_open(name, parse_flags(flags), 0666);
	if (fd < 0)
		return result(0, errno);
	static const char data[] = "VICTIM-DATA\n";
	if ((parse_flags(flags) & O_ACCMODE) != O_RDONLY &&
	    write(fd, data, sizeof data - 1) != (ssize_t)(sizeof data - 1))
		return result(0, errno);
	close(fd);
	return result(1, 0);
}

static int spawn_echo(posix_spawn_file_actions_t *fa)
{
	char *argv[] = { "/bin/echo", "VICTIM-DATA", NULL };
	pid_t pid;
	fflush(stdout);
	int e = posix_spawn(&pid, "/bin/echo", fa, NULL, argv, environ);
	if (e != 0)
		return e;
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : EIO;
}

static int cmd_spawn_late(const char *path, const char *flags,
			  const char *ready, const char *go)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	int e = posix_spawn_file_actions_addopen(&fa, 1, path,
						 parse_flags(flags), 0666);
	printf("REGISTERED %d\n", e);
	fflush(stdout);
	close(open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	if (e != 0)
		return result(0, e);
	wait_for(go);
	e = spawn_echo(&fa);
	posix_spawn_file_actions_destroy(&fa);
	return result(e == 0, e);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return -1;
	int n = 0;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the directory's own */
}

static int cmd_spawn_loop(const char *path, const char *flags, int n,
			  const char *how)
{
	int reinit = strcmp(how, "reinit") == 0;
	posix_spawn_file_actions_t fa;
	int e = 0;
	for (int i = 0; i < n && e == 0; i++) {
		posix_spawn_file_actions_init(&fa);
		e = posix_spawn_file_actions_addopen(&fa, 1, path,
						     parse_flags(flags), 0666);
		if (e == 0)
			e = spawn_echo(&fa);
		if (!reinit) /* else left to be initialized again */
			posix_spawn_file_actions_destroy(&fa);
	}
	if (reinit) { /* a last init over the old actions, as the loop's next */
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_destroy(&fa);
	}
	printf("FDS %d\n", count_fds());
	return result(e == 0, e);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && strcmp(argv[1], "connect") == 0)
		return cmd_connect(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "sem-open") == 0)
		return cmd_sem_open(argv[2], argv[3]);
	if (argc >= 4 && strcmp(argv[1], "shm-open") == 0)
		return cmd_shm_open(argv[2], argv[3]);
	if (argc >= 6 && strcmp(argv[1], "spawn-late") == 0)
		return cmd_spawn_late(argv[2], argv[3], argv[4], argv[5]);
	if (argc >= 6 && strcmp(argv[1], "spawn-loop") == 0)
		return cmd_spawn_loop(argv[2], argv[3], atoi(argv[4]), argv[5]);
	fprintf(stderr, "usage: ipc connect|sem-open|shm-open|spawn-late|"
			"spawn-loop ...\n");
	return 2;
}
