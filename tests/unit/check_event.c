/* Unit tests: src/core/event.c, escape.c, timestamp.c, and line.c's
 * formatting (check_line.c reads the lines back). */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "check_suites.h"
#include "core/escape.h"
#include "core/event.h"
#include "core/line.h"
#include "core/out.h"
#include "core/timestamp.h"

/* Index of the first byte in [from, to) of area that is not the canary
 * 0xa5, or to when all are intact (one assertion instead of one per byte:
 * each Check assertion costs a system call). */
static size_t canary_broken(const char *area, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if ((unsigned char)area[i] != 0xa5)
			return i;
	return to;
}

/* ---- names ---------------------------------------------------------------- */

START_TEST(test_kind_names)
{
	static const char *const names[TG_EV_COUNT] = {
		"unsafe-name", "predictable-create", "race-blocked",
		"hijack-blocked", "hijack-detected", "rewritten", "unjudged",
	};
	ck_assert_str_eq(tg_event_kind_name(TG_EV_UNSAFE_NAME), "unsafe-name");
	ck_assert_str_eq(tg_event_kind_name(TG_EV_REWRITTEN), "rewritten");
	for (int i = 0; i < TG_EV_COUNT; i++) {
		ck_assert_str_eq(tg_event_kind_name((enum tg_event_kind)i), names[i]);
		ck_assert_int_eq(tg_event_kind_parse(names[i]), i);
	}
	ck_assert_int_eq(tg_event_kind_parse("bogus"), -1);
	ck_assert_int_eq(tg_event_kind_parse(""), -1);
	ck_assert_int_eq(tg_event_kind_parse("Unsafe-Name"), -1);
	ck_assert_int_eq(tg_event_kind_parse("unsafe-name "), -1);
	ck_assert_int_eq(tg_event_kind_parse(NULL), -1);
	ck_assert_ptr_nonnull(tg_event_kind_name(TG_EV_COUNT));
}
END_TEST

START_TEST(test_action_names)
{
	ck_assert_str_eq(tg_action_name(TG_ACT_LOGGED), "logged");
	ck_assert_str_eq(tg_action_name(TG_ACT_HARDENED), "hardened");
	ck_assert_str_eq(tg_action_name(TG_ACT_BLOCKED), "blocked");
	ck_assert_int_eq(tg_action_parse("logged"), TG_ACT_LOGGED);
	ck_assert_int_eq(tg_action_parse("hardened"), TG_ACT_HARDENED);
	ck_assert_int_eq(tg_action_parse("blocked"), TG_ACT_BLOCKED);
	ck_assert_int_eq(tg_action_parse("block"), -1);
	ck_assert_int_eq(tg_action_parse(""), -1);
	ck_assert_int_eq(tg_action_parse(NULL), -1);
	ck_assert_ptr_nonnull(tg_action_name(TG_ACT_COUNT));
}
END_TEST

START_TEST(test_errno_names)
{
	ck_assert_str_eq(tg_errno_name(EACCES), "EACCES");
	ck_assert_str_eq(tg_errno_name(EEXIST), "EEXIST");
	ck_assert_str_eq(tg_errno_name(EISDIR), "EISDIR");
	ck_assert_str_eq(tg_errno_name(ENOENT), "ENOENT");
	ck_assert_ptr_null(tg_errno_name(0));
	ck_assert_ptr_null(tg_errno_name(-1));
	ck_assert_ptr_null(tg_errno_name(99999));
	/* every name ours gives is glibc's, and the file errors all have one */
	for (int e = 1; e < 256; e++) {
		const char *ours = tg_errno_name(e);
		if (ours != NULL)
			ck_assert_str_eq(ours, strerrorname_np(e));
	}
	const int file_errors[] = { EPERM, ENOENT, EINTR, EIO, ENXIO, EBADF,
				    EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY,
				    EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR,
				    EINVAL, ENFILE, EMFILE, ETXTBSY, EFBIG,
				    ENOSPC, EROFS, EMLINK, ENAMETOOLONG,
				    ELOOP, EOVERFLOW, EOPNOTSUPP, EDQUOT,
				    ESTALE, ENOSYS, EWOULDBLOCK, ENOTSUP };
	for (size_t i = 0; i < sizeof file_errors / sizeof file_errors[0]; i++)
		ck_assert_str_eq(tg_errno_name(file_errors[i]),
				 strerrorname_np(file_errors[i]));
}
END_TEST

/* ---- JSON escape ---------------------------------------------------------- */

static const struct {
	const char *in;
	const char *out;
} json_cases[] = {
	{ "", "" },
	{ "/tmp/plain", "/tmp/plain" },
	{ "a b", "a b" },
	{ "a\nb", "a\\nb" },
	{ "say \"hi\"", "say \\\"hi\\\"" },
	{ "back\\slash", "back\\\\slash" },
	{ "\b\f\n\r\t", "\\b\\f\\n\\r\\t" },
	{ "\x01\x02\x1b\x1f", "\\u0001\\u0002\\u001b\\u001f" },
	{ "\x7f", "\\u007f" },
	{ "/ ~", "/ ~" },
	/* valid UTF-8 kept */
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "\xc2\x80", "\xc2\x80" },
	{ "\xdf\xbf", "\xdf\xbf" },
	{ "\xe0\xa0\x80", "\xe0\xa0\x80" },
	{ "\xe2\x82\xac", "\xe2\x82\xac" },
	{ "\xed\x9f\xbf", "\xed\x9f\xbf" },
	{ "\xee\x80\x80", "\xee\x80\x80" },
	{ "\xef\xbf\xbf", "\xef\xbf\xbf" },
	{ "\xf0\x90\x80\x80", "\xf0\x90\x80\x80" },
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
	{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },
	{ "\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac" },
	/* invalid bytes: \udcXX each */
	{ "\xff", "\\udcff" },
	{ "\x80", "\\udc80" },
	{ "a\xfe" "b", "a\\udcfeb" },
	{ "\xc0\xaf", "\\udcc0\\udcaf" },             /* overlong '/' */
	{ "\xc1\xbf", "\\udcc1\\udcbf" },             /* overlong */
	{ "\xe0\x80\xaf", "\\udce0\\udc80\\udcaf" },  /* overlong */
	{ "\xe0\x9f\xbf", "\\udce0\\udc9f\\udcbf" },  /* overlong */
	{ "\xf0\x8f\xbf\xbf", "\\udcf0\\udc8f\\udcbf\\udcbf" }, /* overlong */
	{ "\xed\xa0\x80", "\\udced\\udca0\\udc80" },  /* U+D800 */
	{ "\xed\xbf\xbf", "\\udced\\udcbf\\udcbf" },  /* U+DFFF */
	{ "\xf4\x90\x80\x80", "\\udcf4\\udc90\\udc80\\udc80" }, /* > U+10FFFF */
	{ "\xf5\x80\x80\x80", "\\udcf5\\udc80\\udc80\\udc80" },
	{ "\xf8\x88\x80\x80\x80", "\\udcf8\\udc88\\udc80\\udc80\\udc80" },
	{ "\xe2\x82", "\\udce2\\udc82" },             /* cut short */
	{ "\xe2\x82x", "\\udce2\\udc82x" },
	{ "\xf0\x9f\x98", "\\udcf0\\udc9f\\udc98" },
	{ "\xc3", "\\udcc3" },
	{ "\xff\xc3\xa9", "\\udcff\xc3\xa9" },        /* resynchronises */
	{ "\xc3\xa9\xa9", "\xc3\xa9\\udca9" },
	{ "\xc3\n", "\\udcc3\\n" },
};

START_TEST(test_json_escape)
{
	char out[256];
	const char *in = json_cases[_i].in;
	const char *want = json_cases[_i].out;
	size_t n = tg_json_escape(in, out, sizeof out);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
	/* and back */
	char back[256];
	long m = tg_json_unescape(out, n, back, sizeof back);
	ck_assert_int_eq(m, (long)strlen(in));
	ck_assert_mem_eq(back, in, strlen(in) + 1);
}
END_TEST

START_TEST(test_json_escape_truncation)
{
	char area[64];
	for (size_t len = 0; len <= 20; len++) {
		memset(area, 0xa5, sizeof area);
		size_t n = tg_json_escape("ab\n\xff" "cd", area, len);
		ck_assert_uint_eq(n, strlen("ab\\n\\udcffcd"));
		ck_assert_uint_eq(canary_broken(area, len, sizeof area), sizeof area);
		if (len > 0) {
			size_t got = strlen(area);
			ck_assert_uint_eq(got, n < len ? n : len - 1);
			ck_assert(memcmp(area, "ab\\n\\udcffcd", got) == 0);
		}
	}
	ck_assert_uint_eq(tg_json_escape("abc", NULL, 0), 3);
	ck_assert_uint_eq(tg_json_escape(NULL, NULL, 0), 0);
}
END_TEST

/* ---- JSON unescape -------------------------------------------------------- */

static const struct {
	const char *in;
	long want;
	const char *out;
} unescape_cases[] = {
	{ "abc", 3, "abc" },
	{ "", 0, "" },
	{ "a\\\"b", 3, "a\"b" },
	{ "a\\\\b", 3, "a\\b" },
	{ "\\/", 1, "/" },
	{ "\\b\\f\\n\\r\\t", 5, "\b\f\n\r\t" },
	{ "\\u0041", 1, "A" },
	{ "\\u00e9", 2, "\xc3\xa9" },
	{ "\\u00E9", 2, "\xc3\xa9" },
	{ "\\u20ac", 3, "\xe2\x82\xac" },
	{ "\\ud83d\\ude00", 4, "\xf0\x9f\x98\x80" },
	{ "\\uDBFF\\uDFFF", 4, "\xf4\x8f\xbf\xbf" },
	{ "\\udcff", 1, "\xff" },
	{ "\\udc80x", 2, "\x80x" },
	{ "\\u007f", 1, "\x7f" },
	{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
	{ "\\", -1, NULL },
	{ "a\\", -1, NULL },
	{ "\\q", -1, NULL },
	{ "\\x41", -1, NULL },
	{ "\\u12", -1, NULL },
	{ "\\u12g4", -1, NULL },
	{ "\\ud800", -1, NULL },
	{ "\\ud800x", -1, NULL },
	{ "\\ud800\\u0041", -1, NULL },
	{ "\\ud800\\ud800", -1, NULL },
	{ "\\udc00", -1, NULL },
	{ "\\udc7f", -1, NULL },
	{ "\\ude00", -1, NULL },
	{ "a\"b", -1, NULL },
	{ "a\nb", -1, NULL },
	{ "\x01", -1, NULL },
};

START_TEST(test_json_unescape)
{
	char out[64];
	memset(out, 0x5a, sizeof out);
	const char *in = unescape_cases[_i].in;
	long n = tg_json_unescape(in, strlen(in), out, sizeof out);
	ck_assert_msg(n == unescape_cases[_i].want, "'%s': %ld, want %ld", in, n,
		      unescape_cases[_i].want);
	if (n >= 0) {
		ck_assert_mem_eq(out, unescape_cases[_i].out, (size_t)n);
		ck_assert_int_eq(out[n], '\0');
	}
}
END_TEST

START_TEST(test_json_unescape_bounds)
{
	char out[8];
	/* the length given is respected: no NUL needed in the input */
	ck_assert_int_eq(tg_json_unescape("abcdef", 3, out, sizeof out), 3);
	ck_assert_str_eq(out, "abc");
	/* an escape cut by the length is malformed */
	ck_assert_int_eq(tg_json_unescape("\\u0041", 5, out, sizeof out), -1);
	ck_assert_int_eq(tg_json_unescape("\\n", 1, out, sizeof out), -1);
	/* the output and its NUL must fit */
	memset(out, 0x5a, sizeof out);
	ck_assert_int_eq(tg_json_unescape("1234567", 7, out, 8), 7);
	ck_assert_str_eq(out, "1234567");
	memset(out, 0x5a, sizeof out);
	ck_assert_int_eq(tg_json_unescape("12345678", 8, out, 8), -1);
	ck_assert_int_eq(tg_json_unescape("123", 3, out, 3), -1);
	ck_assert_int_eq(tg_json_unescape("", 0, out, 1), 0);
	ck_assert_int_eq(tg_json_unescape("", 0, NULL, 0), -1);
	memset(out, 0x5a, sizeof out);
	ck_assert_int_eq(tg_json_unescape("\\ud83d\\ude00", 12, out, 4), -1);
	ck_assert_int_eq((unsigned char)out[4], 0x5a);
	ck_assert_int_eq(tg_json_unescape("\\ud83d\\ude00", 12, out, 5), 4);
}
END_TEST

/* ---- random round trips --------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* Append the UTF-8 form of cp. */
static size_t put_utf8(unsigned char *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (unsigned char)(0xc0 | (cp >> 6));
		p[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (unsigned char)(0xe0 | (cp >> 12));
		p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (unsigned char)(0xf0 | (cp >> 18));
	p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	p[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* An independent check that s is valid UTF-8 with no raw control
 * character: what a strict JSON parser accepts inside a string. */
static int json_body_ok(const unsigned char *s)
{
	while (*s) {
		uint32_t cp;
		size_t n;
		if (*s < 0x80) {
			if (*s < 0x20 || *s == 0x7f || *s == '"')
				return 0;
			if (*s == '\\') {
				if (strchr("\"\\/bfnrtu", s[1]) == NULL)
					return 0;
				s += 2;
				continue;
			}
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 2;
			cp = *s & 0x1f;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 3;
			cp = *s & 0x0f;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 4;
			cp = *s & 0x07;
		} else {
			return 0;
		}
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n;
	}
	return 1;
}

START_TEST(test_json_roundtrip_random)
{
	static unsigned char in[1100];
	static char esc[1100 * 6 + 1];
	static char back[1100];
	rng_state = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
	for (int iter = 0; iter < 2000; iter++) {
		size_t len = 0, want = rng() % 256;
		while (len < want) {
			uint64_t r = rng();
			switch (r % 4) {
			case 0: /* any byte but NUL */
				in[len++] = (unsigned char)(1 + (r >> 8) % 255);
				break;
			case 1: /* a high byte */
				in[len++] = (unsigned char)(0x80 | ((r >> 8) & 0x7f));
				break;
			case 2: { /* a valid code point, never a surrogate */
				uint32_t cp = (uint32_t)((r >> 8) % 0x10ffff) + 1;
				if (cp >= 0xd800 && cp <= 0xdfff)
					cp -= 0x800;
				len += put_utf8(in + len, cp);
				break;
			}
			default: /* printable ASCII and the escapable ones */
				in[len++] = (unsigned char)"ab/\\\"\n\x7f~ \t"[(r >> 8) % 10];
			}
		}
		in[len] = '\0';
		/* checked without an assertion per iteration: each costs Check
		 * a system call */
		size_t n = tg_json_escape((const char *)in, esc, sizeof esc);
		if (n >= sizeof esc || n != strlen(esc))
			ck_abort_msg("iteration %d: escape length %zu", iter, n);
		if (!json_body_ok((const unsigned char *)esc))
			ck_abort_msg("iteration %d: escape is not a valid JSON string", iter);
		long m = tg_json_unescape(esc, n, back, sizeof back);
		if (m != (long)len || memcmp(back, in, len + 1) != 0)
			ck_abort_msg("iteration %d: round trip gave %ld bytes of %zu", iter,
				     m, len);
		/* the text escape is pure printable ASCII */
		size_t t = tg_text_escape((const char *)in, esc, sizeof esc);
		size_t i = 0;
		while (i < t && esc[i] >= 0x20 && esc[i] < 0x7f)
			i++;
		if (t != strlen(esc) || i != t)
			ck_abort_msg("iteration %d: text escape byte %zu is %#x", iter, i,
				     (unsigned char)esc[i]);
	}
}
END_TEST

/* ---- text escape ---------------------------------------------------------- */

static const struct {
	const char *in;
	const char *out;
} text_cases[] = {
	{ "", "" },
	{ "/tmp/plain file", "/tmp/plain file" },
	{ "~!@#$%^&*()_+{}|:<>?`-=[];',./", "~!@#$%^&*()_+{}|:<>?`-=[];',./" },
	{ "a\nb", "a\\nb" },
	{ "\t\r", "\\t\\r" },
	{ "\"q\"", "\\\"q\\\"" },
	{ "a\\b", "a\\\\b" },
	{ "\x01\x1b[0m", "\\x01\\x1b[0m" },
	{ "\x7f", "\\x7f" },
	{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
	{ "\xff\x80", "\\xff\\x80" },
	{ "\b\f", "\\x08\\x0c" },
};

START_TEST(test_text_escape)
{
	char out[128];
	size_t n = tg_text_escape(text_cases[_i].in, out, sizeof out);
	ck_assert_str_eq(out, text_cases[_i].out);
	ck_assert_uint_eq(n, strlen(text_cases[_i].out));
}
END_TEST

START_TEST(test_text_escape_truncation)
{
	char area[32];
	const char *full = "a\\n\\xff";
	for (size_t len = 0; len <= 10; len++) {
		memset(area, 0xa5, sizeof area);
		size_t n = tg_text_escape("a\n\xff", area, len);
		ck_assert_uint_eq(n, strlen(full));
		ck_assert_uint_eq(canary_broken(area, len, sizeof area), sizeof area);
		if (len > 0) {
			ck_assert_uint_eq(strlen(area), n < len ? n : len - 1);
			ck_assert(memcmp(area, full, strlen(area)) == 0);
		}
	}
	ck_assert_uint_eq(tg_text_escape("\n", NULL, 0), 2);
}
END_TEST

/* ---- every byte at every place ---------------------------------------------
 * The escapers look at eight bytes at a time: a byte that needs escaping
 * must be found wherever it falls in a word, and in the tail. The expected
 * escape of one byte, written out independently of the library: */
static void text_ref(unsigned char c, char *out)
{
	static const char hex[] = "0123456789abcdef";
	if (c == '\n' || c == '\t' || c == '\r' || c == '"' || c == '\\') {
		out[0] = '\\';
		out[1] = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : (char)c;
		out[2] = '\0';
	} else if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		out[1] = '\0';
	} else {
		sprintf(out, "\\x%c%c", hex[c >> 4], hex[c & 15]);
	}
}

static void json_ref(unsigned char c, char *out)
{
	const char *named = NULL;
	switch (c) {
	case '"': named = "\\\""; break;
	case '\\': named = "\\\\"; break;
	case '\b': named = "\\b"; break;
	case '\f': named = "\\f"; break;
	case '\n': named = "\\n"; break;
	case '\r': named = "\\r"; break;
	case '\t': named = "\\t"; break;
	}
	if (named != NULL)
		strcpy(out, named);
	else if (c < 0x20 || c == 0x7f)
		sprintf(out, "\\u00%02x", c);
	else if (c >= 0x80) /* alone, never valid UTF-8 */
		sprintf(out, "\\udc%02x", c);
	else
		sprintf(out, "%c", c);
}

START_TEST(test_escape_every_byte_every_place)
{
	enum { LEN = 41 };
	char in[LEN + 1], want[LEN + 8], got[LEN + 8], one[8];
	int bad = 0;
	for (int json = 0; json <= 1; json++) {
		for (unsigned c = 1; c < 256; c++) {
			if (json)
				json_ref((unsigned char)c, one);
			else
				text_ref((unsigned char)c, one);
			for (size_t at = 0; at < LEN; at++) {
				memset(in, 'a', LEN);
				in[LEN] = '\0';
				in[at] = (char)c;
				memset(want, 'a', at);
				strcpy(want + at, one);
				memset(want + at + strlen(one), 'a', LEN - at - 1);
				want[at + strlen(one) + LEN - at - 1] = '\0';
				size_t n = json ? tg_json_escape(in, got, sizeof got)
						: tg_text_escape(in, got, sizeof got);
				if (n != strlen(want) || strcmp(got, want) != 0) {
					if (bad++ < 5)
						fprintf(stderr, "%s: byte %#x at %zu: \"%s\"\n",
							json ? "json" : "text", c, at, got);
				}
			}
		}
	}
	ck_assert_int_eq(bad, 0);
}
END_TEST

/* ---- time ----------------------------------------------------------------- */

static const struct {
	time_t sec;
	long nsec;
	const char *want;
} time_cases[] = {
	{ 0, 0, "1970-01-01T00:00:00.000000Z" },
	{ 1795431121, 123456789, "2026-11-23T10:52:01.123456Z" },
	{ 1795431121, 999, "2026-11-23T10:52:01.000000Z" },
	{ 1795431121, 999999999, "2026-11-23T10:52:01.999999Z" },
	{ 1709251199, 500000000, "2024-02-29T23:59:59.500000Z" },
	{ 1709251200, 0, "2024-03-01T00:00:00.000000Z" },
	{ 951868800 - 1, 0, "2000-02-29T23:59:59.000000Z" },
	{ 951868800, 0, "2000-03-01T00:00:00.000000Z" },
	{ 4107542400 - 86400, 0, "2100-02-28T00:00:00.000000Z" }, /* no Feb 29 */
	{ 946684799, 999999000, "1999-12-31T23:59:59.999999Z" },
	{ 946684800, 1000, "2000-01-01T00:00:00.000001Z" },
	{ 2147483647, 0, "2038-01-19T03:14:07.000000Z" },
	{ 2147483648, 0, "2038-01-19T03:14:08.000000Z" },
	{ 253402300799, 0, "9999-12-31T23:59:59.000000Z" },
	{ -1, 0, "1969-12-31T23:59:59.000000Z" },
	{ -2208988800, 0, "1900-01-01T00:00:00.000000Z" },
	{ 86400 * 365, 42000, "1971-01-01T00:00:00.000042Z" },
};

START_TEST(test_format_time)
{
	char out[64];
	struct timespec ts = { time_cases[_i].sec, time_cases[_i].nsec };
	size_t n = tg_format_time(&ts, out, sizeof out);
	ck_assert_str_eq(out, time_cases[_i].want);
	ck_assert_uint_eq(n, 27);
}
END_TEST

START_TEST(test_format_time_small)
{
	char area[40];
	struct timespec ts = { 1795431121, 123456789 };
	const char *full = "2026-11-23T10:52:01.123456Z";
	for (size_t len = 0; len <= 29; len++) {
		memset(area, 0xa5, sizeof area);
		ck_assert_uint_eq(tg_format_time(&ts, area, len), 27);
		ck_assert_uint_eq(canary_broken(area, len, sizeof area), sizeof area);
		if (len > 0) {
			ck_assert_uint_eq(strlen(area), len - 1 < 27 ? len - 1 : 27);
			ck_assert(memcmp(area, full, strlen(area)) == 0);
		}
	}
}
END_TEST

/* The second's text is remembered per thread: in any order, each case
 * formats as on its own. */
START_TEST(test_format_time_sequence)
{
	size_t n = sizeof time_cases / sizeof time_cases[0];
	char out[64];
	for (int round = 0; round < 3; round++) {
		for (size_t k = 0; k < 2 * n; k++) {
			size_t i = round == 1 ? (2 * n - 1 - k) / 2 : k % n;
			struct timespec ts = { time_cases[i].sec,
					       time_cases[i].nsec };
			tg_format_time(&ts, out, sizeof out);
			ck_assert_str_eq(out, time_cases[i].want);
		}
	}
}
END_TEST

/* A signal handler formatting another second while the interrupted code
 * formats (and remembers) its own: neither sees the other's text. */
static volatile sig_atomic_t handler_bad, handler_runs;

static void format_in_handler(int sig)
{
	(void)sig;
	char out[64];
	struct timespec ts = { time_cases[4].sec, time_cases[4].nsec };
	tg_format_time(&ts, out, sizeof out);
	if (strcmp(out, time_cases[4].want) != 0)
		handler_bad++;
	handler_runs++;
}

START_TEST(test_format_time_signal)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = format_in_handler;
	sa.sa_flags = SA_RESTART;
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	struct itimerval it = { { 0, 20 }, { 0, 20 } };
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	/* runs of four in one second, then the next: both the remembered
	 * text and its replacement are in use when the timer fires */
	long bad = 0;
	char out[64];
	for (long k = 0; k < 2000000 && (k < 100000 || handler_runs < 2000);
	     k++) {
		size_t i = (k / 4) % 2 ? 1 : 12;
		struct timespec ts = { time_cases[i].sec, time_cases[i].nsec };
		tg_format_time(&ts, out, sizeof out);
		if (strcmp(out, time_cases[i].want) != 0)
			bad++;
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	ck_assert_int_eq(bad, 0);
	ck_assert_int_eq(handler_bad, 0);
	ck_assert_int_ge(handler_runs, 100);
}
END_TEST

/* ---- events --------------------------------------------------------------- */

static struct tg_event doc_event(void)
{
	struct tg_event ev;
	memset(&ev, 0, sizeof ev);
	ev.ts.tv_sec = 1795431121;
	ev.ts.tv_nsec = 123456789;
	ev.pid = 4242;
	ev.uid = 1000;
	ev.exe = "/usr/bin/cobc";
	ev.kind = TG_EV_HIJACK_BLOCKED;
	ev.func = "fopen";
	ev.path = "/tmp/cob4242_0.c";
	ev.action = TG_ACT_BLOCKED;
	ev.caller_module = "/usr/lib/x86_64-linux-gnu/libcob.so.4.0.0";
	ev.caller_offset = 0x1a2b;
	ev.err = EACCES;
	ev.mode = TG_MODE_HARDEN;
	ev.detail = "symlink";
	return ev;
}

static void check_format(const struct tg_event *ev, enum tg_format fmt,
			 const char *want)
{
	char buf[2048];
	memset(buf, 0x5a, sizeof buf);
	size_t n = tg_event_format(ev, fmt, buf, sizeof buf);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));
}

START_TEST(test_event_json_doc)
{
	struct tg_event ev = doc_event();
	check_format(&ev, TG_FORMAT_JSON,
		     "{\"ts\":\"2026-11-23T10:52:01.123456Z\",\"pid\":4242,\"uid\":1000,"
		     "\"exe\":\"/usr/bin/cobc\",\"event\":\"hijack-blocked\","
		     "\"func\":\"fopen\",\"path\":\"/tmp/cob4242_0.c\","
		     "\"action\":\"blocked\","
		     "\"caller\":\"/usr/lib/x86_64-linux-gnu/libcob.so.4.0.0+0x1a2b\","
		     "\"mode\":\"harden\",\"errno\":13,\"error\":\"EACCES\","
		     "\"detail\":\"symlink\"}\n");
}
END_TEST

START_TEST(test_event_text_doc)
{
	struct tg_event ev = doc_event();
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/cobc[4242] uid=1000 "
		     "event=hijack-blocked action=blocked func=fopen "
		     "path=\"/tmp/cob4242_0.c\" "
		     "caller=/usr/lib/x86_64-linux-gnu/libcob.so.4.0.0+0x1a2b "
		     "mode=harden errno=EACCES(13) detail=symlink\n");
}
END_TEST

START_TEST(test_event_not_blocked)
{
	struct tg_event ev = doc_event();
	ev.kind = TG_EV_PREDICTABLE_CREATE;
	ev.action = TG_ACT_HARDENED;
	ev.func = "open";
	ev.path = "/tmp/prog.4242";
	ev.caller_module = "/usr/bin/prog";
	ev.caller_offset = 0x11c9;
	ev.detail = NULL;
	ev.err = EACCES; /* not reported unless blocked */
	check_format(&ev, TG_FORMAT_JSON,
		     "{\"ts\":\"2026-11-23T10:52:01.123456Z\",\"pid\":4242,\"uid\":1000,"
		     "\"exe\":\"/usr/bin/cobc\",\"event\":\"predictable-create\","
		     "\"func\":\"open\",\"path\":\"/tmp/prog.4242\","
		     "\"action\":\"hardened\",\"caller\":\"/usr/bin/prog+0x11c9\","
		     "\"mode\":\"harden\"}\n");
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/cobc[4242] uid=1000 "
		     "event=predictable-create action=hardened func=open "
		     "path=\"/tmp/prog.4242\" caller=/usr/bin/prog+0x11c9 mode=harden\n");
	/* an empty detail is no detail */
	ev.detail = "";
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/cobc[4242] uid=1000 "
		     "event=predictable-create action=hardened func=open "
		     "path=\"/tmp/prog.4242\" caller=/usr/bin/prog+0x11c9 mode=harden\n");
	/* a detail without blocking */
	ev.kind = TG_EV_HIJACK_DETECTED;
	ev.action = TG_ACT_LOGGED;
	ev.mode = TG_MODE_AUDIT;
	ev.detail = "foreign-owner";
	check_format(&ev, TG_FORMAT_JSON,
		     "{\"ts\":\"2026-11-23T10:52:01.123456Z\",\"pid\":4242,\"uid\":1000,"
		     "\"exe\":\"/usr/bin/cobc\",\"event\":\"hijack-detected\","
		     "\"func\":\"open\",\"path\":\"/tmp/prog.4242\","
		     "\"action\":\"logged\",\"caller\":\"/usr/bin/prog+0x11c9\","
		     "\"mode\":\"audit\",\"detail\":\"foreign-owner\"}\n");
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/cobc[4242] uid=1000 "
		     "event=hijack-detected action=logged func=open "
		     "path=\"/tmp/prog.4242\" caller=/usr/bin/prog+0x11c9 mode=audit "
		     "detail=foreign-owner\n");
}
END_TEST

START_TEST(test_event_race_blocked)
{
	struct tg_event ev = doc_event();
	ev.kind = TG_EV_RACE_BLOCKED;
	ev.err = EEXIST;
	ev.detail = NULL;
	ev.func = "open64";
	ev.path = "/tmp/tgABCDEFabcdef";
	check_format(&ev, TG_FORMAT_JSON,
		     "{\"ts\":\"2026-11-23T10:52:01.123456Z\",\"pid\":4242,\"uid\":1000,"
		     "\"exe\":\"/usr/bin/cobc\",\"event\":\"race-blocked\","
		     "\"func\":\"open64\",\"path\":\"/tmp/tgABCDEFabcdef\","
		     "\"action\":\"blocked\","
		     "\"caller\":\"/usr/lib/x86_64-linux-gnu/libcob.so.4.0.0+0x1a2b\","
		     "\"mode\":\"harden\",\"errno\":17,\"error\":\"EEXIST\"}\n");
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/cobc[4242] uid=1000 "
		     "event=race-blocked action=blocked func=open64 "
		     "path=\"/tmp/tgABCDEFabcdef\" "
		     "caller=/usr/lib/x86_64-linux-gnu/libcob.so.4.0.0+0x1a2b "
		     "mode=harden errno=EEXIST(17)\n");
}
END_TEST

START_TEST(test_event_nulls)
{
	struct tg_event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = TG_EV_UNSAFE_NAME;
	ev.action = TG_ACT_LOGGED;
	ev.mode = TG_MODE_AUDIT;
	ev.caller_offset = 0x1a2b;
	check_format(&ev, TG_FORMAT_JSON,
		     "{\"ts\":\"1970-01-01T00:00:00.000000Z\",\"pid\":0,\"uid\":0,"
		     "\"exe\":\"\",\"event\":\"unsafe-name\",\"func\":\"\",\"path\":\"\","
		     "\"action\":\"logged\",\"caller\":\"0x1a2b\",\"mode\":\"audit\"}\n");
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 1970-01-01T00:00:00.000000Z [0] uid=0 event=unsafe-name "
		     "action=logged func= path=\"\" caller=0x1a2b mode=audit\n");
	ev.caller_module = "";
	ev.caller_offset = 0;
	check_format(&ev, TG_FORMAT_JSON,
		     "{\"ts\":\"1970-01-01T00:00:00.000000Z\",\"pid\":0,\"uid\":0,"
		     "\"exe\":\"\",\"event\":\"unsafe-name\",\"func\":\"\",\"path\":\"\","
		     "\"action\":\"logged\",\"caller\":\"0x0\",\"mode\":\"audit\"}\n");
}
END_TEST

START_TEST(test_event_large_numbers)
{
	struct tg_event ev = doc_event();
	ev.pid = 2147483647;
	ev.uid = 4294967294u;
	ev.caller_module = "/m";
	ev.caller_offset = (uintptr_t)0xfedcba9876543210ull;
	ev.action = TG_ACT_LOGGED;
	ev.detail = NULL;
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/cobc[2147483647] "
		     "uid=4294967294 event=hijack-blocked action=logged func=fopen "
		     "path=\"/tmp/cob4242_0.c\" caller=/m+0xfedcba9876543210 mode=harden\n");
}
END_TEST

START_TEST(test_event_escaping)
{
	struct tg_event ev = doc_event();
	ev.exe = "/opt/my prog\n\xff";
	ev.path = "/tmp/a\"b\\c\nd\x01\x7f\xc3\xa9\xfe";
	ev.caller_module = "/lib/we\"ird.so";
	ev.detail = NULL;
	ev.action = TG_ACT_HARDENED;
	check_format(&ev, TG_FORMAT_JSON,
		     "{\"ts\":\"2026-11-23T10:52:01.123456Z\",\"pid\":4242,\"uid\":1000,"
		     "\"exe\":\"/opt/my prog\\n\\udcff\",\"event\":\"hijack-blocked\","
		     "\"func\":\"fopen\","
		     "\"path\":\"/tmp/a\\\"b\\\\c\\nd\\u0001\\u007f\xc3\xa9\\udcfe\","
		     "\"action\":\"hardened\",\"caller\":\"/lib/we\\\"ird.so+0x1a2b\","
		     "\"mode\":\"harden\"}\n");
	check_format(&ev, TG_FORMAT_TEXT,
		     "tmpguard: 2026-11-23T10:52:01.123456Z /opt/my prog\\n\\xff[4242] "
		     "uid=1000 event=hijack-blocked action=hardened func=fopen "
		     "path=\"/tmp/a\\\"b\\\\c\\nd\\x01\\x7f\\xc3\\xa9\\xfe\" "
		     "caller=/lib/we\\\"ird.so+0x1a2b mode=harden\n");
}
END_TEST

/* An exe escaped beforehand (the library caches it) gives the very line the
 * formatter makes itself, as exe and as the caller's module when that is
 * the program; a module that is another object is still escaped. */
START_TEST(test_event_exe_escaped)
{
	struct tg_event ev = doc_event();
	ev.exe = "/opt/my prog\n\xff\"x\"";
	for (int fmt = TG_FORMAT_TEXT; fmt <= TG_FORMAT_JSON; fmt++) {
		for (int own = 0; own <= 1; own++) {
			ev.caller_module = own ? ev.exe : "/lib/we\"ird\x01.so";
			ev.exe_escaped = NULL;
			char want[1024], got[1024], esc[256];
			size_t n = tg_event_format(&ev, fmt, want, sizeof want);
			ev.exe_escaped_len = fmt == TG_FORMAT_JSON
						     ? tg_json_escape(ev.exe, esc, sizeof esc)
						     : tg_text_escape(ev.exe, esc, sizeof esc);
			ev.exe_escaped = esc;
			memset(got, 0x5a, sizeof got);
			ck_assert_uint_eq(tg_event_format(&ev, fmt, got, sizeof got), n);
			ck_assert_str_eq(got, want);
			/* the cached text is what is used: a marker shows */
			esc[0] = '#';
			tg_event_format(&ev, fmt, got, sizeof got);
			const char *exe_at = strchr(got, '#');
			ck_assert_ptr_nonnull(exe_at);
			ck_assert_ptr_eq(strchr(exe_at + 1, '#') != NULL ? (void *)1 : NULL,
					 own ? (void *)1 : NULL);
		}
	}
}
END_TEST

START_TEST(test_event_unknown_errno)
{
	struct tg_event ev = doc_event();
	ev.err = 99999;
	ev.detail = NULL;
	char buf[1024];
	tg_event_format(&ev, TG_FORMAT_JSON, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, ",\"mode\":\"harden\",\"errno\":99999,\"error\":\"\"}\n"));
	tg_event_format(&ev, TG_FORMAT_TEXT, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, " mode=harden errno=E?(99999)\n"));
}
END_TEST

START_TEST(test_event_truncation)
{
	/* every buffer size: never a byte written past len, always a NUL, the
	 * return value is the full length */
	struct tg_event ev = doc_event();
	ev.path = "/tmp/\xff\n\"long path with escapes\x01";
	for (int fmt = 0; fmt < 2; fmt++) {
		char full[1024];
		size_t need = tg_event_format(&ev, (enum tg_format)fmt, full, sizeof full);
		ck_assert_uint_lt(need, sizeof full);
		ck_assert_uint_eq(strlen(full), need);
		ck_assert_int_eq(full[need - 1], '\n');
		ck_assert_uint_eq(tg_event_format(&ev, (enum tg_format)fmt, NULL, 0), need);
		for (size_t len = 0; len <= need + 2; len++) {
			char area[1024 + 32];
			memset(area, 0xa5, sizeof area);
			char *buf = area + 16;
			size_t n = tg_event_format(&ev, (enum tg_format)fmt, buf, len);
			ck_assert_uint_eq(n, need);
			ck_assert_uint_eq(canary_broken(area, 0, 16), 16);
			size_t bad = canary_broken(area, 16 + len, sizeof area);
			ck_assert_msg(bad == sizeof area, "fmt %d len %zu: byte %zu written",
				      fmt, len, bad - 16);
			if (len > 0) {
				size_t got = strlen(buf);
				ck_assert_uint_eq(got, need < len ? need : len - 1);
				ck_assert(memcmp(buf, full, got) == 0);
			}
		}
	}
}
END_TEST

Suite *event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, test_kind_names);
	tcase_add_test(tc, test_action_names);
	tcase_add_test(tc, test_errno_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_escape");
	tcase_add_loop_test(tc, test_json_escape, 0,
			    sizeof json_cases / sizeof json_cases[0]);
	tcase_add_test(tc, test_json_escape_truncation);
	tcase_add_loop_test(tc, test_json_unescape, 0,
			    sizeof unescape_cases / sizeof unescape_cases[0]);
	tcase_add_test(tc, test_json_unescape_bounds);
	tcase_add_loop_test(tc, test_json_roundtrip_random, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("text_escape");
	tcase_add_loop_test(tc, test_text_escape, 0,
			    sizeof text_cases / sizeof text_cases[0]);
	tcase_add_test(tc, test_text_escape_truncation);
	tcase_add_test(tc, test_escape_every_byte_every_place);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_add_loop_test(tc, test_format_time, 0,
			    sizeof time_cases / sizeof time_cases[0]);
	tcase_add_test(tc, test_format_time_small);
	tcase_add_test(tc, test_format_time_sequence);
	tcase_add_test(tc, test_format_time_signal);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_event_json_doc);
	tcase_add_test(tc, test_event_text_doc);
	tcase_add_test(tc, test_event_not_blocked);
	tcase_add_test(tc, test_event_race_blocked);
	tcase_add_test(tc, test_event_nulls);
	tcase_add_test(tc, test_event_large_numbers);
	tcase_add_test(tc, test_event_escaping);
	tcase_add_test(tc, test_event_exe_escaped);
	tcase_add_test(tc, test_event_unknown_errno);
	tcase_add_test(tc, test_event_truncation);
	suite_add_tcase(s, tc);
	return s;
}
