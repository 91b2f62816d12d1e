/* Unit tests: src/core/line.c reading what it writes. Each event is
 * formatted (text and JSON) and read back; the fields must come back
 * unchanged. Malformed lines must be told from events and from other
 * output exactly as `tmpguard report` always did. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "core/event.h"
#include "core/line.h"

static struct tg_parsed_line *parsed(void)
{
	static struct tg_parsed_line *p;
	if (p == NULL)
		p = malloc(sizeof *p);
	ck_assert_ptr_nonnull(p);
	return p;
}

/* ev formatted in fmt, in a buffer of its own (allocated) */
static char *format(const struct tg_event *ev, enum tg_format fmt)
{
	size_t need = tg_event_format(ev, fmt, NULL, 0);
	char *line = malloc(need + 1);
	ck_assert_ptr_nonnull(line);
	ck_assert_uint_eq(tg_event_format(ev, fmt, line, need + 1), need);
	return line;
}

static const char *str(const char *s)
{
	return s != NULL ? s : "";
}

/* The first field that differs, or NULL: one assertion per event rather
 * than one per field (each assertion costs a system call). */
static const char *differs(const struct tg_event *a, const struct tg_parsed_line *p)
{
	const struct tg_event *b = &p->ev;
	unsigned want = TG_LINE_HAS_TS | TG_LINE_HAS_PID | TG_LINE_HAS_UID |
			TG_LINE_HAS_MODE |
			(a->action == TG_ACT_BLOCKED ? TG_LINE_HAS_ERRNO : 0);
	if (p->has != want)
		return "has";
	if (a->kind != b->kind)
		return "kind";
	if (a->action != b->action)
		return "action";
	if (strcmp(str(a->exe), b->exe) != 0)
		return "exe";
	if (strcmp(str(a->func), b->func) != 0)
		return "func";
	if (strcmp(str(a->path), b->path) != 0)
		return "path";
	if (strcmp(str(a->caller_module), b->caller_module) != 0)
		return "caller module";
	if (a->caller_offset != b->caller_offset)
		return "caller offset";
	if (strcmp(str(a->detail), b->detail) != 0)
		return "detail";
	if (a->mode != b->mode)
		return "mode";
	if (a->pid != b->pid)
		return "pid";
	if (a->uid != b->uid)
		return "uid";
	if (a->ts.tv_sec != b->ts.tv_sec || a->ts.tv_nsec / 1000 != b->ts.tv_nsec / 1000)
		return "ts";
	if (a->action == TG_ACT_BLOCKED && a->err != b->err)
		return "errno";
	return NULL;
}

/* Formats ev both ways and reads each line back. */
static void roundtrip(const struct tg_event *ev, const char *what)
{
	for (int fmt = 0; fmt < 2; fmt++) {
		char *line = format(ev, (enum tg_format)fmt);
		struct tg_parsed_line *p = parsed();
		enum tg_line_kind k = tg_line_parse(line, p);
		const char *bad = k != TG_LINE_EVENT ? "not read as an event" : differs(ev, p);
		ck_assert_msg(bad == NULL, "%s, %s: %s in %.300s", what,
			      fmt ? "json" : "text", bad, line);
		free(line);
	}
}

static struct tg_event sample(void)
{
	struct tg_event ev = {
		.ts = { 1795000000, 123456000 },
		.pid = 4242,
		.uid = 1000,
		.exe = "/usr/bin/cobc",
		.kind = TG_EV_PREDICTABLE_CREATE,
		.func = "fopen",
		.path = "/tmp/cob4242_0.c",
		.action = TG_ACT_HARDENED,
		.caller_module = "/usr/lib/libcob.so.4",
		.caller_offset = 0x1a2b3,
		.mode = TG_MODE_HARDEN,
	};
	return ev;
}

/* ---- every kind x action, with and without the optional parts ------------ */

START_TEST(test_kind_action)
{
	static const char *const details[] = { NULL, "", "symlink", "foreign-owner" };
	static const char *const modules[] = { "/usr/lib/libcob.so.4", "", NULL,
					       "/opt/a+b/lib x.so" };
	static const int errs[] = { EEXIST, ELOOP, 0, 4095, -3 };
	char what[128];
	for (int k = 0; k < TG_EV_COUNT; k++)
		for (int a = 0; a < TG_ACT_COUNT; a++)
			for (size_t d = 0; d < 4; d++)
				for (size_t m = 0; m < 4; m++)
					for (size_t e = 0; e < 5; e++) {
						struct tg_event ev = sample();
						ev.kind = (enum tg_event_kind)k;
						ev.action = (enum tg_action)a;
						ev.detail = details[d];
						ev.caller_module = modules[m];
						ev.err = errs[e];
						ev.mode = (enum tg_mode)((k + a) & 1);
						ev.caller_offset = m == 2 ? 0 : (uintptr_t)0x7f00 << e;
						snprintf(what, sizeof what, "kind %d action %d detail %zu module %zu errno %d",
							 k, a, d, m, errs[e]);
						roundtrip(&ev, what);
					}
}
END_TEST

START_TEST(test_numbers)
{
	struct tg_event ev = sample();
	ev.pid = 0x7fffffff;
	ev.uid = 0xfffffffeu;
	ev.caller_offset = UINTPTR_MAX;
	ev.action = TG_ACT_BLOCKED;
	ev.err = -2147483647 - 1;
	ev.ts.tv_sec = 253402300799; /* 9999-12-31T23:59:59 */
	ev.ts.tv_nsec = 999999999;
	roundtrip(&ev, "largest");
	ev.pid = 1;
	ev.uid = 0;
	ev.caller_offset = 0;
	ev.err = 0x7fffffff;
	ev.ts.tv_sec = 0;
	ev.ts.tv_nsec = 0;
	roundtrip(&ev, "smallest");
	ev.ts.tv_sec = -86400 * 366; /* before 1970 */
	roundtrip(&ev, "1969");
	/* Year 10000 has five digits: JSON reads it; a text line is taken
	 * for an event only with a four-digit year ("tmpguard: " and a
	 * date), as `report` always did. */
	ev.ts.tv_sec = 253402300800;
	char *line = format(&ev, TG_FORMAT_JSON);
	struct tg_parsed_line *p = parsed();
	ck_assert_int_eq(tg_line_parse(line, p), TG_LINE_EVENT);
	ck_assert(differs(&ev, p) == NULL);
	free(line);
	line = format(&ev, TG_FORMAT_TEXT);
	ck_assert_int_eq(tg_line_parse(line, p), TG_LINE_OTHER);
	free(line);
}
END_TEST

/* ---- every byte value ---------------------------------------------------- */

START_TEST(test_every_byte)
{
	char all[256];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	struct tg_event ev = sample();
	ev.path = all;
	roundtrip(&ev, "path of bytes 1..255");
	ev = sample();
	ev.exe = all;
	roundtrip(&ev, "exe of bytes 1..255");
	ev = sample();
	ev.caller_module = all;
	roundtrip(&ev, "module of bytes 1..255");
	ev = sample();
	ev.exe = all;
	ev.caller_module = all; /* the program itself made the call */
	roundtrip(&ev, "exe and module of bytes 1..255");

	/* each byte alone, inside a name, last, after an invalid UTF-8 lead
	 * byte, and doubled */
	static const char *const forms[][2] = {
		{ "", "" }, { "/tmp/a", "b" }, { "/tmp/", "" }, { "/tmp/\xe2", "" },
	};
	char path[16], what[64];
	for (int b = 1; b < 256; b++) {
		for (size_t f = 0; f < 5; f++) {
			if (f < 4)
				snprintf(path, sizeof path, "%s%c%s", forms[f][0], b,
					 forms[f][1]);
			else
				snprintf(path, sizeof path, "%c%c", b, b);
			ev = sample();
			ev.path = path;
			snprintf(what, sizeof what, "byte 0x%02x, form %zu", b, f);
			roundtrip(&ev, what);
		}
	}
}
END_TEST

/* ---- the longest values a reader takes ----------------------------------- */

static char *filled(size_t n, char c)
{
	char *s = malloc(n + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ev's line in both formats: read as an event when it fits, malformed
 * when one byte more than the reader's buffer */
static void at_limit(struct tg_event *ev, char **field, size_t longest, char c,
		     const char *what)
{
	char msg[64];
	*field = filled(longest, c);
	snprintf(msg, sizeof msg, "%s of %zu bytes 0x%02x", what, longest,
		 (unsigned char)c);
	roundtrip(ev, msg);
	free(*field);
	*field = filled(longest + 1, c);
	for (int fmt = 0; fmt < 2; fmt++) {
		char *line = format(ev, (enum tg_format)fmt);
		ck_assert_msg(tg_line_parse(line, parsed()) == TG_LINE_MALFORMED,
			      "%s, one byte more (%s): not malformed", msg,
			      fmt ? "json" : "text");
		free(line);
	}
	free(*field);
}

START_TEST(test_long_values)
{
	static const char bytes[] = { 'a', '"', '\\', '\n', (char)0xff, 0x01 };
	for (size_t i = 0; i < sizeof bytes; i++) {
		char c = bytes[i];
		struct tg_event ev = sample();
		at_limit(&ev, (char **)&ev.path, TG_LINE_FIELD_MAX - 1, c, "path");
		ev = sample();
		at_limit(&ev, (char **)&ev.exe, TG_LINE_FIELD_MAX - 1, c, "exe");
		ev = sample();
		ev.caller_offset = 0x1234; /* the caller is MODULE+0x1234 */
		at_limit(&ev, (char **)&ev.caller_module, TG_LINE_FIELD_MAX - 8, c,
			 "module");
		ev = sample();
		at_limit(&ev, (char **)&ev.detail, 63, c == ' ' ? 'b' : c, "detail");
		ev = sample();
		at_limit(&ev, (char **)&ev.func, 63, c, "func");
	}
}
END_TEST

/* ---- lines that are not events ------------------------------------------- */

#define TEXT_HEAD "tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/prog[42] uid=1000 "
#define TEXT_OK TEXT_HEAD "event=unsafe-name action=logged func=mktemp " \
	"path=\"/tmp/x\" caller=/usr/bin/prog+0x1f mode=audit"
#define JSON_HEAD "{\"ts\":\"2026-11-23T10:52:01.123456Z\",\"pid\":42,\"uid\":1000,"
#define JSON_FIELDS "\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"tmpnam\"," \
	"\"path\":\"/tmp/x\",\"action\":\"hardened\",\"caller\":\"/p+0x1f\""
#define JSON_OK JSON_HEAD JSON_FIELDS ",\"mode\":\"harden\"}"

static const struct {
	const char *line;
	enum tg_line_kind kind;
} kinds[] = {
	/* events */
	{ TEXT_OK, TG_LINE_EVENT },
	{ TEXT_OK " errno=EEXIST(17) detail=symlink", TG_LINE_EVENT },
	{ TEXT_OK "\n", TG_LINE_EVENT },
	{ JSON_OK, TG_LINE_EVENT },
	{ JSON_OK "\n", TG_LINE_EVENT },
	{ "  \t" JSON_OK " \r", TG_LINE_EVENT },
	{ "{" JSON_FIELDS "}", TG_LINE_EVENT },
	{ "{" JSON_FIELDS ",\"x\":[1]}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\":true,\"y\":false,\"z\":null,\"n\":-1.5e3}",
	  TG_LINE_EVENT },
	{ "{" JSON_FIELDS ",\"n\":0x1p3,\"m\":-inf,\"o\":1.}", TG_LINE_EVENT },
	{ "{" JSON_FIELDS ",\"n\":-Infinity,\"m\":-nan(x_1),\"o\":-NaN}",
	  TG_LINE_EVENT },
	{ "{" JSON_FIELDS ",\"n\":-nan(x}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"n\":-infinit}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"n\":1e}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"n\":-}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"n\":+1}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"pid\":\"x\",\"uid\":1.5,\"ts\":7}", TG_LINE_EVENT },
	{ "{\"caller\":\"0x0\",\"exe\":\"e\",\"event\":\"rewritten\",\"func\":\"f\","
	  "\"path\":\"p\",\"action\":\"logged\"}", TG_LINE_EVENT },
	{ "{\"exe\":\"/p\",\"exe\":\"/q\"," JSON_FIELDS "}", TG_LINE_EVENT },
	/* not events at all */
	{ "", TG_LINE_OTHER },
	{ "hello from the program", TG_LINE_OTHER },
	{ "tmpguard: 3 processes, 2 violations (1 blocked)", TG_LINE_OTHER },
	{ "tmpguard: 2026", TG_LINE_OTHER },
	{ "tmpguard: 2026-", TG_LINE_OTHER },
	{ "tmpguard:  2026-11-23T10:52:01.123456Z", TG_LINE_OTHER },
	{ "Tmpguard: 2026-11-23T10:52:01.123456Z", TG_LINE_OTHER },
	{ "[{\"exe\":1}]", TG_LINE_OTHER },
	/* malformed JSON */
	{ "{", TG_LINE_MALFORMED },
	{ "{\"exe\":\"a\\", TG_LINE_MALFORMED },
	{ "{\"exe\":\"a\\\"}", TG_LINE_MALFORMED },
	{ "{}", TG_LINE_MALFORMED },
	{ JSON_HEAD JSON_FIELDS, TG_LINE_MALFORMED },
	{ JSON_OK " x", TG_LINE_MALFORMED },
	{ JSON_OK "}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\":{}}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\":tru}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\" 1}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",x:1}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\":\"a\\u0000b\"}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\":\"a\\qb\"}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\":\"a\tb\"}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"x\":\"\\ud800\"}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"" "0123456789012345678901234567890123456789012345678901234567890123"
	  "\":1}", TG_LINE_MALFORMED },
	{ "{" JSON_FIELDS ",\"mode\":\"0123456789012345678901234567890123\"}",
	  TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"tmpnam\",\"path\":\"/x\","
	  "\"action\":\"hardened\"}", TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"tmpnam\",\"path\":5,"
	  "\"action\":\"hardened\",\"caller\":\"0x1\"}", TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"attack\",\"func\":\"tmpnam\",\"path\":\"/x\","
	  "\"action\":\"hardened\",\"caller\":\"0x1\"}", TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"tmpnam\",\"path\":\"/x\","
	  "\"action\":\"ignored\",\"caller\":\"0x1\"}", TG_LINE_MALFORMED },
	/* callers */
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"f\",\"path\":\"/x\","
	  "\"action\":\"logged\",\"caller\":\"/m+1f\"}", TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"f\",\"path\":\"/x\","
	  "\"action\":\"logged\",\"caller\":\"/m+0x\"}", TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"f\",\"path\":\"/x\","
	  "\"action\":\"logged\",\"caller\":\"/m+0x1g\"}", TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"f\",\"path\":\"/x\","
	  "\"action\":\"logged\",\"caller\":\"/m+0x10000000000000000\"}", TG_LINE_MALFORMED },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"f\",\"path\":\"/x\","
	  "\"action\":\"logged\",\"caller\":\"/m+0xffffffffffffffff\"}", TG_LINE_EVENT },
	{ "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"f\",\"path\":\"/x\","
	  "\"action\":\"logged\",\"caller\":\"/m+0X1\"}", TG_LINE_MALFORMED },
	/* malformed text */
	{ TEXT_HEAD, TG_LINE_MALFORMED },
	{ "tmpguard: 2026-11-23T10:52:01.123456Z", TG_LINE_MALFORMED },
	{ "tmpguard: 2026-11-23T10:52:01.123456Z [42] uid=1 event=unsafe-name "
	  "action=logged func=f path=\"/x\" caller=0x1 mode=audit", TG_LINE_MALFORMED },
	{ TEXT_HEAD "event=unsafe-name action=logged func=mktemp path=/tmp/x "
	  "caller=/usr/bin/prog+0x1f mode=audit", TG_LINE_MALFORMED },
	{ TEXT_HEAD "event=unsafe-name action=logged func=mktemp path=\"/tmp/x "
	  "caller=/usr/bin/prog+0x1f mode=audit", TG_LINE_MALFORMED },
	{ TEXT_HEAD "event=unsafe-name action=logged func=mktemp path=\"/tmp/\\x00\" "
	  "caller=/usr/bin/prog+0x1f mode=audit", TG_LINE_MALFORMED },
	{ TEXT_HEAD "event=unsafe-name action=logged func=mktemp path=\"/tmp/\\q\" "
	  "caller=/usr/bin/prog+0x1f mode=audit", TG_LINE_MALFORMED },
	{ TEXT_HEAD "event=unsafe-name action=logged func=mktemp path=\"/tmp/x\" "
	  "caller=/usr/bin/prog+0x1f", TG_LINE_MALFORMED },
	{ TEXT_HEAD "action=logged func=mktemp path=\"/tmp/x\" "
	  "caller=/usr/bin/prog+0x1f mode=audit", TG_LINE_MALFORMED },
	{ TEXT_HEAD "event=safe-name action=logged func=mktemp path=\"/tmp/x\" "
	  "caller=/usr/bin/prog+0x1f mode=audit", TG_LINE_MALFORMED },
	{ TEXT_HEAD "event=unsafe-name action=logged func=mktemp path=\"/tmp/x\" "
	  "caller=/usr/bin/prog mode=audit", TG_LINE_MALFORMED },
	{ TEXT_OK " detail=\\", TG_LINE_MALFORMED },
	{ TEXT_OK " detail=0123456789012345678901234567890123456789012345678901234567890123",
	  TG_LINE_MALFORMED },
	/* the optional fields never make a line malformed */
	{ "tmpguard: 2026-99-23T10:52:01.123456Z /p[x] uid=u event=unsafe-name "
	  "action=logged func=mktemp path=\"/tmp/x\" caller=0x1 mode=? errno=E(x)",
	  TG_LINE_EVENT },
};

START_TEST(test_line_kinds)
{
	const char *line = kinds[_i].line;
	enum tg_line_kind got = tg_line_parse(line, parsed());
	ck_assert_msg(got == kinds[_i].kind, "line %d read as %d, not %d: %s", _i,
		      got, kinds[_i].kind, line);
}
END_TEST

/* The optional fields a line gave: what was read, and nothing else. */
START_TEST(test_optional_fields)
{
	struct tg_parsed_line *p = parsed();
	ck_assert_int_eq(tg_line_parse("{" JSON_FIELDS ",\"pid\":\"x\",\"uid\":1.5,"
				       "\"ts\":\"2026-13-01T00:00:00.000000Z\"}", p),
			 TG_LINE_EVENT);
	ck_assert_uint_eq(p->has, 0);
	ck_assert_int_eq(tg_line_parse(TEXT_OK " errno=EEXIST(17) detail=symlink", p),
			 TG_LINE_EVENT);
	ck_assert_uint_eq(p->has, TG_LINE_HAS_TS | TG_LINE_HAS_PID | TG_LINE_HAS_UID |
					  TG_LINE_HAS_ERRNO | TG_LINE_HAS_MODE);
	ck_assert_int_eq(p->ev.pid, 42);
	ck_assert_int_eq(p->ev.err, 17);
	ck_assert_int_eq(p->ev.mode, TG_MODE_AUDIT);
	ck_assert_str_eq(p->ev.detail, "symlink");
	ck_assert_str_eq(p->ev.caller_module, "/usr/bin/prog");
	ck_assert_uint_eq(p->ev.caller_offset, 0x1f);
	/* nothing of the previous line is left over */
	ck_assert_int_eq(tg_line_parse("{" JSON_FIELDS "}", p), TG_LINE_EVENT);
	ck_assert_uint_eq(p->has, 0);
	ck_assert_str_eq(p->ev.detail, "");
	ck_assert_int_eq(p->ev.pid, 0);
}
END_TEST

/* ---- what libc would have read ------------------------------------------- */

/* `report` skipped a JSON number as far as strtod read and took a caller's
 * offset with strtoull; the reader must accept exactly the same. Random
 * strings over the characters that matter, against libc itself. */
static unsigned long rnd_state = 12345;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(rnd_state >> 33) % n;
}

static void random_word(char *out, size_t max, const char *alphabet)
{
	size_t n = 1 + rnd((unsigned)max - 1), k = strlen(alphabet);
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[rnd((unsigned)k)];
	out[n] = '\0';
}

START_TEST(test_numbers_as_strtod)
{
	char word[16], line[256];
	unsigned wrong = 0;
	for (int i = 0; i < 20000; i++) {
		random_word(word, sizeof word, "0123456789-+.eEpPxXaAfFiInNtTyY()_ ");
		if (word[0] != '-' && (word[0] < '0' || word[0] > '9'))
			continue; /* not read as a number at all */
		snprintf(line, sizeof line, "{" JSON_FIELDS ",\"n\":%s}", word);
		char *end;
		strtod(word, &end);
		/* what follows the number is skipped as white space */
		while (*end == ' ')
			end++;
		enum tg_line_kind want = *end == '\0' ? TG_LINE_EVENT : TG_LINE_MALFORMED;
		if (tg_line_parse(line, parsed()) != want && wrong++ == 0)
			ck_abort_msg("number %s read unlike strtod", word);
	}
}
END_TEST

START_TEST(test_offsets_as_strtoull)
{
	char word[24], line[256];
	for (int i = 0; i < 20000; i++) {
		/* no '+': the caller is split at its last one */
		random_word(word, sizeof word, i % 2 ? "0123456789abcdefABCDEFxX- "
						     : "0fF1xX- ");
		snprintf(line, sizeof line,
			 "{\"exe\":\"/p\",\"event\":\"rewritten\",\"func\":\"f\","
			 "\"path\":\"/x\",\"action\":\"logged\",\"caller\":\"/m+0x%s\"}",
			 word);
		char *end;
		errno = 0;
		unsigned long long v = strtoull(word, &end, 16);
		int ok = errno == 0 && *end == '\0';
		struct tg_parsed_line *p = parsed();
		enum tg_line_kind got = tg_line_parse(line, p);
		ck_assert_msg(got == (ok ? TG_LINE_EVENT : TG_LINE_MALFORMED),
			      "offset 0x%s read unlike strtoull", word);
		if (ok)
			ck_assert_msg(p->ev.caller_offset == v, "offset 0x%s: %llx",
				      word, (unsigned long long)p->ev.caller_offset);
	}
}
END_TEST

Suite *line_suite(void)
{
	Suite *s = suite_create("line");
	TCase *tc = tcase_create("roundtrip");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_kind_action);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_long_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("read");
	tcase_add_loop_test(tc, test_line_kinds, 0, sizeof kinds / sizeof kinds[0]);
	tcase_add_test(tc, test_optional_fields);
	tcase_add_test(tc, test_numbers_as_strtod);
	tcase_add_test(tc, test_offsets_as_strtoull);
	suite_add_tcase(s, tc);
	return s;
}
