/* tmpguard — the guard of the exec family and posix_spawn. The program
 * file a call runs, when its path resolves through a shared directory, is
 * walked under the rule (core/walk.h: TG_USE_EXEC, symbolic links followed
 * as exec follows them, each judged) and, in harden, run through the pin,
 * never by its name again; every program is also named to `tmpguard run`
 * when it listens (lib/log/emit.h). The p-variants do the same for the
 * candidate their PATH search runs, when some PATH entry resolves through
 * a shared directory; otherwise their own next definition searches. */
#ifndef TG_LIB_GUARD_EXEC_H
#define TG_LIB_GUARD_EXEC_H

#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>

enum tg_exec_outcome {
	TG_EXEC_FORWARD = 0, /* the program's own call, by name (a private
			      * path, or audit) */
	TG_EXEC_PINNED,      /* harden accepted the file: run x->pin */
	TG_EXEC_FAILED,      /* fail with x->err: EACCES when refused
			      * (x->refused), else what the kernel would say */
};

struct tg_exec {
	/* in */
	const char *func;   /* the entry point, for the event */
	const char *path;
	const void *caller;
	char *const *envp;  /* what the program runs with; NULL: environ */
	/* out */
	int pin;            /* TG_EXEC_PINNED: O_PATH, close-on-exec */
	struct stat st;     /* ... its fstat */
	int stable;         /* ... and path names it for as long as no trusted
			     * user changes that (core/walk.h) */
	int err;            /* TG_EXEC_FAILED */
	int refused;        /* ... by the rule */
};
#define TG_EXEC_INIT(fn, p, who) \
	{ .func = (fn), .path = (p), .caller = (who), .pin = -1 }

/* Decide for x->path (not NULL) and name it to run. Preserves errno. */
enum tg_exec_outcome tg_exec_begin(struct tg_exec *x);

/* Run the pinned file with execveat (AT_EMPTY_PATH). A script is run by
 * its path where that still names the pinned file (x->stable), so that it
 * sees its own name as $0; elsewhere its descriptor is kept open across
 * the exec, for its interpreter reads it as /dev/fd/N. envp: the
 * program's, or its environ for the calls that take none (have_envp 0).
 * shell: on ENOEXEC run /bin/sh on it, as execvp does. Returns only on
 * failure: -1, errno, the pin closed. */
int tg_exec_pinned(struct tg_exec *x, char *const argv[], char *const envp[],
		   int have_envp, int shell);

/* What a PATH search runs: 1 when some entry may resolve through a shared
 * directory (where.h's cheap test, no system call). path: $PATH's value or
 * NULL. */
int tg_exec_path_maybe(const char *path);

/* execvp, execvpe and execlp of a file without '/': when an entry of PATH
 * resolves through a shared directory, the search made here, as glibc's
 * (ENOEXEC runs /bin/sh, EACCES and a missing file go on to the next
 * entry, a refusal included), each candidate decided by tg_exec_begin;
 * returns -1 with errno. Otherwise names to run what the search will find
 * and returns 0: the caller forwards to its next definition. */
int tg_exec_search(const char *func, const char *file, char *const argv[],
		   char *const envp[], int have_envp, const void *caller);

typedef int (*tg_spawn_fn)(pid_t *pid, const char *path,
			   const posix_spawn_file_actions_t *fa,
			   const posix_spawnattr_t *attr, char *const argv[],
			   char *const envp[]);

/* posix_spawn of the pinned file, as /proc/self/fd/N (the child holds the
 * pin until its exec); a script by its path where that still names it
 * (x->stable), else through the pin kept open across the exec. Returns
 * next's error number; the pin is closed. */
int tg_spawn_pinned(struct tg_exec *x, tg_spawn_fn next, pid_t *pid,
		    const posix_spawn_file_actions_t *fa,
		    const posix_spawnattr_t *attr, char *const argv[],
		    char *const envp[]);

/* posix_spawnp of a file without '/': as tg_exec_search, spawning each
 * candidate with next (a posix_spawn). *done: 0 when the caller forwards
 * to its own next definition (also when file actions, which may change
 * the child's working directory, meet a relative entry of PATH); else
 * the error number is returned. */
int tg_spawn_search(const char *func, const char *file, tg_spawn_fn next,
		    pid_t *pid, const posix_spawn_file_actions_t *fa,
		    const posix_spawnattr_t *attr, char *const argv[],
		    char *const envp[], const void *caller, int *done);

#endif
