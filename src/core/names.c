/* tmpguard — unpredictable names for the name generators. */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "core/entropy.h"
#include "core/names.h"

/* Forget random bytes once used (explicit_bzero, without its version). */
static void tg_wipe(void *buf, size_t len)
{
	memset(buf, 0, len);
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

int tg_random_chars(char *dst, size_t n)
{
	static const char alphabet[] = TG_NAME_ALPHABET;
	/* 62 * 4 = 248: bytes below it map uniformly, the rest are redrawn. */
	enum { ALPHA = sizeof alphabet - 1, LIMIT = (256 / ALPHA) * ALPHA };
	unsigned char pool[64];
	int saved = errno;
	size_t done = 0;

	while (done < n) {
		size_t want = n - done;
		/* Ask for a little more than needed: about 3% are rejected. */
		want = want + want / 16 + 1;
		if (want > sizeof pool)
			want = sizeof pool;
		if (tg_entropy_take(pool, want) < 0) {
			int err = errno;
			tg_wipe(pool, sizeof pool);
			errno = err;
			return -1;
		}
		for (size_t i = 0; i < want && done < n; i++)
			if (pool[i] < LIMIT)
				dst[done++] = alphabet[pool[i] % ALPHA];
	}
	/* The pool held secret material; it leaves the stack. */
	tg_wipe(pool, sizeof pool);
	errno = saved;
	return 0;
}

int tg_template_xs(const char *tmpl, size_t suffixlen)
{
	if (tmpl == NULL) {
		errno = EINVAL;
		return -1;
	}
	size_t len = strlen(tmpl);
	if (len < suffixlen || len - suffixlen < 6) {
		errno = EINVAL;
		return -1;
	}
	size_t end = len - suffixlen; /* one past the last X */
	size_t i = end;
	while (i > 0 && tmpl[i - 1] == 'X')
		i--;
	size_t count = end - i;
	if (count < 6) {
		errno = EINVAL;
		return -1;
	}
	if (count > (size_t)0x7fffffff)
		count = 0x7fffffff;
	return (int)count;
}

#define TG_TMPNAM_PREFIX "/tmp/tg"
#define TG_TMPNAM_RANDOM 12
#define TG_TMPNAM_NEED (sizeof TG_TMPNAM_PREFIX - 1 + TG_TMPNAM_RANDOM + 1)

int tg_build_tmpnam(char *buf, size_t len)
{
	if (buf == NULL || len < TG_TMPNAM_NEED || len < 20) {
		errno = ERANGE;
		return -1;
	}
	size_t plen = sizeof TG_TMPNAM_PREFIX - 1;
	memcpy(buf, TG_TMPNAM_PREFIX, plen);
	if (tg_random_chars(buf + plen, TG_TMPNAM_RANDOM) < 0)
		return -1;
	buf[plen + TG_TMPNAM_RANDOM] = '\0';
	return 0;
}

#define TG_TEMPNAM_RANDOM 10

int tg_build_tempnam(char *buf, size_t len, const char *dir, const char *pfx)
{
	if (buf == NULL || dir == NULL) {
		errno = EINVAL;
		return -1;
	}
	size_t dlen = strlen(dir);
	while (dlen > 0 && dir[dlen - 1] == '/')
		dlen--;
	if (pfx == NULL || pfx[0] == '\0')
		pfx = "file";
	size_t plen = strnlen(pfx, 5);
	/* dir '/' pfx random NUL */
	if (len < 1 || dlen > len - 1 || len - 1 - dlen < 1 + plen + TG_TEMPNAM_RANDOM) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, dir, dlen);
	buf[dlen] = '/';
	memcpy(buf + dlen + 1, pfx, plen);
	if (tg_random_chars(buf + dlen + 1 + plen, TG_TEMPNAM_RANDOM) < 0)
		return -1;
	buf[dlen + 1 + plen + TG_TEMPNAM_RANDOM] = '\0';
	return 0;
}
