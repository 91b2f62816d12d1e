/* tmpguard — safe-open and its variants: the actions the policy calls for,
 * on the file system. Shared by the library, which acts for its own
 * process, and anything that acts for another one: the caller's effective
 * uid is a parameter, never asked of the kernel here. Every function
 * verifies what it opened (fstat on the descriptor), never what a path
 * pointed to a moment earlier, and returns a descriptor or -1 with errno;
 * all are async-signal-safe and allocate nothing. */
#ifndef TG_CORE_SAFEOPEN_H
#define TG_CORE_SAFEOPEN_H

#include <sys/stat.h>
#include <sys/types.h>
#include "core/policy.h"

#define TG_EUID_SELF ((uid_t)-1)

/* The parent directory of path (relative to dirfd) pinned: an O_PATH
 * descriptor, its fstat in *st and the final component in *base (a pointer
 * into path). -1 when the path has no usable final component or the parent
 * cannot be opened. Whether it is shared is the caller's judgement
 * (tg_dir_is_shared on *st), made on what the descriptor is. */
int tg_parent_pin(int dirfd, const char *path, const char **base,
		  struct stat *st);

/* The parent of path looked at without pinning (one stat), for decisions
 * that only choose what to log. 0, or -1. */
int tg_parent_look(int dirfd, const char *path, struct stat *st);

/* What is under the name, opened without creating, following or blocking
 * (a planted FIFO must not hang the caller), with the call's access mode. */
int tg_probe_open(int dirfd, const char *path, int flags);

/* An existing object opened by tg_probe_open and accepted: give it the
 * program's flags (O_NONBLOCK off unless asked), then O_TRUNC, applied only
 * now. st is its fstat. Returns fd, or -1 (fd closed). */
int tg_finish_existing(int fd, int flags, const struct stat *st, int dirfd,
		       const char *name);

/* Safe-open of base in the pinned directory pfd for a creating call with
 * the program's flags and mode: never follow a final symlink; create a
 * missing file exclusively with tg_harden_file_mode(mode); reuse an
 * existing object only when it is the caller's own regular file with one
 * link, truncating only after that check. On a refused plant: -1, EACCES,
 * *refused set; else the kernel's errno (EISDIR for a directory). */
int tg_safe_open_at(int pfd, const char *base, int flags, mode_t mode,
		    uid_t euid, enum tg_object_verdict *refused);

/* The exclusive creation a reserved name gets: O_CREAT|O_EXCL|O_NOFOLLOW,
 * mode tg_harden_file_mode(mode). EEXIST: the name was squatted. */
int tg_exclusive_open_at(int dirfd, const char *path, int flags, mode_t mode);

/* An existing object opened without creating, refused unless it is the
 * caller's own regular file with one link (or own directory) — for reserved
 * names opened without O_CREAT. Same errors as tg_safe_open_at. */
int tg_verify_open_at(int dirfd, const char *path, int flags, mode_t mode,
		      uid_t euid, enum tg_object_verdict *refused);

/* An unnamed file (O_TMPFILE, mode 0600) in dir; where the kernel or the
 * file system refuses O_TMPFILE (EISDIR, EOPNOTSUPP, EINVAL), a random name
 * created exclusively and unlinked at once. */
int tg_tmpfile_open(const char *dir);

/* open(2) gives the lowest free descriptor, and programs rely on it
 * (close(1); open(...)). fd was opened while `freed` (now closed) still
 * held a lower slot: move it down. Returns the descriptor to use. */
int tg_lowest_fd(int fd, int freed, int flags);

#endif
