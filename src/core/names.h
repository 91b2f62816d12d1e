/* tmpguard — unpredictable names for the name generators. */
#ifndef TG_NAMES_H
#define TG_NAMES_H

#include <stddef.h>

/* The alphabet of generated characters: [A-Za-z0-9]. */
#define TG_NAME_ALPHABET \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/* Fill dst[0..n) with characters from a CSPRNG (getrandom). Returns 0, or -1
 * with errno when no randomness could be had. */
int tg_random_chars(char *dst, size_t n);

/* Number of trailing 'X' in tmpl that a generator replaces (glibc replaces
 * the last 6; tmpguard replaces them all, at least 6). Returns the count of
 * trailing X before suffixlen characters of suffix, or -1 (EINVAL) when
 * there are fewer than 6. */
int tg_template_xs(const char *tmpl, size_t suffixlen);

/* tmpnam: "/tmp/tg" + random, fitting L_tmpnam (with its NUL). */
int tg_build_tmpnam(char *buf, size_t len);

/* tempnam: dir + '/' + pfx (at most 5 characters, default "file") + 10
 * random characters. Returns 0 or -1 (ENAMETOOLONG). */
int tg_build_tempnam(char *buf, size_t len, const char *dir, const char *pfx);

#endif
