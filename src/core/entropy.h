/* tmpguard — random bytes for names, from a pool refilled by getrandom. */
#ifndef TG_ENTROPY_H
#define TG_ENTROPY_H

#include <stddef.h>

/* len random bytes (kernel CSPRNG). Small requests are served from a
 * per-process pool of one page that the kernel wipes in a forked child
 * (MADV_WIPEONFORK), so parent and child never share bytes; larger ones,
 * and hosts where the pool cannot be had, call getrandom directly. Lock-
 * free and async-signal-safe. Returns 0, or -1 with errno. */
int tg_entropy_take(unsigned char *buf, size_t len);

#endif
