/* tmpguard — hooks: realpath, __realpath_chk and canonicalize_file_name
 * (the last two jump to glibc's internal realpath, which a realpath hook
 * does not see). They follow every symbolic link to hand the program a
 * name: through a planted link in a shared directory, a name outside it.
 * Judged under the rule (every link followed, the object as read); the
 * answer is the name of the object the walk pinned, as the kernel gives
 * it for /proc/self/fd/N, never the name resolved again. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/syscall.h"
#include "lib/export.h"
#include "lib/guard/judge.h"
#include "lib/real.h"

#define TG_UNNAMED (-2) /* the kernel gave no usable name */

/* The pinned object's absolute name into buf (PATH_MAX bytes): 0, -1 with
 * errno, or TG_UNNAMED (no /proc, or a name outside this root). */
static int tg_pinned_name(const struct tg_judged *j, char *buf)
{
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof deleted - 1;
	char proc[TG_PROC_FD_PATH_MAX];
	tg_judged_proc(j, proc);
	long n = TG_SYSCALL(SYS_readlinkat, AT_FDCWD, proc, buf, PATH_MAX);
	if (n < 0)
		return errno == ENOENT ? TG_UNNAMED : -1;
	if (n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	if (buf[0] != '/')
		return TG_UNNAMED;
	/* removed since it was pinned: the kernel marks the old name */
	struct stat st;
	if ((size_t)n > dlen && memcmp(buf + n - dlen, deleted, dlen) == 0 &&
	    tg_sys_fstat(j->w.fd, &st) == 0 && st.st_nlink == 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* Without a name from the kernel: glibc's answer, kept only if it names
 * the pinned object. */
static int tg_checked_name(const struct tg_judged *j, const char *path,
			   char *buf)
{
	struct stat st;
	if (TG_REAL(realpath)(path, buf) == NULL ||
	    tg_sys_fstatat(AT_FDCWD, buf, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (st.st_dev != j->w.st.st_dev || st.st_ino != j->w.st.st_ino) {
		errno = EACCES; /* swapped since it was judged */
		return -1;
	}
	return 0;
}

/* The answer where the program wants it: its buffer, or one allocated as
 * glibc's realpath allocates it when given none. */
static char *tg_answer(const char *name, char *resolved)
{
	if (resolved == NULL)
		return strdup(name);
	return memcpy(resolved, name, strlen(name) + 1);
}

/* 1 and *out when the guard answered (NULL with errno: refused or
 * failed); 0: make the program's own call. */
static int tg_realpath_judged(const char *func, const char *path, char *resolved,
		   const void *caller, char **out)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_READ, 1);
	int refused;
	*out = NULL;
	if (!tg_judge_pin(&j, AT_FDCWD, path, &refused))
		return refused;
	char name[PATH_MAX];
	int r = tg_pinned_name(&j, name);
	if (r == TG_UNNAMED)
		r = tg_checked_name(&j, path, name);
	if (r == 0)
		*out = tg_answer(name, resolved);
	tg_judged_done(&j, *out != NULL ? 0 : -1);
	/* glibc's realpath succeeds with the EINVAL of its readlink of the
	 * last component (not a link) in errno: so does this one */
	if (*out != NULL)
		errno = EINVAL;
	return 1;
}

/* Which name a call came in by. */
enum tg_resolve_sym { TG_REALPATH, TG_REALPATH_CHK, TG_CANONICALIZE };

/* The hooks' slow paths (TG_PATH_FAST), out of line and making the
 * program's own call themselves. The fortified entry with a buffer
 * smaller than PATH_MAX is glibc's to report: it aborts the program, as
 * without tmpguard. */
__attribute__((noinline, cold)) static char *
tg_realpath_guarded(enum tg_resolve_sym sym, const char *path, char *resolved,
		    size_t resolvedlen, const void *caller)
{
	static const char names[][sizeof "canonicalize_file_name"] = {
		[TG_REALPATH] = "realpath", [TG_REALPATH_CHK] = "__realpath_chk",
		[TG_CANONICALIZE] = "canonicalize_file_name",
	};
	char *out;
	if (!tg_path_private(AT_FDCWD, path) &&
	    (sym != TG_REALPATH_CHK || resolvedlen >= PATH_MAX) &&
	    tg_realpath_judged(names[sym], path, resolved, caller, &out))
		return out;
	switch (sym) {
	case TG_REALPATH:
		return TG_REAL(realpath)(path, resolved);
	case TG_REALPATH_CHK:
		return TG_REAL(__realpath_chk)(path, resolved, resolvedlen);
	default:
		return TG_REAL(canonicalize_file_name)(path);
	}
}

TG_EXPORT char *realpath(const char *path, char *resolved)
{
	if (TG_PATH_FAST(realpath, AT_FDCWD, path))
		return tg_real_realpath(path, resolved);
	return tg_realpath_guarded(TG_REALPATH, path, resolved, 0, TG_CALLER());
}

TG_EXPORT char *__realpath_chk(const char *path, char *resolved,
			       size_t resolvedlen)
{
	if (TG_PATH_FAST(__realpath_chk, AT_FDCWD, path))
		return tg_real___realpath_chk(path, resolved, resolvedlen);
	return tg_realpath_guarded(TG_REALPATH_CHK, path, resolved, resolvedlen,
				   TG_CALLER());
}

TG_EXPORT char *canonicalize_file_name(const char *path)
{
	if (TG_PATH_FAST(canonicalize_file_name, AT_FDCWD, path))
		return tg_real_canonicalize_file_name(path);
	return tg_realpath_guarded(TG_CANONICALIZE, path, NULL, 0, TG_CALLER());
}
