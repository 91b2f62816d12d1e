/* libFuzzer target: the event formatter and the JSON escaping. Input bytes
 * become the event's path, exe, func and detail (split at NULs) and its
 * numbers. Checks: tg_json_escape then tg_json_unescape gives back the exact
 * bytes; the escaped form has no raw control byte or quote; a formatted
 * line is one line ending in '\n' whose length is what the sizing call said,
 * and truncation to a smaller buffer never overruns it. */
#include <config.h>

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/event.h"
#include "core/line.h"
#include "core/out.h"
#include "core/timestamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *next(const char **p, const char *end)
{
	const char *s = *p;
	if (s >= end)
		return "";
	*p = s + strlen(s) + 1;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	char *buf = malloc(size + 1);
	memcpy(buf, data + 8, size - 8);
	buf[size - 8] = '\0';
	const char *p = buf, *end = buf + (size - 8);
	const char *path = next(&p, end);

	char one[1];
	/* escape / unescape round trip */
	size_t need = tg_json_escape(path, one, 1);
	char *esc = malloc(need + 1);
	assert(tg_json_escape(path, esc, need + 1) == need);
	assert(strlen(esc) == need);
	for (size_t i = 0; i < need; i++) {
		unsigned char c = (unsigned char)esc[i];
		assert(c >= 0x20 && c != 0x7f);
		if (c == '"')
			assert(i > 0 && esc[i - 1] == '\\');
	}
	size_t plen = strlen(path);
	char *back = malloc(plen + 1);
	long n = tg_json_unescape(esc, need, back, plen + 1);
	assert(n == (long)plen);
	assert(memcmp(back, path, plen) == 0);
	/* unescape of arbitrary input: never overruns */
	char small[16];
	(void)tg_json_unescape(path, plen, small, sizeof small);
	free(back);
	free(esc);

	/* text escape: printable ASCII only */
	need = tg_text_escape(path, one, 1);
	esc = malloc(need + 1);
	tg_text_escape(path, esc, need + 1);
	for (size_t i = 0; i < strlen(esc); i++)
		assert((unsigned char)esc[i] >= 0x20 && (unsigned char)esc[i] < 0x7f);
	free(esc);

	struct tg_event ev = {
		.ts = { (time_t)(data[0] * 100000000L), data[1] * 3900000L },
		.pid = data[2] * 1000,
		.uid = data[3],
		.exe = next(&p, end),
		.kind = (enum tg_event_kind)(data[4] % TG_EV_COUNT),
		.func = next(&p, end),
		.path = path,
		.action = (enum tg_action)(data[5] % TG_ACT_COUNT),
		.caller_module = next(&p, end),
		.caller_offset = (uintptr_t)data[6] << 12,
		.err = data[7] % 140,
		.mode = (enum tg_mode)(data[6] & 1),
		.detail = next(&p, end),
	};
	for (int fmt = 0; fmt < 2; fmt++) {
		size_t len = tg_event_format(&ev, (enum tg_format)fmt, one, 1);
		char *line = malloc(len + 1);
		assert(tg_event_format(&ev, (enum tg_format)fmt, line, len + 1) == len);
		assert(strlen(line) == len && len > 0 && line[len - 1] == '\n');
		assert(memchr(line, '\n', len - 1) == NULL);
		size_t cut = len / 2 + 1;
		char *part = malloc(cut);
		assert(tg_event_format(&ev, (enum tg_format)fmt, part, cut) == len);
		assert(strlen(part) < cut);
		free(part);
		free(line);
	}
	free(buf);
	return 0;
}
