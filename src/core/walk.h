/* tmpguard — resolving a path one component at a time, judging every entry
 * of a shared or planted directory on the way with the rule
 * (tg_judge_entry), and pinning what it reaches: the final component's
 * directory and the final object as O_PATH descriptors, which the caller
 * then acts on (/proc/self/fd/N, AT_EMPTY_PATH), never the name again.
 * Nothing is opened for I/O to be looked at. Shared by the library and
 * anything that acts for another process: the trust and the shared
 * directories are parameters. Async-signal-safe; allocates nothing but a
 * mapping for paths longer than a small stack buffer. */
#ifndef TG_CORE_WALK_H
#define TG_CORE_WALK_H

#include <limits.h>
#include <sys/stat.h>
#include "core/config.h"
#include "core/policy.h"

struct tg_walk {
	/* in */
	int dirfd;            /* where a relative path starts (AT_FDCWD ...) */
	const char *path;
	size_t skip;          /* an absolute path's first `skip` bytes name a
			       * shared directory: start there (0: at dirfd,
			       * or at "/") */
	int start_shared;     /* the start is a shared or planted directory */
	int follow;           /* follow a final symbolic link */
	int parent_only;      /* pin the final component's directory only
			       * (for an exclusive creation: the kernel
			       * answers for the name itself) */
	enum tg_use use;      /* what the call does with the final object */
	int check_stable;     /* tell `stable` (one fstat more, at most) */
	int leave_special;    /* tg_ruled_open: an existing FIFO, socket or
			       * device the rule accepts is not opened (-1,
			       * EOPNOTSUPP, w->fd pinned): opening it may
			       * wait or act, and is the caller's to make */
	const struct tg_trust *trust;
	const struct tg_dir_id *ids; /* the listed shared directories */
	int nids;
	/* out */
	int pfd;              /* the final component's directory (O_PATH) */
	int parent_shared;    /* ... is shared or planted */
	char base[NAME_MAX + 1]; /* the final component ("" for "/") */
	int fd;               /* the final object (O_PATH), -1: absent */
	struct stat st;       /* its lstat */
	enum tg_object_verdict refused; /* why an entry was refused */
	int stable;           /* check_stable: every shared or planted
			       * directory an entry was looked up in keeps
			       * its entries (tg_dir_keeps_entries): the
			       * name resolves to what was pinned as long as
			       * no trusted user changes it */
};

/* Resolve w->path. 0: resolved, with w->pfd pinned and w->fd pinned or -1
 * when the final component does not exist (errno ENOENT; its directory
 * does). -1 with errno: EACCES and w->refused when the rule refused an
 * entry on the way or the final object; else the kernel's (ENOENT for a
 * missing directory on the way, ENOTDIR, ELOOP, ENAMETOOLONG ...).
 * tg_walk_done releases what was pinned, in every case. */
int tg_walk(struct tg_walk *w);
void tg_walk_done(struct tg_walk *w);

/* Is the directory dirfd, where a relative path starts, shared or
 * planted (an untrusted directory in a shared one)? For a caller that
 * did not watch it become the working directory: two fstats. */
int tg_walk_dir_shared(int dirfd, const struct tg_trust *t,
		       const struct tg_dir_id *ids, int nids);

/* After a walk for an open with these flags (what to log, in both modes):
 * a predictable creation that reached a shared or planted directory; */
static inline int tg_walk_predictable_there(int flags, const struct tg_walk *w)
{
	return tg_flags_predictable(flags) && w->parent_shared;
}

/* another user's directory under a name opened for writing (the kernel
 * refuses the open itself, EISDIR; it is logged as a detection). */
static inline int tg_walk_dir_squatted(int flags, const struct tg_walk *w)
{
	return w->fd >= 0 && w->parent_shared && S_ISDIR(w->st.st_mode) &&
	       tg_open_use(flags) == TG_USE_WRITE &&
	       !tg_trusted(w->trust, w->st.st_uid);
}

/* audit's look at an open with these flags, for the library and `run
 * --supervise` alike: the walk under the rule (w->use and w->follow set
 * from the flags), nothing acted on; in r[0..*n) what harden would have
 * refused or hardened (at most two reports). Returns tg_walk's result;
 * the caller still owns the walk (tg_walk_done). */
int tg_walk_watch(struct tg_walk *w, int flags, struct tg_report r[2], int *n);

/* ---- the path calls (contract part 2, item 2): after the walk -------------- */

/* What the library and `run --supervise` make of a path call once its
 * path was walked under the rule. */
enum tg_judgement {
	TG_JUDGED_FORWARD = 0, /* make the program's own call */
	TG_JUDGED_PINNED,      /* act on the walk's pin */
	TG_JUDGED_REFUSED,     /* fail (logged when the rule refused) */
};

struct tg_path_call {
	int follow;          /* the call follows a final symbolic link */
	int link_errno;      /* not 0: what the call fails with anyway on a
			      * final symbolic link it does not follow
			      * (fchmodat: EOPNOTSUPP) */
	int slashed;         /* the path lost trailing '/'s
			      * (tg_path_unslashed): the call asks for a
			      * directory (rename: ENOTDIR on anything else) */
};

/* For a call that never follows its final component, not even with a
 * trailing '/': path without its trailing '/'s (which would make the walk
 * follow a final link), in buf; path itself when it has none. */
const char *tg_path_unslashed(const char *path, char buf[PATH_MAX]);

/* The judgement of a walked path call in mode: rc and err are tg_walk's
 * result and errno (ENOENT for a missing final object). Harden: PINNED
 * when the walk reached an object the rule accepts and the call would not
 * fail on it anyway; REFUSED with *err_out EACCES when the rule refused
 * an entry, or the kernel's errno. Audit: FORWARD. *report: the event to
 * log (TG_EV_NONE: none); what the kernel refuses itself is logged as a
 * detection, never as tmpguard's refusal. */
enum tg_judgement tg_path_judge(enum tg_mode mode, const struct tg_walk *w,
				const struct tg_path_call *c, int rc, int err,
				struct tg_report *report, int *err_out);

#endif
