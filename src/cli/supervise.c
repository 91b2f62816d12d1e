/* tmpguard run --supervise — the filter, its installation in the child,
 * and the supervisor thread that answers what it traps (trap.c). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/supervise.h"
#include "cli/util.h"

#ifndef HAVE_LIBSECCOMP

int tg_supervise_prepare(struct supervision *sv)
{
	(void)sv;
	tg_cli_say("run: --supervise is not built in (this tmpguard was "
		   "configured without libseccomp); the command was not run");
	return TG_EXIT_USAGE;
}

int tg_supervise_child(const struct supervision *sv)
{
	(void)sv;
	errno = ENOSYS;
	return -1;
}

int tg_supervise_start(struct supervision *sv, struct handshake *hs)
{
	(void)sv;
	(void)hs;
	return -1;
}

void tg_supervise_stop(struct supervision *sv)
{
	(void)sv;
}

#else

#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cli/settings.h"
#include "cli/trap.h"
#include "core/config.h"

/* ---- the filter ------------------------------------------------------------ */

/* The path calls of contract part 2, item 2 (cli/pathtrap.c): trapped
 * whole (their flags cannot tell a call to judge from another), but for
 * the utime forms without a path, which act on a descriptor, and for the
 * library's own, made with run's path mark in the sixth argument
 * register, which none of them uses (lib/guard/marked.h). */
static int add_path_rules(scmp_filter_ctx ctx, uint64_t path_mark)
{
	const struct scmp_arg_cmp unmarked = SCMP_A5(SCMP_CMP_NE, path_mark);
	static const int whole[] = {
#ifdef __NR_truncate
		SCMP_SYS(truncate),
#endif
#ifdef __NR_chmod
		SCMP_SYS(chmod),
#endif
		SCMP_SYS(fchmodat),
#ifdef __NR_chown
		SCMP_SYS(chown),
#endif
#ifdef __NR_lchown
		SCMP_SYS(lchown),
#endif
		SCMP_SYS(fchownat),
#ifdef __NR_utime
		SCMP_SYS(utime),
#endif
#ifdef __NR_utimes
		SCMP_SYS(utimes),
#endif
#ifdef __NR_rename
		SCMP_SYS(rename),
#endif
#ifdef __NR_renameat
		SCMP_SYS(renameat),
#endif
		SCMP_SYS(renameat2),
#ifdef __NR_link
		SCMP_SYS(link),
#endif
		SCMP_SYS(linkat),
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, whole[i], 1,
				       unmarked);
	rc |= seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(utimensat), 2,
			       SCMP_A1(SCMP_CMP_NE, 0), unmarked);
#ifdef __NR_futimesat
	rc |= seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(futimesat), 2,
			       SCMP_A1(SCMP_CMP_NE, 0), unmarked);
#endif
	/* fchmodat2 (Linux 6.6), by its number where libseccomp does not
	 * know it yet; a kernel without it fails it with ENOSYS anyway */
	int nr = seccomp_syscall_resolve_name("fchmodat2");
	(void)seccomp_rule_add(ctx, SCMP_ACT_NOTIFY,
			       nr != __NR_SCMP_ERROR && nr >= 0 ? nr : 452, 1,
			       unmarked);
	return rc;
}

/* A creating call with its mode outside [mark, mark | 0xffff]: one that
 * does not carry run's mark (the library's, for what it has judged; see
 * tg_forward_mode) is trapped. Two rules, either one trapping. */
static int add_unmarked(scmp_filter_ctx ctx, int nr, unsigned mode_arg,
			struct scmp_arg_cmp *flags, uint32_t mark)
{
	uint64_t lo = mark, hi = (uint64_t)mark | TG_MARK_MODE_BITS;
	struct scmp_arg_cmp below = { mode_arg, SCMP_CMP_LT, lo, 0 };
	struct scmp_arg_cmp above = { mode_arg, SCMP_CMP_GT, hi, 0 };
	unsigned n = flags != NULL;
	struct scmp_arg_cmp cmp[2];
	if (flags != NULL)
		cmp[0] = *flags;
	cmp[n] = below;
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, n + 1, cmp);
	cmp[n] = above;
	return rc | seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, n + 1, cmp);
}

/* The unsafe forms only: a creating open without O_EXCL (the flags
 * argument, masked), creat, either without run's mark; openat2, whose
 * flags are in memory the filter cannot read: refused with ENOSYS in
 * harden (programs fall back to openat, which is judged), trapped and
 * judged in audit; io_uring, whose opens no filter sees: ENOSYS in
 * harden, let through and logged in audit; the path calls. Everything
 * else, every exclusive creation and every creation the library marked
 * as judged, never leaves the kernel. */
static int add_rules(scmp_filter_ctx ctx, int audit, uint32_t mark,
		     uint64_t path_mark)
{
	const uint64_t mask = O_CREAT | O_EXCL;
	int rc = 0;
	struct scmp_arg_cmp at_flags = SCMP_A2(SCMP_CMP_MASKED_EQ, mask, O_CREAT);
	rc |= add_unmarked(ctx, SCMP_SYS(openat), 3, &at_flags, mark);
#ifdef __NR_open
	struct scmp_arg_cmp flags = SCMP_A1(SCMP_CMP_MASKED_EQ, mask, O_CREAT);
	rc |= add_unmarked(ctx, SCMP_SYS(open), 2, &flags, mark);
#endif
#ifdef __NR_creat
	rc |= add_unmarked(ctx, SCMP_SYS(creat), 1, NULL, mark);
#endif
	rc |= seccomp_rule_add(ctx, audit ? SCMP_ACT_NOTIFY : SCMP_ACT_ERRNO(ENOSYS),
			       SCMP_SYS(openat2), 0);
	rc |= seccomp_rule_add(ctx, audit ? SCMP_ACT_NOTIFY : SCMP_ACT_ERRNO(ENOSYS),
			       SCMP_SYS(io_uring_setup), 0);
	rc |= add_path_rules(ctx, path_mark);
	return rc;
}

/* The filter as a BPF program, made by libseccomp here, so that the child
 * installs it with one system call (it runs between vfork and exec). */
static struct sock_fprog *make_filter(int audit, uint32_t mark,
				      uint64_t path_mark)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL)
		return NULL;
	struct sock_fprog *prog = NULL;
	int fd = -1;
	/* other architectures' calls (a 32-bit program) pass: run names
	 * such programs, it does not supervise them */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW) < 0 ||
	    add_rules(ctx, audit, mark, path_mark) != 0)
		goto out;
	fd = memfd_create("tmpguard-filter", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0)
		goto out;
	off_t size = lseek(fd, 0, SEEK_CUR);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0)
		goto out;
	prog = tg_cli_xmalloc(sizeof *prog + (size_t)size);
	prog->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	prog->filter = (struct sock_filter *)(prog + 1);
	if (pread(fd, prog->filter, (size_t)size, 0) != size) {
		free(prog);
		prog = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return prog;
}

/* ---- installing it ----------------------------------------------------------- */

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* The filter, with a listener. A call run has received then waits for its
 * answer through any signal but a fatal one (Linux 5.19), so that a file
 * made for it is always handed over; before that, and on older kernels,
 * a signal restarts the call or fails it with EINTR (see tmpguard(7)). */
static int install(const struct sock_fprog *prog, int nnp, int killable)
{
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	if (killable)
		flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
}

static int receive_fd(int sock, char *data_out)
{
	char data = 0;
	struct iovec iov = { &data, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof u.buf };
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n == 1 && data_out != NULL)
		*data_out = data; /* without a descriptor: the child's errno */
	struct cmsghdr *c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c == NULL || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int))) {
		errno = EPROTO;
		return -1;
	}
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

int tg_supervise_child(const struct supervision *sv)
{
	int fd = install(sv->filter, sv->nnp, sv->killable);
	if (fd < 0)
		return -1;
	int rc = tg_cli_send_fd(sv->sock[1], fd, 'L');
	int err = errno;
	close(fd);
	close(sv->sock[1]);
	errno = err;
	return rc;
}

/* ---- what the kernel can do ---------------------------------------------------- */

/* An answer for a notification that does not exist: ENOENT when the
 * kernel knows the request, EINVAL when it does not. */
static int kernel_knows(int listener, unsigned long request, void *arg)
{
	return ioctl(listener, request, arg) < 0 && errno == ENOENT;
}

/* A child that only installs the filter and hands run its listener, so
 * that what the kernel lacks is known before the command runs. Returns
 * NULL or why not; *nnp says whether no_new_privs was needed. */
static const char *probe(const struct sock_fprog *prog, int *nnp,
			 int *killable)
{
	int sock[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sock) < 0)
		return strerror(errno);
	static char why[320];
	why[0] = '\0';
	/* root keeps set-user-ID programs working without no_new_privs
	 * when it may (CAP_SYS_ADMIN); anyone else needs it */
	for (int with_nnp = geteuid() != 0; with_nnp <= 1 && !why[0]; with_nnp++) {
		*killable = 1;
		pid_t pid = fork();
		if (pid < 0) {
			snprintf(why, sizeof why, "fork: %s", strerror(errno));
			break;
		}
		if (pid == 0) {
			int fd = install(prog, with_nnp, 1);
			if (fd < 0 && errno == EINVAL) {
				*killable = 0; /* the child's copy: said below */
				fd = install(prog, with_nnp, 0);
			}
			char err = (char)(fd < 0 ? errno : 0);
			if (fd < 0)
				(void)!write(sock[1], &err, 1);
			else
				tg_cli_send_fd(sock[1], fd, *killable ? 'K' : 'L');
			_exit(0);
		}
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		char how = 0;
		int listener = receive_fd(sock[0], &how);
		if (listener < 0) {
			int err = how != 0 ? how : EPROTO;
			if (err == EACCES && !with_nnp)
				continue; /* without CAP_SYS_ADMIN */
			if (err == EBUSY)
				snprintf(why, sizeof why,
					 "another seccomp supervisor already "
					 "watches this process (the kernel allows "
					 "one per process: a run --supervise "
					 "around this one, or a container runtime "
					 "that uses seccomp user notification)");
			else
				snprintf(why, sizeof why,
					 "the kernel refuses a seccomp filter with "
					 "a listener: %s", strerror(err));
			break;
		}
		*nnp = with_nnp;
		*killable = how == 'K';
		struct seccomp_notif_addfd add = {
			.flags = SECCOMP_ADDFD_FLAG_SEND
		};
		struct seccomp_notif_resp resp = {
			.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE
		};
		if (!kernel_knows(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add))
			snprintf(why, sizeof why, "the kernel cannot hand a "
				 "descriptor over as a call's answer "
				 "(SECCOMP_ADDFD_FLAG_SEND, Linux 5.14)");
		else if (!kernel_knows(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp))
			snprintf(why, sizeof why, "the kernel cannot let a "
				 "trapped call continue (Linux 5.5)");
		close(listener);
		break;
	}
	close(sock[0]);
	close(sock[1]);
	return why[0] ? why : NULL;
}

/* This run's marks: random, so that no program's call can carry them by
 * design; the mode mark only in the bits the kernel drops (TG_MARK_BITS),
 * the path mark anything but 0. 0 when no randomness was to be had. */
static uint32_t new_marks(uint64_t *path_mark)
{
	uint64_t r[2];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r ||
	    r[1] == 0)
		return 0;
	*path_mark = r[1];
	return ((uint32_t)(r[0] & 0x7fff) | 1) << 16;
}

/* Where listeners reach the supervisor thread: a stream, whose queue is
 * its buffer (some hundreds of listeners at 4 MiB), not a datagram
 * socket's ten, so that run's main thread, forwarding those handed over,
 * never waits on a thread that may be waiting to report to it. */
static int listener_channel(int sock[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0)
		return -1;
	int size = 4 << 20;
	if (geteuid() != 0 ||
	    setsockopt(sock[1], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
		(void)setsockopt(sock[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	return 0;
}

/* TMPGUARD_SUPERVISE_FILTER (lib/guard/filter.c): "k:" when a received
 * call waits through signals, else "-:", then the program's bytes in
 * hex. */
static char *export_filter(const struct sock_fprog *prog, int killable)
{
	size_t size = prog->len * sizeof prog->filter[0];
	char *v = tg_cli_xmalloc(2 + 2 * size + 1);
	const unsigned char *b = (const unsigned char *)prog->filter;
	v[0] = killable ? 'k' : '-';
	v[1] = ':';
	for (size_t i = 0; i < size; i++)
		snprintf(v + 2 + 2 * i, 3, "%02x", b[i]);
	v[2 + 2 * size] = '\0';
	return v;
}

int tg_supervise_prepare(struct supervision *sv)
{
	const char *mode = getenv("TMPGUARD_MODE");
	int audit = mode != NULL && strcmp(mode, "audit") == 0;
	const char *why = NULL;
	uint32_t mark = 0;
	uint64_t path_mark = 0;
	sv->sock[0] = sv->sock[1] = -1;
	sv->stop[0] = sv->stop[1] = -1;
	if (seccomp_api_get() < 5)
		why = "the kernel has no seccomp user notification (Linux 5.0)";
	else if ((mark = new_marks(&path_mark)) == 0)
		why = "no random numbers for its marks (getrandom)";
	else if ((sv->filter = make_filter(audit, mark, path_mark)) == NULL)
		why = "libseccomp cannot make the filter";
	else
		why = probe(sv->filter, &sv->nnp, &sv->killable);
	if (why == NULL && listener_channel(sv->sock) < 0)
		why = strerror(errno);
	if (why != NULL) {
		tg_cli_say("run: --supervise: %s; the command was not run", why);
		return TG_EXIT_USAGE;
	}
	char hex[32];
	snprintf(hex, sizeof hex, "%08x:%016llx", (unsigned)mark,
		 (unsigned long long)path_mark);
	char *filter = export_filter(sv->filter, sv->killable);
	int set = setenv("TMPGUARD_SUPERVISE", hex, 1) |
		  setenv("TMPGUARD_SUPERVISE_FILTER", filter, 1);
	free(filter);
	if (set < 0) {
		tg_cli_say("run: --supervise: %s; the command was not run",
			   strerror(errno));
		return TG_EXIT_USAGE;
	}
	if (sv->nnp && !sv->quiet)
		tg_cli_say("run: --supervise sets no_new_privs: set-user-ID and "
			   "set-group-ID programs in the tree run without their "
			   "privileges");
	return 0;
}

/* ---- the supervisor thread ----------------------------------------------------- */

static int dir_id(const char *path, struct tg_dir_id *id, void *ctx)
{
	(void)ctx;
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return -1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

/* What the library is given (run exported it): mode, log, trust, shared
 * directories. */
static struct supervisor *supervisor_new(const struct handshake *hs)
{
	struct supervisor *s = tg_cli_xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->listener = -1;
	s->hs = hs;
	tg_settings_parse_environment(&s->cfg);
	s->nids = tg_config_dir_ids(&s->cfg, dir_id, NULL, s->ids);
	s->report_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	s->log_fd = -1;
	s->fsuid = geteuid();
	s->fsgid = getegid();
	s->ngroups = getgroups(TG_TRAP_GROUPS, s->groups);
	if (s->ngroups < 0)
		s->ngroups = 0;
	return s;
}

/* The listeners the thread answers: one for each filter installed (the
 * command's, and each the library handed over). */
struct listeners {
	struct pollfd *fds; /* [0] stop, [1] sock[0], then the listeners */
	size_t n, cap;
};

static void listeners_add(struct listeners *l, int fd)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->fds = tg_cli_xrealloc(l->fds, l->cap * sizeof *l->fds);
	}
	l->fds[l->n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
}

/* The supervisor cannot go on: its listeners closed, so that the kernel
 * fails every trapped call with ENOSYS (pending ones too) instead of
 * leaving the tree waiting for answers that will not come; and its socket,
 * so that a listener handed over later is closed too. */
static void *abandon(struct supervision *sv, struct listeners *l,
		     const char *why, int err)
{
	tg_cli_say("run: --supervise: the supervisor stopped (%s: %s); the "
		   "calls it traps now fail with ENOSYS", why, strerror(err));
	for (size_t i = 2; i < l->n; i++)
		close(l->fds[i].fd);
	free(l->fds);
	close(sv->sock[0]);
	sv->sock[0] = -1;
	return NULL;
}

/* One call from listener i, answered; 0 or -1 with errno when the
 * listener fails. */
static int answer(struct supervisor *s, int listener, struct seccomp_notif *req,
		  struct seccomp_notif_resp *resp, size_t req_size)
{
	memset(req, 0, req_size);
	if (seccomp_notify_receive(listener, req) != 0)
		return errno == ENOENT || errno == EINTR ? 0 : -1;
	s->listener = listener;
	tg_trap_handle(s, req, resp);
	return 0;
}

static void *supervisor_main(void *arg)
{
	struct supervision *sv = arg;
	struct supervisor *s = sv->state;
	/* a umask of its own, for acting as each caller */
	(void)unshare(CLONE_FS);
	struct listeners l = { 0 };
	listeners_add(&l, sv->stop[0]);
	listeners_add(&l, sv->sock[0]);
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int rc = seccomp_notify_alloc(&req, &resp);
	if (rc != 0)
		return abandon(sv, &l, "memory", -rc);
	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		sizes.seccomp_notif = sizeof *req;
	for (;;) {
		if (poll(l.fds, l.n, -1) < 0) {
			if (errno == EINTR)
				continue;
			seccomp_notify_free(req, resp);
			return abandon(sv, &l, "poll", errno);
		}
		if (l.fds[0].revents != 0)
			break;
		for (size_t i = l.n; i-- > 2;) {
			short ev = l.fds[i].revents;
			if ((ev & POLLIN) &&
			    answer(s, l.fds[i].fd, req, resp, sizes.seccomp_notif) < 0) {
				seccomp_notify_free(req, resp);
				return abandon(sv, &l, "receiving a call", errno);
			}
			if (!(ev & POLLIN) && (ev & (POLLHUP | POLLERR))) {
				/* no process left with this filter */
				close(l.fds[i].fd);
				l.fds[i] = l.fds[--l.n];
			}
		}
		if (l.fds[1].revents & POLLIN) {
			int fd;
			while ((fd = receive_fd(sv->sock[0], NULL)) >= 0)
				listeners_add(&l, fd);
		}
	}
	seccomp_notify_free(req, resp);
	for (size_t i = 2; i < l.n; i++)
		close(l.fds[i].fd);
	free(l.fds);
	return NULL;
}

int tg_supervise_start(struct supervision *sv, struct handshake *hs)
{
	if (pipe2(sv->stop, O_CLOEXEC) < 0) {
		tg_cli_say("run: --supervise: %s", strerror(errno));
		return -1;
	}
	sv->state = supervisor_new(hs);
	int rc = pthread_create(&sv->thread, NULL, supervisor_main, sv);
	if (rc != 0) {
		tg_cli_say("run: --supervise: cannot start the supervisor: %s",
			   strerror(rc));
		return -1;
	}
	sv->running = 1;
	hs->listeners_to = sv->sock[1];
	return 0;
}

void tg_supervise_stop(struct supervision *sv)
{
	if (sv->running) {
		(void)!write(sv->stop[1], "x", 1);
		pthread_join(sv->thread, NULL);
		sv->running = 0;
	}
	int *fds[] = { &sv->sock[0], &sv->sock[1], &sv->stop[0], &sv->stop[1] };
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
	if (sv->state != NULL) {
		if (sv->state->report_fd >= 0)
			close(sv->state->report_fd);
		if (sv->state->log_fd >= 0)
			close(sv->state->log_fd);
		free(sv->state);
		sv->state = NULL;
	}
	free(sv->filter);
	sv->filter = NULL;
}

#endif /* HAVE_LIBSECCOMP */
