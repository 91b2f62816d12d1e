/* tmpguard — events and their text and JSON forms. Shared by the library and
 * the command; formatting makes no system call and never allocates. */
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
	 * tg_event_format (NULL: escape exe there), also used for a caller
	 * module that is exe itself (the same pointer). The library gives
	 * it: its exe never changes, and escaping it for every line was a
	 * good part of a line's cost. */
	const char *exe_escaped;
	size_t exe_escaped_len;
};

const char *tg_event_kind_name(enum tg_event_kind k);
const char *tg_action_name(enum tg_action a);
/* -1 when unknown */
int tg_event_kind_parse(const char *s);
int tg_action_parse(const char *s);
/* "EACCES" ...; NULL when unknown */
const char *tg_errno_name(int err);

/* JSON string body for arbitrary bytes: valid UTF-8 is kept, '"', '\\' and
 * control characters are escaped, each invalid byte B becomes \udcBB (the
 * lossless "surrogateescape" convention). Writes at most out_len-1 bytes and
 * a NUL; returns the length the full escape needs (like snprintf). */
size_t tg_json_escape(const char *s, char *out, size_t out_len);
/* Inverse of tg_json_escape for the command's parser: decodes a JSON string
 * body (without quotes) into bytes. Returns the decoded length or -1. */
long tg_json_unescape(const char *s, size_t len, char *out, size_t out_len);

/* Text form quotes the path with C-style escapes for anything not printable
 * ASCII. */
size_t tg_text_escape(const char *s, char *out, size_t out_len);

/* ISO 8601 UTC, microseconds: "2026-11-23T10:52:01.123456Z" (28 bytes+NUL). */
size_t tg_format_time(const struct timespec *ts, char *out, size_t out_len);

/* Decimal digits of v (snprintf-like: returns the length needed). */
size_t tg_format_uint(uint64_t v, char *out, size_t out_len);

/* The caller as "MODULE+0xOFFSET" with the module's bytes as they are (for
 * binary-safe sinks such as the journal); snprintf-like. */
size_t tg_event_caller(const struct tg_event *ev, char *out, size_t out_len);

/* One complete line, '\n' terminated. Returns the length needed (excluding the
 * NUL); when that is >= len the output was truncated. */
size_t tg_event_format(const struct tg_event *ev, enum tg_format fmt,
		       char *buf, size_t len);

#endif
