/* libFuzzer target: reading log lines (src/core/line.c, what `tmpguard
 * report` reads with) and report's grouping of what was read
 * (src/cli/findings.c). Each input line is read as `report` would read it;
 * every event read is formatted again as a JSON line, which must read back
 * to the same fields; then the records are grouped, tallied and freed. The
 * report writers are not run (they open the modules named in the input to
 * read their DWARF). */
#include <config.h>

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "core/line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The command's helpers (cli/util.c, options.c, usage.c are not linked
 * in): minimal stand-ins. */
void tg_cli_say(const char *fmt, ...)
{
	(void)fmt;
}
void *tg_cli_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}
void *tg_cli_xrealloc(void *p, size_t n)
{
	void *bigger = realloc(p, n ? n : 1);
	if (!bigger)
		abort();
	return bigger;
}
char *tg_cli_xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static struct tg_parsed_line first, again;

/* An event read from a line, formatted as JSON and read again, is the
 * same event. */
static void check_roundtrip(const struct tg_event *ev)
{
	/* the caller must fit the reader's buffer once written as
	 * MODULE+0x and up to 16 hex digits */
	if (strlen(ev->caller_module) + 20 > TG_LINE_FIELD_MAX)
		return;
	size_t need = tg_event_format(ev, TG_FORMAT_JSON, NULL, 0);
	char *line = malloc(need + 1);
	assert(line != NULL);
	assert(tg_event_format(ev, TG_FORMAT_JSON, line, need + 1) == need);
	assert(tg_line_parse(line, &again) == TG_LINE_EVENT);
	const struct tg_event *b = &again.ev;
	assert(b->kind == ev->kind && b->action == ev->action);
	assert(strcmp(b->exe, ev->exe) == 0 && strcmp(b->func, ev->func) == 0);
	assert(strcmp(b->path, ev->path) == 0 && strcmp(b->detail, ev->detail) == 0);
	assert(strcmp(b->caller_module, ev->caller_module) == 0);
	assert(b->caller_offset == ev->caller_offset);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stats st = { 0 };
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *line = buf, *end = buf + size;
	while (line <= end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (nl)
			*nl = '\0';
		/* report counts a line holding a NUL as malformed unread */
		if (strlen(line) == (size_t)((nl ? nl : end) - line) &&
		    tg_line_parse(line, &first) == TG_LINE_EVENT) {
			tg_report_add(&st, &first);
			check_roundtrip(&first.ev);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	size_t nf = 0, nt = 0;
	free(tg_report_group(&st, &nf));
	free(tg_report_tally(&st, 1, &nt));
	free(tg_report_tally(&st, 0, &nt));
	tg_report_free(&st);
	free(buf);
	return 0;
}
