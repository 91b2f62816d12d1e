/* tmpguard — the policy: every decision the library takes, as pure
 * functions of what it has learned so far. Nothing here makes a system
 * call, so all of it is unit-tested; the guard (lib/guard/) only gathers
 * the facts a plan asks for and carries the plan out. */
#ifndef TG_CORE_POLICY_H
#define TG_CORE_POLICY_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "core/config.h"
#include "core/event.h"

/* The variadic mode argument exists only in these cases (O_TMPFILE contains
 * O_DIRECTORY, so a bare bit test would misfire on directory opens). */
static inline int tg_flags_need_mode(int flags)
{
	return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
}

/* A creation that may follow or reuse a planted object (O_PATH never
 * creates: the kernel ignores O_CREAT with it). */
static inline int tg_flags_predictable(int flags)
{
	return (flags & (O_CREAT | O_EXCL | O_PATH)) == O_CREAT;
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

/* A shared directory: world-writable (sticky or not), or one of ids. */
int tg_dir_is_shared(const struct stat *dir, const struct tg_dir_id *ids,
		     int nids);

/* ---- objects ------------------------------------------------------------- */

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

/* Is the object a plant? TG_OBJ_OK when it is not: the caller's own
 * regular file, or a directory of the caller's own (only the program's
 * mistake, which the kernel's EISDIR reports); else what it is. */
enum tg_object_verdict tg_object_plant(const struct stat *st, uid_t euid);

/* Mode for files the library creates in harden mode: never group or other
 * bits (0666 -> 0600, 0755 -> 0700). */
static inline mode_t tg_harden_file_mode(mode_t requested)
{
	return requested & 0700;
}

/* ---- the rule (contract part 2): what a shared directory's entry may be
 * used for ------------------------------------------------------------------ */

/* Trusted owners: the caller's effective uid, root, and TMPGUARD_TRUST. An
 * attacker cannot make an object another user owns, so what a trusted
 * owner made is what that owner meant. The directory's owner is not
 * trusted as such (it may be the attacker's own directory). */
struct tg_trust {
	uid_t euid;
	int n;
	const uid_t *uids;
};

static inline int tg_trusted(const struct tg_trust *t, uid_t uid)
{
	if (uid == t->euid || uid == 0)
		return 1;
	for (int i = 0; i < t->n; i++)
		if (t->uids[i] == uid)
			return 1;
	return 0;
}

/* What a call does with an entry of a shared or planted directory. */
enum tg_use {
	TG_USE_PASS = 0, /* a directory the path goes through */
	TG_USE_FOLLOW,   /* a symbolic link followed */
	TG_USE_READ,     /* opened for reading, read, listed */
	TG_USE_WRITE,    /* opened for writing, truncated */
	TG_USE_CHANGE,   /* its mode, owner or times changed */
	TG_USE_RENAME,   /* renamed or linked elsewhere (the source) */
	TG_USE_EXEC,     /* executed */
	TG_USE_CONNECT,  /* a socket connected to (anything else the kernel
			  * refuses itself: ECONNREFUSED) */
};

/* The use an open's flags make of the object. */
static inline enum tg_use tg_open_use(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)
		       ? TG_USE_WRITE
		       : TG_USE_READ;
}

/* May the entry st (lstat'ed) of a shared or planted directory be used so?
 * TG_OBJ_OK, or why not: only when its owner is trusted; a regular file
 * written, changed or renamed must also have exactly one link (a second
 * link is how a plant reaches a file the attacker does not own).
 * Directories may always be passed through and read (their entries are
 * judged in turn); written or run, the kernel refuses them itself; only a
 * change or a rename of another user's is refused. */
enum tg_object_verdict tg_judge_entry(const struct stat *st, enum tg_use use,
				      const struct tg_trust *t);

/* A planted directory: an entry of a shared or planted directory owned by
 * someone not trusted. Its owner can replace its entries at any time, so it
 * is a shared directory itself, whatever its mode. */
static inline int tg_dir_planted(const struct stat *st,
				 const struct tg_trust *t)
{
	return S_ISDIR(st->st_mode) && !tg_trusted(t, st->st_uid);
}

/* Can only trusted users replace the entries of directory d? Its owner is
 * trusted, and it is sticky (others may add entries, never replace one
 * they do not own) or no one else may write it. A name resolved through
 * such directories alone, each entry trusted, means the same object until
 * a trusted user changes it: it may be used again, where the program must
 * see the name (a script's $0). */
static inline int tg_dir_keeps_entries(const struct stat *d,
				       const struct tg_trust *t)
{
	return S_ISDIR(d->st_mode) && tg_trusted(t, d->st_uid) &&
	       ((d->st_mode & S_ISVTX) || !(d->st_mode & (S_IWGRP | S_IWOTH)));
}

/* ---- the open family (open*, creat*, fopen*, freopen*, shm_open) --------- */

/* What the guard has learned about the parent directory. */
enum tg_parent {
	TG_PARENT_NOT_YET = 0,
	TG_PARENT_SHARED,
	TG_PARENT_PRIVATE,
	TG_PARENT_UNKNOWN, /* cannot be looked at: the kernel will say why */
};

struct tg_open_facts {
	enum tg_mode mode;
	int flags;           /* open(2) flags of the call (fopen's, translated) */
	int reserved;        /* the name was handed out by a name generator */
	int candidate;       /* the path may resolve through a shared
			      * directory (lib/guard/where.h) */
	enum tg_parent parent;
};

enum tg_plan {
	TG_PLAN_PASS = 0,    /* the program's own call, nothing to log */
	TG_PLAN_LOOK_PARENT, /* learn `parent` (one stat) */
	TG_PLAN_JUDGE,       /* harden: walk the path under the rule and open
			      * what it accepts (core/safeopen.h) */
	TG_PLAN_WATCH,       /* audit: walk and judge the same way, log, then
			      * the program's own call */
	TG_PLAN_EXCLUSIVE,   /* harden: reserved name, O_CREAT|O_EXCL|O_NOFOLLOW */
	TG_PLAN_VERIFY,      /* harden: reserved name opened without O_CREAT */
	TG_PLAN_AUDIT,       /* audit: reserved name: the program's own call,
			      * looked at before and after, logged */
};

/* A path that may resolve through a shared directory is walked under the
 * rule, unless the call cannot be hijacked there: an O_PATH open (no I/O,
 * no creation), or an exclusive creation of a name directly in a shared
 * directory (shallow: no other component is looked up in one), which the
 * kernel already refuses over anything that exists, links included. */
static inline int tg_open_walked(int flags, int shallow)
{
	if (flags & O_PATH)
		return 0;
	return !(shallow && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL));
}

/* The next step for a call with these facts. The guard repeats: gather what
 * a LOOK plan asks for, ask again, until it gets an action. */
enum tg_plan tg_plan_open(const struct tg_open_facts *f);

/* The mode a file (or, dir, a directory) created in a shared directory or
 * under a reserved name gets: 0600/0700, or what the program asked. */
static inline mode_t tg_create_mode(enum tg_file_mode fm, mode_t requested,
				    int dir)
{
	if (fm == TG_FILE_MODE_PROGRAM)
		return requested;
	return dir ? 0700 : tg_harden_file_mode(requested);
}

/* ---- mkdir, mkfifo, mknod ------------------------------------------------- */

enum tg_node_plan {
	TG_NODE_PASS = 0,
	TG_NODE_TAKE,         /* consume the reservation, judge afterwards */
	TG_NODE_TAKE_PRIVATE, /* the same, mode 0700 (directory) or 0600 */
};
enum tg_node_plan tg_plan_node(enum tg_mode mode, int reserved);

/* What the guard learned after the call, for tg_judge_node. */
struct tg_node_facts {
	enum tg_mode mode;
	int reserved;
	int err;                /* 0: the call succeeded; else its errno */
	enum tg_parent parent;  /* NOT_YET until looked at */
	int squatted;           /* -1 not looked at (or gone); else whether
				 * its owner is not trusted */
};

/* An event to log: kind TG_EV_NONE when there is none. */
struct tg_report {
	int kind;
	enum tg_action action;
	int err;
	const char *detail;
};
#define TG_EV_NONE (-1)

/* The event for a finished node call; with `look` set, the guard must first
 * look at the parent and the object in the way (tg_object_squatted). */
struct tg_report tg_judge_node(const struct tg_node_facts *f, int *look);

/* ---- posix_spawn_file_actions_addopen ------------------------------------ */

/* The open runs in the child at spawn time, where no hook runs: the
 * registration is the only point that sees the path. harden resolves it
 * there and registers an open of what it pinned, so that an object
 * planted between registration and spawn is never the one opened. */
enum tg_spawn_plan {
	TG_SPAWN_PASS = 0, /* register the action as it is */
	TG_SPAWN_LOOK,     /* learn `parent` (one stat): a creation the
			    * cheap test cannot place */
	TG_SPAWN_PIN,      /* harden: walk under the rule now and register
			    * an open of what it pinned (tg_spawn_pin_what),
			    * kept until the actions are destroyed */
	TG_SPAWN_NAME,     /* harden, no pin can be kept: walk under the
			    * rule now, register the name (O_NOFOLLOW) */
	TG_SPAWN_WATCH,    /* audit: walk and judge now, log, register the
			    * action as it is; look again at destroy */
};
struct tg_spawn_facts {
	enum tg_mode mode;
	int flags;
	int candidate;         /* the path may resolve through a shared
				* directory (lib/guard/where.h) and the open
				* can be hijacked there (tg_open_walked) */
	enum tg_parent parent; /* a creation that is not a candidate: its
				* directory */
	int no_pin;            /* no pin can be kept: no free slot */
};
enum tg_spawn_plan tg_plan_spawn(const struct tg_spawn_facts *f);

/* What the child is made to open, once the walk accepted the path. */
enum tg_spawn_pin {
	TG_SPAWN_PIN_OBJECT, /* the pinned object: "/proc/self/fd/N",
			      * O_CREAT, O_EXCL and O_NOFOLLOW dropped */
	TG_SPAWN_PIN_CREATE, /* created now, exclusively with the shared
			      * mode, then opened as a pinned object */
	TG_SPAWN_PIN_DIR,    /* the name in its pinned directory:
			      * "/proc/self/fd/N/NAME", flags from
			      * tg_spawn_dir_flags */
};
enum tg_spawn_pin tg_spawn_pin_what(int flags, int exists, int parent_shared);

/* The flags the child opens with, for a pinned object (is_link: a
 * symbolic link the program asked not to follow, which keeps O_NOFOLLOW
 * and fails with ELOOP as it would have) or a name in a pinned directory
 * (a name in a shared one is never followed). */
int tg_spawn_object_flags(int flags, int is_link);
int tg_spawn_dir_flags(int flags, int parent_shared);

/* ---- connect, sem_open --------------------------------------------------- */

/* A Unix socket path or a named semaphore that may resolve through a
 * shared directory: harden walks it and refuses what the rule refuses;
 * audit walks, logs and makes the program's call. */
enum tg_ipc_plan {
	TG_IPC_PASS = 0,
	TG_IPC_JUDGE,
	TG_IPC_WATCH,
};
static inline enum tg_ipc_plan tg_plan_ipc(enum tg_mode mode, int candidate)
{
	if (!candidate)
		return TG_IPC_PASS;
	return mode == TG_MODE_AUDIT ? TG_IPC_WATCH : TG_IPC_JUDGE;
}

/* ---- events shared by the families ---------------------------------------- */

/* A predictable creation in a shared directory: hardened or logged. */
struct tg_report tg_report_predictable(enum tg_mode mode);
/* A plant found: refused with err (harden) or only detected (audit). */
struct tg_report tg_report_plant(enum tg_mode mode, enum tg_object_verdict v,
				 int err);
/* A name from a name generator handed out. */
struct tg_report tg_report_unsafe_name(enum tg_mode mode);

/* tmpfile and the name generators: harden replaces them with its own. */
static inline int tg_replaces_generators(enum tg_mode mode)
{
	return mode == TG_MODE_HARDEN;
}

#endif
