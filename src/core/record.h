/* tmpguard — an event as a record for the system's log daemons: a syslog
 * datagram (RFC 3164 style, as syslog(3) sends) and a journal datagram
 * (the native protocol, which carries any bytes). What the library sends
 * and what `tmpguard run --supervise` sends for the processes it
 * supervises. No allocation, no system call. */
#ifndef TG_CORE_RECORD_H
#define TG_CORE_RECORD_H

#include <stddef.h>

#include "core/event.h"

/* LOG_WARNING for attacks, LOG_NOTICE for unsafe code. */
int tg_record_priority(const struct tg_event *ev);

/* The head of a syslog datagram, "<PRI>tmpguard[PID]: ", into head (not
 * NUL-terminated); its length. The line follows it, without its '\n'. */
#define TG_RECORD_SYSLOG_HEAD 64
size_t tg_record_syslog_head(const struct tg_event *ev,
			     char head[TG_RECORD_SYSLOG_HEAD]);

/* Bytes tg_record_journal may need for this event and line. */
size_t tg_record_journal_max(const struct tg_event *ev, size_t len);

/* The journal record (MESSAGE, PRIORITY, SYSLOG_IDENTIFIER and the
 * TMPGUARD_* fields) into buf, which has tg_record_journal_max bytes;
 * returns its length. */
size_t tg_record_journal(const struct tg_event *ev, const char *line,
			 size_t len, char *buf, size_t buf_len);

#endif
