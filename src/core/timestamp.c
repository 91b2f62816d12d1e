/* tmpguard — the time of an event in ISO 8601 UTC. No allocation, no
 * stdio, no system call: usable from a signal handler. */
#include <config.h>

#include <string.h>

#include "core/memo.h"
#include "core/timestamp.h"

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
 * costs more than the rest of a line's numbers. */
struct tg_time_memo {
	struct tg_memo memo;
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
	switch (tg_memo_enter(&m->memo, sec, 0)) {
	case TG_MEMO_BUSY:
		format_second(sec, t);
		return;
	case TG_MEMO_HIT:
		memcpy(t, m->text, 19);
		break;
	case TG_MEMO_MISS:
		format_second(sec, t);
		memcpy(m->text, t, 19);
		tg_memo_stored(&m->memo, sec, 0);
		break;
	}
	tg_memo_leave(&m->memo);
}

#define TG_YEAR_10000 253402300800LL /* seconds at 10000-01-01 */

void tg_out_time(struct tg_out *o, const struct timespec *ts)
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
		tg_out_n(o, t, sizeof t);
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
		tg_out_c(o, '-');
		tg_out_upad(o, (uint64_t)0 - (uint64_t)y, 4);
	} else {
		tg_out_upad(o, (uint64_t)y, 4);
	}
	tg_out_c(o, '-');
	tg_out_upad(o, mo, 2);
	tg_out_c(o, '-');
	tg_out_upad(o, d, 2);
	tg_out_c(o, 'T');
	tg_out_upad(o, (uint64_t)(rem / 3600), 2);
	tg_out_c(o, ':');
	tg_out_upad(o, (uint64_t)(rem / 60 % 60), 2);
	tg_out_c(o, ':');
	tg_out_upad(o, (uint64_t)(rem % 60), 2);
	tg_out_c(o, '.');
	tg_out_upad(o, (uint64_t)(nsec / 1000), 6);
	tg_out_c(o, 'Z');
}

size_t tg_format_time(const struct timespec *ts, char *out, size_t out_len)
{
	struct tg_out o = TG_OUT_INIT(out, out_len);
	tg_out_time(&o, ts);
	return tg_out_end(&o);
}

/* Days since 1970-01-01 of a civil date (the inverse of civil_from_days). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* n decimal digits at *p (advanced past them); -1 when one is not a digit */
static int64_t digits(const char **p, const char *end, size_t n)
{
	int64_t v = 0;
	for (size_t i = 0; i < n; i++, (*p)++) {
		if (*p >= end || **p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

int tg_parse_time(const char *s, size_t len, struct timespec *ts)
{
	const char *p = s, *end = s + len;
	int neg = p < end && *p == '-';
	p += neg;
	size_t ylen = 0;
	while (p + ylen < end && p[ylen] >= '0' && p[ylen] <= '9')
		ylen++;
	if (ylen < 4 || ylen > 11) /* more would overflow the seconds */
		return -1;
	int64_t y = digits(&p, end, ylen);
	/* "-MM-DDTHH:MM:SS.uuuuuuZ": the separators are checked below, by
	 * formatting the result again */
	static const size_t at[] = { 1, 4, 7, 10, 13, 16 };
	static const size_t width[] = { 2, 2, 2, 2, 2, 6 };
	int64_t f[6];
	if (end - p != 23)
		return -1;
	for (int i = 0; i < 6; i++) {
		const char *q = p + at[i];
		if ((f[i] = digits(&q, end, width[i])) < 0)
			return -1;
	}
	if (f[0] < 1 || f[0] > 12 || f[1] < 1 || f[1] > 31)
		return -1;
	int64_t days = days_from_civil(neg ? -y : y, (unsigned)f[0], (unsigned)f[1]);
	struct timespec t = { (time_t)(days * 86400 + f[2] * 3600 + f[3] * 60 + f[4]),
			      (long)f[5] * 1000 };
	char again[48];
	if (tg_format_time(&t, again, sizeof again) != len)
		return -1;
	for (size_t i = 0; i < len; i++) /* no memcmp: one import less */
		if (again[i] != s[i])
			return -1;
	*ts = t;
	return 0;
}
