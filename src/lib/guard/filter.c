/* tmpguard — run --supervise in the library: the filter, installed where
 * the library cannot follow (lib/guard/filter.h). */
#include <config.h>

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/event.h"
#include "core/out.h"
#include "core/sys.h"
#include "core/syscall.h"
#include "lib/guard/filter.h"
#include "lib/guard/reach.h"
#include "lib/log/emit.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* run's filter is some hundred instructions; room for ten times that */
#define TG_FILTER_MAX 1024
static struct sock_filter tg_filter_prog[TG_FILTER_MAX];
static unsigned short tg_filter_len;
static int tg_filter_killable;
int tg_filter_loaded;

static int tg_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void tg_filter_say(const char *what, int err)
{
	char msg[200];
	struct tg_out o = TG_OUT_INIT(msg, sizeof msg);
	tg_out_lit(&o, "tmpguard: run --supervise: ");
	tg_out_s(&o, what);
	if (err != 0) {
		tg_out_lit(&o, ": ");
		tg_out_s(&o, tg_errno_name(err));
	}
	tg_out_c(&o, '\n');
	size_t n = tg_out_end(&o);
	tg_sys_write_all(2, msg, n < sizeof msg ? n : sizeof msg - 1);
}

/* "k:HEX" or "-:HEX": whether the kernel can make a received call wait
 * through signals (run's probe found out), then the BPF program's bytes
 * as they lie in memory, two lowercase hex digits each. */
static int tg_filter_decode(const char *v)
{
	if ((v[0] != 'k' && v[0] != '-') || v[1] != ':')
		return -1;
	const char *hex = v + 2;
	size_t len = strlen(hex);
	size_t size = len / 2, insns = size / sizeof(struct sock_filter);
	if (len % 2 != 0 || size % sizeof(struct sock_filter) != 0 ||
	    insns == 0 || insns > TG_FILTER_MAX)
		return -1;
	unsigned char *out = (unsigned char *)tg_filter_prog;
	for (size_t i = 0; i < size; i++) {
		int hi = tg_hex(hex[2 * i]), lo = tg_hex(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	tg_filter_len = (unsigned short)insns;
	tg_filter_killable = v[0] == 'k';
	return 0;
}

void tg_filter_setup(const char *value, char *const envp[])
{
	int saved = errno;
	if (tg_filter_decode(value) < 0) {
		tg_filter_say("TMPGUARD_SUPERVISE_FILTER is not run's filter; "
			      "ignored", 0);
		errno = saved;
		return;
	}
	tg_reach_note_env(envp);
	__atomic_store_n(&tg_filter_loaded, 1, __ATOMIC_RELEASE);
	if (tg_reach_self_bypasses())
		tg_filter_install(1);
	errno = saved;
}

static long tg_seccomp(unsigned long flags)
{
	struct sock_fprog prog = { tg_filter_len, tg_filter_prog };
	return TG_SYSCALL(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

void tg_filter_install(int all_threads)
{
	if (!tg_filter_on())
		return;
	int saved = errno;
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	if (tg_filter_killable)
		flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	if (all_threads)
		flags |= SECCOMP_FILTER_FLAG_TSYNC |
			 SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	long fd = tg_seccomp(flags);
	if (fd < 0 && errno == EINVAL && all_threads) { /* before Linux 5.7 */
		flags &= ~(SECCOMP_FILTER_FLAG_TSYNC |
			   SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
		fd = tg_seccomp(flags);
	}
	if (fd < 0 && errno == EACCES &&
	    TG_SYSCALL(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
		fd = tg_seccomp(flags); /* without CAP_SYS_ADMIN */
	if (fd < 0) {
		if (errno != EBUSY) /* EBUSY: under it already */
			tg_filter_say("cannot install the filter; what this "
				      "process runs is not supervised", errno);
		errno = saved;
		return;
	}
	/* run gone: the listener closes with this process's copy, and each
	 * trapped call fails with ENOSYS, as when run dies later */
	if (tg_emit_listener((int)fd) < 0)
		tg_filter_say("cannot hand the filter to tmpguard run; the calls "
			      "it traps fail with ENOSYS", errno);
	tg_sys_close((int)fd);
	errno = saved;
}

void tg_filter_before_exec(const char *path, char *const envp[])
{
	if (tg_filter_on() && !tg_reach_exec_covered(path, envp))
		tg_filter_install(0);
}
