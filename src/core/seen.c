/* tmpguard — the lock-free seen-set. */
#include <config.h>

#include <string.h>

#include "core/seen.h"

/* One 64-bit word into the hash: a multiply spreads it over the high bits,
 * the shift brings them back down. */
static inline uint64_t tg_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

/* Eight bytes at a time: paths are tens of bytes long, and a byte-wise
 * hash cost more than the rest of the set. */
uint64_t tg_seen_key(unsigned tag, const void *site, const char *path)
{
	uint64_t h = tg_mix(0xcbf29ce484222325ULL + tag, (uintptr_t)site);
	if (path != NULL) {
		size_t n = strlen(path);
		h = tg_mix(h, n);
		uint64_t w;
		if (n >= 8) {
			/* the last word overlaps the one before it: with the
			 * length mixed in, every byte still counts once */
			const char *last = path + n - 8;
			for (; path < last; path += 8) {
				memcpy(&w, path, 8);
				h = tg_mix(h, w);
			}
			memcpy(&w, last, 8);
		} else if (n >= 4) {
			uint32_t lo, hi;
			memcpy(&lo, path, 4);
			memcpy(&hi, path + n - 4, 4);
			w = (uint64_t)hi << 32 | lo;
		} else {
			w = 0;
			for (size_t i = 0; i < n; i++)
				w |= (uint64_t)(unsigned char)path[i] << (8 * i);
		}
		h = tg_mix(h, w);
	}
	/* the final avalanche of MurmurHash3: every input bit reaches the
	 * bucket index and the stored bits */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (h & ~(uint64_t)1) | 2; /* never 0, payload bit clear */
}

static size_t tg_bucket(uint64_t key)
{
	return (size_t)((key >> 2) % TG_SEEN_BUCKETS);
}

uint64_t tg_seen_find(const struct tg_seen *set, uint64_t key)
{
	const uint64_t *b = set->slot[tg_bucket(key)];
	uint64_t base = key & ~(uint64_t)1;
	for (size_t i = 0; i < TG_SEEN_WAYS; i++) {
		uint64_t cur = __atomic_load_n(&b[i], __ATOMIC_ACQUIRE);
		if (cur == 0) /* a bucket fills from its start */
			return 0;
		if ((cur & ~(uint64_t)1) == base)
			return cur;
	}
	return 0;
}

int tg_seen_add(struct tg_seen *set, uint64_t key)
{
	uint64_t *b = set->slot[tg_bucket(key)];
	uint64_t base = key & ~(uint64_t)1;
	for (size_t i = 0; i < TG_SEEN_WAYS; i++) {
		uint64_t cur = __atomic_load_n(&b[i], __ATOMIC_ACQUIRE);
		if (cur == 0 &&
		    __atomic_compare_exchange_n(&b[i], &cur, key, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return 1;
		if ((cur & ~(uint64_t)1) == base)
			return 0;
	}
	/* full: the key takes the place of one chosen by its own bits */
	__atomic_store_n(&b[(key >> 40) % TG_SEEN_WAYS], key, __ATOMIC_RELEASE);
	return 1;
}

void tg_seen_prefetch(const struct tg_seen *set, uint64_t key)
{
	__builtin_prefetch(set->slot[tg_bucket(key)], 1);
}

void tg_seen_clear(struct tg_seen *set)
{
	for (size_t i = 0; i < TG_SEEN_BUCKETS; i++)
		for (size_t j = 0; j < TG_SEEN_WAYS; j++)
			__atomic_store_n(&set->slot[i][j], 0, __ATOMIC_RELAXED);
}
