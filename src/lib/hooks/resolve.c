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
__attribute__((noinline, cold)) static int
tg_realpath_judged(const char *func, const char *path, char *resolved,
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
	return 1;
}

TG_EXPORT char *realpath(const char *path, char *resolved)
{
	char *out;
	if (tg_likely(tg_path_private(AT_FDCWD, path)) ||
	    !tg_realpath_judged("realpath", path, resolved, TG_CALLER(), &out))
		return TG_REAL(realpath)(path, resolved);
	return out;
}

/* The fortified entry: a buffer smaller than PATH_MAX is glibc's to
 * report (it aborts the program, as without tmpguard). */
TG_EXPORT char *__realpath_chk(const char *path, char *resolved,
			       size_t resolvedlen)
{
	char *out;
	if (tg_likely(tg_path_private(AT_FDCWD, path)) ||
	    resolvedlen < PATH_MAX ||
	    !tg_realpath_judged("__realpath_chk", path, resolved, TG_CALLER(),
				&out))
		return TG_REAL(__realpath_chk)(path, resolved, resolvedlen);
	return out;
}

TG_EXPORT char *canonicalize_file_name(const char *path)
{
	char *out;
	if (tg_likely(tg_path_private(AT_FDCWD, path)) ||
	    !tg_realpath_judged("canonicalize_file_name", path, NULL,
				TG_CALLER(), &out))
		return TG_REAL(canonicalize_file_name)(path);
	return out;
}
