/* tmpguard — the datagrams a process sends `tmpguard run` (the socket and
 * token it names in TMPGUARD_HANDSHAKE):
 *   "TOKEN H PID\n"                 hello: the library is loaded in PID
 *   "TOKEN E EVENT ACTION PID\n"    PID logged an event
 * Both halves here: the library writes them, the command reads them. */
#ifndef TG_HANDSHAKE_H
#define TG_HANDSHAKE_H

#include <stddef.h>
#include <sys/types.h>

#include "core/event.h"

enum tg_handshake_type { TG_HANDSHAKE_NONE = 0, TG_HANDSHAKE_HELLO, TG_HANDSHAKE_EVENT };

struct tg_handshake_msg {
	enum tg_handshake_type type;
	pid_t pid;
	enum tg_event_kind kind; /* TG_HANDSHAKE_EVENT only */
	enum tg_action action;
};

/* The datagram for m (a hello or an event); snprintf-like. No allocation,
 * no system call: usable from a signal handler. */
size_t tg_handshake_format(const struct tg_handshake_msg *m, const char *token,
			   char *buf, size_t len);

/* Reads a datagram (NUL-terminated; cut at its first '\n'; msg is
 * modified). Returns m->type: TG_HANDSHAKE_NONE for anything that is not
 * one of the two forms with this token, a known event and action and a
 * pid from 1 to 2^31-1. Fields are separated by one or more spaces. The
 * token is compared in the same time wherever it differs. */
enum tg_handshake_type tg_handshake_parse(char *msg, const char *token,
					  struct tg_handshake_msg *m);

#endif
