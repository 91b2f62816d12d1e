/* tmpguard — the datagrams a process sends `tmpguard run` (the socket and
 * token it names in TMPGUARD_HANDSHAKE):
 *   "TOKEN H PID\n"                 hello: the library is loaded in PID
 *   "TOKEN E EVENT ACTION PID\n"    PID logged an event
 *   "TOKEN L PID\n"                 run --supervise: PID installed the filter
 *                                   and sends its listener with this
 *                                   datagram (SCM_RIGHTS)
 *   "TOKEN X PID whole PATH\n"      PID is about to execute PATH (absolute)
 *   "TOKEN X PID cut PATH\n"        ... a PATH too long for a datagram:
 *                                   its first bytes only
 * PATH is every byte after the space that follows whole/cut, but the last
 * newline: spaces and newlines included (a path has no NUL).
 * Both halves here: the library writes them, the command reads them. */
#ifndef TG_HANDSHAKE_H
#define TG_HANDSHAKE_H

#include <stddef.h>
#include <sys/types.h>

#include "core/event.h"

enum tg_handshake_type {
	TG_HANDSHAKE_NONE = 0,
	TG_HANDSHAKE_HELLO,
	TG_HANDSHAKE_EVENT,
	TG_HANDSHAKE_EXEC,
	TG_HANDSHAKE_LISTENER,
};

/* The longest datagram either half handles, its NUL not counted: the
 * library cuts an exec's path to fit, run reads no more. */
#define TG_HANDSHAKE_MAX 512

struct tg_handshake_msg {
	enum tg_handshake_type type;
	pid_t pid;
	enum tg_event_kind kind; /* TG_HANDSHAKE_EVENT only */
	enum tg_action action;
	const char *path;        /* TG_HANDSHAKE_EXEC only (parsed: in msg) */
	int cut;                 /* ... path is only the first bytes */
};

/* The datagram for m; snprintf-like. An exec's path is cut to fit len
 * (and the datagram says so) once the rest fits. No allocation, no system
 * call: usable from a signal handler. */
size_t tg_handshake_format(const struct tg_handshake_msg *m, const char *token,
			   char *buf, size_t len);

/* Reads a datagram (NUL-terminated; msg is modified). Returns m->type:
 * TG_HANDSHAKE_NONE for anything that is not one of the forms with this
 * token, a known event and action, whole or cut and a path that is not
 * empty, and a pid from 1 to 2^31-1. Fields are separated by one or more
 * spaces; a hello or an event ends at its first '\n'. The token is
 * compared in the same time wherever it differs. */
enum tg_handshake_type tg_handshake_parse(char *msg, const char *token,
					  struct tg_handshake_msg *m);

#endif
