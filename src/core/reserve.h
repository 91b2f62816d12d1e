/* tmpguard — the reservation table: names handed out by name generators in
 * this process, whose first creation is made exclusive. Lock-free, no
 * allocation, safe in signal handlers. */
#ifndef TG_RESERVE_H
#define TG_RESERVE_H

#include <stdint.h>

#define TG_RESERVE_SLOTS 512

/* Number of live reservations; 0 means no lookup is needed at all. */
extern unsigned tg_reserve_live;

static inline int tg_reserve_any(void)
{
	return __atomic_load_n(&tg_reserve_live, __ATOMIC_RELAXED) != 0;
}

uint64_t tg_reserve_hash(const char *path);
void tg_reserve_add(const char *path);
/* 1 if path is reserved (it stays reserved). */
int tg_reserve_contains(const char *path);
/* 1 if path was reserved; the reservation is consumed. */
int tg_reserve_take(const char *path);
void tg_reserve_clear(void);

#endif
