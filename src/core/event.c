/* tmpguard — events and their text and JSON forms. No allocation, no stdio,
 * no system call: usable from a signal handler. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "core/event.h"

static const char *const tg_kind_names[TG_EV_COUNT] = {
	[TG_EV_UNSAFE_NAME] = "unsafe-name",
	[TG_EV_PREDICTABLE_CREATE] = "predictable-create",
	[TG_EV_RACE_BLOCKED] = "race-blocked",
	[TG_EV_HIJACK_BLOCKED] = "hijack-blocked",
	[TG_EV_HIJACK_DETECTED] = "hijack-detected",
	[TG_EV_REWRITTEN] = "rewritten",
};

static const char *const tg_action_names[TG_ACT_COUNT] = {
	[TG_ACT_LOGGED] = "logged",
	[TG_ACT_HARDENED] = "hardened",
	[TG_ACT_BLOCKED] = "blocked",
};

const char *tg_event_kind_name(enum tg_event_kind k)
{
	if ((unsigned)k >= TG_EV_COUNT)
		return "unknown";
	return tg_kind_names[k];
}

const char *tg_action_name(enum tg_action a)
{
	if ((unsigned)a >= TG_ACT_COUNT)
		return "unknown";
	return tg_action_names[a];
}

int tg_event_kind_parse(const char *s)
{
	for (int i = 0; s != NULL && i < TG_EV_COUNT; i++)
		if (strcmp(s, tg_kind_names[i]) == 0)
			return i;
	return -1;
}

int tg_action_parse(const char *s)
{
	for (int i = 0; s != NULL && i < TG_ACT_COUNT; i++)
		if (strcmp(s, tg_action_names[i]) == 0)
			return i;
	return -1;
}

/* Errno names, ours rather than strerrorname_np (glibc 2.32): one libc symbol
 * version less for every process to check at start-up. The values a file
 * call can fail with, and the rest of Linux's list; anything else is shown
 * by number only. Aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) are left out:
 * the name is the one strerrorname_np gives. */
#define TG_ERRNO(e) { e, #e },
static const struct {
	int value;
	char name[16]; /* inline, not pointers: no relocation at load */
} tg_errno_names[] = {
	TG_ERRNO(EPERM)
	TG_ERRNO(ENOENT)
	TG_ERRNO(ESRCH)
	TG_ERRNO(EINTR)
	TG_ERRNO(EIO)
	TG_ERRNO(ENXIO)
	TG_ERRNO(E2BIG)
	TG_ERRNO(ENOEXEC)
	TG_ERRNO(EBADF)
	TG_ERRNO(ECHILD)
	TG_ERRNO(EAGAIN)
	TG_ERRNO(ENOMEM)
	TG_ERRNO(EACCES)
	TG_ERRNO(EFAULT)
	TG_ERRNO(ENOTBLK)
	TG_ERRNO(EBUSY)
	TG_ERRNO(EEXIST)
	TG_ERRNO(EXDEV)
	TG_ERRNO(ENODEV)
	TG_ERRNO(ENOTDIR)
	TG_ERRNO(EISDIR)
	TG_ERRNO(EINVAL)
	TG_ERRNO(ENFILE)
	TG_ERRNO(EMFILE)
	TG_ERRNO(ENOTTY)
	TG_ERRNO(ETXTBSY)
	TG_ERRNO(EFBIG)
	TG_ERRNO(ENOSPC)
	TG_ERRNO(ESPIPE)
	TG_ERRNO(EROFS)
	TG_ERRNO(EMLINK)
	TG_ERRNO(EPIPE)
	TG_ERRNO(EDOM)
	TG_ERRNO(ERANGE)
	TG_ERRNO(EDEADLK)
	TG_ERRNO(ENAMETOOLONG)
	TG_ERRNO(ENOLCK)
	TG_ERRNO(ENOSYS)
	TG_ERRNO(ENOTEMPTY)
	TG_ERRNO(ELOOP)
	TG_ERRNO(ENOMSG)
	TG_ERRNO(EIDRM)
	TG_ERRNO(ENOSTR)
	TG_ERRNO(ENODATA)
	TG_ERRNO(ETIME)
	TG_ERRNO(ENOSR)
	TG_ERRNO(EREMOTE)
	TG_ERRNO(ENOLINK)
	TG_ERRNO(EPROTO)
	TG_ERRNO(EMULTIHOP)
	TG_ERRNO(EBADMSG)
	TG_ERRNO(EOVERFLOW)
	TG_ERRNO(EILSEQ)
	TG_ERRNO(EUSERS)
	TG_ERRNO(ENOTSOCK)
	TG_ERRNO(EDESTADDRREQ)
	TG_ERRNO(EMSGSIZE)
	TG_ERRNO(EPROTOTYPE)
	TG_ERRNO(ENOPROTOOPT)
	TG_ERRNO(EPROTONOSUPPORT)
	TG_ERRNO(ESOCKTNOSUPPORT)
	TG_ERRNO(EOPNOTSUPP)
	TG_ERRNO(EPFNOSUPPORT)
	TG_ERRNO(EAFNOSUPPORT)
	TG_ERRNO(EADDRINUSE)
	TG_ERRNO(EADDRNOTAVAIL)
	TG_ERRNO(ENETDOWN)
	TG_ERRNO(ENETUNREACH)
	TG_ERRNO(ENETRESET)
	TG_ERRNO(ECONNABORTED)
	TG_ERRNO(ECONNRESET)
	TG_ERRNO(ENOBUFS)
	TG_ERRNO(EISCONN)
	TG_ERRNO(ENOTCONN)
	TG_ERRNO(ESHUTDOWN)
	TG_ERRNO(ETOOMANYREFS)
	TG_ERRNO(ETIMEDOUT)
	TG_ERRNO(ECONNREFUSED)
	TG_ERRNO(EHOSTDOWN)
	TG_ERRNO(EHOSTUNREACH)
	TG_ERRNO(EALREADY)
	TG_ERRNO(EINPROGRESS)
	TG_ERRNO(ESTALE)
	TG_ERRNO(EUCLEAN)
	TG_ERRNO(EDQUOT)
	TG_ERRNO(ENOMEDIUM)
	TG_ERRNO(EMEDIUMTYPE)
	TG_ERRNO(ECANCELED)
	TG_ERRNO(ENOKEY)
	TG_ERRNO(EKEYEXPIRED)
	TG_ERRNO(EKEYREVOKED)
	TG_ERRNO(EKEYREJECTED)
	TG_ERRNO(EOWNERDEAD)
	TG_ERRNO(ENOTRECOVERABLE)
	TG_ERRNO(ERFKILL)
	TG_ERRNO(EHWPOISON)
};
#undef TG_ERRNO

const char *tg_errno_name(int err)
{
	if (err <= 0)
		return NULL;
	for (size_t i = 0; i < sizeof tg_errno_names / sizeof tg_errno_names[0]; i++)
		if (tg_errno_names[i].value == err)
			return tg_errno_names[i].name;
	return NULL;
}

/* ---- a bounded output buffer, snprintf-like ------------------------------ */

struct tg_out {
	char *buf;
	size_t len; /* capacity, NUL included */
	size_t n;   /* bytes the full output needs so far */
};

static inline void out_c(struct tg_out *o, char c)
{
	if (o->n + 1 < o->len)
		o->buf[o->n] = c;
	o->n++;
}

/* n bytes at once: event lines are mostly runs of plain characters, and
 * short ones (a byte loop beats a call to memcpy for those) */
static void out_n_slow(struct tg_out *o, const char *s, size_t n)
{
	if (o->n + 1 < o->len) {
		size_t room = o->len - 1 - o->n;
		memcpy(o->buf + o->n, s, n < room ? n : room);
	}
	o->n += n;
}

/* Inline when it fits: a literal's constant length lets the compiler turn
 * the copy into a few moves. */
static inline void out_n(struct tg_out *o, const char *s, size_t n)
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
	out_n_slow(o, s, n);
}

static void out_s(struct tg_out *o, const char *s)
{
	out_n(o, s, strlen(s));
}

/* a string literal: its length is known at compile time */
#define out_lit(o, lit) out_n((o), "" lit, sizeof(lit) - 1)

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

static void out_end(struct tg_out *o)
{
	if (o->len > 0)
		o->buf[o->n < o->len ? o->n : o->len - 1] = '\0';
}

static const char tg_hex[] = "0123456789abcdef";

static void out_hex2(struct tg_out *o, unsigned char b)
{
	out_c(o, tg_hex[b >> 4]);
	out_c(o, tg_hex[b & 15]);
}

static void out_u64(struct tg_out *o, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	out_n(o, tmp + i, sizeof tmp - i);
}

static void out_i64(struct tg_out *o, int64_t v)
{
	if (v < 0) {
		out_c(o, '-');
		out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		out_u64(o, (uint64_t)v);
	}
}

static void out_uhex(struct tg_out *o, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = tg_hex[v & 15];
		v >>= 4;
	} while (v != 0);
	out_n(o, tmp + i, sizeof tmp - i);
}

/* Zero-padded to width digits (more if needed). */
static void out_upad(struct tg_out *o, uint64_t v, int width)
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
	out_n(o, tmp + i, sizeof tmp - i);
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

static void out_json_str(struct tg_out *o, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str != NULL ? str : "");
	while (*s) {
		size_t run = plain_run(s);
		out_n(o, (const char *)s, run);
		s += run;
		unsigned char c = *s;
		if (c == 0)
			break;
		if (c < 0x80) {
			switch (c) {
			case '"':
				out_lit(o, "\\\"");
				break;
			case '\\':
				out_lit(o, "\\\\");
				break;
			case '\b':
				out_lit(o, "\\b");
				break;
			case '\f':
				out_lit(o, "\\f");
				break;
			case '\n':
				out_lit(o, "\\n");
				break;
			case '\r':
				out_lit(o, "\\r");
				break;
			case '\t':
				out_lit(o, "\\t");
				break;
			default:
				if (c < 0x20 || c == 0x7f) {
					out_lit(o, "\\u00");
					out_hex2(o, c);
				} else {
					out_c(o, (char)c);
				}
			}
			s++;
			continue;
		}
		size_t len = utf8_valid_len(s);
		if (len == 0) {
			out_lit(o, "\\udc");
			out_hex2(o, c);
			s++;
			continue;
		}
		for (size_t i = 0; i < len; i++)
			out_c(o, (char)s[i]);
		s += len;
	}
}

static void out_text_str(struct tg_out *o, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str != NULL ? str : "");
	for (; *s; s++) {
		size_t run = plain_run(s);
		out_n(o, (const char *)s, run);
		s += run;
		unsigned char c = *s;
		if (c == 0)
			break;
		switch (c) {
		case '\n':
			out_lit(o, "\\n");
			break;
		case '\t':
			out_lit(o, "\\t");
			break;
		case '\r':
			out_lit(o, "\\r");
			break;
		case '"':
			out_lit(o, "\\\"");
			break;
		case '\\':
			out_lit(o, "\\\\");
			break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				out_c(o, (char)c);
			} else {
				out_lit(o, "\\x");
				out_hex2(o, c);
			}
		}
	}
}

size_t tg_json_escape(const char *s, char *out, size_t out_len)
{
	struct tg_out o = { out, out_len, 0 };
	out_json_str(&o, s);
	out_end(&o);
	return o.n;
}

size_t tg_text_escape(const char *s, char *out, size_t out_len)
{
	struct tg_out o = { out, out_len, 0 };
	out_text_str(&o, s);
	out_end(&o);
	return o.n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at s (len bytes left); -1 when malformed. */
static long hex4(const char *s, size_t left)
{
	if (left < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hexval(s[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static void out_utf8(struct tg_out *o, unsigned long cp)
{
	if (cp < 0x80) {
		out_c(o, (char)cp);
	} else if (cp < 0x800) {
		out_c(o, (char)(0xc0 | (cp >> 6)));
		out_c(o, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		out_c(o, (char)(0xe0 | (cp >> 12)));
		out_c(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		out_c(o, (char)(0x80 | (cp & 0x3f)));
	} else {
		out_c(o, (char)(0xf0 | (cp >> 18)));
		out_c(o, (char)(0x80 | ((cp >> 12) & 0x3f)));
		out_c(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		out_c(o, (char)(0x80 | (cp & 0x3f)));
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
	struct tg_out o = { out, out_len, 0 };
	size_t i = 0;

	if (s == NULL)
		return -1;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c < 0x20)
			return -1; /* must have been escaped */
		if (c != '\\') {
			out_c(&o, (char)c);
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -1;
		char e = s[i + 1];
		i += 2;
		switch (e) {
		case '"':
			out_c(&o, '"');
			break;
		case '\\':
			out_c(&o, '\\');
			break;
		case '/':
			out_c(&o, '/');
			break;
		case 'b':
			out_c(&o, '\b');
			break;
		case 'f':
			out_c(&o, '\f');
			break;
		case 'n':
			out_c(&o, '\n');
			break;
		case 'r':
			out_c(&o, '\r');
			break;
		case 't':
			out_c(&o, '\t');
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
				out_c(&o, (char)(u - 0xdc00)); /* surrogateescape */
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
	out_end(&o);
	return (long)o.n;
}

/* ---- time ---------------------------------------------------------------- */

/* Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's
 * algorithm). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

/* "YYYY-MM-DDTHH:MM:SS" of the second this thread formatted last:
 * consecutive records mostly fall in the same second, and the civil date
 * costs more than the rest of a line's numbers. Per thread, so no thread
 * waits; `busy` while this thread reads or updates it, so that a signal
 * handler interrupting that formats its own. */
struct tg_time_memo {
	int busy;
	int valid;
	int64_t sec;
	char text[19];
};
static __thread struct tg_time_memo tg_time_memo
	__attribute__((tls_model("initial-exec")));

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* sec (0 <= sec < year 10000) as "YYYY-MM-DDTHH:MM:SS" */
static void format_second(int64_t sec, char t[19])
{
	int64_t y;
	unsigned mo, d;
	civil_from_days(sec / 86400, &y, &mo, &d);
	unsigned rem = (unsigned)(sec % 86400);
	memcpy(t, "0000-00-00T00:00:00", 19);
	put2(t, (unsigned)y / 100);
	put2(t + 2, (unsigned)y % 100);
	put2(t + 5, mo);
	put2(t + 8, d);
	put2(t + 11, rem / 3600);
	put2(t + 14, rem / 60 % 60);
	put2(t + 17, rem % 60);
}

static void second_text(int64_t sec, char t[19])
{
	struct tg_time_memo *m = &tg_time_memo;
	if (m->busy) { /* a signal handler interrupted this thread's use */
		format_second(sec, t);
		return;
	}
	m->busy = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (m->valid && m->sec == sec) {
		memcpy(t, m->text, 19);
	} else {
		format_second(sec, t);
		memcpy(m->text, t, 19);
		m->sec = sec;
		m->valid = 1;
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	m->busy = 0;
}

#define TG_YEAR_10000 253402300800LL /* seconds at 10000-01-01 */

static void out_time(struct tg_out *o, const struct timespec *ts)
{
	int64_t sec = ts != NULL ? (int64_t)ts->tv_sec : 0;
	long nsec = ts != NULL ? ts->tv_nsec : 0;
	if (nsec < 0)
		nsec = 0;
	if (nsec > 999999999)
		nsec = 999999999;
	if (sec >= 0 && sec < TG_YEAR_10000) { /* every real clock: fixed width */
		char t[27];
		second_text(sec, t);
		unsigned us = (unsigned)(nsec / 1000);
		t[19] = '.';
		put2(t + 20, us / 10000);
		put2(t + 22, us / 100 % 100);
		put2(t + 24, us % 100);
		t[26] = 'Z';
		out_n(o, t, sizeof t);
		return;
	}
	int64_t days = sec / 86400;
	int64_t rem = sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned mo, d;
	civil_from_days(days, &y, &mo, &d);
	if (y < 0) {
		out_c(o, '-');
		out_upad(o, (uint64_t)0 - (uint64_t)y, 4);
	} else {
		out_upad(o, (uint64_t)y, 4);
	}
	out_c(o, '-');
	out_upad(o, mo, 2);
	out_c(o, '-');
	out_upad(o, d, 2);
	out_c(o, 'T');
	out_upad(o, (uint64_t)(rem / 3600), 2);
	out_c(o, ':');
	out_upad(o, (uint64_t)(rem / 60 % 60), 2);
	out_c(o, ':');
	out_upad(o, (uint64_t)(rem % 60), 2);
	out_c(o, '.');
	out_upad(o, (uint64_t)(nsec / 1000), 6);
	out_c(o, 'Z');
}

size_t tg_format_time(const struct timespec *ts, char *out, size_t out_len)
{
	struct tg_out o = { out, out_len, 0 };
	out_time(&o, ts);
	out_end(&o);
	return o.n;
}

/* ---- events -------------------------------------------------------------- */

enum tg_caller_form { TG_CALLER_RAW, TG_CALLER_JSON, TG_CALLER_TEXT };

/* s escaped, or the program's name escaped beforehand when s is it */
static inline void out_escaped(struct tg_out *o, const struct tg_event *ev,
			       const char *s,
			       void (*escape)(struct tg_out *, const char *))
{
	if (ev->exe_escaped != NULL && s == ev->exe)
		out_n(o, ev->exe_escaped, ev->exe_escaped_len);
	else
		escape(o, s);
}

static void out_caller(struct tg_out *o, const struct tg_event *ev,
		       enum tg_caller_form form)
{
	if (ev->caller_module != NULL && ev->caller_module[0] != '\0') {
		if (form == TG_CALLER_JSON)
			out_escaped(o, ev, ev->caller_module, out_json_str);
		else if (form == TG_CALLER_TEXT)
			out_escaped(o, ev, ev->caller_module, out_text_str);
		else
			out_s(o, ev->caller_module);
		out_c(o, '+');
	}
	out_lit(o, "0x");
	out_uhex(o, (uint64_t)ev->caller_offset);
}

size_t tg_event_caller(const struct tg_event *ev, char *out, size_t out_len)
{
	struct tg_out o = { out, out_len, 0 };
	out_caller(&o, ev, TG_CALLER_RAW);
	out_end(&o);
	return o.n;
}

size_t tg_format_uint(uint64_t v, char *out, size_t out_len)
{
	struct tg_out o = { out, out_len, 0 };
	out_u64(&o, v);
	out_end(&o);
	return o.n;
}

static void out_json_field(struct tg_out *o, const char *key, const char *val)
{
	out_lit(o, ",\"");
	out_s(o, key);
	out_lit(o, "\":\"");
	out_json_str(o, val);
	out_c(o, '"');
}

static void format_json(struct tg_out *o, const struct tg_event *ev)
{
	out_lit(o, "{\"ts\":\"");
	out_time(o, &ev->ts);
	out_lit(o, "\",\"pid\":");
	out_i64(o, (int64_t)ev->pid);
	out_lit(o, ",\"uid\":");
	out_u64(o, (uint64_t)ev->uid);
	out_lit(o, ",\"exe\":\"");
	out_escaped(o, ev, ev->exe, out_json_str);
	out_c(o, '"');
	out_json_field(o, "event", tg_event_kind_name(ev->kind));
	out_json_field(o, "func", ev->func);
	out_json_field(o, "path", ev->path);
	out_json_field(o, "action", tg_action_name(ev->action));
	out_lit(o, ",\"caller\":\"");
	out_caller(o, ev, TG_CALLER_JSON);
	out_c(o, '"');
	out_json_field(o, "mode", tg_mode_name(ev->mode));
	if (ev->action == TG_ACT_BLOCKED) {
		/* an errno without a name gives "error":"" */
		const char *name = tg_errno_name(ev->err);
		out_lit(o, ",\"errno\":");
		out_i64(o, ev->err);
		out_json_field(o, "error", name != NULL ? name : "");
	}
	if (ev->detail != NULL && ev->detail[0] != '\0')
		out_json_field(o, "detail", ev->detail);
	out_lit(o, "}\n");
}

static void format_text(struct tg_out *o, const struct tg_event *ev)
{
	out_lit(o, "tmpguard: ");
	out_time(o, &ev->ts);
	out_c(o, ' ');
	out_escaped(o, ev, ev->exe, out_text_str);
	out_c(o, '[');
	out_i64(o, (int64_t)ev->pid);
	out_lit(o, "] uid=");
	out_u64(o, (uint64_t)ev->uid);
	out_lit(o, " event=");
	out_s(o, tg_event_kind_name(ev->kind));
	out_lit(o, " action=");
	out_s(o, tg_action_name(ev->action));
	out_lit(o, " func=");
	out_text_str(o, ev->func);
	out_lit(o, " path=\"");
	out_text_str(o, ev->path);
	out_lit(o, "\" caller=");
	out_caller(o, ev, TG_CALLER_TEXT);
	out_lit(o, " mode=");
	out_s(o, tg_mode_name(ev->mode));
	if (ev->action == TG_ACT_BLOCKED) {
		/* an errno without a name gives errno=E?(N) */
		const char *name = tg_errno_name(ev->err);
		out_lit(o, " errno=");
		out_s(o, name != NULL ? name : "E?");
		out_c(o, '(');
		out_i64(o, ev->err);
		out_c(o, ')');
	}
	if (ev->detail != NULL && ev->detail[0] != '\0') {
		out_lit(o, " detail=");
		out_text_str(o, ev->detail);
	}
	out_c(o, '\n');
}

size_t tg_event_format(const struct tg_event *ev, enum tg_format fmt,
		       char *buf, size_t len)
{
	struct tg_out o = { buf, len, 0 };
	if (fmt == TG_FORMAT_JSON)
		format_json(&o, ev);
	else
		format_text(&o, ev);
	out_end(&o);
	return o.n;
}
