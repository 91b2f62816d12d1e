/* tmpguard — the event model: what the library records and `tmpguard
 * report` reads back. Their lines are in core/line.h. */
#ifndef TG_EVENT_H
#define TG_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "core/config.h"

enum tg_event_kind {
	TG_EV_UNSAFE_NAME = 0,
	TG_EV_PREDICTABLE_CREATE,
	TG_EV_RACE_BLOCKED,
	TG_EV_HIJACK_BLOCKED,
	TG_EV_HIJACK_DETECTED,
	TG_EV_REWRITTEN,
	TG_EV_UNJUDGED,      /* calls no one can judge (io_uring, audit) */
	TG_EV_COUNT
};

enum tg_action { TG_ACT_LOGGED = 0, TG_ACT_HARDENED, TG_ACT_BLOCKED, TG_ACT_COUNT };

struct tg_event {
	struct timespec ts;       /* CLOCK_REALTIME */
	pid_t pid;
	uid_t uid;                /* effective uid */
	const char *exe;          /* the running program */
	enum tg_event_kind kind;
	const char *func;         /* the interposed call: "open", "fopen" ... */
	const char *path;         /* as the program gave it (any bytes) */
	enum tg_action action;
	const char *caller_module; /* object that made the call ("" unknown) */
	uintptr_t caller_offset;   /* return address minus the object's base */
	int err;                   /* errno, reported when action is blocked */
	enum tg_mode mode;
	const char *detail;        /* optional: why ("symlink", "foreign-owner") */
	/* optional: exe already escaped for the format asked of
	 * tg_event_format (core/line.h; NULL: escape exe there), also used
	 * for a caller module that is exe itself (the same pointer). The
	 * library gives it: its exe never changes, and escaping it for every
	 * line was a good part of a line's cost. */
	const char *exe_escaped;
	size_t exe_escaped_len;
};

/* Names ("predictable-create", "blocked"); "unknown" out of range. Inline:
 * every line has them. */
/* Arrays of characters, not of pointers: nothing for the loader to
 * relocate in every process. */
#define TG_EV_NAME_MAX sizeof "predictable-create"
#define TG_ACT_NAME_MAX sizeof "hardened"
extern const char tg_event_kind_names[TG_EV_COUNT][TG_EV_NAME_MAX];
extern const char tg_action_names[TG_ACT_COUNT][TG_ACT_NAME_MAX];

static inline const char *tg_event_kind_name(enum tg_event_kind k)
{
	return (unsigned)k < TG_EV_COUNT ? tg_event_kind_names[k] : "unknown";
}

static inline const char *tg_action_name(enum tg_action a)
{
	return (unsigned)a < TG_ACT_COUNT ? tg_action_names[a] : "unknown";
}

/* -1 when unknown */
int tg_event_kind_parse(const char *s);
int tg_action_parse(const char *s);
/* "EACCES" ...; NULL when unknown */
const char *tg_errno_name(int err);

/* 1 for the events that are attacks (a planted or raced object), 0 for
 * unsafe code: syslog's priority and SARIF's level follow it. */
int tg_event_is_attack(enum tg_event_kind k);

#endif
