/* tmpguard — who this process is, remembered.
 *
 * Every event line carries the pid and the effective uid: two system calls
 * per line were a tenth of a hardened mktemp+open. Only what is reported
 * comes from here; ownership decisions ask the kernel each time. Both are
 * kept in a page the kernel wipes in every child made by fork, _Fork,
 * daemon or a raw fork or clone system call (MADV_WIPEONFORK, Linux 4.14),
 * so a child reads its own. What shares this memory under another pid is
 * caught where it is made: the vfork and clone hooks stop the caching for
 * good (hooks/ids.c). The set*id hooks make the euid be read again; a
 * raw set*id system call, which no hook sees, is picked up within a second,
 * since what is kept is also read again once a second. No WIPEONFORK (or
 * another architecture, where vfork is not hooked): the kernel is asked
 * every time, as before. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "core/sys.h"
#include "lib/ident.h"

struct tg_ident_memo {
	uint64_t ids; /* pid << 32 | euid; 0 (a wiped page): unknown */
	long sec;     /* when they were read */
};

#if defined(__x86_64__) && defined(MADV_WIPEONFORK)
static int tg_ident_uncached;
#else
static int tg_ident_uncached = 1; /* vfork is not hooked here */
#endif
static void *tg_ident_page;

static uint64_t tg_ident_read(void)
{
	return (uint64_t)(uint32_t)tg_sys_getpid() << 32 |
	       (uint32_t)tg_sys_geteuid();
}

/* pid << 32 | euid. Lock-free: racing readers store the same values. */
static uint64_t tg_ident(void)
{
	if (__atomic_load_n(&tg_ident_uncached, __ATOMIC_ACQUIRE))
		return tg_ident_read();
	struct tg_ident_memo *m = tg_sys_wipeonfork_page(&tg_ident_page);
	if (m == NULL)
		return tg_ident_read();
	struct timeval now;
	gettimeofday(&now, NULL);
	uint64_t ids = __atomic_load_n(&m->ids, __ATOMIC_ACQUIRE);
	if (ids != 0 && __atomic_load_n(&m->sec, __ATOMIC_RELAXED) == now.tv_sec)
		return ids;
	ids = tg_ident_read();
	__atomic_store_n(&m->sec, (long)now.tv_sec, __ATOMIC_RELAXED);
	__atomic_store_n(&m->ids, ids, __ATOMIC_RELEASE);
	return ids;
}

pid_t tg_self_pid(void)
{
	return (pid_t)(uint32_t)(tg_ident() >> 32);
}

void tg_self(pid_t *pid, uid_t *euid)
{
	uint64_t ids = tg_ident();
	*pid = (pid_t)(uint32_t)(ids >> 32);
	*euid = (uid_t)(uint32_t)ids;
}

void tg_ident_forget(void)
{
	struct tg_ident_memo *m = __atomic_load_n(&tg_ident_page, __ATOMIC_ACQUIRE);
	if (m != NULL && (void *)m != TG_WIPE_NONE)
		__atomic_store_n(&m->ids, 0, __ATOMIC_RELEASE);
}

void tg_ident_stop_caching(void)
{
	__atomic_store_n(&tg_ident_uncached, 1, __ATOMIC_RELEASE);
}
