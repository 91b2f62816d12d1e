/* tmpguard — safe-open and its variants: the actions the policy calls for,
 * on what a walk (core/walk.h) pinned, never on the name again. Shared by
 * the library, which acts for its own process, and anything that acts for
 * another one. Nothing is opened for I/O to be looked at: objects are
 * pinned with O_PATH, judged on their fstat, and then opened through
 * /proc/self/fd/N, which names exactly the pinned object. Every function
 * returns a descriptor or -1 with errno; all are async-signal-safe and
 * allocate nothing. */
#ifndef TG_CORE_SAFEOPEN_H
#define TG_CORE_SAFEOPEN_H

#include <sys/stat.h>
#include <sys/types.h>
#include "core/policy.h"
#include "core/walk.h"

/* The parent of path looked at without pinning (one stat), for decisions
 * that only choose what to log. 0, or -1. */
int tg_parent_look(int dirfd, const char *path, struct stat *st);

/* The object under path (relative to dirfd) pinned without following a
 * final symbolic link: an O_PATH descriptor, its lstat in *st. */
int tg_pin(int dirfd, const char *path, struct stat *st);

/* The pinned object opened with the program's flags (O_CREAT, O_EXCL and
 * O_NOFOLLOW dropped: it exists, and is not a link), through
 * /proc/self/fd/N. Where /proc is missing, opened by name in its pinned
 * directory and kept only if it is still the pinned object (else EACCES).
 * pfd, base: that directory and name, or -1 and NULL when unknown. mode:
 * for O_TMPFILE, made in a pinned directory. */
int tg_reopen(int pinned, const struct stat *st, int pfd, const char *base,
	      int flags, mode_t mode);

/* The open of w->path the program asked for (flags, and mode for a new
 * file), under the rule: w is set up by the caller (dirfd, path, skip,
 * start_shared, trust, ids) and walked here, again when a creation in a
 * shared directory loses a race. A missing file in a shared or planted
 * directory is created exclusively, never through a link, with
 * shared_mode; in another directory as the program asked, at the pinned
 * directory. An existing
 * object the walk accepted is reopened (unless w->leave_special says
 * otherwise). Refusals: -1, EACCES, w->refused.
 * *created tells whether the file is new. The caller releases w
 * (tg_walk_done) after using the result. */
int tg_ruled_open(struct tg_walk *w, int flags, mode_t mode,
		  mode_t shared_mode, int *created);

/* The log file, opened as the library and `tmpguard run` both open it:
 * appending, created 0600, never through a final link, and O_NONBLOCK so
 * that a FIFO without a reader fails instead of hanging. */
int tg_ruled_open_log(struct tg_walk *w);

/* The exclusive creation a reserved name gets: O_CREAT|O_EXCL|O_NOFOLLOW
 * with mode. EEXIST: the name was squatted. */
int tg_exclusive_open_at(int dirfd, const char *path, int flags, mode_t mode);

/* A reserved name opened without O_CREAT: the object is used only if it is
 * the caller's own regular file with one link, or own directory (euid:
 * TG_EUID_SELF asks the kernel); else -1, EACCES, *refused. */
#define TG_EUID_SELF ((uid_t)-1)
int tg_verify_open_at(int dirfd, const char *path, int flags, uid_t euid,
		      enum tg_object_verdict *refused);

/* An unnamed file (O_TMPFILE, mode 0600) in dir; where the kernel or the
 * file system refuses O_TMPFILE (EISDIR, EOPNOTSUPP, EINVAL), a random name
 * created exclusively and unlinked at once. */
int tg_tmpfile_open(const char *dir);

/* open(2) gives the lowest free descriptor, and programs rely on it
 * (close(1); open(...)). fd was opened while descriptors from `freed` up
 * (now closed) were held: move it down. Returns the descriptor to use. */
int tg_lowest_fd(int fd, int freed, int flags);

#endif
