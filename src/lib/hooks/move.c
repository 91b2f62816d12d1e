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
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/export.h"
#include "lib/guard/judge.h"
#include "lib/guard/marked.h"
#include "lib/real.h"

/* The source moved from its pinned directory (renameat(pfd, base, ...)):
 * rename acts on the name, so whoever may rename the entries of that
 * directory (a non-sticky world-writable one, a planted one) can swap it
 * between the judgement and the move. */
static int tg_rename_judged(const char *func, int fromfd, const char *from, int tofd,
		 const char *to, unsigned int flags, const void *caller,
		 int *rc)
{
	struct tg_judged j = TG_JUDGED_INIT(func, caller, TG_USE_RENAME, 0);
	j.want_dir = 1; /* rename never follows its source, even "link/" */
	int refused;
	if (!tg_judge_pin(&j, fromfd, from, &refused)) {
		*rc = -1;
		return refused;
	}
	if (j.w.base[0] == '\0') { /* "/", "." or "..": the kernel refuses */
		tg_judged_done(&j, 0);
		return 0;
	}
	long r;
	if (tg_path_marking() && to != NULL)
		r = TG_MARKED(SYS_renameat2, j.w.pfd, j.w.base, tofd, to, flags);
	else if (flags != 0)
		r = TG_REAL(renameat2)(j.w.pfd, j.w.base, tofd, to, flags);
	else
		r = TG_REAL(renameat)(j.w.pfd, j.w.base, tofd, to);
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

/* Which name a call came in by. */
enum tg_move_sym { TG_RENAME, TG_RENAMEAT, TG_RENAMEAT2, TG_LINK, TG_LINKAT };

/* The hooks' slow paths (TG_PATH_FAST), out of line and making the
 * program's own call themselves. */
__attribute__((noinline, cold)) static int
tg_rename_guarded(enum tg_move_sym sym, int fromfd, const char *from, int tofd,
		  const char *to, unsigned int flags, const void *caller)
{
	static const char names[][sizeof "renameat2"] = { [TG_RENAME] = "rename",
					     [TG_RENAMEAT] = "renameat",
					     [TG_RENAMEAT2] = "renameat2" };
	int rc;
	if (!tg_path_private(fromfd, from) &&
	    tg_rename_judged(names[sym], fromfd, from, tofd, to, flags, caller,
			     &rc))
		return rc;
	if (tg_path_marking() && from != NULL && to != NULL)
		return (int)TG_MARKED(SYS_renameat2, fromfd, from, tofd, to,
				      flags);
	switch (sym) {
	case TG_RENAME:
		return TG_REAL(rename)(from, to);
	case TG_RENAMEAT:
		return TG_REAL(renameat)(fromfd, from, tofd, to);
	default:
		return TG_REAL(renameat2)(fromfd, from, tofd, to, flags);
	}
}

TG_EXPORT int rename(const char *from, const char *to)
{
	if (TG_PATH_FAST(rename, AT_FDCWD, from))
		return tg_real_rename(from, to);
	return tg_rename_guarded(TG_RENAME, AT_FDCWD, from, AT_FDCWD, to, 0,
				 TG_CALLER());
}

TG_EXPORT int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	if (TG_PATH_FAST(renameat, fromfd, from))
		return tg_real_renameat(fromfd, from, tofd, to);
	return tg_rename_guarded(TG_RENAMEAT, fromfd, from, tofd, to, 0,
				 TG_CALLER());
}

TG_EXPORT int renameat2(int fromfd, const char *from, int tofd, const char *to,
			unsigned int flags)
{
	if (TG_PATH_FAST(renameat2, fromfd, from))
		return tg_real_renameat2(fromfd, from, tofd, to, flags);
	return tg_rename_guarded(TG_RENAMEAT2, fromfd, from, tofd, to, flags,
				 TG_CALLER());
}

/* linkat as the library makes it: with run's mark under supervision. */
static long tg_link_at(int fromfd, const char *from, int tofd, const char *to,
		       int flags)
{
	if (tg_path_marking() && to != NULL)
		return TG_MARKED(SYS_linkat, fromfd, from, tofd, to, flags);
	return TG_REAL(linkat)(fromfd, from, tofd, to, flags);
}

/* The source linked as the pinned object: through /proc/self/fd/N
 * (AT_SYMLINK_FOLLOW names exactly that file). A symbolic link that is
 * not followed is linked itself, by its name in the pinned directory, as
 * is everything where /proc is missing. */
static int tg_link_judged(const char *func, int fromfd, const char *from, int tofd,
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
		r = tg_link_at(j.w.pfd, j.w.base, tofd, to, empty);
	} else {
		char proc[TG_PROC_FD_PATH_MAX];
		tg_judged_proc(&j, proc);
		r = tg_link_at(AT_FDCWD, proc, tofd, to,
			       AT_SYMLINK_FOLLOW | empty);
		if (r < 0 && errno == ENOENT && tg_judged_no_proc(&j))
			r = tg_link_at(j.w.pfd, j.w.base, tofd, to, empty);
	}
	*rc = (int)tg_judged_done(&j, r);
	return 1;
}

/* An unknown flag is the kernel's EINVAL, left to it. */
__attribute__((noinline, cold)) static int
tg_link_guarded(enum tg_move_sym sym, int fromfd, const char *from, int tofd,
		const char *to, int flags, const void *caller)
{
	int rc;
	if (!tg_path_private(fromfd, from) &&
	    !(flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) &&
	    tg_link_judged(sym == TG_LINK ? "link" : "linkat", fromfd, from,
			   tofd, to, flags, caller, &rc))
		return rc;
	if (tg_path_marking() && from != NULL && to != NULL)
		return (int)TG_MARKED(SYS_linkat, fromfd, from, tofd, to, flags);
	if (sym == TG_LINK)
		return TG_REAL(link)(from, to);
	return TG_REAL(linkat)(fromfd, from, tofd, to, flags);
}

TG_EXPORT int link(const char *from, const char *to)
{
	if (TG_PATH_FAST(link, AT_FDCWD, from))
		return tg_real_link(from, to);
	return tg_link_guarded(TG_LINK, AT_FDCWD, from, AT_FDCWD, to, 0,
			       TG_CALLER());
}

TG_EXPORT int linkat(int fromfd, const char *from, int tofd, const char *to,
		     int flags)
{
	if (TG_PATH_FAST(linkat, fromfd, from))
		return tg_real_linkat(fromfd, from, tofd, to, flags);
	return tg_link_guarded(TG_LINKAT, fromfd, from, tofd, to, flags,
			       TG_CALLER());
}
