/* tmpguard — a fixed-size, lock-free set of 64-bit keys: "have we seen this
 * (call site, path) before?" No allocation, safe in signal handlers. Keys
 * live in buckets of one cache line; a new key in a full bucket replaces
 * one of its keys, which is then "not seen" again: that costs a repeat,
 * never a miss, and a program making endless new names pays eight loads
 * per key, not a search of the whole set. */
#ifndef TG_SEEN_H
#define TG_SEEN_H

#include <stdint.h>

#define TG_SEEN_WAYS 8 /* keys per bucket: 64 bytes */
#define TG_SEEN_BUCKETS 512

struct tg_seen {
	uint64_t slot[TG_SEEN_BUCKETS][TG_SEEN_WAYS]
		__attribute__((aligned(64)));
};

/* A key for (tag, call site, path); never 0, low bit clear (free for the
 * caller's one bit of payload). */
uint64_t tg_seen_key(unsigned tag, const void *site, const char *path);

/* The stored key equal to key or key|1, or 0 when absent. */
uint64_t tg_seen_find(const struct tg_seen *set, uint64_t key);

/* Store key (with its payload bit). Returns 1 when stored, 0 when key or
 * key|1 was already there. */
int tg_seen_add(struct tg_seen *set, uint64_t key);

/* Start loading key's bucket into the cache: a caller about to make a
 * system call overlaps the load (a bucket is rarely cached between events
 * of a program that does file work) with the call. */
void tg_seen_prefetch(const struct tg_seen *set, uint64_t key);

void tg_seen_clear(struct tg_seen *set);

#endif
