/* tmpguard run --supervise — the path calls: truncate, chmod, chown, the
 * utime family with a path, rename and link (their source), trapped as
 * system calls, judged as the library judges them (lib/guard/judge.c:
 * the same walk, core/walk.h's tg_path_judge) and, in harden mode,
 * carried out here as the caller on what the walk pinned: through
 * /proc/self/fd/N or the pinned descriptor for the object, relative to
 * the pinned directory for a name (rename, a link not followed), never on
 * the program's path again. */
#include <config.h>

#ifdef HAVE_LIBSECCOMP

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "cli/pathtrap.h"
#include "core/safeopen.h"
#include "core/sys.h"

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

/* Each call by its system call; the family is what it does. */
enum {
	PC_NONE = 0,
	PC_TRUNCATE,
	PC_CHMOD, PC_FCHMODAT, PC_FCHMODAT2,
	PC_CHOWN, PC_LCHOWN, PC_FCHOWNAT,
	PC_UTIME, PC_UTIMES, PC_FUTIMESAT, PC_UTIMENSAT,
	PC_RENAME, PC_RENAMEAT, PC_RENAMEAT2,
	PC_LINK, PC_LINKAT,
};

static int is_chmod(int pc) { return pc >= PC_CHMOD && pc <= PC_FCHMODAT2; }
static int is_chown(int pc) { return pc >= PC_CHOWN && pc <= PC_FCHOWNAT; }
static int is_utime(int pc) { return pc >= PC_UTIME && pc <= PC_UTIMENSAT; }
static int is_rename(int pc) { return pc >= PC_RENAME && pc <= PC_RENAMEAT2; }
static int is_link(int pc) { return pc >= PC_LINK && pc <= PC_LINKAT; }

/* The flags each *at call takes, as the library's hooks take them; any
 * other is the kernel's EINVAL. */
#define CHOWN_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
#define UTIMENS_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)
#define LINK_FLAGS (AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)

static void set(struct call *c, int pc, const char *func, int dirfd,
		uint64_t path, int flags)
{
	c->pathcall = pc;
	c->func = func;
	c->dirfd = dirfd;
	c->path_addr = path;
	c->flags = flags;
	c->follow = 1;
	c->link_errno = 0;
	c->want_dir = 0;
	c->tofd = AT_FDCWD;
	c->to_addr = 0;
	c->now = 0;
}

int tg_pathcall_decode(const struct seccomp_notif *req, struct call *c)
{
	const __u64 *a = req->data.args;
	switch (req->data.nr) {
#ifdef SYS_truncate
	case SYS_truncate:
		set(c, PC_TRUNCATE, "truncate", AT_FDCWD, a[0], 0);
		c->value[0] = a[1];
		return 0;
#endif
#ifdef SYS_chmod
	case SYS_chmod:
		set(c, PC_CHMOD, "chmod", AT_FDCWD, a[0], 0);
		c->mode = (mode_t)a[1];
		break;
#endif
	case SYS_fchmodat:
		set(c, PC_FCHMODAT, "fchmodat", (int)a[0], a[1], 0);
		c->mode = (mode_t)a[2];
		break;
	case __NR_fchmodat2:
		if ((int)a[3] & ~AT_SYMLINK_NOFOLLOW)
			return -1;
		set(c, PC_FCHMODAT2, "fchmodat2", (int)a[0], a[1], (int)a[3]);
		c->mode = (mode_t)a[2];
		break;
#ifdef SYS_chown
	case SYS_chown:
		set(c, PC_CHOWN, "chown", AT_FDCWD, a[0], 0);
		c->value[0] = a[1];
		c->value[1] = a[2];
		return 0;
#endif
#ifdef SYS_lchown
	case SYS_lchown:
		set(c, PC_LCHOWN, "lchown", AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW);
		c->value[0] = a[1];
		c->value[1] = a[2];
		c->follow = 0;
		return 0;
#endif
	case SYS_fchownat:
		if ((int)a[4] & ~CHOWN_FLAGS)
			return -1;
		set(c, PC_FCHOWNAT, "fchownat", (int)a[0], a[1], (int)a[4]);
		c->value[0] = a[2];
		c->value[1] = a[3];
		c->follow = !(c->flags & AT_SYMLINK_NOFOLLOW);
		return 0;
#ifdef SYS_utime
	case SYS_utime:
		set(c, PC_UTIME, "utime", AT_FDCWD, a[0], 0);
		c->value[0] = a[1];
		return 0;
#endif
#ifdef SYS_utimes
	case SYS_utimes:
		set(c, PC_UTIMES, "utimes", AT_FDCWD, a[0], 0);
		c->value[0] = a[1];
		return 0;
#endif
#ifdef SYS_futimesat
	case SYS_futimesat:
		if (a[1] == 0)
			return -1; /* the descriptor's own times */
		set(c, PC_FUTIMESAT, "futimesat", (int)a[0], a[1], 0);
		c->value[0] = a[2];
		return 0;
#endif
	case SYS_utimensat:
		if (a[1] == 0 || ((int)a[3] & ~UTIMENS_FLAGS))
			return -1;
		set(c, PC_UTIMENSAT, "utimensat", (int)a[0], a[1], (int)a[3]);
		c->value[0] = a[2];
		c->follow = !(c->flags & AT_SYMLINK_NOFOLLOW);
		return 0;
#ifdef SYS_rename
	case SYS_rename:
		set(c, PC_RENAME, "rename", AT_FDCWD, a[0], 0);
		c->to_addr = a[1];
		break;
#endif
#ifdef SYS_renameat
	case SYS_renameat:
		set(c, PC_RENAMEAT, "renameat", (int)a[0], a[1], 0);
		c->tofd = (int)a[2];
		c->to_addr = a[3];
		break;
#endif
	case SYS_renameat2:
		set(c, PC_RENAMEAT2, "renameat2", (int)a[0], a[1], (int)a[4]);
		c->tofd = (int)a[2];
		c->to_addr = a[3];
		break;
#ifdef SYS_link
	case SYS_link:
		set(c, PC_LINK, "link", AT_FDCWD, a[0], 0);
		c->to_addr = a[1];
		c->follow = 0;
		return 0;
#endif
	case SYS_linkat:
		if ((int)a[4] & ~LINK_FLAGS)
			return -1;
		set(c, PC_LINKAT, "linkat", (int)a[0], a[1], (int)a[4]);
		c->tofd = (int)a[2];
		c->to_addr = a[3];
		c->follow = (c->flags & AT_SYMLINK_FOLLOW) != 0;
		return 0;
	default:
		return -1;
	}
	if (is_chmod(c->pathcall)) {
		c->mode &= 07777;
		/* a symbolic link's own mode cannot be changed */
		c->link_errno = EOPNOTSUPP;
		c->follow = !(c->flags & AT_SYMLINK_NOFOLLOW);
	} else { /* rename: never follows its source, even "link/" */
		c->follow = 0;
		c->want_dir = 1;
	}
	return 0;
}

/* The times of any form as utimensat's, converted as glibc converts them
 * (the kernel checks their ranges). */
static int read_times(pid_t pid, int pc, uint64_t addr, struct call *c)
{
	c->now = addr == 0;
	if (c->now)
		return 0;
	if (pc == PC_UTIMENSAT)
		return tg_tracee_read(pid, addr, c->ts, sizeof c->ts);
	if (pc == PC_UTIME) {
		struct utimbuf ub;
		if (tg_tracee_read(pid, addr, &ub, sizeof ub) < 0)
			return -1;
		c->ts[0] = (struct timespec){ .tv_sec = ub.actime };
		c->ts[1] = (struct timespec){ .tv_sec = ub.modtime };
		return 0;
	}
	struct timeval tv[2];
	if (tg_tracee_read(pid, addr, tv, sizeof tv) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		c->ts[i].tv_sec = tv[i].tv_sec;
		c->ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return 0;
}

int tg_pathcall_gather(const struct tracee *t, struct call *c, int *err)
{
	*err = 0;
	if (is_utime(c->pathcall) &&
	    read_times(t->pid, c->pathcall, c->value[0], c) < 0) {
		*err = errno == ESRCH ? 0 : EFAULT;
		return -1;
	}
	if (!is_rename(c->pathcall) && !is_link(c->pathcall))
		return 0;
	if (tg_tracee_string(t->pid, c->to_addr, c->to, sizeof c->to) < 0) {
		if (errno == EFAULT || errno == ENAMETOOLONG)
			*err = errno;
		return -1;
	}
	if (c->to[0] == '\0') {
		*err = ENOENT;
		return -1;
	}
	if (c->to[0] == '/')
		return 0;
	c->to_start = tg_tracee_start_dir(t->pid, c->tofd);
	if (c->to_start < 0) {
		if (errno == EBADF || errno == ENOTDIR)
			*err = errno;
		return -1;
	}
	return 0;
}

/* ---- carrying the call out on the pin ------------------------------------- */

static enum tg_use use_of(int pc)
{
	if (pc == PC_TRUNCATE)
		return TG_USE_WRITE;
	if (is_rename(pc) || is_link(pc))
		return TG_USE_RENAME;
	return TG_USE_CHANGE;
}

/* truncate: the pinned file reopened for writing (what truncate(2) asks
 * of the caller) and truncated by its descriptor. */
static long act_truncate(const struct call *c, const struct tg_walk *w)
{
	if (!S_ISREG(w->st.st_mode)) { /* the kernel's answers */
		errno = S_ISDIR(w->st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	int fd = tg_reopen(w->fd, &w->st, w->pfd, w->base,
			   O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	long rc = ftruncate(fd, (off_t)c->value[0]);
	int err = errno;
	close(fd);
	errno = err;
	return rc;
}

static long act(const struct call *c, const struct tg_walk *w)
{
	char proc[TG_PROC_FD_PATH_MAX];
	tg_proc_fd_path(proc, w->fd);
	if (c->pathcall == PC_TRUNCATE)
		return act_truncate(c, w);
	/* a link here was refused: link_errno; fchmodat2 made as itself,
	 * for a kernel without it to answer ENOSYS */
	if (c->pathcall == PC_FCHMODAT2)
		return syscall(__NR_fchmodat2, AT_FDCWD, proc, c->mode, 0);
	if (is_chmod(c->pathcall))
		return fchmodat(AT_FDCWD, proc, c->mode, 0);
	if (is_chown(c->pathcall)) /* the object, or the link not followed */
		return fchownat(w->fd, "", (uid_t)c->value[0],
				(gid_t)c->value[1], AT_EMPTY_PATH);
	if (is_utime(c->pathcall)) {
		const struct timespec *ts = c->now ? NULL : c->ts;
		if (!S_ISLNK(w->st.st_mode))
			return utimensat(AT_FDCWD, proc, ts, 0);
		return utimensat(w->fd, "", ts,
				 AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	}
	/* the destination: the caller's, as it named it */
	int todir = c->to[0] == '/' ? AT_FDCWD : c->to_start;
	if (is_rename(c->pathcall))
		return c->flags != 0 ? renameat2(w->pfd, w->base, todir, c->to,
						 (unsigned)c->flags)
				     : renameat(w->pfd, w->base, todir, c->to);
	/* link: AT_EMPTY_PATH with a path changes nothing, but the kernel
	 * may ask for a privilege all the same */
	int empty = c->flags & AT_EMPTY_PATH;
	if (S_ISLNK(w->st.st_mode))
		return linkat(w->pfd, w->base, todir, c->to, empty);
	return linkat(AT_FDCWD, proc, todir, c->to, AT_SYMLINK_FOLLOW | empty);
}

void tg_pathcall_judge(const struct supervisor *s, struct call *c,
		       struct tg_walk *w, int slashed, struct verdict *v)
{
	w->use = use_of(c->pathcall);
	w->follow = c->follow;
	int rc = tg_walk(w);
	int err = rc == 0 && w->fd < 0 ? ENOENT : errno;
	struct tg_path_call pc = { c->follow, c->link_errno, slashed };
	struct tg_report report;
	enum tg_judgement j =
		tg_path_judge(s->cfg.mode, w, &pc, rc, err, &report, &err);
	tg_trap_add_report(v, report);
	if (j == TG_JUDGED_FORWARD) { /* audit */
		v->answer = TG_ANSWER_CONTINUE;
		return;
	}
	if (j == TG_JUDGED_REFUSED) {
		v->answer = TG_ANSWER_FAIL;
		v->err = err;
		return;
	}
	if (c->want_dir && w->base[0] == '\0') {
		/* "/", "." or "..": rename refuses them itself */
		v->answer = TG_ANSWER_CONTINUE;
		return;
	}
	v->answer = TG_ANSWER_FAIL;
	errno = 0;
	v->err = act(c, w) < 0 ? errno : 0;
}

#endif /* HAVE_LIBSECCOMP */
