/* tests/exec.sh's program: runs a program through one entry point of the
 * exec family or posix_spawn, and is the program it runs too.
 *
 *   exec_call ENTRY FILE [ARG...]
 *     ENTRY: execve execv execvp execvpe execl execle execlp (this process
 *     becomes FILE; on failure prints "ERR errno=N ENAME" and exits 2),
 *     posix_spawn posix_spawnp (waits for the child; prints "OK status=N"
 *     or "ERR errno=N ENAME"). The program gets argv FILE ARG... (at most
 *     three ARGs for the variadic ones) and this environment, plus
 *     TG_EXEC_MARK=passed for the entries that take one.
 *   exec_call posix_spawn_cd DIR FILE [ARG...]
 *     posix_spawn with one file action, addchdir_np(DIR): a relative FILE
 *     is found in DIR by the child.
 *   exec_call --show [ARG...]
 *     prints "RAN ARG... mark=$TG_EXEC_MARK fds=N" (N: descriptors above
 *     2 it holds) and exits 7. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Called through pointers: a --coverage build (scripts/coverage) turns
 * direct calls of the exec family into libgcov's wrappers, which go on as
 * execv, execve and execvp, so the entry point under test would not be
 * the one called. */
static int (*volatile call_execve)(const char *, char *const[], char *const[]) = execve;
static int (*volatile call_execv)(const char *, char *const[]) = execv;
static int (*volatile call_execvp)(const char *, char *const[]) = execvp;
static int (*volatile call_execvpe)(const char *, char *const[], char *const[]) = execvpe;
static int (*volatile call_execl)(const char *, const char *, ...) = execl;
static int (*volatile call_execle)(const char *, const char *, ...) = execle;
static int (*volatile call_execlp)(const char *, const char *, ...) = execlp;

static int show(int argc, char **argv)
{
	int fds = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL)
		if (atoi(e->d_name) > 2)
			fds++;
	if (d != NULL)
		fds--; /* the directory's own */
	printf("RAN");
	for (int i = 2; i < argc; i++)
		printf(" %s", argv[i]);
	const char *mark = getenv("TG_EXEC_MARK");
	printf(" mark=%s fds=%d\n", mark ? mark : "", fds);
	fflush(stdout);
	if (d != NULL)
		closedir(d);
	return 7;
}

static int failed(int err)
{
	printf("ERR errno=%d %s\n", err, strerrorname_np(err));
	return 2;
}

/* The environment with the mark added. */
static char **marked_env(void)
{
	size_t n = 0;
	while (environ[n] != NULL)
		n++;
	char **env = calloc(n + 2, sizeof *env);
	if (env == NULL)
		exit(99);
	memcpy(env, environ, n * sizeof *env);
	env[n] = (char *)"TG_EXEC_MARK=passed";
	return env;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--show") == 0)
		return show(argc, argv);
	if (argc < 3) {
		fprintf(stderr, "usage: exec_call ENTRY FILE [ARG...]\n");
		return 99;
	}
	const char *entry = argv[1], *file = argv[2];
	posix_spawn_file_actions_t fa, *fap = NULL;
	if (strcmp(entry, "posix_spawn_cd") == 0 && argc >= 4) {
		posix_spawn_file_actions_init(&fa);
		if (posix_spawn_file_actions_addchdir_np(&fa, argv[2]) != 0)
			return 99;
		fap = &fa;
		entry = "posix_spawn";
		argv++;
		argc--;
		file = argv[2];
	}
	char **args = argv + 2; /* FILE ARG... NULL */
	int nargs = argc - 3;
	char *a[3] = { NULL, NULL, NULL };
	for (int i = 0; i < nargs && i < 3; i++)
		a[i] = args[i + 1];
	char **env = marked_env();
	fflush(stdout);
	if (strcmp(entry, "execve") == 0)
		call_execve(file, args, env);
	else if (strcmp(entry, "execv") == 0)
		call_execv(file, args);
	else if (strcmp(entry, "execvp") == 0)
		call_execvp(file, args);
	else if (strcmp(entry, "execvpe") == 0)
		call_execvpe(file, args, env);
	else if (strcmp(entry, "execl") == 0)
		call_execl(file, file, a[0], a[1], a[2], (char *)NULL);
	else if (strcmp(entry, "execle") == 0)
		/* the environment follows the first NULL */
		switch (nargs) {
		case 0: call_execle(file, file, (char *)NULL, env); break;
		case 1: call_execle(file, file, a[0], (char *)NULL, env); break;
		case 2: call_execle(file, file, a[0], a[1], (char *)NULL, env); break;
		default: call_execle(file, file, a[0], a[1], a[2], (char *)NULL, env);
		}
	else if (strcmp(entry, "execlp") == 0)
		call_execlp(file, file, a[0], a[1], a[2], (char *)NULL);
	else if (strcmp(entry, "posix_spawn") == 0 ||
		 strcmp(entry, "posix_spawnp") == 0) {
		pid_t pid;
		int rc = entry[11] == 'p'
				 ? posix_spawnp(&pid, file, fap, NULL, args, env)
				 : posix_spawn(&pid, file, fap, NULL, args, env);
		if (rc != 0)
			return failed(rc);
		int status;
		if (waitpid(pid, &status, 0) < 0)
			return failed(errno);
		printf("OK status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status)
							   : 128 + WTERMSIG(status));
		return 0;
	} else {
		fprintf(stderr, "exec_call: unknown entry %s\n", entry);
		return 99;
	}
	return failed(errno);
}
