/* tmpguard — escaping arbitrary bytes for JSON and text lines, and back.
 * No allocation, no stdio, no system call: usable from a signal handler. */
#include <config.h>

#include <string.h>

#include "core/escape.h"

/* The bytes both formats copy unchanged: printable ASCII other than the
 * quote and the backslash (NUL is not one, so a run stops at the end). */
static const unsigned char tg_plain[256] = {
	[0x20 ... 0x21] = 1, /* 0x22 is '"' */
	[0x23 ... 0x5b] = 1, /* 0x5c is '\\' */
	[0x5d ... 0x7e] = 1,
};

static size_t plain_run(const unsigned char *s)
{
	size_t i = 0;
	while (tg_plain[s[i]])
		i++;
	return i;
}

/* ---- UTF-8 --------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the byte at s
 * does not start one (overlong forms, surrogates and values above U+10FFFF
 * are invalid). s[0] is >= 0x80. */
static size_t utf8_valid_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* U+D800..U+DFFF */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

int tg_utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		size_t len = utf8_valid_len(s);
		if (len == 0)
			return 0;
		s += len;
	}
	return 1;
}

/* ---- escaping ------------------------------------------------------------ */

void tg_out_json_str(struct tg_out *o, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str != NULL ? str : "");
	while (*s) {
		size_t run = plain_run(s);
		tg_out_n(o, (const char *)s, run);
		s += run;
		unsigned char c = *s;
		if (c == 0)
			break;
		if (c < 0x80) {
			switch (c) {
			case '"':
				tg_out_lit(o, "\\\"");
				break;
			case '\\':
				tg_out_lit(o, "\\\\");
				break;
			case '\b':
				tg_out_lit(o, "\\b");
				break;
			case '\f':
				tg_out_lit(o, "\\f");
				break;
			case '\n':
				tg_out_lit(o, "\\n");
				break;
			case '\r':
				tg_out_lit(o, "\\r");
				break;
			case '\t':
				tg_out_lit(o, "\\t");
				break;
			default:
				if (c < 0x20 || c == 0x7f) {
					tg_out_lit(o, "\\u00");
					tg_out_hex2(o, c, 0);
				} else {
					tg_out_c(o, (char)c);
				}
			}
			s++;
			continue;
		}
		size_t len = utf8_valid_len(s);
		if (len == 0) {
			tg_out_lit(o, "\\udc");
			tg_out_hex2(o, c, 0);
			s++;
			continue;
		}
		for (size_t i = 0; i < len; i++)
			tg_out_c(o, (char)s[i]);
		s += len;
	}
}

void tg_out_text_str(struct tg_out *o, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str != NULL ? str : "");
	for (; *s; s++) {
		size_t run = plain_run(s);
		tg_out_n(o, (const char *)s, run);
		s += run;
		unsigned char c = *s;
		if (c == 0)
			break;
		switch (c) {
		case '\n':
			tg_out_lit(o, "\\n");
			break;
		case '\t':
			tg_out_lit(o, "\\t");
			break;
		case '\r':
			tg_out_lit(o, "\\r");
			break;
		case '"':
			tg_out_lit(o, "\\\"");
			break;
		case '\\':
			tg_out_lit(o, "\\\\");
			break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				tg_out_c(o, (char)c);
			} else {
				tg_out_lit(o, "\\x");
				tg_out_hex2(o, c, 0);
			}
		}
	}
}

size_t tg_json_escape(const char *s, char *out, size_t out_len)
{
	struct tg_out o = TG_OUT_INIT(out, out_len);
	tg_out_json_str(&o, s);
	return tg_out_end(&o);
}

size_t tg_text_escape(const char *s, char *out, size_t out_len)
{
	struct tg_out o = TG_OUT_INIT(out, out_len);
	tg_out_text_str(&o, s);
	return tg_out_end(&o);
}

/* ---- decoding ------------------------------------------------------------ */

/* Four hex digits at s (len bytes left); -1 when malformed. */
static long hex4(const char *s, size_t left)
{
	if (left < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = tg_hex_value(s[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static void out_utf8(struct tg_out *o, unsigned long cp)
{
	if (cp < 0x80) {
		tg_out_c(o, (char)cp);
	} else if (cp < 0x800) {
		tg_out_c(o, (char)(0xc0 | (cp >> 6)));
		tg_out_c(o, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		tg_out_c(o, (char)(0xe0 | (cp >> 12)));
		tg_out_c(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		tg_out_c(o, (char)(0x80 | (cp & 0x3f)));
	} else {
		tg_out_c(o, (char)(0xf0 | (cp >> 18)));
		tg_out_c(o, (char)(0x80 | ((cp >> 12) & 0x3f)));
		tg_out_c(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		tg_out_c(o, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Decodes exactly len bytes of s. Accepts what a JSON string body may hold:
 * raw bytes >= 0x20 other than '"' and '\\' (copied, UTF-8 or not), the
 * short escapes, \uXXXX (hex of either case) with surrogate pairs, and
 * \udc80..\udcff as the raw bytes 0x80..0xff. Returns -1 on anything
 * else (a raw control character or quote, a lone surrogate that is no
 * surrogateescape byte, a cut escape) and also when the decoded bytes and
 * a NUL do not fit in out_len: a name is never silently cut. On -1 the
 * contents of out are unspecified. */
long tg_json_unescape(const char *s, size_t len, char *out, size_t out_len)
{
	struct tg_out o = TG_OUT_INIT(out, out_len);
	size_t i = 0;

	if (s == NULL)
		return -1;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c < 0x20)
			return -1; /* must have been escaped */
		if (c != '\\') {
			tg_out_c(&o, (char)c);
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -1;
		char e = s[i + 1];
		i += 2;
		switch (e) {
		case '"':
			tg_out_c(&o, '"');
			break;
		case '\\':
			tg_out_c(&o, '\\');
			break;
		case '/':
			tg_out_c(&o, '/');
			break;
		case 'b':
			tg_out_c(&o, '\b');
			break;
		case 'f':
			tg_out_c(&o, '\f');
			break;
		case 'n':
			tg_out_c(&o, '\n');
			break;
		case 'r':
			tg_out_c(&o, '\r');
			break;
		case 't':
			tg_out_c(&o, '\t');
			break;
		case 'u': {
			long u = hex4(s + i, len - i);
			if (u < 0)
				return -1;
			i += 4;
			if (u >= 0xd800 && u <= 0xdbff) {
				/* a high surrogate: a low one must follow */
				if (len - i < 6 || s[i] != '\\' || s[i + 1] != 'u')
					return -1;
				long lo = hex4(s + i + 2, len - i - 2);
				if (lo < 0xdc00 || lo > 0xdfff)
					return -1;
				i += 6;
				out_utf8(&o, 0x10000ul + (((unsigned long)u - 0xd800) << 10) +
						     ((unsigned long)lo - 0xdc00));
			} else if (u >= 0xdc80 && u <= 0xdcff) {
				tg_out_c(&o, (char)(u - 0xdc00)); /* surrogateescape */
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				return -1; /* a lone low surrogate that is no byte */
			} else {
				out_utf8(&o, (unsigned long)u);
			}
			break;
		}
		default:
			return -1;
		}
	}
	/* The decoded bytes and a NUL must fit: a name is never cut. */
	if (o.n >= out_len)
		return -1;
	return (long)tg_out_end(&o);
}

long tg_text_unescape(const char *s, size_t len, char *out, size_t out_len)
{
	const char *end = s + len;
	size_t n = 0;
	while (s < end) {
		char c = *s++;
		if (c == '\\') {
			if (s >= end)
				return -1;
			char e = *s++;
			if (e == 'n') {
				c = '\n';
			} else if (e == 't') {
				c = '\t';
			} else if (e == 'r') {
				c = '\r';
			} else if (e == '"' || e == '\\') {
				c = e;
			} else if (e == 'x' && end - s >= 2 && tg_hex_value(s[0]) >= 0 &&
				   tg_hex_value(s[1]) >= 0) {
				c = (char)(tg_hex_value(s[0]) * 16 + tg_hex_value(s[1]));
				s += 2;
			} else {
				return -1;
			}
			if (c == '\0')
				return -1;
		}
		if (n + 1 >= out_len)
			return -1;
		out[n++] = c;
	}
	if (out_len == 0)
		return -1;
	out[n] = '\0';
	return (long)n;
}
