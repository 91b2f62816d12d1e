/* tmpguard — the guard of the exec family and posix_spawn: the file a call
 * runs, judged where it resolves through a shared directory and run
 * through the pin; every program named to `tmpguard run`. Hooks call this
 * only for candidates (a path that may resolve through a shared directory,
 * or any exec while run listens). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/sys.h"
#include "core/syscall.h"
#include "lib/guard/create.h"
#include "lib/guard/exec.h"
#include "lib/guard/filter.h"
#include "lib/guard/where.h"
#include "lib/log/emit.h"
#include "lib/real.h"
#include "lib/state.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* A candidate of a PATH search: an entry, '/', the file. */
#define TG_CANDIDATE_MAX (PATH_MAX + NAME_MAX + 2)
/* What glibc's execvp runs a file the kernel will not execute with. */
#define TG_SHELL "/bin/sh"

/* ---- the decision --------------------------------------------------------- */

/* Named to run: what is about to run (under run --supervise, with the
 * filter first where the library will not follow: lib/guard/filter.h). A
 * PATH search names only a file that is there, not every entry it tries. */
static void tg_exec_report(const char *path, int only_if_there,
			   char *const envp[])
{
	if (!tg_run_is_listening())
		return;
	struct stat st;
	if (only_if_there &&
	    (tg_sys_fstatat(AT_FDCWD, path, &st, 0) < 0 || !S_ISREG(st.st_mode)))
		return;
	tg_filter_before_exec(path, envp);
	tg_emit_exec(path);
}

static enum tg_exec_outcome tg_exec_decide(struct tg_exec *x, int searching)
{
	struct tg_walk w;
	if (!(tg_where(AT_FDCWD, x->path, &w) & TG_WHERE_SHARED)) {
		tg_exec_report(x->path, searching, x->envp);
		return TG_EXEC_FORWARD;
	}
	enum tg_mode mode = tg_config()->mode;
	struct tg_trust trust = tg_where_trust();
	w.trust = &trust;
	w.use = TG_USE_EXEC;
	w.follow = 1; /* as exec follows them, each link judged on the way */
	w.check_stable = mode == TG_MODE_HARDEN;
	if (w.ids == NULL)
		w.ids = tg_state_dir_ids(&w.nids);
	int rc = tg_walk(&w);
	x->err = errno;
	if (rc < 0 && w.refused != TG_OBJ_OK)
		tg_guard_report(tg_report_plant(mode, w.refused, EACCES),
				x->func, x->path, x->caller);
	if (mode == TG_MODE_AUDIT) {
		tg_walk_done(&w);
		tg_exec_report(x->path, searching, x->envp);
		return TG_EXEC_FORWARD;
	}
	if (rc == 0 && w.fd < 0) { /* the final name is not there */
		rc = -1;
		x->err = ENOENT;
	}
	if (rc < 0) {
		x->refused = w.refused != TG_OBJ_OK;
		tg_walk_done(&w);
		return TG_EXEC_FAILED;
	}
	x->pin = w.fd;
	x->st = w.st;
	x->stable = w.stable;
	if (w.pfd == w.fd) /* a directory named as "dir/." */
		w.pfd = -1;
	w.fd = -1;
	tg_walk_done(&w);
	if (S_ISREG(x->st.st_mode) && (x->st.st_mode & 0111))
		tg_exec_report(x->path, 0, x->envp); /* else the kernel refuses it */
	return TG_EXEC_PINNED;
}

static enum tg_exec_outcome tg_exec_begin_as(struct tg_exec *x, int searching)
{
	int saved = errno;
	x->pin = -1;
	x->err = 0;
	x->refused = 0;
	x->stable = 0;
	enum tg_exec_outcome out = tg_exec_decide(x, searching);
	errno = saved;
	return out;
}

enum tg_exec_outcome tg_exec_begin(struct tg_exec *x)
{
	return tg_exec_begin_as(x, 0);
}

/* ---- running the pin -------------------------------------------------------- */

/* glibc's execvp on ENOEXEC: /bin/sh FILE ARG... (argv[0] dropped). */
static void tg_exec_shell(const char *file, char *const argv[],
			  char *const envp[])
{
	size_t argc = 0;
	while (argv[argc] != NULL)
		if (++argc == INT_MAX - 1) {
			errno = E2BIG;
			return;
		}
	char *sh_argv[argc > 1 ? argc + 2 : 3];
	sh_argv[0] = (char *)TG_SHELL;
	sh_argv[1] = (char *)file;
	if (argc > 1)
		memcpy(sh_argv + 2, argv + 1, argc * sizeof *sh_argv);
	else
		sh_argv[2] = NULL;
	TG_SYSCALL(SYS_execve, TG_SHELL, sh_argv, envp);
}

/* The pin stays open in the new program: what a script's interpreter
 * reads it through. */
static int tg_pin_inherited(int fd)
{
	return tg_sys_fcntl(fd, F_SETFD, 0);
}

int tg_exec_pinned(struct tg_exec *x, char *const argv[], char *const envp[],
		   int have_envp, int shell)
{
	int fd = x->pin;
	char name[TG_PROC_FD_PATH_MAX];
	tg_proc_fd_path(name, fd);
	if (!have_envp)
		envp = tg_real_environ();
	if (!have_envp && envp == NULL) {
		/* no environ to hand execveat: execv passes it on itself */
		tg_pin_inherited(fd);
		TG_REAL(execv)(name, argv);
	} else {
		TG_SYSCALL(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		int err = errno;
		/* ENOENT: a script, whose interpreter would find a
		 * close-on-exec /dev/fd/N gone (or a missing interpreter,
		 * which fails the same way again): by its name where that
		 * still names it, else through the pin kept open; ENOSYS:
		 * before Linux 3.19 */
		if (err == ENOENT && x->stable) {
			TG_SYSCALL(SYS_execve, x->path, argv, envp);
		} else if ((err == ENOENT || err == ENOSYS) &&
			   tg_pin_inherited(fd) == 0) {
			if (err == ENOENT)
				TG_SYSCALL(SYS_execveat, fd, "", argv, envp,
					   AT_EMPTY_PATH);
			else
				TG_SYSCALL(SYS_execve, name, argv, envp);
		} else {
			errno = err;
		}
		if (errno == ENOEXEC && shell) {
			if (x->stable)
				tg_exec_shell(x->path, argv, envp);
			else if (tg_pin_inherited(fd) == 0)
				tg_exec_shell(name, argv, envp);
		}
	}
	int err = errno;
	tg_sys_close(fd);
	x->pin = -1;
	errno = err;
	return -1;
}

/* Does the pinned file need its descriptor after the exec? Anything but
 * an ELF file is run by an interpreter that opens /proc/self/fd/N (a
 * script, or a file without "#!" that a shell runs). The pinned object is
 * a regular file the rule accepted: reading its first bytes has no effect
 * on it. */
static int tg_pin_read_later(const struct tg_exec *x)
{
	if (!S_ISREG(x->st.st_mode))
		return 0;
	char name[TG_PROC_FD_PATH_MAX];
	tg_proc_fd_path(name, x->pin);
	int fd = tg_sys_openat(AT_FDCWD, name,
			       O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0)
		return 0; /* unreadable: no interpreter could read it either */
	unsigned char head[4];
	long n = TG_SYSCALL(SYS_pread64, fd, head, sizeof head, 0);
	tg_sys_close(fd);
	return n >= 2 && !(n == 4 && memcmp(head, "\177ELF", 4) == 0);
}

int tg_spawn_pinned(struct tg_exec *x, tg_spawn_fn next, pid_t *pid,
		    const posix_spawn_file_actions_t *fa,
		    const posix_spawnattr_t *attr, char *const argv[],
		    char *const envp[])
{
	char name[TG_PROC_FD_PATH_MAX];
	tg_proc_fd_path(name, x->pin);
	const char *run = name;
	if (tg_pin_read_later(x)) {
		if (x->stable)
			run = x->path; /* its $0 is its name, as without us */
		else
			tg_pin_inherited(x->pin);
	}
	int rc = next(pid, run, fa, attr, argv, envp);
	int saved = errno;
	tg_sys_close(x->pin);
	x->pin = -1;
	errno = saved;
	return rc;
}

/* ---- PATH searches ---------------------------------------------------------- */

/* $PATH, or glibc's default when it is unset (confstr's _CS_PATH). */
static const char *tg_path_value(void)
{
	const char *path = getenv("PATH");
	return path != NULL ? path : "/bin:/usr/bin";
}

int tg_exec_path_maybe(const char *path)
{
	if (path == NULL)
		path = "/bin:/usr/bin";
	for (;;) {
		/* an empty entry is the working directory: its first byte
		 * (':' or NUL) reads as a relative path */
		if (tg_where_maybe(AT_FDCWD, path))
			return 1;
		path += strcspn(path, ":");
		if (*path++ == '\0')
			return 0;
	}
}

struct tg_search {
	const char *next; /* what is left of PATH; NULL at the end */
	const char *file;
	size_t flen;
	char cand[TG_CANDIDATE_MAX];
};

/* The next candidate in s->cand, as glibc makes it ("file" for an empty
 * entry); 0 at the end. Entries too long for a path are skipped. */
static int tg_search_next(struct tg_search *s)
{
	while (s->next != NULL) {
		const char *dir = s->next;
		size_t dlen = strcspn(dir, ":");
		s->next = dir[dlen] == ':' ? dir + dlen + 1 : NULL;
		if (dlen >= PATH_MAX)
			continue;
		memcpy(s->cand, dir, dlen);
		if (dlen > 0)
			s->cand[dlen++] = '/';
		memcpy(s->cand + dlen, s->file, s->flen + 1);
		return 1;
	}
	return 0;
}

static void tg_search_start(struct tg_search *s, const char *file)
{
	s->next = tg_path_value();
	s->file = file;
	s->flen = strnlen(file, NAME_MAX + 1);
}

/* Does some candidate resolve through a shared directory? Else the search
 * is left to the next definition, after naming to run the file it will
 * find (the first regular file with an execute bit: what exec takes). */
static int tg_search_shared(const char *file, char *const envp[])
{
	struct tg_search s;
	tg_search_start(&s, file);
	if (s.flen > NAME_MAX)
		return 0; /* the next definition says ENAMETOOLONG */
	while (tg_search_next(&s)) {
		struct tg_walk w;
		if (tg_where(AT_FDCWD, s.cand, &w) & TG_WHERE_SHARED)
			return 1;
	}
	if (!tg_run_is_listening())
		return 0;
	tg_search_start(&s, file);
	while (tg_search_next(&s)) {
		struct stat st;
		if (tg_sys_fstatat(AT_FDCWD, s.cand, &st, 0) == 0 &&
		    S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
			tg_filter_before_exec(s.cand, envp);
			tg_emit_exec(s.cand);
			break;
		}
	}
	return 0;
}

/* Errors after which glibc's search tries the next entry: the file is not
 * there, or cannot be run by us (EACCES, remembered). */
static int tg_search_goes_on(int err)
{
	switch (err) {
	case EACCES:
	case ENOENT:
	case ESTALE:
	case ENOTDIR:
	case ENODEV:
	case ETIMEDOUT:
		return 1;
	default:
		return 0;
	}
}

int tg_exec_search(const char *func, const char *file, char *const argv[],
		   char *const envp[], int have_envp, const void *caller)
{
	int saved = errno;
	int shared = tg_search_shared(file, have_envp ? envp : NULL);
	if (!have_envp && shared)
		envp = tg_real_environ();
	errno = saved;
	if (!shared || (!have_envp && envp == NULL))
		return 0;
	struct tg_search s;
	tg_search_start(&s, file);
	int eacces = 0;
	while (tg_search_next(&s)) {
		struct tg_exec x = TG_EXEC_INIT(func, s.cand, caller);
		x.envp = envp;
		switch (tg_exec_begin_as(&x, 1)) {
		case TG_EXEC_FORWARD:
			TG_REAL(execve)(s.cand, argv, envp);
			if (errno == ENOEXEC)
				tg_exec_shell(s.cand, argv, envp);
			break;
		case TG_EXEC_PINNED:
			tg_exec_pinned(&x, argv, envp, 1, 1);
			break;
		case TG_EXEC_FAILED: /* a refusal too: EACCES, as the kernel's */
			errno = x.err;
			break;
		}
		if (errno == EACCES)
			eacces = 1;
		else if (!tg_search_goes_on(errno))
			return -1;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;
}

/* A candidate that is not pinned: what its exec would say, without making
 * a child for a file that is not there or cannot be run. */
static int tg_spawn_by_name(const char *cand, tg_spawn_fn next, pid_t *pid,
			    const posix_spawn_file_actions_t *fa,
			    const posix_spawnattr_t *attr, char *const argv[],
			    char *const envp[])
{
	struct stat st;
	if (tg_sys_fstatat(AT_FDCWD, cand, &st, 0) < 0)
		return errno;
	if (!S_ISREG(st.st_mode) ||
	    TG_SYSCALL(SYS_faccessat, AT_FDCWD, cand, X_OK) < 0)
		return EACCES;
	return next(pid, cand, fa, attr, argv, envp);
}

/* A relative entry of PATH (an empty one included): with file actions,
 * which may change the child's working directory, what it names there is
 * not known here. */
static int tg_path_relative(const char *path)
{
	for (;;) {
		if (*path != '/')
			return 1;
		path += strcspn(path, ":");
		if (*path++ == '\0')
			return 0;
	}
}

int tg_spawn_search(const char *func, const char *file, tg_spawn_fn next,
		    pid_t *pid, const posix_spawn_file_actions_t *fa,
		    const posix_spawnattr_t *attr, char *const argv[],
		    char *const envp[], const void *caller, int *done)
{
	int saved = errno;
	*done = tg_search_shared(file, envp) &&
		!(fa != NULL && fa->__used > 0 && tg_path_relative(tg_path_value()));
	errno = saved;
	if (!*done)
		return 0;
	struct tg_search s;
	tg_search_start(&s, file);
	int eacces = 0;
	while (tg_search_next(&s)) {
		struct tg_exec x = TG_EXEC_INIT(func, s.cand, caller);
		x.envp = envp;
		int rc;
		switch (tg_exec_begin_as(&x, 1)) {
		case TG_EXEC_PINNED:
			if (S_ISREG(x.st.st_mode) && (x.st.st_mode & 0111)) {
				rc = tg_spawn_pinned(&x, next, pid, fa, attr,
						     argv, envp);
			} else {
				tg_sys_close(x.pin);
				rc = EACCES;
			}
			break;
		case TG_EXEC_FAILED:
			rc = x.err;
			break;
		default:
			rc = tg_spawn_by_name(s.cand, next, pid, fa, attr, argv,
					      envp);
			break;
		}
		if (rc == EACCES)
			eacces = 1;
		else if (!tg_search_goes_on(rc))
			return rc;
	}
	errno = saved;
	return eacces ? EACCES : ENOENT;
}
