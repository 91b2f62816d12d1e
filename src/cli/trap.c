/* tmpguard run --supervise — one trapped call: decoded, judged with the
 * library's core (the walk under the rule and safe-open), carried out on
 * the caller's behalf (harden: the file opened here and handed over with
 * SECCOMP_IOCTL_NOTIF_ADDFD, which also answers the call) or let through
 * (audit: SECCOMP_USER_NOTIF_FLAG_CONTINUE), and logged as the library
 * logs it, with the caller's pid, uid, program and calling code. */
#include <config.h>

#ifdef HAVE_LIBSECCOMP

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "cli/pathtrap.h"
#include "cli/trap.h"
#include "cli/tracee.h"
#include "core/handshake.h"
#include "core/line.h"
#include "core/policy.h"
#include "core/record.h"
#include "core/safeopen.h"
#include "core/sys.h"
#include "core/walk.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

void tg_trap_add_report(struct verdict *v, struct tg_report r)
{
	if (r.kind != TG_EV_NONE && v->n < 2)
		v->reports[v->n++] = r;
}
#define add_report tg_trap_add_report

/* ---- decoding ------------------------------------------------------------- */

/* 0, or -1 for a call with no path to judge (an O_PATH open, a creation
 * that is exclusive after all, openat2 with its own resolution rules). */
static int decode(const struct seccomp_notif *req, struct call *c)
{
	const __u64 *a = req->data.args;
	c->dirfd = AT_FDCWD;
	switch (req->data.nr) {
#ifdef SYS_open
	case SYS_open:
		c->func = "open";
		c->path_addr = a[0];
		c->flags = (int)a[1];
		c->mode = (mode_t)a[2];
		break;
#endif
#ifdef SYS_creat
	case SYS_creat:
		c->func = "creat";
		c->path_addr = a[0];
		c->flags = O_CREAT | O_WRONLY | O_TRUNC;
		c->mode = (mode_t)a[1];
		break;
#endif
	case SYS_openat:
		c->func = "openat";
		c->dirfd = (int)a[0];
		c->path_addr = a[1];
		c->flags = (int)a[2];
		c->mode = (mode_t)a[3];
		break;
	case SYS_openat2: {
		struct open_how how;
		if (a[3] < sizeof how ||
		    tg_tracee_read((pid_t)req->pid, a[2], &how, sizeof how) < 0 ||
		    how.resolve != 0)
			return -1; /* the kernel answers for what is odd */
		c->func = "openat2";
		c->dirfd = (int)a[0];
		c->path_addr = a[1];
		c->flags = (int)how.flags;
		c->mode = (mode_t)how.mode;
		break;
	}
	default:
		return tg_pathcall_decode(req, c);
	}
	c->mode &= 07777;
	return tg_flags_predictable(c->flags) ? 0 : -1;
}

/* Paths that name the caller's own process (/proc/self, /dev/stdout ...):
 * resolved here they would name run. Not a shared directory: the call is
 * the caller's own. */
static int names_own_process(const char *path)
{
	static const char *const own[] = { "/proc/", "/dev/fd/", "/dev/stdin",
					   "/dev/stdout", "/dev/stderr" };
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (strncmp(path, own[i], strlen(own[i])) == 0)
			return 1;
	return 0;
}

static int on_procfs(int fd)
{
	struct statfs fs;
	return fd >= 0 && fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

/* ---- acting as the caller -------------------------------------------------- */

/* The walk and the open are made with the caller's file system identity
 * (run may be root and the caller not), on this thread only (raw system
 * calls: glibc would change every thread); and with its umask (this
 * thread has a file system context of its own). */
static void become(const struct supervisor *s, const struct tracee *t)
{
	umask(t->umask);
	if (s->fsuid != 0 || (t->fsuid == s->fsuid && t->fsgid == s->fsgid))
		return;
	if (t->ngroups >= 0)
		syscall(SYS_setgroups, (size_t)t->ngroups, t->groups);
	setfsgid(t->fsgid);
	setfsuid(t->fsuid);
}

static void become_run(const struct supervisor *s, const struct tracee *t)
{
	if (s->fsuid != 0 || (t->fsuid == s->fsuid && t->fsgid == s->fsgid))
		return;
	setfsuid(s->fsuid);
	setfsgid(s->fsgid);
	syscall(SYS_setgroups, (size_t)s->ngroups, s->groups);
}

/* ---- judging -------------------------------------------------------------- */

/* harden: the library's tg_do_judge for this process: safe-open under
 * the rule, then what to log. */
static void judge(const struct supervisor *s, struct call *c, struct tg_walk *w,
		  struct verdict *v)
{
	int created;
	mode_t shared_mode = tg_create_mode(s->cfg.file_mode, c->mode, 0);
	/* a FIFO or a device is not opened here (it may wait, or act on
	 * open): the caller opens it, once the rule accepted it */
	w->leave_special = 1;
	int fd = tg_ruled_open(w, c->flags | O_NONBLOCK | O_NOCTTY, c->mode,
			       shared_mode, &created);
	int err = errno;
	if (tg_walk_predictable_there(c->flags, w))
		add_report(v, tg_report_predictable(TG_MODE_HARDEN));
	if (fd < 0 && err == EISDIR && tg_walk_dir_squatted(c->flags, w))
		add_report(v, tg_report_plant(TG_MODE_AUDIT, TG_OBJ_DIRECTORY, 0));
	struct stat st;
	if (fd < 0) {
		if (w->refused != TG_OBJ_OK)
			add_report(v, tg_report_plant(TG_MODE_HARDEN, w->refused,
						      err));
		if (err == EOPNOTSUPP && w->leave_special) {
			v->answer = TG_ANSWER_CONTINUE;
			return;
		}
		v->answer = TG_ANSWER_FAIL;
		v->err = err;
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || on_procfs(w->pfd)) {
		/* a FIFO made by this very call (O_CREAT makes none), or
		 * /proc: the caller's own open */
		close(fd);
		v->answer = TG_ANSWER_CONTINUE;
		return;
	}
	if (!(c->flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, c->flags & (O_APPEND | O_ASYNC | O_DIRECT |
					       O_NOATIME));
	v->answer = TG_ANSWER_FD;
	v->fd = fd;
}

/* audit: the library's look (tg_walk_watch), logged; the call stays the
 * caller's. */
static void watch(struct call *c, struct tg_walk *w, struct verdict *v)
{
	struct tg_report r[2];
	int n;
	(void)tg_walk_watch(w, c->flags, r, &n);
	for (int i = 0; i < n; i++)
		add_report(v, r[i]);
	v->answer = TG_ANSWER_CONTINUE;
}

static void decide(const struct supervisor *s, const struct tracee *t,
		   struct call *c, int start, struct verdict *v)
{
	struct tg_trust trust = { t->euid, s->cfg.ntrust, s->cfg.trust };
	char unslashed[PATH_MAX];
	/* rename never follows its source, even "link/" */
	const char *walked = c->pathcall && c->want_dir
				     ? tg_path_unslashed(c->path, unslashed)
				     : c->path;
	struct tg_walk w = {
		.dirfd = start >= 0 ? start : AT_FDCWD,
		.path = walked,
		.pfd = -1,
		.fd = -1,
		.trust = &trust,
		.ids = s->ids,
		.nids = s->nids,
	};
	if (walked[0] == '/') {
		/* from the outermost listed directory the path is under, as the
		 * library starts (lib/guard/where.c); else from "/" */
		size_t skip = tg_config_shared_prefix(&s->cfg, walked);
		const char *rest = walked + skip;
		while (*rest == '/')
			rest++;
		if (skip > 0 && *rest != '\0') {
			w.skip = skip == 1 ? 0 : skip;
			w.start_shared = 1;
		}
	} else {
		w.start_shared = tg_walk_dir_shared(start, &trust, s->ids, s->nids);
	}
	become(s, t);
	if (c->pathcall)
		tg_pathcall_judge(s, c, &w, walked != c->path, v);
	else if (s->cfg.mode == TG_MODE_AUDIT)
		watch(c, &w, v);
	else
		judge(s, c, &w, v);
	tg_walk_done(&w);
	become_run(s, t);
}

/* ---- answering ------------------------------------------------------------- */

static void answer(const struct supervisor *s, uint64_t id,
		   struct seccomp_notif_resp *resp, int error, int cont)
{
	memset(resp, 0, sizeof *resp);
	resp->id = id;
	resp->error = -error;
	resp->flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	seccomp_notify_respond(s->listener, resp); /* ENOENT: gone */
}

/* The descriptor installed in the caller as the call's result: the lowest
 * free number, as open(2) gives. */
static int hand_over(const struct supervisor *s, uint64_t id, int fd, int flags)
{
	struct seccomp_notif_addfd add = {
		.id = id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (uint32_t)fd,
		.newfd = 0,
		.newfd_flags = (uint32_t)(flags & O_CLOEXEC),
	};
	return ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
}

/* ---- logging ---------------------------------------------------------------- */

static int to_syslog(struct supervisor *s, const struct tg_event *ev,
		     const char *line, size_t len)
{
	char msg[TG_RECORD_SYSLOG_HEAD + sizeof(((struct trap_line *)0)->text)];
	size_t hlen = tg_record_syslog_head(ev, msg);
	if (len > 0 && line[len - 1] == '\n')
		len--;
	memcpy(msg + hlen, line, len);
	return tg_sys_send_datagram(s->report_fd, s->cfg.syslog_socket, msg, hlen + len);
}

static int to_journal(struct supervisor *s, const struct tg_event *ev,
		      const char *line, size_t len)
{
	size_t need = tg_record_journal_max(ev, len);
	char *buf = malloc(need);
	if (buf == NULL)
		return -1;
	size_t n = tg_record_journal(ev, line, len, buf, need);
	int rc = tg_sys_send_datagram(s->report_fd, s->cfg.journal_socket, buf, n);
	free(buf);
	return rc;
}

static int open_log(struct supervisor *s)
{
	struct tg_trust trust = { geteuid(), s->cfg.ntrust, s->cfg.trust };
	struct tg_walk w = { .dirfd = AT_FDCWD, .path = s->cfg.log_path,
			     .pfd = -1, .fd = -1, .trust = &trust,
			     .ids = s->ids, .nids = s->nids };
	int created;
	/* as the library opens its log: under the rule, never waiting */
	int fd = tg_ruled_open(&w,
			       O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
				       O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
			       0600, 0600, &created);
	tg_walk_done(&w);
	return fd;
}

/* The log file, kept open between lines as the library keeps its own
 * (lib/log/logfile.c): opened again after a second, so that a rotated
 * log is followed, and at once when it has no link left; a FIFO or a
 * socket gets a descriptor per line. */
static int to_file(struct supervisor *s, const char *line, size_t len)
{
	time_t now = time(NULL);
	struct stat st;
	if (s->log_fd >= 0 &&
	    (now < s->log_opened || now - s->log_opened >= 1 ||
	     fstat(s->log_fd, &st) < 0 || st.st_nlink == 0)) {
		close(s->log_fd);
		s->log_fd = -1;
	}
	int fd = s->log_fd;
	if (fd < 0) {
		fd = open_log(s);
		if (fd < 0)
			return -1;
		if (fstat(fd, &st) == 0 &&
		    (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
			s->log_fd = fd;
			s->log_opened = now;
		}
	}
	int rc = write(fd, line, len) == (ssize_t)len ? 0 : -1; /* whole */
	if (fd != s->log_fd)
		close(fd);
	return rc;
}

/* The line to where the library's lines go; stderr when that fails, as
 * the library does. */
static void write_line(struct supervisor *s, const struct tg_event *ev,
		       const char *line, size_t len)
{
	int rc = 0;
	switch (s->cfg.sink) {
	case TG_SINK_FILE:
		rc = to_file(s, line, len);
		break;
	case TG_SINK_SYSLOG:
		rc = to_syslog(s, ev, line, len);
		break;
	case TG_SINK_JOURNAL:
		rc = to_journal(s, ev, line, len);
		if (rc < 0) /* no journal here: syslog is the next best place */
			rc = to_syslog(s, ev, line, len);
		break;
	default:
		(void)!write(2, line, len);
		break;
	}
	if (rc < 0) {
		if (!s->said_sink) {
			static const char note[] =
				"tmpguard: cannot write to the configured log; "
				"events run --supervise records go to stderr\n";
			s->said_sink = 1;
			(void)!write(2, note, sizeof note - 1);
		}
		(void)!write(2, line, len);
	}
}

/* run counts the event as it counts the library's: a datagram on its
 * handshake socket. */
static void count(struct supervisor *s, const struct tg_event *ev)
{
	struct tg_handshake_msg m = { TG_HANDSHAKE_EVENT, ev->pid, ev->kind,
				      ev->action, NULL, 0 };
	char msg[160];
	size_t n = tg_handshake_format(&m, s->hs->token, msg, sizeof msg);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t len = strlen(s->hs->name);
	if (n >= sizeof msg || len + 1 > sizeof addr.sun_path)
		return;
	memcpy(addr.sun_path + 1, s->hs->name, len);
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	/* blocking: run reads its socket until the command's tree is done,
	 * and a count must not be lost */
	sendto(s->report_fd, msg, n, MSG_NOSIGNAL, (struct sockaddr *)&addr, alen);
}

static uintptr_t module_hash(const char *s)
{
	uintptr_t h = 14695981039346656037u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static void log_reports(struct supervisor *s, struct tracee *t,
			const struct call *c, const struct verdict *v)
{
	if (v->n > 0)
		tg_tracee_exe(t); /* for the events only */
	for (int i = 0; i < v->n; i++) {
		const struct tg_report *r = &v->reports[i];
		/* once per (process, event, calling code, path), as the
		 * library logs once per (event, calling code, path) in a
		 * process */
		uintptr_t site = t->offset ^ module_hash(t->module) ^
				 ((uintptr_t)t->tgid << 40);
		if (!tg_seen_add(&s->logged,
				 tg_seen_key((unsigned)r->kind, (void *)site, c->path)))
			continue;
		struct tg_event ev = {
			.pid = t->tgid,
			.uid = t->euid,
			.exe = t->exe,
			.kind = (enum tg_event_kind)r->kind,
			.func = c->func,
			.path = c->path,
			.action = r->action,
			.caller_module = t->module,
			.caller_offset = t->offset,
			.err = r->err,
			.mode = s->cfg.mode,
			.detail = r->detail,
		};
		clock_gettime(CLOCK_REALTIME, &ev.ts);
		struct trap_line l;
		size_t n = tg_event_format(&ev, s->cfg.format, l.text,
					   sizeof l.text);
		if (n >= sizeof l.text)
			n = sizeof l.text - 1; /* cut: still one line */
		l.text[n - 1] = '\n';
		write_line(s, &ev, l.text, n);
		count(s, &ev);
	}
}

/* ---- one call ----------------------------------------------------------------- */

/* A call let through unjudged for a reason of run's (not the caller's):
 * said once per reason, never silently. */
enum { TG_UNJUDGED_MEMORY = 1, TG_UNJUDGED_VIEW = 2 };

static void say_unjudged(struct supervisor *s, struct tracee *t, unsigned why)
{
	if (s->said_unjudged & why)
		return;
	s->said_unjudged |= why;
	tg_tracee_exe(t);
	char msg[PATH_MAX + 256];
	int n = snprintf(msg, sizeof msg,
			 "tmpguard: run --supervise: %s process %ld (%s): its "
			 "creations continue unjudged\n",
			 why == TG_UNJUDGED_MEMORY
				 ? "cannot read the memory of"
				 : "another root directory or mount namespace in",
			 (long)t->tgid, t->exe[0] ? t->exe : "?");
	if (n > 0)
		(void)!write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

/* audit: io_uring, whose file operations no filter sees, is let through
 * and logged (harden refuses it in the filter itself: ENOSYS). */
static void unjudged_uring(struct supervisor *s, const struct seccomp_notif *req,
			   struct tracee *t)
{
	struct call c = { .func = "io_uring_setup" };
	struct verdict v = { .answer = TG_ANSWER_CONTINUE, .fd = -1 };
	tg_tracee_caller(t, req->data.instruction_pointer);
	if (tg_tracee_status(t) < 0 ||
	    seccomp_notify_id_valid(s->listener, req->id) != 0)
		return;
	add_report(&v, (struct tg_report){ TG_EV_UNJUDGED, TG_ACT_LOGGED, 0,
					   "io_uring" });
	log_reports(s, t, &c, &v);
}

void tg_trap_handle(struct supervisor *s, const struct seccomp_notif *req,
		    struct seccomp_notif_resp *resp)
{
	struct call c;
	c.pathcall = 0;
	c.to_start = -1;
	struct tracee t = { .pid = (pid_t)req->pid };
	struct verdict v = { .answer = TG_ANSWER_CONTINUE, .fd = -1 };
	int harden = s->cfg.mode != TG_MODE_AUDIT, start = -1;
	if (req->data.nr == SYS_io_uring_setup) {
		unjudged_uring(s, req, &t);
		goto out;
	}
	if (decode(req, &c) < 0)
		goto out;
	tg_tracee_caller(&t, req->data.instruction_pointer);
	/* the library made or let through this call, having judged it (a
	 * second judgement would log it twice): nothing more to learn */
	if (t.preloaded && (t.libc_wrapper || t.from_library))
		goto out;
	if (tg_tracee_status(&t) < 0)
		goto out;
	if (tg_tracee_string(t.pid, c.path_addr, c.path, sizeof c.path) < 0) {
		/* the kernel's own answer to such a path */
		if (errno == EFAULT || errno == ENAMETOOLONG) {
			if (harden) {
				v.answer = TG_ANSWER_FAIL;
				v.err = errno;
			}
		} else if (errno != ESRCH &&
			   seccomp_notify_id_valid(s->listener, req->id) == 0) {
			say_unjudged(s, &t, TG_UNJUDGED_MEMORY); /* ptrace rules */
		}
		goto out;
	}
	/* an empty path: AT_EMPTY_PATH's descriptor, or the kernel's ENOENT */
	if (names_own_process(c.path) || (c.pathcall && c.path[0] == '\0'))
		goto out;
	if (!tg_tracee_same_view(t.pid)) {
		if (seccomp_notify_id_valid(s->listener, req->id) == 0)
			say_unjudged(s, &t, TG_UNJUDGED_VIEW);
		goto out;
	}
	if (c.path[0] != '/') {
		start = tg_tracee_start_dir(t.pid, c.dirfd);
		if (start < 0) {
			if (harden && (errno == EBADF || errno == ENOTDIR)) {
				v.answer = TG_ANSWER_FAIL;
				v.err = errno;
			}
			goto out;
		}
		if (on_procfs(start))
			goto out;
	}
	if (c.pathcall) {
		int err = 0;
		if (tg_pathcall_gather(&t, &c, &err) < 0) {
			if (harden && err != 0) {
				v.answer = TG_ANSWER_FAIL;
				v.err = err;
			}
			goto out;
		}
	}
	/* what was read is the trapped process's only if the call is still
	 * waiting: its pid cannot have been reused meanwhile */
	if (seccomp_notify_id_valid(s->listener, req->id) != 0)
		goto done;
	decide(s, &t, &c, start, &v);
	log_reports(s, &t, &c, &v);
out:
	if (v.answer == TG_ANSWER_FD) {
		if (hand_over(s, req->id, v.fd, c.flags) < 0 && errno != ENOENT)
			answer(s, req->id, resp, errno, 0);
	} else {
		answer(s, req->id, resp, v.answer == TG_ANSWER_FAIL ? v.err : 0,
		       v.answer == TG_ANSWER_CONTINUE);
	}
done:
	if (v.fd >= 0)
		close(v.fd);
	if (start >= 0)
		close(start);
	if (c.to_start >= 0)
		close(c.to_start);
}

#endif /* HAVE_LIBSECCOMP */
