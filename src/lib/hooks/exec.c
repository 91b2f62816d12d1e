/* tmpguard — hooks: the exec family and posix_spawn, each name its own
 * symbol (execv, execvp ... do not go through execve's; posix_spawn does
 * not either, its exec runs in the child).
 *
 * The fast path is one load and the path's first bytes: while `tmpguard
 * run` does not listen, a path that certainly resolves through no shared
 * directory (lib/guard/where.h) goes straight to the next definition. The
 * p-variants look at each $PATH entry the same way. All else happens out
 * of line (lib/guard/exec.c). system() and popen() spawn /bin/sh through
 * libc's internal posix_spawn, which no hook sees; the shell, preloaded
 * too, judges its own exec. fexecve takes a descriptor: not judged. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/export.h"
#include "lib/guard/exec.h"
#include "lib/guard/filter.h"
#include "lib/guard/where.h"
#include "lib/log/emit.h"
#include "lib/real.h"

/* A path the guard must see: run listens, or it may resolve through a
 * shared directory. NULL goes on to the kernel (EFAULT). */
static inline int tg_exec_looks(const char *path)
{
	return tg_unlikely(tg_run_is_listening()) ||
	       (tg_likely(path != NULL) && tg_where_maybe(AT_FDCWD, path));
}

/* A p-variant: a file with '/' is a path; a bare name is looked up in
 * $PATH (whose entries are looked at out of line). */
static inline int tg_search_looks(const char *file)
{
	if (tg_unlikely(tg_run_is_listening()))
		return 1;
	if (tg_unlikely(file == NULL) || file[0] == '\0')
		return 0;
	if (strchr(file, '/') != NULL)
		return tg_where_maybe(AT_FDCWD, file);
	return tg_exec_path_maybe(getenv("PATH"));
}

/* ---- execve, execv, execl, execle ------------------------------------------ */

enum tg_exec_sym { TG_EXECVE, TG_EXECV, TG_EXECL, TG_EXECLE };
static const char tg_exec_names[][sizeof "execle"] = {
	[TG_EXECVE] = "execve", [TG_EXECV] = "execv", [TG_EXECL] = "execl",
	[TG_EXECLE] = "execle",
};

/* The program's own call: execl goes on as execv (which passes environ as
 * glibc's execl does), execle as execve. */
static int tg_exec_forward(enum tg_exec_sym sym, const char *path,
			   char *const argv[], char *const envp[])
{
	if (sym == TG_EXECV || sym == TG_EXECL)
		return TG_REAL(execv)(path, argv);
	return TG_REAL(execve)(path, argv, envp);
}

__attribute__((noinline, cold)) static int
tg_exec_guarded(enum tg_exec_sym sym, const char *path, char *const argv[],
		char *const envp[], const void *caller)
{
	if (path == NULL || path[0] == '\0')
		return tg_exec_forward(sym, path, argv, envp);
	struct tg_exec x = TG_EXEC_INIT(tg_exec_names[sym], path, caller);
	x.envp = envp;
	switch (tg_exec_begin(&x)) {
	case TG_EXEC_PINNED:
		return tg_exec_pinned(&x, argv, envp,
				      sym == TG_EXECVE || sym == TG_EXECLE, 0);
	case TG_EXEC_FAILED:
		errno = x.err;
		return -1;
	default:
		return tg_exec_forward(sym, path, argv, envp);
	}
}

/* The fast path tail-calls a bound next definition; binding it happens out
 * of line (the guard forwards what it need not judge), so the hook needs
 * no frame. */
TG_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	if (tg_likely(!tg_exec_looks(path)) && tg_likely(tg_real_execve != NULL))
		return tg_real_execve(path, argv, envp);
	return tg_exec_guarded(TG_EXECVE, path, argv, envp, TG_CALLER());
}

TG_EXPORT int execv(const char *path, char *const argv[])
{
	if (tg_likely(!tg_exec_looks(path)) && tg_likely(tg_real_execv != NULL))
		return tg_real_execv(path, argv);
	return tg_exec_guarded(TG_EXECV, path, argv, NULL, TG_CALLER());
}

/* The arguments of execl, execle and execlp up to their NULL, counted
 * (E2BIG past INT_MAX) and copied into an argv on the stack, as glibc
 * does; then TG_ARGV_END, or for execle TG_ARGV_ENVP, which reads the
 * environment that follows the NULL. */
#define TG_ARGV_COLLECT(argv, arg) \
	size_t argc_ = 1; \
	va_list ap_; \
	va_start(ap_, arg); \
	while (va_arg(ap_, const char *) != NULL) \
		if (++argc_ == INT_MAX) { \
			va_end(ap_); \
			errno = E2BIG; \
			return -1; \
		} \
	va_end(ap_); \
	char *argv[argc_ + 1]; \
	argv[0] = (char *)(arg); \
	va_start(ap_, arg); \
	for (size_t i_ = 1; i_ <= argc_; i_++) \
		argv[i_] = va_arg(ap_, char *);
#define TG_ARGV_END() va_end(ap_)
#define TG_ARGV_ENVP(envp) \
	char *const *envp = va_arg(ap_, char *const *); \
	va_end(ap_)

TG_EXPORT int execl(const char *path, const char *arg, ...)
{
	TG_ARGV_COLLECT(argv, arg);
	TG_ARGV_END();
	if (tg_likely(!tg_exec_looks(path)))
		return TG_REAL(execv)(path, argv);
	return tg_exec_guarded(TG_EXECL, path, argv, NULL, TG_CALLER());
}

TG_EXPORT int execle(const char *path, const char *arg, ...)
{
	TG_ARGV_COLLECT(argv, arg);
	TG_ARGV_ENVP(envp);
	if (tg_likely(!tg_exec_looks(path)))
		return TG_REAL(execve)(path, argv, envp);
	return tg_exec_guarded(TG_EXECLE, path, argv, envp, TG_CALLER());
}

/* ---- execvp, execvpe, execlp: a file without '/' is searched in $PATH ---- */

enum tg_execp_sym { TG_EXECVP, TG_EXECVPE, TG_EXECLP };
static const char tg_execp_names[][sizeof "execvpe"] = {
	[TG_EXECVP] = "execvp", [TG_EXECVPE] = "execvpe", [TG_EXECLP] = "execlp",
};

static int tg_execp_forward(enum tg_execp_sym sym, const char *file,
			    char *const argv[], char *const envp[])
{
	if (sym == TG_EXECVPE)
		return TG_REAL(execvpe)(file, argv, envp);
	return TG_REAL(execvp)(file, argv);
}

__attribute__((noinline, cold)) static int
tg_execp_guarded(enum tg_execp_sym sym, const char *file, char *const argv[],
		 char *const envp[], const void *caller)
{
	const char *func = tg_execp_names[sym];
	int have_envp = sym == TG_EXECVPE;
	if (file == NULL || file[0] == '\0')
		return tg_execp_forward(sym, file, argv, envp);
	if (strchr(file, '/') == NULL) {
		if (tg_exec_search(func, file, argv, envp, have_envp, caller) < 0)
			return -1;
		return tg_execp_forward(sym, file, argv, envp);
	}
	struct tg_exec x = TG_EXEC_INIT(func, file, caller);
	x.envp = envp;
	switch (tg_exec_begin(&x)) {
	case TG_EXEC_PINNED:
		return tg_exec_pinned(&x, argv, envp, have_envp, 1);
	case TG_EXEC_FAILED:
		errno = x.err;
		return -1;
	default:
		return tg_execp_forward(sym, file, argv, envp);
	}
}

TG_EXPORT int execvp(const char *file, char *const argv[])
{
	if (tg_likely(!tg_search_looks(file)))
		return TG_REAL(execvp)(file, argv);
	return tg_execp_guarded(TG_EXECVP, file, argv, NULL, TG_CALLER());
}

TG_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	if (tg_likely(!tg_search_looks(file)))
		return TG_REAL(execvpe)(file, argv, envp);
	return tg_execp_guarded(TG_EXECVPE, file, argv, envp, TG_CALLER());
}

TG_EXPORT int execlp(const char *file, const char *arg, ...)
{
	TG_ARGV_COLLECT(argv, arg);
	TG_ARGV_END();
	if (tg_likely(!tg_search_looks(file)))
		return TG_REAL(execvp)(file, argv);
	return tg_execp_guarded(TG_EXECLP, file, argv, NULL, TG_CALLER());
}

/* ---- posix_spawn, posix_spawnp -------------------------------------------- */

/* A relative path spawned with file actions: one may change the child's
 * working directory (addchdir_np, addfchdir_np) before its exec, so what
 * the path names there is not known here. Left to the next definition
 * (glibc's file actions are opaque but for their count). */
static int tg_spawn_elsewhere(const char *path,
			      const posix_spawn_file_actions_t *fa)
{
	return path[0] != '/' && fa != NULL && fa->__used > 0;
}

/* posix_spawn returns its error; errno is left as the next one leaves it. */
__attribute__((noinline, cold)) static int
tg_spawn_guarded(const char *func, tg_spawn_fn next, pid_t *pid,
		 const char *path, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *attr, char *const argv[],
		 char *const envp[], const void *caller)
{
	struct tg_exec x = TG_EXEC_INIT(func, path, caller);
	x.envp = envp;
	int judged = path != NULL && path[0] != '\0' &&
		     !tg_spawn_elsewhere(path, fa);
	if (!judged && path != NULL && path[0] != '\0')
		tg_filter_install(0); /* what the child runs is not known */
	switch (judged ? tg_exec_begin(&x) : TG_EXEC_FORWARD) {
	case TG_EXEC_PINNED:
		return tg_spawn_pinned(&x, next, pid, fa, attr, argv, envp);
	case TG_EXEC_FAILED:
		return x.err;
	default:
		return next(pid, path, fa, attr, argv, envp);
	}
}

TG_EXPORT int posix_spawn(pid_t *pid, const char *path,
			  const posix_spawn_file_actions_t *fa,
			  const posix_spawnattr_t *attr, char *const argv[],
			  char *const envp[])
{
	if (tg_likely(!tg_exec_looks(path)))
		return TG_REAL(posix_spawn)(pid, path, fa, attr, argv, envp);
	return tg_spawn_guarded("posix_spawn", TG_REAL(posix_spawn), pid, path,
				fa, attr, argv, envp, TG_CALLER());
}

TG_EXPORT int posix_spawnp(pid_t *pid, const char *file,
			   const posix_spawn_file_actions_t *fa,
			   const posix_spawnattr_t *attr, char *const argv[],
			   char *const envp[])
{
	if (tg_likely(!tg_search_looks(file)))
		return TG_REAL(posix_spawnp)(pid, file, fa, attr, argv, envp);
	const void *caller = TG_CALLER();
	if (file[0] == '\0' || strchr(file, '/') != NULL)
		return tg_spawn_guarded("posix_spawnp", TG_REAL(posix_spawnp),
					pid, file, fa, attr, argv, envp, caller);
	int done;
	int rc = tg_spawn_search("posix_spawnp", file, TG_REAL(posix_spawn), pid,
				 fa, attr, argv, envp, caller, &done);
	if (done)
		return rc;
	return TG_REAL(posix_spawnp)(pid, file, fa, attr, argv, envp);
}
