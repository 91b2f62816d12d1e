/* tmpguard — the safe-open algorithm, on a directory descriptor already
 * verified to be the shared directory it claims to be. */
#ifndef TG_SAFEOPEN_H
#define TG_SAFEOPEN_H

#include <sys/types.h>
#include "core/policy.h"

/* Open base in dirfd the safe way for a creating call with the program's
 * flags and mode: never follow a final symlink; create a missing file
 * exclusively with tg_harden_file_mode(mode); reuse an existing object only
 * when tg_object_check says TG_OBJ_OK, truncating (O_TRUNC) only after that
 * check. Returns the fd, or -1 with errno: EACCES and *refused set when a
 * planted object was refused, else the kernel's errno. */
int tg_safe_open_at(int dirfd, const char *base, int flags, mode_t mode,
		    enum tg_object_verdict *refused);

/* Open an existing object without creating, refusing anything but a regular
 * file owned by euid with one link (for reserved names opened without
 * O_CREAT). Same return convention. */
int tg_verify_open_at(int dirfd, const char *path, int flags, mode_t mode,
		      enum tg_object_verdict *refused);

/* An existing object opened with O_NOFOLLOW|O_NONBLOCK and accepted: give
 * it the program's flags (O_NONBLOCK off unless asked), then O_TRUNC. st is
 * the object's fstat. Returns fd, or -1 with errno (fd closed). */
struct stat;
int tg_finish_existing(int fd, int flags, const struct stat *st, int dirfd,
		       const char *name);

#endif
