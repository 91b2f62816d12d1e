/* tmpguard — one record written whole to a log descriptor. */
#ifndef TG_LIB_LOG_WRITE_H
#define TG_LIB_LOG_WRITE_H

#include <stddef.h>

/* All of buf to fd (retrying short writes and EINTR), never raising
 * SIGPIPE in the host program: a pipe or socket whose reader is gone
 * fails with EPIPE instead. mode: fd's file type, 0 when unknown.
 * Async-signal-safe. 0, or -1. */
int tg_log_write(int fd, unsigned mode, const char *buf, size_t len);

#endif
