/* tmpguard — an event as one log line, text or JSON (docs/behaviour.md
 * defines both), and a line read back into an event: what the library
 * writes and what `tmpguard report` reads. Neither allocates nor makes a
 * system call; formatting is async-signal-safe. */
#ifndef TG_LINE_H
#define TG_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/event.h"

/* One complete line, '\n' terminated. Returns the length needed (excluding the
 * NUL); when that is >= len the output was truncated. */
size_t tg_event_format(const struct tg_event *ev, enum tg_format fmt,
		       char *buf, size_t len);

/* The caller as "MODULE+0xOFFSET" with the module's bytes as they are (for
 * binary-safe sinks such as the journal); snprintf-like. */
size_t tg_event_caller(const struct tg_event *ev, char *out, size_t out_len);

/* ---- reading lines back -------------------------------------------------- */

/* Bytes a parsed exe, path or caller may have, NUL included. */
#define TG_LINE_FIELD_MAX 8192

enum tg_line_kind { TG_LINE_OTHER = 0, TG_LINE_EVENT, TG_LINE_MALFORMED };

/* Fields a line may carry that were read well-formed (ev.ts ... ev.mode
 * are 0 otherwise). */
#define TG_LINE_HAS_TS 1u
#define TG_LINE_HAS_PID 2u
#define TG_LINE_HAS_UID 4u
#define TG_LINE_HAS_ERRNO 8u
#define TG_LINE_HAS_MODE 16u

struct tg_parsed_line {
	/* exe, func, path, caller_module and detail ("" when absent) point
	 * into the buffers below; exe_escaped is NULL */
	struct tg_event ev;
	unsigned has;
	/* the decoded values; longer ones make the line malformed */
	char exe[TG_LINE_FIELD_MAX], path[TG_LINE_FIELD_MAX];
	char caller[TG_LINE_FIELD_MAX]; /* "MODULE+0xOFF", then MODULE */
	char event[64], func[64], action[64], mode[32], detail[64];
	char scratch[TG_LINE_FIELD_MAX]; /* the value of any other key */
	unsigned seen; /* required fields found */
};

/* Reads one line (its '\n', if any, ends it; it holds no NUL):
 *   TG_LINE_EVENT      an event, in p->ev;
 *   TG_LINE_MALFORMED  a line that starts like an event (text: "tmpguard:
 *                      " and a date; JSON: '{') but is not one: a JSON
 *                      document that is not one flat object, a string that
 *                      does not decode or decodes to a NUL, a value longer
 *                      than its buffer, a text line out of order, a field
 *                      of exe, event, func, path, action, caller missing,
 *                      an unknown event or action, a caller that is not
 *                      [MODULE+]0xHEX;
 *   TG_LINE_OTHER      anything else (program output, blank lines).
 * The fields a text line may omit or a JSON line may add are ignored when
 * they do not read; they never make a line malformed. */
enum tg_line_kind tg_line_parse(const char *line, struct tg_parsed_line *p);

#endif
