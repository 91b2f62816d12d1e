/* tmpguard — the reservation table. Open addressing over a fixed array of
 * 64-bit path hashes; every access is an atomic load, store or CAS, so it is
 * safe from any thread and from signal handlers, and never allocates.
 *
 * Slot values: 0 empty (ends a probe chain), 1 tombstone (a consumed
 * reservation: the chain goes on through it), anything else the hash of a
 * reserved path. */
#include <config.h>

#include <string.h>

#include "core/reserve.h"

#define TG_SLOT_EMPTY 0u
#define TG_SLOT_TOMB 1u
#define TG_PROBE 16u

unsigned tg_reserve_live;
static uint64_t tg_slots[TG_RESERVE_SLOTS];

uint64_t tg_reserve_hash(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64 */
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	if (h == TG_SLOT_EMPTY || h == TG_SLOT_TOMB)
		h |= 2; /* the two marker values are never stored as hashes */
	return h;
}

static inline uint64_t *tg_slot(uint64_t h, unsigned i)
{
	return &tg_slots[(h % TG_RESERVE_SLOTS + i) % TG_RESERVE_SLOTS];
}

static int tg_find(uint64_t h)
{
	for (unsigned i = 0; i < TG_PROBE; i++) {
		uint64_t v = __atomic_load_n(tg_slot(h, i), __ATOMIC_ACQUIRE);
		if (v == h)
			return 1;
		if (v == TG_SLOT_EMPTY)
			return 0;
	}
	return 0;
}

void tg_reserve_add(const char *path)
{
	if (path == NULL)
		return;
	uint64_t h = tg_reserve_hash(path);
	if (tg_find(h))
		return;
	/* Counted before it is stored, so that the count is never below the
	 * number of live slots: a reader that sees 0 may skip the lookup. */
	__atomic_add_fetch(&tg_reserve_live, 1, __ATOMIC_ACQ_REL);
	for (unsigned i = 0; i < TG_PROBE; i++) {
		uint64_t *slot = tg_slot(h, i);
		uint64_t v = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
		while (v == TG_SLOT_EMPTY || v == TG_SLOT_TOMB) {
			if (__atomic_compare_exchange_n(slot, &v, h, 0,
							__ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE))
				return;
			/* v now holds what another thread put there */
		}
		if (v == h)
			goto uncount; /* added concurrently by another thread */
	}
	/* The probe window is full: the home slot's reservation is evicted
	 * (the count stays). If that slot was freed meanwhile, this is a new
	 * live entry after all. */
	uint64_t old = __atomic_exchange_n(tg_slot(h, 0), h, __ATOMIC_ACQ_REL);
	if (old == TG_SLOT_EMPTY || old == TG_SLOT_TOMB)
		return;
uncount:
	__atomic_sub_fetch(&tg_reserve_live, 1, __ATOMIC_ACQ_REL);
}

int tg_reserve_contains(const char *path)
{
	if (path == NULL)
		return 0;
	return tg_find(tg_reserve_hash(path));
}

int tg_reserve_take(const char *path)
{
	if (path == NULL)
		return 0;
	uint64_t h = tg_reserve_hash(path);
	for (unsigned i = 0; i < TG_PROBE; i++) {
		uint64_t *slot = tg_slot(h, i);
		uint64_t v = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
		if (v == TG_SLOT_EMPTY)
			return 0;
		if (v == h &&
		    __atomic_compare_exchange_n(slot, &v, TG_SLOT_TOMB, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			__atomic_sub_fetch(&tg_reserve_live, 1, __ATOMIC_RELEASE);
			return 1;
		}
	}
	return 0;
}

void tg_reserve_clear(void)
{
	for (unsigned i = 0; i < TG_RESERVE_SLOTS; i++)
		__atomic_store_n(&tg_slots[i], TG_SLOT_EMPTY, __ATOMIC_RELEASE);
	__atomic_store_n(&tg_reserve_live, 0, __ATOMIC_RELEASE);
}
