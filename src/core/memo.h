/* tmpguard — a per-thread memo of one answer for one second.
 *
 * Some answers cost more than the work around them (a directory's verdict,
 * the civil date of a second) and hold for a while: each thread keeps its
 * last one, with the second and the key it was made for. Per thread, so
 * no thread waits; `busy` while this thread reads or updates it, so that a
 * signal handler interrupting that use computes its own answer instead of
 * reading a half-written one. The answer itself lives beside the memo, in
 * the caller's per-thread struct. */
#ifndef TG_CORE_MEMO_H
#define TG_CORE_MEMO_H

#include <stdint.h>

struct tg_memo {
	int busy;
	int valid;
	int64_t sec;
	uint64_t key;
};

enum tg_memo_state {
	TG_MEMO_BUSY = -1, /* interrupted a use on this thread: compute, keep out */
	TG_MEMO_MISS = 0,  /* compute, store, then tg_memo_leave */
	TG_MEMO_HIT = 1,   /* read the answer, then tg_memo_leave */
};

static inline enum tg_memo_state tg_memo_enter(struct tg_memo *m, int64_t sec,
					       uint64_t key)
{
	if (m->busy)
		return TG_MEMO_BUSY;
	m->busy = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return m->valid && m->sec == sec && m->key == key ? TG_MEMO_HIT
							  : TG_MEMO_MISS;
}

/* After a miss: the answer beside the memo is now the one for (sec, key). */
static inline void tg_memo_stored(struct tg_memo *m, int64_t sec, uint64_t key)
{
	m->sec = sec;
	m->key = key;
	m->valid = 1;
}

static inline void tg_memo_leave(struct tg_memo *m)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	m->busy = 0;
}

#endif
