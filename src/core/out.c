/* tmpguard — the bounded output buffer (out.h): what is not inline. */
#include <config.h>

#include <string.h>

#include "core/out.h"

const char tg_hex_digits[33] = "0123456789abcdef0123456789ABCDEF";

int tg_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void tg_out_n_slow(struct tg_out *o, const char *s, size_t n)
{
	if (o->n + 1 < o->len) {
		size_t room = o->len - 1 - o->n;
		memcpy(o->buf + o->n, s, n < room ? n : room);
	}
	o->n += n;
}

void tg_out_u64(struct tg_out *o, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	tg_out_n(o, tmp + i, sizeof tmp - i);
}

void tg_out_i64(struct tg_out *o, int64_t v)
{
	if (v < 0) {
		tg_out_c(o, '-');
		tg_out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		tg_out_u64(o, (uint64_t)v);
	}
}

void tg_out_upad(struct tg_out *o, uint64_t v, int width)
{
	char tmp[24];
	size_t i = sizeof tmp;
	while (v >= 10) { /* two digits per division */
		unsigned d = (unsigned)(v % 100);
		v /= 100;
		tmp[--i] = (char)('0' + d % 10);
		tmp[--i] = (char)('0' + d / 10);
	}
	if (v != 0 || i == sizeof tmp)
		tmp[--i] = (char)('0' + v);
	while (i > 0 && sizeof tmp - i < (size_t)width)
		tmp[--i] = '0';
	tg_out_n(o, tmp + i, sizeof tmp - i);
}

void tg_out_printable(struct tg_out *o, const char *s, size_t len,
		      int escape_backslash)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && !(c == '\\' && escape_backslash)) {
			tg_out_c(o, (char)c);
		} else {
			tg_out_lit(o, "\\x");
			tg_out_hex2(o, c, 0);
		}
	}
}

size_t tg_format_uint(uint64_t v, char *out, size_t out_len)
{
	struct tg_out o = TG_OUT_INIT(out, out_len);
	tg_out_u64(&o, v);
	return tg_out_end(&o);
}
