/* tmpguard — the interposed symbols, one row each. Everything that lists
 * them is made from this table: the library's next definitions and the
 * prototypes its hooks must match (lib/real.h), its version script
 * (lib/libtmpguard.sym.in), the bench's forward-only floor (bench/floor.c),
 * the functions `tmpguard scan` reports (cli/elf.c) and the open hooks'
 * names (lib/hooks/open.c). tests/symbols.sh checks the library's exports,
 * the floor's and tmpguard(7)'s list against it.
 *
 * Macros only, no declarations: the version script is this header run
 * through the preprocessor. Where it is expanded into C, <semaphore.h>,
 * <spawn.h>, <stdio.h>, <stdlib.h>, <sys/socket.h>, <sys/time.h>,
 * <sys/types.h> and <utime.h> give the types (__CONST_SOCKADDR_ARG is how
 * <sys/socket.h> spells connect's address).
 *
 * TG_SYMBOLS(HOOK, NEXT_ONLY, HOOK_ONLY) calls, for every row, the macro
 * named after the row's kind:
 *   HOOK       exported; forwards to its own next definition;
 *   NEXT_ONLY  not exported: only its next definition is used (fdopen);
 *   HOOK_ONLY  exported, with no next definition of its own: served by
 *              another symbol's (__xmknod and __xmknodat by mknodat's).
 * with the arguments (FAMILY, name, SHAPE, return type, (parameters),
 * (arguments)); the arguments name what a forwarder passes on. SHAPE says
 * how:
 *   FIXED        as they are; failure is -1 or NULL with errno;
 *   ERRNUM       as they are; failure is the returned error number;
 *   OPEN_MODE    (path, flags, ...) and
 *   OPENAT_MODE  (dirfd, path, flags, ...): mode, read from "..." only
 *                when flags ask for one (O_CREAT, O_TMPFILE);
 *   SEM_MODE     (name, oflag, ...): mode and value, read from "..." only
 *                when oflag has O_CREAT;
 *   ARGL, ARGLE, ARGLP  (path, arg, ...): the arguments up to a NULL
 *                collected into an argv (for ARGLE the environment
 *                follows the NULL), then passed to the next execv,
 *                execve and execvp respectively, which do what glibc's
 *                execl, execle and execlp do with such an argv (HOOK_ONLY
 *                rows: no next of their own).
 * A family is one TG_SYMBOLS_<FAMILY> table; scan's classes are made of
 * families. */
#ifndef TG_SYMBOLS_H
#define TG_SYMBOLS_H

#define TG_SYMBOLS(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_NAME_GENERATORS(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_SAFE_CREATORS(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_TMPFILE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_OPEN(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_STDIO(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_NODES(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_SPAWN(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_EXEC(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_SHM(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_IPC(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_SPAWN_ACTIONS(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_CHANGE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_MOVE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_RESOLVE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	TG_SYMBOLS_WORKDIR(HOOK, NEXT_ONLY, HOOK_ONLY)

/* For the kinds a use leaves out. */
#define TG_SYMBOL_SKIP(...)

/* Names handed out for the program to create later: made unpredictable
 * and reserved. */
#define TG_SYMBOLS_NAME_GENERATORS(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(NAME_GENERATORS, mktemp, FIXED, char *, (char *tmpl), (tmpl)) \
	HOOK(NAME_GENERATORS, tmpnam, FIXED, char *, (char s[L_tmpnam]), (s)) \
	HOOK(NAME_GENERATORS, tmpnam_r, FIXED, char *, (char s[L_tmpnam]), (s)) \
	HOOK(NAME_GENERATORS, tempnam, FIXED, char *, \
	     (const char *dir, const char *pfx), (dir, pfx))

/* Creating a new name exclusively by themselves: observed only. */
#define TG_SYMBOLS_SAFE_CREATORS(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(SAFE_CREATORS, mkstemp, FIXED, int, (char *tmpl), (tmpl)) \
	HOOK(SAFE_CREATORS, mkstemp64, FIXED, int, (char *tmpl), (tmpl)) \
	HOOK(SAFE_CREATORS, mkstemps, FIXED, int, (char *tmpl, int suffixlen), \
	     (tmpl, suffixlen)) \
	HOOK(SAFE_CREATORS, mkstemps64, FIXED, int, \
	     (char *tmpl, int suffixlen), (tmpl, suffixlen)) \
	HOOK(SAFE_CREATORS, mkostemp, FIXED, int, (char *tmpl, int flags), \
	     (tmpl, flags)) \
	HOOK(SAFE_CREATORS, mkostemp64, FIXED, int, (char *tmpl, int flags), \
	     (tmpl, flags)) \
	HOOK(SAFE_CREATORS, mkostemps, FIXED, int, \
	     (char *tmpl, int suffixlen, int flags), (tmpl, suffixlen, flags)) \
	HOOK(SAFE_CREATORS, mkostemps64, FIXED, int, \
	     (char *tmpl, int suffixlen, int flags), (tmpl, suffixlen, flags)) \
	HOOK(SAFE_CREATORS, mkdtemp, FIXED, char *, (char *tmpl), (tmpl))

/* Anonymous temporary streams: safe by themselves, made safer still. */
#define TG_SYMBOLS_TMPFILE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(TMPFILE, tmpfile, FIXED, FILE *, (void), ()) \
	HOOK(TMPFILE, tmpfile64, FIXED, FILE *, (void), ())

/* open(2) under each name a program may import (large-file, *at,
 * fortified), and creat. */
#define TG_SYMBOLS_OPEN(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(OPEN, open, OPEN_MODE, int, (const char *path, int flags, ...), \
	     (path, flags, mode)) \
	HOOK(OPEN, open64, OPEN_MODE, int, (const char *path, int flags, ...), \
	     (path, flags, mode)) \
	HOOK(OPEN, openat, OPENAT_MODE, int, \
	     (int dirfd, const char *path, int flags, ...), \
	     (dirfd, path, flags, mode)) \
	HOOK(OPEN, openat64, OPENAT_MODE, int, \
	     (int dirfd, const char *path, int flags, ...), \
	     (dirfd, path, flags, mode)) \
	HOOK(OPEN, __open_2, FIXED, int, (const char *path, int flags), \
	     (path, flags)) \
	HOOK(OPEN, __open64_2, FIXED, int, (const char *path, int flags), \
	     (path, flags)) \
	HOOK(OPEN, __openat_2, FIXED, int, \
	     (int dirfd, const char *path, int flags), (dirfd, path, flags)) \
	HOOK(OPEN, __openat64_2, FIXED, int, \
	     (int dirfd, const char *path, int flags), (dirfd, path, flags)) \
	HOOK(OPEN, creat, FIXED, int, (const char *path, mode_t mode), \
	     (path, mode)) \
	HOOK(OPEN, creat64, FIXED, int, (const char *path, mode_t mode), \
	     (path, mode))

/* stdio's opens, whose internal open no preload sees; fdopen wraps the
 * library's own descriptors. */
#define TG_SYMBOLS_STDIO(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(STDIO, fopen, FIXED, FILE *, (const char *path, const char *mode), \
	     (path, mode)) \
	HOOK(STDIO, fopen64, FIXED, FILE *, \
	     (const char *path, const char *mode), (path, mode)) \
	HOOK(STDIO, freopen, FIXED, FILE *, \
	     (const char *path, const char *mode, FILE *stream), \
	     (path, mode, stream)) \
	HOOK(STDIO, freopen64, FIXED, FILE *, \
	     (const char *path, const char *mode, FILE *stream), \
	     (path, mode, stream)) \
	NEXT_ONLY(STDIO, fdopen, FIXED, FILE *, (int fd, const char *mode), \
		  (fd, mode))

/* Directories and special files; the stat-versioned entries are what
 * binaries linked before glibc 2.33 import. */
#define TG_SYMBOLS_NODES(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(NODES, mkdir, FIXED, int, (const char *path, mode_t mode), \
	     (path, mode)) \
	HOOK(NODES, mkdirat, FIXED, int, \
	     (int dirfd, const char *path, mode_t mode), (dirfd, path, mode)) \
	HOOK(NODES, mkfifo, FIXED, int, (const char *path, mode_t mode), \
	     (path, mode)) \
	HOOK(NODES, mkfifoat, FIXED, int, \
	     (int dirfd, const char *path, mode_t mode), (dirfd, path, mode)) \
	HOOK(NODES, mknod, FIXED, int, \
	     (const char *path, mode_t mode, dev_t dev), (path, mode, dev)) \
	HOOK(NODES, mknodat, FIXED, int, \
	     (int dirfd, const char *path, mode_t mode, dev_t dev), \
	     (dirfd, path, mode, dev)) \
	HOOK_ONLY(NODES, __xmknod, FIXED, int, \
		  (int ver, const char *path, mode_t mode, dev_t *dev), \
		  (ver, path, mode, dev)) \
	HOOK_ONLY(NODES, __xmknodat, FIXED, int, \
		  (int ver, int dirfd, const char *path, mode_t mode, \
		   dev_t *dev), \
		  (ver, dirfd, path, mode, dev))

/* An open registered now, made in the child later. */
#define TG_SYMBOLS_SPAWN(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(SPAWN, posix_spawn_file_actions_addopen, ERRNUM, int, \
	     (posix_spawn_file_actions_t *fa, int fd, const char *path, \
	      int oflag, mode_t mode), \
	     (fa, fd, path, oflag, mode))

/* Programs executed: the file run is judged when it resolves through a
 * shared directory (the p-variants: the candidate their PATH search runs),
 * and reported to `tmpguard run`. The variadic execl, execle and execlp
 * cannot be forwarded: they collect argv and go on as execv, execve and
 * execvp.
 * fexecve takes a descriptor: not judged, not interposed. */
#define TG_SYMBOLS_EXEC(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(EXEC, execve, FIXED, int, \
	     (const char *path, char *const argv[], char *const envp[]), \
	     (path, argv, envp)) \
	HOOK(EXEC, execv, FIXED, int, (const char *path, char *const argv[]), \
	     (path, argv)) \
	HOOK(EXEC, execvp, FIXED, int, (const char *file, char *const argv[]), \
	     (file, argv)) \
	HOOK(EXEC, execvpe, FIXED, int, \
	     (const char *file, char *const argv[], char *const envp[]), \
	     (file, argv, envp)) \
	HOOK_ONLY(EXEC, execl, ARGL, int, \
		  (const char *path, const char *arg, ...), (path, arg)) \
	HOOK_ONLY(EXEC, execle, ARGLE, int, \
		  (const char *path, const char *arg, ...), (path, arg)) \
	HOOK_ONLY(EXEC, execlp, ARGLP, int, \
		  (const char *file, const char *arg, ...), (file, arg)) \
	HOOK(EXEC, posix_spawn, ERRNUM, int, \
	     (pid_t *pid, const char *path, \
	      const posix_spawn_file_actions_t *fa, \
	      const posix_spawnattr_t *attr, char *const argv[], \
	      char *const envp[]), \
	     (pid, path, fa, attr, argv, envp)) \
	HOOK(EXEC, posix_spawnp, ERRNUM, int, \
	     (pid_t *pid, const char *file, \
	      const posix_spawn_file_actions_t *fa, \
	      const posix_spawnattr_t *attr, char *const argv[], \
	      char *const envp[]), \
	     (pid, file, fa, attr, argv, envp))

/* POSIX shared memory: a file under /dev/shm. */
#define TG_SYMBOLS_SHM(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(SHM, shm_open, FIXED, int, \
	     (const char *name, int oflag, mode_t mode), (name, oflag, mode))

/* Named IPC objects in shared directories, used under the rule: a Unix
 * socket connected to by path, a named semaphore under /dev/shm. Not
 * reported by scan. */
#define TG_SYMBOLS_IPC(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(IPC, connect, FIXED, int, \
	     (int fd, __CONST_SOCKADDR_ARG addr, socklen_t len), \
	     (fd, addr, len)) \
	HOOK(IPC, sem_open, SEM_MODE, sem_t *, \
	     (const char *name, int oflag, ...), (name, oflag, mode, value))

/* The life of a spawn's file actions: the objects their opens were pinned
 * to at registration are released when they are destroyed or set up
 * again. Not reported by scan. */
#define TG_SYMBOLS_SPAWN_ACTIONS(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(SPAWN_ACTIONS, posix_spawn_file_actions_init, ERRNUM, int, \
	     (posix_spawn_file_actions_t *fa), (fa)) \
	HOOK(SPAWN_ACTIONS, posix_spawn_file_actions_destroy, ERRNUM, int, \
	     (posix_spawn_file_actions_t *fa), (fa))

/* The calls after which a plant wins by its name, judged under the rule
 * (lib/guard/judge.h): the object a path names changed in place. Not
 * reported by scan. */
#define TG_SYMBOLS_CHANGE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(CHANGE, truncate, FIXED, int, (const char *path, off_t len), \
	     (path, len)) \
	HOOK(CHANGE, truncate64, FIXED, int, (const char *path, off64_t len), \
	     (path, len)) \
	HOOK(CHANGE, chmod, FIXED, int, (const char *path, mode_t mode), \
	     (path, mode)) \
	HOOK(CHANGE, fchmodat, FIXED, int, \
	     (int dirfd, const char *path, mode_t mode, int flags), \
	     (dirfd, path, mode, flags)) \
	HOOK(CHANGE, chown, FIXED, int, \
	     (const char *path, uid_t owner, gid_t group), (path, owner, group)) \
	HOOK(CHANGE, fchownat, FIXED, int, \
	     (int dirfd, const char *path, uid_t owner, gid_t group, int flags), \
	     (dirfd, path, owner, group, flags)) \
	HOOK(CHANGE, utime, FIXED, int, \
	     (const char *path, const struct utimbuf *times), (path, times)) \
	HOOK(CHANGE, utimes, FIXED, int, \
	     (const char *path, const struct timeval tv[2]), (path, tv)) \
	HOOK(CHANGE, utimensat, FIXED, int, \
	     (int dirfd, const char *path, const struct timespec ts[2], \
	      int flags), \
	     (dirfd, path, ts, flags)) \
	HOOK(CHANGE, futimesat, FIXED, int, \
	     (int dirfd, const char *path, const struct timeval tv[2]), \
	     (dirfd, path, tv))

/* Their source judged: a name moved or linked elsewhere. Not reported by
 * scan. */
#define TG_SYMBOLS_MOVE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(MOVE, rename, FIXED, int, (const char *from, const char *to), \
	     (from, to)) \
	HOOK(MOVE, renameat, FIXED, int, \
	     (int fromfd, const char *from, int tofd, const char *to), \
	     (fromfd, from, tofd, to)) \
	HOOK(MOVE, renameat2, FIXED, int, \
	     (int fromfd, const char *from, int tofd, const char *to, \
	      unsigned int flags), \
	     (fromfd, from, tofd, to, flags)) \
	HOOK(MOVE, link, FIXED, int, (const char *from, const char *to), \
	     (from, to)) \
	HOOK(MOVE, linkat, FIXED, int, \
	     (int fromfd, const char *from, int tofd, const char *to, \
	      int flags), \
	     (fromfd, from, tofd, to, flags))

/* A path resolved for the program, links followed: it would hand over a
 * name outside the shared directory. Not reported by scan. */
#define TG_SYMBOLS_RESOLVE(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(RESOLVE, realpath, FIXED, char *, \
	     (const char *path, char *resolved), (path, resolved)) \
	HOOK(RESOLVE, __realpath_chk, FIXED, char *, \
	     (const char *path, char *resolved, size_t resolvedlen), \
	     (path, resolved, resolvedlen)) \
	HOOK(RESOLVE, canonicalize_file_name, FIXED, char *, \
	     (const char *path), (path))

/* The working directory changes: relative paths are judged while it is a
 * shared directory. Not reported by scan. */
#define TG_SYMBOLS_WORKDIR(HOOK, NEXT_ONLY, HOOK_ONLY) \
	HOOK(WORKDIR, chdir, FIXED, int, (const char *path), (path)) \
	HOOK(WORKDIR, fchdir, FIXED, int, (int fd), (fd))

#endif
