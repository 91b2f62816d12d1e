/* tmpguard — recording events: once per (event, call site, path) in each
 * process, then formatted, written and counted. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/escape.h"
#include "core/handshake.h"
#include "core/line.h"
#include "core/reserve.h"
#include "core/seen.h"
#include "core/sys.h"
#include "core/syscall.h"
#include "lib/log/caller.h"
#include "lib/log/emit.h"
#include "lib/log/sink.h"
#include "lib/real.h"
#include "lib/state.h"

/* The once-per-process record of what was logged. A forked child starts
 * its own: it finds no claim on the record (the claim lives in a page the
 * kernel wipes in forked children, or, without one, is the owner's pid),
 * clears its parent's keys, then claims it. The first process finds it
 * empty and only claims it. */
static struct tg_seen tg_logged;
static void *tg_logged_page;
static pid_t tg_logged_owner; /* the claim without a wipe-on-fork page */
static int tg_logged_used;    /* a key was added, by this process or its
			       * parent */
#define TG_LOGGED_CLEARING ((pid_t)-1)

/* 1 when this process has not logged the event with this key yet. A signal
 * handler that interrupts the clearing cannot wait for it: it logs, and the
 * same event may be logged once more later, rather than never. */
static int tg_first_time(uint64_t key)
{
	pid_t *claim = tg_sys_wipeonfork_page(&tg_logged_page);
	pid_t self = 1;
	if (claim == NULL) {
		claim = &tg_logged_owner;
		self = tg_sys_getpid();
	}
	pid_t owner = __atomic_load_n(claim, __ATOMIC_ACQUIRE);
	while (owner != self) {
		if (owner == TG_LOGGED_CLEARING)
			return 1;
		int clear = __atomic_load_n(&tg_logged_used, __ATOMIC_RELAXED);
		pid_t next = clear ? TG_LOGGED_CLEARING : self;
		/* on failure, owner is what another thread put there */
		if (!__atomic_compare_exchange_n(claim, &owner, next, 0,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		if (clear) {
			tg_seen_clear(&tg_logged);
			__atomic_store_n(claim, self, __ATOMIC_RELEASE);
		}
		break;
	}
	__atomic_store_n(&tg_logged_used, 1, __ATOMIC_RELAXED);
	return tg_seen_add(&tg_logged, key);
}

/* The program's name escaped for each format, made once: it is the same in
 * every line (twice, as the caller's module too, when the program itself
 * made the call). A name too long for the cache is escaped per line. */
struct tg_exe_text {
	int ready;
	size_t len;
	char text[512];
};
static struct tg_exe_text tg_exe_texts[2];

static void tg_exe_escaped(struct tg_event *ev, enum tg_format fmt)
{
	struct tg_exe_text *t = &tg_exe_texts[fmt == TG_FORMAT_JSON];
	if (!__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE)) {
		char buf[sizeof t->text];
		size_t n = fmt == TG_FORMAT_JSON
				   ? tg_json_escape(ev->exe, buf, sizeof buf)
				   : tg_text_escape(ev->exe, buf, sizeof buf);
		if (n >= sizeof buf)
			return;
		/* Concurrent fillers write the same bytes. */
		memcpy(t->text, buf, n + 1);
		t->len = n;
		__atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
	}
	ev->exe_escaped = t->text;
	ev->exe_escaped_len = t->len;
}

/* A datagram to `tmpguard run` (core/handshake.h); nothing is formatted
 * when it is not listening. */
static void tg_notify(const struct tg_handshake_addr *to,
		      const struct tg_handshake_msg *m, int keep)
{
	if (to->name[0] == '\0')
		return;
	char msg[160], where[TG_SOCK_PATH_MAX + 1];
	size_t n = tg_handshake_format(m, to->token, msg, sizeof msg);
	if (n >= sizeof msg)
		return;
	where[0] = '@';
	memcpy(where + 1, to->name, strlen(to->name) + 1);
	tg_sink_send_datagram(where, msg, n, keep);
}

/* `tmpguard run` as the constructor found it: the exec hooks tell it
 * every program they run. */
static struct tg_handshake_addr tg_run_to;
int tg_run_listening;

void tg_emit_hello(const char *handshake)
{
	int saved = errno;
	if (tg_config_handshake(handshake, &tg_run_to) == 0) {
		__atomic_store_n(&tg_run_listening, 1, __ATOMIC_RELEASE);
		struct tg_handshake_msg hello = { TG_HANDSHAKE_HELLO,
						  tg_sys_getpid(), 0, 0, NULL, 0 };
		/* keep: 0, a process that never logs keeps no socket */
		tg_notify(&tg_run_to, &hello, 0);
	}
	errno = saved;
}

/* The datagram (cut to fit), sent on a socket of its own unless one is
 * kept already: this may run in a vfork child, which must leave the
 * parent's records as they are. */
static void tg_notify_exec(const char *path)
{
	char msg[TG_HANDSHAKE_MAX + 1], where[TG_SOCK_PATH_MAX + 1];
	struct tg_handshake_msg m = { TG_HANDSHAKE_EXEC, tg_sys_getpid(), 0, 0,
				      path, 0 };
	size_t n = tg_handshake_format(&m, tg_run_to.token, msg, sizeof msg);
	if (n >= sizeof msg)
		return;
	where[0] = '@';
	memcpy(where + 1, tg_run_to.name, strlen(tg_run_to.name) + 1);
	tg_sink_send_datagram(where, msg, n, 0);
}

int tg_emit_listener(int fd)
{
	if (!__atomic_load_n(&tg_run_listening, __ATOMIC_ACQUIRE))
		return -1;
	char msg[160], where[TG_SOCK_PATH_MAX + 1];
	struct tg_handshake_msg m = { TG_HANDSHAKE_LISTENER, tg_sys_getpid(), 0,
				      0, NULL, 0 };
	size_t n = tg_handshake_format(&m, tg_run_to.token, msg, sizeof msg);
	if (n >= sizeof msg)
		return -1;
	where[0] = '@';
	memcpy(where + 1, tg_run_to.name, strlen(tg_run_to.name) + 1);
	return tg_sink_send_datagram_fd(where, msg, n, 0, fd);
}

/* A relative path made absolute with the working directory, so that run
 * finds the file wherever it runs from. */
__attribute__((noinline)) static void tg_notify_exec_relative(const char *path)
{
	char full[PATH_MAX + TG_HANDSHAKE_MAX];
	long n = TG_SYSCALL(SYS_getcwd, full, PATH_MAX);
	if (n <= 0 || full[0] != '/')
		return; /* unreachable working directory: nothing to name */
	size_t len = strlen(full), plen = strnlen(path, TG_HANDSHAKE_MAX);
	if (len > 1)
		full[len++] = '/';
	memcpy(full + len, path, plen);
	full[len + plen] = '\0'; /* longer than a datagram takes anyway */
	tg_notify_exec(full);
}

void tg_emit_exec(const char *path)
{
	if (!__atomic_load_n(&tg_run_listening, __ATOMIC_ACQUIRE) ||
	    path == NULL || path[0] == '\0')
		return;
	int saved = errno;
	if (path[0] == '/')
		tg_notify_exec(path);
	else
		tg_notify_exec_relative(path);
	errno = saved;
}

void tg_emit(enum tg_event_kind kind, enum tg_action action, const char *func,
	     const char *path, int err, const void *caller, const char *detail)
{
	int saved = errno;
	const struct tg_config *cfg = tg_config();
	uint64_t key = tg_seen_key(kind, caller, path);
	tg_seen_prefetch(&tg_logged, key);
	if (!tg_first_time(key))
		goto out;

	/* asked of the kernel for every line: right in any child, after any
	 * set*id call, raw system calls included */
	struct tg_event ev = {
		.pid = tg_sys_getpid(),
		.uid = tg_sys_geteuid(),
		.exe = tg_state_exe(),
		.kind = kind,
		.func = func,
		.path = path,
		.action = action,
		.err = err,
		.mode = cfg->mode,
		.detail = detail,
	};
	/* gettimeofday (vDSO): events show microseconds, and it needs no libc
	 * symbol version beyond the oldest */
	struct timeval now;
	gettimeofday(&now, NULL);
	ev.ts.tv_sec = now.tv_sec;
	ev.ts.tv_nsec = now.tv_usec * 1000L;
	tg_caller_resolve(caller, &ev.caller_module, &ev.caller_offset);
	tg_exe_escaped(&ev, cfg->format);

	/* Most lines fit the stack buffer; a long path gets a mapping of its
	 * own rather than a large frame (hooks may run on a signal stack). */
	char small[1024];
	char *line = small;
	size_t need = tg_event_format(&ev, cfg->format, small, sizeof small);
	size_t mapped = 0;
	if (need >= sizeof small) {
		mapped = need + 1;
		line = tg_sys_map(mapped);
		if (line == MAP_FAILED)
			goto out;
		tg_event_format(&ev, cfg->format, line, mapped);
	}
	tg_sink_write(&ev, line, need);
	if (mapped)
		tg_sys_unmap(line, mapped);

	struct tg_handshake_msg logged = { TG_HANDSHAKE_EVENT, ev.pid, kind,
					   action, NULL, 0 };
	tg_notify(&cfg->handshake, &logged, 1);
out:
	errno = saved;
}
