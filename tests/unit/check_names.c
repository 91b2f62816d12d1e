/* Unit tests: src/core/names.c */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "core/names.h"

static int in_alphabet(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(TG_NAME_ALPHABET, s[i]) == NULL)
			return 0;
	return 1;
}

START_TEST(test_alphabet)
{
	ck_assert_uint_eq(strlen(TG_NAME_ALPHABET), 62);
}
END_TEST

START_TEST(test_random_chars)
{
	char buf[4096];
	memset(buf, 0, sizeof buf);
	errno = 4242;
	ck_assert_int_eq(tg_random_chars(buf, sizeof buf - 1), 0);
	ck_assert_int_eq(errno, 4242); /* preserved */
	ck_assert_int_eq(buf[sizeof buf - 1], '\0'); /* no overrun */
	ck_assert(in_alphabet(buf, sizeof buf - 1));

	/* every character of the alphabet shows up in 4095 draws (the chance
	 * that one does not is about 62 * e^-66) */
	for (const char *a = TG_NAME_ALPHABET; *a; a++)
		ck_assert_msg(memchr(buf, *a, sizeof buf - 1) != NULL,
			      "'%c' never drawn", *a);
}
END_TEST

START_TEST(test_random_chars_small)
{
	char buf[8] = "zzzzzzz";
	ck_assert_int_eq(tg_random_chars(buf, 0), 0);
	ck_assert_str_eq(buf, "zzzzzzz");
	ck_assert_int_eq(tg_random_chars(buf, 1), 0);
	ck_assert(in_alphabet(buf, 1));
	ck_assert_str_eq(buf + 1, "zzzzzz");
}
END_TEST

START_TEST(test_random_uniform)
{
	/* a coarse bias check: 62 * 2000 draws, each character expected 2000
	 * times; a modulo bias (256 % 62) would give the first 8 about 2260 */
	enum { N = 62 * 2000 };
	static char buf[N];
	unsigned count[256] = { 0 };
	ck_assert_int_eq(tg_random_chars(buf, N), 0);
	for (size_t i = 0; i < N; i++)
		count[(unsigned char)buf[i]]++;
	for (const char *a = TG_NAME_ALPHABET; *a; a++) {
		unsigned c = count[(unsigned char)*a];
		ck_assert_msg(c > 1750 && c < 2250, "'%c' drawn %u times", *a, c);
	}
}
END_TEST

/* ---- tmpnam --------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

START_TEST(test_tmpnam)
{
	char buf[L_tmpnam + 8];
	ck_assert_int_eq(L_tmpnam, 20);
	memset(buf, '#', sizeof buf);
	errno = 4242;
	ck_assert_int_eq(tg_build_tmpnam(buf, L_tmpnam), 0);
	ck_assert_int_eq(errno, 4242);
	ck_assert_uint_lt(strlen(buf), L_tmpnam);
	ck_assert_uint_eq(strlen(buf), 19);
	ck_assert(strncmp(buf, "/tmp/", 5) == 0);
	ck_assert(strncmp(buf, "/tmp/tg", 7) == 0);
	ck_assert(in_alphabet(buf + 7, 12));
	ck_assert_int_eq(buf[L_tmpnam], '#');
}
END_TEST

START_TEST(test_tmpnam_small)
{
	char buf[32];
	memset(buf, '#', sizeof buf);
	errno = 0;
	ck_assert_int_eq(tg_build_tmpnam(buf, 19), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(buf[0], '#');
	errno = 0;
	ck_assert_int_eq(tg_build_tmpnam(buf, 0), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(tg_build_tmpnam(buf, sizeof buf), 0);
	ck_assert_uint_eq(strlen(buf), 19);
}
END_TEST

START_TEST(test_tmpnam_distinct)
{
	enum { N = 1000 };
	static char names[N][L_tmpnam];
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(tg_build_tmpnam(names[i], L_tmpnam), 0);
		ck_assert(strncmp(names[i], "/tmp/tg", 7) == 0);
		ck_assert(in_alphabet(names[i] + 7, 12));
		ck_assert_uint_eq(strlen(names[i]), 19);
	}
	qsort(names, N, L_tmpnam, cmp_str);
	for (int i = 1; i < N; i++)
		ck_assert_str_ne(names[i - 1], names[i]);
}
END_TEST

/* ---- tempnam -------------------------------------------------------------- */

static void check_tempnam(const char *dir, const char *pfx, const char *head)
{
	char buf[PATH_MAX];
	memset(buf, '#', sizeof buf);
	ck_assert_int_eq(tg_build_tempnam(buf, sizeof buf, dir, pfx), 0);
	size_t hl = strlen(head);
	ck_assert_msg(strncmp(buf, head, hl) == 0, "dir '%s' pfx '%s': got '%s', want '%s...'",
		      dir, pfx ? pfx : "(null)", buf, head);
	ck_assert_uint_eq(strlen(buf), hl + 10);
	ck_assert(in_alphabet(buf + hl, 10));
}

START_TEST(test_tempnam)
{
	check_tempnam("/tmp", "abc", "/tmp/abc");
	check_tempnam("/tmp", "abcde", "/tmp/abcde");
	check_tempnam("/tmp", "abcdefgh", "/tmp/abcde");
	check_tempnam("/tmp", NULL, "/tmp/file");
	check_tempnam("/tmp", "", "/tmp/file"); /* as glibc: empty -> "file" */
	check_tempnam("/tmp/", "x", "/tmp/x");
	check_tempnam("/tmp///", "x", "/tmp/x");
	check_tempnam("/", "x", "/x");
	check_tempnam("//", "pfx", "/pfx");
	check_tempnam("/var/tmp", "a.b-c", "/var/tmp/a.b-c");
	check_tempnam("rel/dir", "p", "rel/dir/p");
}
END_TEST

START_TEST(test_tempnam_distinct)
{
	char a[64], b[64];
	ck_assert_int_eq(tg_build_tempnam(a, sizeof a, "/tmp", "p"), 0);
	ck_assert_int_eq(tg_build_tempnam(b, sizeof b, "/tmp", "p"), 0);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_tempnam_too_long)
{
	/* "/tmp/abc" + 10 = 18 bytes + NUL */
	char buf[32];
	memset(buf, '#', sizeof buf);
	ck_assert_int_eq(tg_build_tempnam(buf, 19, "/tmp", "abc"), 0);
	ck_assert_uint_eq(strlen(buf), 18);
	ck_assert_int_eq(buf[19], '#');
	memset(buf, '#', sizeof buf);
	errno = 0;
	ck_assert_int_eq(tg_build_tempnam(buf, 18, "/tmp", "abc"), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_int_eq(buf[18], '#');
	errno = 0;
	ck_assert_int_eq(tg_build_tempnam(buf, 0, "/tmp", "abc"), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);

	/* a directory as long as the buffer */
	static char dir[PATH_MAX + 10];
	static char out[PATH_MAX];
	memset(dir, 'd', sizeof dir - 1);
	dir[0] = '/';
	dir[sizeof dir - 1] = '\0';
	errno = 0;
	ck_assert_int_eq(tg_build_tempnam(out, sizeof out, dir, "p"), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	dir[PATH_MAX - 13] = '\0'; /* dir + "/p" + 10 = PATH_MAX - 1 */
	ck_assert_int_eq(tg_build_tempnam(out, sizeof out, dir, "p"), 0);
	ck_assert_uint_eq(strlen(out), PATH_MAX - 1);
	dir[PATH_MAX - 13] = 'd';
	dir[PATH_MAX - 12] = '\0';
	errno = 0;
	ck_assert_int_eq(tg_build_tempnam(out, sizeof out, dir, "p"), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

/* ---- templates ------------------------------------------------------------ */

static const struct {
	const char *tmpl;
	size_t suffixlen;
	int want;
} xs_cases[] = {
	{ "fooXXXXXX", 0, 6 },
	{ "XXXXXX", 0, 6 },
	{ "XXXXXXXXXX", 0, 10 },
	{ "/tmp/prog.XXXXXXXX", 0, 8 },
	{ "fooXXXXXXXbar", 3, 7 },
	{ "aXXXXXXXX.c", 2, 8 },
	{ "XXXXXX.c", 2, 6 },
	{ "XaXXXXXX", 0, 6 },
	{ "fooXXXXX", 0, -1 },
	{ "XXXXX", 0, -1 },
	{ "", 0, -1 },
	{ "fooXXXXXXbar", 0, -1 },
	{ "XXXXXXab", 3, -1 },
	{ "XXXXXX", 1, -1 },
	{ "XXXXXX.c", 3, -1 },
	{ "ab", 5, -1 },
	{ "xxxxxx", 0, -1 },
};

START_TEST(test_template_xs)
{
	errno = 4242;
	int r = tg_template_xs(xs_cases[_i].tmpl, xs_cases[_i].suffixlen);
	ck_assert_msg(r == xs_cases[_i].want, "'%s' suffix %zu: %d, want %d",
		      xs_cases[_i].tmpl, xs_cases[_i].suffixlen, r, xs_cases[_i].want);
	ck_assert_int_eq(errno, r < 0 ? EINVAL : 4242);
}
END_TEST

Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc;

	tc = tcase_create("random");
	tcase_add_test(tc, test_alphabet);
	tcase_add_test(tc, test_random_chars);
	tcase_add_test(tc, test_random_chars_small);
	tcase_add_test(tc, test_random_uniform);
	suite_add_tcase(s, tc);

	tc = tcase_create("tmpnam");
	tcase_add_test(tc, test_tmpnam);
	tcase_add_test(tc, test_tmpnam_small);
	tcase_add_test(tc, test_tmpnam_distinct);
	suite_add_tcase(s, tc);

	tc = tcase_create("tempnam");
	tcase_add_test(tc, test_tempnam);
	tcase_add_test(tc, test_tempnam_distinct);
	tcase_add_test(tc, test_tempnam_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("template");
	tcase_add_loop_test(tc, test_template_xs, 0,
			    sizeof xs_cases / sizeof xs_cases[0]);
	suite_add_tcase(s, tc);
	return s;
}
