/* tmpguard — a bounded output buffer, snprintf-like: it writes at most
 * len-1 bytes and counts what the whole output needs, so that one pass can
 * size a buffer for the next. No allocation, no system call: usable from a
 * signal handler. The short helpers are inline: an event line is mostly
 * short runs of plain characters, and the library's cost per event is
 * measured. */
#ifndef TG_OUT_H
#define TG_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct tg_out {
	char *buf;
	size_t len; /* capacity, NUL included */
	size_t n;   /* bytes the full output needs so far */
};

#define TG_OUT_INIT(buf, len) { (buf), (len), 0 }

/* The one table of hex digits: lowercase, then uppercase at +16. */
extern const char tg_hex_digits[33];

/* The value of one hex digit (either case), -1 for anything else. */
int tg_hex_value(char c);

static inline void tg_out_c(struct tg_out *o, char c)
{
	if (o->n + 1 < o->len)
		o->buf[o->n] = c;
	o->n++;
}

/* what does not fit whole */
void tg_out_n_slow(struct tg_out *o, const char *s, size_t n);

/* n bytes at once. Inline when it fits: a literal's constant length lets
 * the compiler turn the copy into a few moves, and a byte loop beats a call
 * to memcpy for the short runs most lines are made of. */
static inline void tg_out_n(struct tg_out *o, const char *s, size_t n)
{
	if (__builtin_expect(o->n + n < o->len, 1)) {
		char *d = o->buf + o->n;
		if (__builtin_constant_p(n)) {
			memcpy(d, s, n);
		} else if (n <= 16) {
			for (size_t i = 0; i < n; i++)
				d[i] = s[i];
		} else {
			memcpy(d, s, n);
		}
		o->n += n;
		return;
	}
	tg_out_n_slow(o, s, n);
}

static inline void tg_out_s(struct tg_out *o, const char *s)
{
	tg_out_n(o, s, strlen(s));
}

/* a string literal: its length is known at compile time */
#define tg_out_lit(o, lit) tg_out_n((o), "" lit, sizeof(lit) - 1)

static inline void tg_out_hex2(struct tg_out *o, unsigned char b, int upper)
{
	const char *d = tg_hex_digits + (upper ? 16 : 0);
	tg_out_c(o, d[b >> 4]);
	tg_out_c(o, d[b & 15]);
}

/* decimal */
void tg_out_u64(struct tg_out *o, uint64_t v);
void tg_out_i64(struct tg_out *o, int64_t v);

/* lowercase hex digits of v, no prefix */
static inline void tg_out_uhex(struct tg_out *o, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = tg_hex_digits[v & 15];
		v >>= 4;
	} while (v != 0);
	tg_out_n(o, tmp + i, sizeof tmp - i);
}

/* Decimal, zero-padded to width digits (more if needed). */
void tg_out_upad(struct tg_out *o, uint64_t v, int width);

/* len bytes of s, those outside printable ASCII (and the backslash when
 * asked) as \xHH: one line of plain text whatever s holds. */
void tg_out_printable(struct tg_out *o, const char *s, size_t len,
		      int escape_backslash);

/* NUL-terminates what was written (cut if it did not fit); returns the
 * length the whole output needs, NUL excluded. */
static inline size_t tg_out_end(struct tg_out *o)
{
	if (o->len > 0)
		o->buf[o->n < o->len ? o->n : o->len - 1] = '\0';
	return o->n;
}

/* Decimal digits of v (snprintf-like: returns the length needed). */
size_t tg_format_uint(uint64_t v, char *out, size_t out_len);

#endif
