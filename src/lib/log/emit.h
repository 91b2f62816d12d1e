/* tmpguard — recording an event: once per (event, call site, path) in a
 * process, formatted and sent to the sink, counted for `tmpguard run`. */
#ifndef TG_EMIT_H
#define TG_EMIT_H

#include "core/event.h"

/* Preserves errno. Async-signal-safe: no lock, no malloc, no stdio. */
void tg_emit(enum tg_event_kind kind, enum tg_action action, const char *func,
	     const char *path, int err, const void *caller, const char *detail);

/* The `tmpguard run` handshake: tell the runner this process loaded us.
 * handshake: TMPGUARD_HANDSHAKE's value, as the constructor found it (the
 * rest of the configuration is not parsed for this). */
void tg_emit_hello(const char *handshake);

/* 1 when `tmpguard run` listens (the constructor found a valid
 * TMPGUARD_HANDSHAKE); read without a lock by the exec hooks. */
extern int tg_run_listening;
static inline int tg_run_is_listening(void)
{
	return __atomic_load_n(&tg_run_listening, __ATOMIC_RELAXED);
}

/* Tell `tmpguard run`, when it listens, that this process is about to
 * execute path (a relative one is made absolute first; a long one is cut:
 * core/handshake.h). Preserves errno; async-signal-safe, and changes no
 * state a vfork parent shares. */
void tg_emit_exec(const char *path);

/* run --supervise: hand `tmpguard run` the listener of the filter this
 * process installed (core/handshake.h, "L"). 0, or -1 with errno; the
 * caller closes fd either way. Same constraints as tg_emit_exec. */
int tg_emit_listener(int fd);

#endif
