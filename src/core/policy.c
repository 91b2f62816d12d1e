/* tmpguard — the policy: pure decisions about paths, flags and objects. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "core/policy.h"

int tg_fopen_flags(const char *mode, int *flags)
{
	int f;

	if (mode == NULL || flags == NULL) {
		errno = EINVAL;
		return -1;
	}
	switch (mode[0]) {
	case 'r':
		f = O_RDONLY;
		break;
	case 'w':
		f = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		f = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	/* As libio/fileops.c: at most 6 more characters, stop at NUL or ','. */
	for (int i = 1; i < 7; i++) {
		char c = mode[i];
		if (c == '\0' || c == ',')
			break;
		switch (c) {
		case '+':
			f = (f & ~O_ACCMODE) | O_RDWR;
			break;
		case 'x':
			f |= O_EXCL;
			break;
		case 'e':
			f |= O_CLOEXEC;
			break;
		default: /* 'b', 'm', 'c' and anything else: no open flag */
			break;
		}
	}
	*flags = f;
	return 0;
}

int tg_path_split(const char *path, char *parent, size_t parent_len,
		  const char **base)
{
	if (path == NULL || path[0] == '\0' || parent == NULL)
		return -1;
	size_t len = strlen(path);
	if (path[len - 1] == '/')
		return -1;
	const char *slash = strrchr(path, '/');
	const char *b = slash != NULL ? slash + 1 : path;
	if (strcmp(b, ".") == 0 || strcmp(b, "..") == 0)
		return -1;

	const char *p;
	size_t plen;
	if (slash == NULL) {
		p = ".";
		plen = 1;
	} else {
		plen = (size_t)(slash - path);
		while (plen > 0 && path[plen - 1] == '/')
			plen--;
		if (plen == 0) {
			p = "/";
			plen = 1;
		} else {
			p = path;
		}
	}
	if (plen + 1 > parent_len)
		return -1;
	memcpy(parent, p, plen);
	parent[plen] = '\0';
	if (base != NULL)
		*base = b;
	return 0;
}

int tg_dir_is_shared(const struct stat *dir, const struct tg_dir_id *ids,
		     int nids)
{
	if (dir == NULL || !S_ISDIR(dir->st_mode))
		return 0;
	if (dir->st_mode & S_IWOTH)
		return 1;
	for (int i = 0; ids != NULL && i < nids; i++)
		if (ids[i].dev == dir->st_dev && ids[i].ino == dir->st_ino)
			return 1;
	return 0;
}

enum tg_object_verdict tg_object_check(const struct stat *st, uid_t euid)
{
	if (S_ISLNK(st->st_mode))
		return TG_OBJ_SYMLINK;
	if (S_ISDIR(st->st_mode))
		return TG_OBJ_DIRECTORY;
	if (!S_ISREG(st->st_mode))
		return TG_OBJ_SPECIAL;
	if (st->st_uid != euid)
		return TG_OBJ_FOREIGN;
	if (st->st_nlink > 1)
		return TG_OBJ_LINKED;
	return TG_OBJ_OK;
}

const char *tg_object_verdict_name(enum tg_object_verdict v)
{
	switch (v) {
	case TG_OBJ_OK:
		return "ok";
	case TG_OBJ_SYMLINK:
		return "symlink";
	case TG_OBJ_DIRECTORY:
		return "directory";
	case TG_OBJ_SPECIAL:
		return "special";
	case TG_OBJ_FOREIGN:
		return "foreign-owner";
	case TG_OBJ_LINKED:
		return "multiple-links";
	}
	return "unknown";
}

enum tg_object_verdict tg_object_plant(const struct stat *st, uid_t euid)
{
	enum tg_object_verdict v = tg_object_check(st, euid);
	if (v == TG_OBJ_DIRECTORY && st->st_uid == euid)
		return TG_OBJ_OK;
	return v;
}


/* ---- the rule --------------------------------------------------------------- */

enum tg_object_verdict tg_judge_entry(const struct stat *st, enum tg_use use,
				      const struct tg_trust *t)
{
	int trusted = tg_trusted(t, st->st_uid);
	if (S_ISLNK(st->st_mode))
		return trusted ? TG_OBJ_OK : TG_OBJ_SYMLINK;
	if (S_ISDIR(st->st_mode)) {
		if (use == TG_USE_CHANGE || use == TG_USE_RENAME)
			return trusted ? TG_OBJ_OK : TG_OBJ_DIRECTORY;
		return TG_OBJ_OK; /* passed, read; written or run: the kernel
				   * refuses that itself (EISDIR, EACCES) */
	}
	if (use == TG_USE_CONNECT && !S_ISSOCK(st->st_mode))
		return TG_OBJ_OK; /* the kernel refuses it: ECONNREFUSED */
	if (!S_ISREG(st->st_mode))
		return trusted ? TG_OBJ_OK : TG_OBJ_SPECIAL;
	if (!trusted)
		return TG_OBJ_FOREIGN;
	if (st->st_nlink > 1 && (use == TG_USE_WRITE || use == TG_USE_CHANGE ||
				 use == TG_USE_RENAME))
		return TG_OBJ_LINKED;
	return TG_OBJ_OK;
}

/* ---- the open family ------------------------------------------------------ */

/* A reserved name is made exclusive wherever it is (audit: watched before
 * and after the program's call); a path through a shared directory is
 * walked under the rule. A predictable creation elsewhere is judged by its
 * directory, looked at afresh (one stat): a world-writable one that is not
 * listed is found there, and the program's call goes on in a private one. */
static enum tg_plan plan_harden(const struct tg_open_facts *f)
{
	if (f->reserved)
		return (f->flags & O_CREAT) ? TG_PLAN_EXCLUSIVE : TG_PLAN_VERIFY;
	if (f->candidate)
		return TG_PLAN_JUDGE;
	switch (f->parent) {
	case TG_PARENT_NOT_YET:
		return TG_PLAN_LOOK_PARENT;
	case TG_PARENT_SHARED:
		return TG_PLAN_JUDGE;
	default: /* a private directory, or the kernel will say what is wrong */
		return TG_PLAN_PASS;
	}
}

/* audit changes nothing: it judges as harden would, and logs. */
static enum tg_plan plan_audit(const struct tg_open_facts *f)
{
	enum tg_plan p = plan_harden(f);
	switch (p) {
	case TG_PLAN_EXCLUSIVE:
	case TG_PLAN_VERIFY:
		return TG_PLAN_AUDIT;
	case TG_PLAN_JUDGE:
		return TG_PLAN_WATCH;
	default:
		return p;
	}
}

enum tg_plan tg_plan_open(const struct tg_open_facts *f)
{
	if (!f->reserved && !f->candidate && !tg_flags_predictable(f->flags))
		return TG_PLAN_PASS;
	return f->mode == TG_MODE_AUDIT ? plan_audit(f) : plan_harden(f);
}

/* ---- mkdir, mkfifo, mknod -------------------------------------------------- */

enum tg_node_plan tg_plan_node(enum tg_mode mode, int reserved)
{
	if (!reserved)
		return TG_NODE_PASS;
	return mode == TG_MODE_HARDEN ? TG_NODE_TAKE_PRIVATE : TG_NODE_TAKE;
}

static const struct tg_report tg_no_report = { TG_EV_NONE, TG_ACT_LOGGED, 0,
					       NULL };

struct tg_report tg_judge_node(const struct tg_node_facts *f, int *look)
{
	int harden = f->mode == TG_MODE_HARDEN;
	*look = 0;
	if (f->err == 0) {
		if (f->reserved && harden)
			return (struct tg_report){ TG_EV_REWRITTEN,
						   TG_ACT_HARDENED, 0, NULL };
		return tg_no_report;
	}
	if (f->err != EEXIST)
		return tg_no_report;
	if (f->reserved) { /* squatted between the name and its creation */
		if (harden)
			return (struct tg_report){ TG_EV_RACE_BLOCKED,
						   TG_ACT_BLOCKED, EEXIST, NULL };
		return (struct tg_report){ TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED,
					   0, "squatted" };
	}
	/* another user's object in a shared directory: a program that
	 * ignores EEXIST would now use the plant. The kernel refused the
	 * call, not tmpguard: it is a detection in both modes; the program's
	 * next steps are judged by the rule. */
	if (f->parent == TG_PARENT_NOT_YET) {
		*look = 1;
		return tg_no_report;
	}
	if (f->parent != TG_PARENT_SHARED || f->squatted != 1)
		return tg_no_report;
	return tg_report_plant(TG_MODE_AUDIT, TG_OBJ_FOREIGN, 0);
}

/* ---- posix_spawn_file_actions_addopen ------------------------------------- */

enum tg_spawn_plan tg_plan_spawn(const struct tg_spawn_facts *f)
{
	if (!f->candidate) {
		if (!tg_flags_predictable(f->flags))
			return TG_SPAWN_PASS;
		if (f->parent == TG_PARENT_NOT_YET)
			return TG_SPAWN_LOOK;
		if (f->parent != TG_PARENT_SHARED)
			return TG_SPAWN_PASS;
	}
	if (f->mode == TG_MODE_AUDIT)
		return TG_SPAWN_WATCH;
	return f->no_pin ? TG_SPAWN_NAME : TG_SPAWN_PIN;
}

/* An exclusive creation stays the child's (the kernel refuses anything
 * under the name then, as it would have), in the directory pinned now; so
 * does a creation in a directory no one else can write. */
enum tg_spawn_pin tg_spawn_pin_what(int flags, int exists, int parent_shared)
{
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return TG_SPAWN_PIN_DIR;
	if (exists)
		return TG_SPAWN_PIN_OBJECT;
	if ((flags & O_CREAT) && parent_shared)
		return TG_SPAWN_PIN_CREATE;
	return TG_SPAWN_PIN_DIR;
}

int tg_spawn_object_flags(int flags, int is_link)
{
	flags &= ~(O_CREAT | O_EXCL);
	return is_link ? flags | O_NOFOLLOW : flags & ~O_NOFOLLOW;
}

int tg_spawn_dir_flags(int flags, int parent_shared)
{
	return parent_shared ? flags | O_NOFOLLOW : flags;
}

/* ---- events ---------------------------------------------------------------- */

struct tg_report tg_report_predictable(enum tg_mode mode)
{
	return (struct tg_report){
		TG_EV_PREDICTABLE_CREATE,
		mode == TG_MODE_HARDEN ? TG_ACT_HARDENED : TG_ACT_LOGGED, 0, NULL
	};
}

struct tg_report tg_report_plant(enum tg_mode mode, enum tg_object_verdict v,
				 int err)
{
	if (mode == TG_MODE_HARDEN)
		return (struct tg_report){ TG_EV_HIJACK_BLOCKED, TG_ACT_BLOCKED,
					   err, tg_object_verdict_name(v) };
	/* audit only watched: nothing of ours refused it */
	return (struct tg_report){ TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED, 0,
				   tg_object_verdict_name(v) };
}

struct tg_report tg_report_unsafe_name(enum tg_mode mode)
{
	return (struct tg_report){
		TG_EV_UNSAFE_NAME,
		mode == TG_MODE_HARDEN ? TG_ACT_HARDENED : TG_ACT_LOGGED, 0, NULL
	};
}
