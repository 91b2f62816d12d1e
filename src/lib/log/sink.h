/* tmpguard — where event lines go: stderr, a file, syslog, the journal.
 * Every record is one write, so lines from many processes never interleave;
 * a descriptor is verified before it is written to (logfile.h), so a
 * program that closes or reuses descriptors cannot capture the log. */
#ifndef TG_SINK_H
#define TG_SINK_H

#include <stddef.h>
#include "core/event.h"

/* line: the formatted event (text or JSON), ev: the event for structured
 * sinks. Returns 0, or -1 when the record was lost (counted). */
int tg_sink_write(const struct tg_event *ev, const char *line, size_t len);

/* One datagram to a Unix socket: a path, or "@name" in the abstract
 * namespace. Non-blocking, bounded retries. keep: send through a socket
 * kept open between records (made now if needed); 0: do not leave one
 * behind (a process's first message, before it has anything to log). */
int tg_sink_send_datagram(const char *where, const void *buf, size_t len,
			  int keep);

/* The same with the descriptor pass (SCM_RIGHTS). */
int tg_sink_send_datagram_fd(const char *where, const void *buf, size_t len,
			     int keep, int pass);

#endif
