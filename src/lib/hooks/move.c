/* tmpguard — hooks: a name moved or linked elsewhere (rename, renameat,
 * renameat2, link, linkat), its source judged under the rule: renamed or
 * linked, an object of an untrusted owner, a symbolic link or a second
 * link of a file would put the attacker's object under the program's new
 * name. renameat2 is a symbol of its own (with flags 0 glibc jumps to its
 * internal renameat, which a renameat hook does not see). The destination
 * is the program's: the kernel replaces a name there, never follows it. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/export.h"
#include "lib/guard/judge.h"
#include "lib/real.h"

/* The source moved from its pinned directory (renameat(pfd, base, ...)):
 * rename acts on the name, so whoever may rename the entries of that
 * directory (a non-sticky world-writable one, a planted one) can swap it
 * between the judgement and the move. */
__attribute__((noinline, cold)) static int
tg_rename_judged(const char *func, int fromfd, const char *from, int tofd,
		 const char *to, unsigned int flags, const void *caller,
		 int *rc)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_RENAME, 0);
	int refused;
	if (!tg_judge_pin(&j, fromfd, from, &refused)) {
		*rc = -1;
		return refused;
	}
	if (j.w.base[0] == '\0') { /* "/", "." or "..": the kernel refuses */
		tg_judged_done(&j, 0);
		return 0;
	}
	long r = flags != 0 ? TG_REAL(renameat2)(j.w.pfd, j.w.base, tofd, to,
						 flags)
			    : TG_REAL(renameat)(j.w.pfd, j.w.base, tofd, to);
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

TG_EXPORT int rename(const char *from, const char *to)
{
	int rc;
	if (tg_likely(tg_path_private(AT_FDCWD, from)) ||
	    !tg_rename_judged("rename", AT_FDCWD, from, AT_FDCWD, to, 0,
			      TG_CALLER(), &rc))
		return TG_REAL(rename)(from, to);
	return rc;
}

TG_EXPORT int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	int rc;
	if (tg_likely(tg_path_private(fromfd, from)) ||
	    !tg_rename_judged("renameat", fromfd, from, tofd, to, 0,
			      TG_CALLER(), &rc))
		return TG_REAL(renameat)(fromfd, from, tofd, to);
	return rc;
}

TG_EXPORT int renameat2(int fromfd, const char *from, int tofd, const char *to,
			unsigned int flags)
{
	int rc;
	if (tg_likely(tg_path_private(fromfd, from)) ||
	    !tg_rename_judged("renameat2", fromfd, from, tofd, to, flags,
			      TG_CALLER(), &rc))
		return TG_REAL(renameat2)(fromfd, from, tofd, to, flags);
	return rc;
}

/* The source linked as the pinned object: through /proc/self/fd/N
 * (AT_SYMLINK_FOLLOW names exactly that file). A symbolic link that is
 * not followed is linked itself, by its name in the pinned directory, as
 * is everything where /proc is missing. */
__attribute__((noinline, cold)) static int
tg_link_judged(const char *func, int fromfd, const char *from, int tofd,
	       const char *to, int flags, const void *caller, int *rc)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_RENAME,
					    (flags & AT_SYMLINK_FOLLOW) != 0);
	int refused;
	if (!tg_judge_pin(&j, fromfd, from, &refused)) {
		*rc = -1;
		return refused;
	}
	/* AT_EMPTY_PATH with a path: no change, but the kernel may ask for a
	 * privilege all the same */
	int empty = flags & AT_EMPTY_PATH;
	long r;
	if (S_ISLNK(j.w.st.st_mode)) {
		r = TG_REAL(linkat)(j.w.pfd, j.w.base, tofd, to, empty);
	} else {
		char proc[TG_PROC_FD_PATH_MAX];
		tg_judged_proc(&j, proc);
		r = TG_REAL(linkat)(AT_FDCWD, proc, tofd, to,
				    AT_SYMLINK_FOLLOW | empty);
		if (r < 0 && errno == ENOENT && tg_judged_no_proc(&j))
			r = TG_REAL(linkat)(j.w.pfd, j.w.base, tofd, to, empty);
	}
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

TG_EXPORT int link(const char *from, const char *to)
{
	int rc;
	if (tg_likely(tg_path_private(AT_FDCWD, from)) ||
	    !tg_link_judged("link", AT_FDCWD, from, AT_FDCWD, to, 0,
			    TG_CALLER(), &rc))
		return TG_REAL(link)(from, to);
	return rc;
}

/* An unknown flag is the kernel's EINVAL, left to it. */
TG_EXPORT int linkat(int fromfd, const char *from, int tofd, const char *to,
		     int flags)
{
	int rc;
	if (tg_likely(tg_path_private(fromfd, from)) ||
	    (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) ||
	    !tg_link_judged("linkat", fromfd, from, tofd, to, flags,
			    TG_CALLER(), &rc))
		return TG_REAL(linkat)(fromfd, from, tofd, to, flags);
	return rc;
}
