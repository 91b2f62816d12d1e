/* tmpguard — random bytes for names, from a pool refilled by getrandom.
 *
 * A hardened mktemp makes one getrandom call per name, a fifth of what the
 * mkstemp it stands in for costs in all. The pool takes one call per ~4 KiB
 * instead. Requirements, and how they are met:
 * - no two takes ever get the same bytes: a take reserves its range with a
 *   compare-and-swap on (generation, offset); a take that overlapped a
 *   refill (the generation moved on while it copied) is discarded and falls
 *   back to getrandom;
 * - a forked child does not repeat its parent's bytes: the page is
 *   MADV_WIPEONFORK, so the child sees an empty pool (state 0) and refills;
 *   without that (kernels before 4.14) there is no pool;
 * - nothing waits: a take that finds another thread or an interrupted
 *   refill in progress calls getrandom itself. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/entropy.h"
#include "core/sys.h"
#include "core/syscall.h"

#define TG_POOL_BYTES (TG_WIPE_PAGE - 64)
#define TG_POOL_TAKE_MAX 256
#define TG_POOL_BUSY 0xffffffffu /* offset while a refill runs */

struct tg_pool {
	uint64_t state; /* generation << 32 | offset; 0: empty */
	unsigned char pad[56];
	unsigned char bytes[TG_POOL_BYTES];
};

/* getrandom as a system call (no libc symbol version), whole or failed. */
static int tg_getrandom_all(unsigned char *buf, size_t len)
{
	while (len > 0) {
		long n = TG_SYSCALL(SYS_getrandom, buf, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) { /* cannot happen; never spin */
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void *tg_pool_page;

static struct tg_pool *tg_pool_get(void)
{
	return tg_sys_wipeonfork_page(&tg_pool_page);
}

/* Refill from the state seen (empty or used up); 0 when this call did. */
static int tg_pool_refill(struct tg_pool *p, uint64_t seen)
{
	uint64_t gen = seen >> 32;
	uint64_t busy = gen << 32 | TG_POOL_BUSY;
	if (!__atomic_compare_exchange_n(&p->state, &seen, busy, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return -1;
	if (tg_getrandom_all(p->bytes, sizeof p->bytes) < 0) {
		/* used up, next generation: the next take tries again */
		__atomic_store_n(&p->state, (gen + 1) << 32 | TG_POOL_BYTES,
				 __ATOMIC_RELEASE);
		return -1;
	}
	/* generation 0 with offset 0 would read as empty */
	__atomic_store_n(&p->state, (gen + 1) << 32, __ATOMIC_RELEASE);
	return 0;
}

int tg_entropy_take(unsigned char *buf, size_t len)
{
	int saved = errno;
	struct tg_pool *p = len <= TG_POOL_TAKE_MAX ? tg_pool_get() : NULL;
	for (int tries = 0; p != NULL && tries < 4; tries++) {
		uint64_t w = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
		uint32_t off = (uint32_t)w;
		if (off == TG_POOL_BUSY)
			break;
		if (w == 0 || off + len > TG_POOL_BYTES) {
			if (tg_pool_refill(p, w) < 0)
				break;
			continue;
		}
		if (!__atomic_compare_exchange_n(&p->state, &w, w + len, 0,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		memcpy(buf, p->bytes + off, len);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		uint64_t now = __atomic_load_n(&p->state, __ATOMIC_RELAXED);
		if (now >> 32 == w >> 32 && (uint32_t)now != TG_POOL_BUSY) {
			errno = saved;
			return 0;
		}
		break; /* refilled while copying: these bytes may be reused */
	}
	if (tg_getrandom_all(buf, len) < 0)
		return -1;
	errno = saved;
	return 0;
}
