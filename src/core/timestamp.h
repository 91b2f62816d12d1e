/* tmpguard — the time of an event: ISO 8601 UTC with microseconds,
 * "2026-11-23T10:52:01.123456Z". Formatting makes no system call and never
 * allocates: usable from a signal handler. */
#ifndef TG_TIMESTAMP_H
#define TG_TIMESTAMP_H

#include <stddef.h>
#include <time.h>

#include "core/out.h"

/* 27 bytes for years 0..9999 (28 with the NUL); snprintf-like. */
size_t tg_format_time(const struct timespec *ts, char *out, size_t out_len);
void tg_out_time(struct tg_out *o, const struct timespec *ts);

/* Inverse of tg_format_time for len bytes of s: 0, or -1 when they are not
 * exactly what tg_format_time writes for some time (tv_nsec to the
 * microsecond). */
int tg_parse_time(const char *s, size_t len, struct timespec *ts);

#endif
