/* tmpguard — the lock-free seen-set. */
#include "config.h"

#include <string.h>

#include "tg_seen.h"

static uint64_t tg_fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t tg_seen_key(unsigned tag, const void *site, const char *path)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = tg_fnv(h, &tag, sizeof tag);
	h = tg_fnv(h, &site, sizeof site);
	if (path != NULL)
		h = tg_fnv(h, path, strlen(path));
	return (h & ~(uint64_t)1) | 2; /* never 0, payload bit clear */
}

uint64_t tg_seen_find(const struct tg_seen *set, uint64_t key)
{
	size_t home = (size_t)(key % TG_SEEN_SLOTS);
	for (size_t i = 0; i < TG_SEEN_PROBE; i++) {
		uint64_t cur = __atomic_load_n(
			&set->slot[(home + i) % TG_SEEN_SLOTS], __ATOMIC_ACQUIRE);
		if (cur == 0)
			return 0;
		if ((cur & ~(uint64_t)1) == key)
			return cur;
	}
	return 0;
}

int tg_seen_add(struct tg_seen *set, uint64_t key)
{
	uint64_t base = key & ~(uint64_t)1;
	size_t home = (size_t)(base % TG_SEEN_SLOTS);
	for (size_t i = 0; i < TG_SEEN_PROBE; i++) {
		uint64_t *slot = &set->slot[(home + i) % TG_SEEN_SLOTS];
		uint64_t cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
		if (cur == 0 &&
		    __atomic_compare_exchange_n(slot, &cur, key, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return 1;
		if ((cur & ~(uint64_t)1) == base)
			return 0;
	}
	return 1; /* window full: behave as new */
}

void tg_seen_clear(struct tg_seen *set)
{
	for (size_t i = 0; i < TG_SEEN_SLOTS; i++)
		__atomic_store_n(&set->slot[i], 0, __ATOMIC_RELAXED);
}
