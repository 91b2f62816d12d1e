/* tmpguard — the log sinks. One record, one write: O_APPEND keeps lines
 * from many processes whole. A descriptor is trusted only after checking it
 * is still the log's (stderr and the kept log file), so a program that
 * closes or reuses descriptors does not capture the log. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/line.h"
#include "core/out.h"
#include "core/record.h"
#include "core/sys.h"
#include "core/syscall.h"
#include "lib/log/keptfd.h"
#include "lib/log/logfile.h"
#include "lib/log/sink.h"
#include "lib/log/write.h"
#include "lib/state.h"

/* Records lost in this process. A forked child inherits the parent's
 * counters: the owner pid tells them apart (reset on the first loss in the
 * child). All lock-free; nothing here allocates. */
static unsigned long tg_lost;
static int tg_lost_reported;
static pid_t tg_lost_owner;

static void tg_lost_own(void)
{
	pid_t self = tg_sys_getpid();
	pid_t owner = __atomic_load_n(&tg_lost_owner, __ATOMIC_ACQUIRE);
	if (owner != self &&
	    __atomic_compare_exchange_n(&tg_lost_owner, &owner, self, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&tg_lost, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&tg_lost_reported, 0, __ATOMIC_RELAXED);
	}
}

static unsigned long tg_sink_lost(void)
{
	pid_t owner = __atomic_load_n(&tg_lost_owner, __ATOMIC_ACQUIRE);
	if (owner == 0 || owner != tg_sys_getpid()) /* nothing lost: no system call */
		return 0;
	return __atomic_load_n(&tg_lost, __ATOMIC_RELAXED);
}

static int tg_sink_file(const char *path, const char *line, size_t len,
			time_t now)
{
	return tg_logfile_append(path, line, len, now);
}

/* The stderr the process had when it first logged (taken then, not in a
 * constructor: a process that never logs makes no extra system call): its
 * device and inode, inherited by forked children. A program that closes
 * descriptor 2 and opens a file of its own there (daemons, close-everything
 * children) must not get log lines in that file: a different object on
 * descriptor 2 is not our stderr, and the record counts as lost.
 * 0: not taken yet; 1: taken; 2: fd 2 was closed at that point (then
 * nothing later on fd 2 is ours either). */
static int tg_stderr_state;
static unsigned long long tg_stderr_dev;
static unsigned long long tg_stderr_ino;

static void tg_stderr_snapshot(void)
{
	struct tg_identity id;
	int saved = errno;
	int state = tg_sys_identity(2, &id) == 0 ? 1 : 2;
	int expect = 0;
	if (state == 1) {
		tg_stderr_dev = id.dev;
		tg_stderr_ino = id.ino;
	}
	/* the first to get here wins; a racing thread saw the same fd 2 */
	__atomic_compare_exchange_n(&tg_stderr_state, &expect, state, 0,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	errno = saved;
}

static int tg_sink_stderr(const char *line, size_t len)
{
	if (__atomic_load_n(&tg_stderr_state, __ATOMIC_ACQUIRE) == 0)
		tg_stderr_snapshot();
	struct tg_identity id;
	if (__atomic_load_n(&tg_stderr_state, __ATOMIC_ACQUIRE) != 1 ||
	    tg_sys_identity(2, &id) != 0 || id.dev != tg_stderr_dev ||
	    id.ino != tg_stderr_ino)
		return -1;
	return tg_log_write(2, id.mode, line, len);
}

/* The unbound datagram socket every datagram goes out through (syslog,
 * journal, `tmpguard run`), kept open between records (keptfd.h). Sets
 * *kept to 0 when the caller must close the socket it got. */
static struct tg_keptfd tg_dgram_kept = TG_KEPTFD_INIT;

static int tg_dgram_socket(int keep, int *kept)
{
	struct tg_keptfd_view v;
	struct tg_identity id;
	*kept = 1;
	if (tg_keptfd_read(&tg_dgram_kept, &v) == 0 &&
	    tg_keptfd_is_same(&v, &id))
		return v.fd;
	int fd = (int)TG_SYSCALL(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (!keep) {
		*kept = 0;
		return fd;
	}
	struct tg_keptfd_view fresh = { 0, -1, 0, 0, 0 };
	if (tg_keptfd_adopt(fd, &fresh, &id) == 0 &&
	    tg_keptfd_publish(&tg_dgram_kept, v.seq, &fresh))
		return fresh.fd;
	*kept = 0;
	return fresh.fd >= 0 ? fresh.fd : fd;
}

int tg_sink_send_datagram(const char *where, const void *buf, size_t len,
			    int keep)
{
	return tg_sink_send_datagram_fd(where, buf, len, keep, -1);
}

int tg_sink_send_datagram_fd(const char *where, const void *buf, size_t len,
			     int keep, int pass)
{
	if (where[0] == '\0')
		return -1;
	int kept;
	int fd = tg_dgram_socket(keep, &kept);
	if (fd < 0)
		return -1;
	int rc = tg_sys_send_datagram_fd(fd, where, buf, len, pass);
	if (!kept)
		tg_sys_close(fd);
	return rc;
}

static int tg_sink_syslog(const struct tg_event *ev, const char *line,
			  size_t len)
{
	char head[TG_RECORD_SYSLOG_HEAD];
	size_t hlen = tg_record_syslog_head(ev, head);
	if (len > 0 && line[len - 1] == '\n')
		len--;
	size_t total = hlen + len;
	char *msg = tg_sys_map(total);
	if (msg == MAP_FAILED)
		return -1;
	memcpy(msg, head, hlen);
	memcpy(msg + hlen, line, len);
	int rc = tg_sink_send_datagram(tg_config()->syslog_socket, msg, total, 1);
	tg_sys_unmap(msg, total);
	return rc;
}

static int tg_sink_journal(const struct tg_event *ev, const char *line,
			   size_t len)
{
	/* Everything lives in one mapping: no large stack frames here, hooks
	 * may run on a signal handler's small stack. */
	size_t need = tg_record_journal_max(ev, len);
	char *buf = tg_sys_map(need);
	if (buf == MAP_FAILED)
		return -1;
	size_t n = tg_record_journal(ev, line, len, buf, need);
	int rc = tg_sink_send_datagram(tg_config()->journal_socket, buf, n, 1);
	tg_sys_unmap(buf, need);
	return rc;
}

int tg_sink_write(const struct tg_event *ev, const char *line, size_t len)
{
	const struct tg_config *cfg = tg_config();
	int rc;
	switch (cfg->sink) {
	case TG_SINK_FILE:
		rc = tg_sink_file(cfg->log_path, line, len, ev->ts.tv_sec);
		break;
	case TG_SINK_SYSLOG:
		rc = tg_sink_syslog(ev, line, len);
		break;
	case TG_SINK_JOURNAL:
		rc = tg_sink_journal(ev, line, len);
		if (rc < 0) /* no journal here: syslog is the next best place */
			rc = tg_sink_syslog(ev, line, len);
		break;
	default:
		rc = tg_sink_stderr(line, len);
		break;
	}
	if (rc < 0) {
		tg_lost_own();
		__atomic_add_fetch(&tg_lost, 1, __ATOMIC_RELAXED);
		/* Say it once per process, where the program's user can see
		 * it; the line itself follows when stderr is not the sink that
		 * failed. At exit, the count (tg_sink_report_lost). */
		if (!__atomic_exchange_n(&tg_lost_reported, 1,
					 __ATOMIC_RELAXED)) {
			static const char msg[] =
				"tmpguard: cannot write to the configured log; "
				"events from this process go to stderr\n";
			if (cfg->sink != TG_SINK_STDERR)
				tg_sink_stderr(msg, sizeof msg - 1);
		}
		if (cfg->sink != TG_SINK_STDERR)
			tg_sink_stderr(line, len);
	}
	return rc;
}

/* At exit (a destructor; not run on _exit or a fatal signal): one line with
 * the number of records the configured log did not get, in the process that
 * lost them. */
static void tg_sink_report_lost(void)
{
	/* nothing lost (nearly always): no system call, no errno */
	if (__atomic_load_n(&tg_lost_owner, __ATOMIC_ACQUIRE) == 0)
		return;
	int saved = errno;
	unsigned long n = tg_sink_lost();
	if (n > 0) {
		char msg[96];
		struct tg_out o = TG_OUT_INIT(msg, sizeof msg);
		tg_out_lit(&o, "tmpguard: ");
		tg_out_u64(&o, n);
		tg_out_s(&o, n == 1 ? " event could not be logged\n"
				    : " events could not be logged\n");
		tg_sink_stderr(msg, o.n); /* fits: 58 bytes at most */
	}
	errno = saved;
}

__attribute__((destructor)) static void tg_sink_fini(void)
{
	tg_sink_report_lost();
}
