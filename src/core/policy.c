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

enum tg_plan tg_plan_open(enum tg_mode mode, int flags, int shared,
			  int reserved)
{
	if (mode == TG_MODE_AUDIT) {
		if (reserved || (tg_flags_predictable(flags) && shared))
			return TG_PLAN_AUDIT;
		return TG_PLAN_PASS;
	}
	if (reserved)
		return (flags & O_CREAT) ? TG_PLAN_EXCLUSIVE : TG_PLAN_VERIFY;
	if (tg_flags_predictable(flags) && shared)
		return TG_PLAN_SAFE_OPEN;
	return TG_PLAN_PASS;
}
