/* tmpguard — the policy: pure decisions about paths, flags and objects.
 * Nothing here makes a system call, so all of it is unit-tested. */
#ifndef TG_POLICY_H
#define TG_POLICY_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "core/config.h"

/* The variadic mode argument exists only in these cases (O_TMPFILE contains
 * O_DIRECTORY, so a bare bit test would misfire on directory opens). */
static inline int tg_flags_need_mode(int flags)
{
	return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
}

/* A creation that may follow or reuse a planted object. */
static inline int tg_flags_predictable(int flags)
{
	return (flags & O_CREAT) != 0 && (flags & O_EXCL) == 0;
}

/* Parse an fopen mode the way glibc does (first char r/w/a, then up to 6 of
 * "+xebmc", stop at ','). Returns 0 and the open(2) flags, or -1 (EINVAL). */
int tg_fopen_flags(const char *mode, int *flags);

/* Split path into its parent directory (copied into parent, "." when there is
 * no slash, "/" for "/name") and a pointer to the final component inside
 * path. Returns 0, or -1 when the path has no usable final component (empty,
 * ends in '/', "." or "..") or the parent does not fit. */
int tg_path_split(const char *path, char *parent, size_t parent_len,
		  const char **base);

/* Identity of a directory named in the configuration. */
struct tg_dir_id {
	dev_t dev;
	ino_t ino;
};

/* A shared directory: world-writable (sticky or not), or one of ids. */
int tg_dir_is_shared(const struct stat *dir, const struct tg_dir_id *ids,
		     int nids);

/* What an existing object found under a name we are about to create is. */
enum tg_object_verdict {
	TG_OBJ_OK = 0,       /* regular, owned by euid, one link */
	TG_OBJ_SYMLINK,      /* a symbolic link (never followed) */
	TG_OBJ_DIRECTORY,    /* the kernel's EISDIR stands */
	TG_OBJ_SPECIAL,      /* FIFO, socket, device */
	TG_OBJ_FOREIGN,      /* regular, owned by another uid */
	TG_OBJ_LINKED,       /* regular, ours, but more than one link */
};
enum tg_object_verdict tg_object_check(const struct stat *st, uid_t euid);
const char *tg_object_verdict_name(enum tg_object_verdict v);

/* Is what tg_object_check rejected a plant? Everything is, except a
 * directory of the caller's own: that is only the program's mistake, and
 * the kernel's EISDIR says so. */
static inline int tg_object_is_plant(enum tg_object_verdict v,
				     const struct stat *st, uid_t euid)
{
	return v != TG_OBJ_OK && (v != TG_OBJ_DIRECTORY || st->st_uid != euid);
}

/* Mode for files the library creates in harden mode: never group or other
 * bits (0666 -> 0600, 0755 -> 0700). */
static inline mode_t tg_harden_file_mode(mode_t requested)
{
	return requested & 0700;
}

/* What to do with a creating (or reserved) call. */
enum tg_plan {
	TG_PLAN_PASS = 0,      /* forward unchanged, nothing to log */
	TG_PLAN_SAFE_OPEN,     /* harden: never follow, exclusive or verified */
	TG_PLAN_EXCLUSIVE,     /* harden: reserved name, O_CREAT|O_EXCL|O_NOFOLLOW */
	TG_PLAN_VERIFY,        /* harden: reserved name opened without O_CREAT */
	TG_PLAN_AUDIT,         /* audit: forward unchanged, check and log */
};
/* flags: the call's open flags; shared: the parent directory is shared;
 * reserved: the name was handed out by a name generator in this process. */
enum tg_plan tg_plan_open(enum tg_mode mode, int flags, int shared,
			  int reserved);

#endif
