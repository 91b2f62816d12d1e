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
 * Written the way legacy programs are: no O_EXCL, no checks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && strcmp(argv[1], "handoff") == 0)
		return handoff(argv[2], argv[3], argv[4]);
	if (argc == 5 && strcmp(argv[1], "loop") == 0)
		return loop(argv[2], atoi(argv[3]), atol(argv[4]));
	fputs("usage: attack_victim handoff fork|exec TEMPLATE RELEASE\n"
	      "       attack_victim loop TEMPLATE N DELAY_US\n",
	      stderr);
	return 2;
}
