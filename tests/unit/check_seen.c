/* Unit tests: src/core/seen.c (the seen-set) */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"
#include "core/seen.h"

static struct tg_seen set; /* 32 KiB: not on a test's stack */

static uint64_t path_key(unsigned tag, long site, int i)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/tgtest.%06d", i);
	return tg_seen_key(tag, (const void *)site, path);
}

START_TEST(test_key_form)
{
	/* never 0, payload bit clear, for every length of a tail */
	char path[40];
	for (size_t len = 0; len < sizeof path; len++) {
		memset(path, 'a', len);
		path[len] = '\0';
		uint64_t k = tg_seen_key(3, (const void *)0x1234, path);
		ck_assert(k != 0);
		ck_assert_uint_eq(k & 1, 0);
	}
	ck_assert(tg_seen_key(0, NULL, NULL) != 0);
}
END_TEST

/* Tag, site and every byte of the path make the key: distinct inputs give
 * distinct keys (one change in any of 40 byte positions, any of 8 bits). */
START_TEST(test_key_distinct)
{
	const char *p = "/tmp/tgbench.a8Xk2q/and/a/longer/tail.z";
	uint64_t k = tg_seen_key(1, (const void *)0x401000, p);
	ck_assert(k == tg_seen_key(1, (const void *)0x401000, p));
	ck_assert(k != tg_seen_key(2, (const void *)0x401000, p));
	ck_assert(k != tg_seen_key(1, (const void *)0x401001, p));
	ck_assert(k != tg_seen_key(1, (const void *)0x401000, NULL));
	/* every length, so that each way of cutting the tail into words
	 * (whole words, an overlapping last word, two half words, bytes) is
	 * taken */
	char base[64], q[64];
	for (size_t n = 1; n <= strlen(p); n++) {
		memcpy(base, p, n);
		base[n] = '\0';
		uint64_t kn = tg_seen_key(1, (const void *)0x401000, base);
		for (size_t i = 0; i < n; i++) {
			for (int bit = 0; bit < 8; bit++) {
				memcpy(q, base, n + 1);
				q[i] ^= (char)(1 << bit);
				if (q[i] == '\0')
					continue;
				ck_assert_msg(kn != tg_seen_key(1, (const void *)0x401000, q),
					      "length %zu: byte %zu bit %d changes nothing",
					      n, i, bit);
			}
		}
	}
	/* a prefix is not the whole: "ab" and "ab\0\0..." in the last word */
	ck_assert(tg_seen_key(0, NULL, "/tmp/ab") !=
		  tg_seen_key(0, NULL, "/tmp/abc"));
}
END_TEST

START_TEST(test_add_find)
{
	tg_seen_clear(&set);
	uint64_t a = path_key(0, 0x1000, 1), b = path_key(0, 0x1000, 2);
	ck_assert_uint_eq(tg_seen_find(&set, a), 0);
	ck_assert_int_eq(tg_seen_add(&set, a | 1), 1); /* with its payload */
	ck_assert_int_eq(tg_seen_add(&set, a), 0);     /* the same key */
	ck_assert_uint_eq(tg_seen_find(&set, a), a | 1);
	ck_assert_uint_eq(tg_seen_find(&set, b), 0);
	ck_assert_int_eq(tg_seen_add(&set, b), 1);
	ck_assert_uint_eq(tg_seen_find(&set, b), b);
	tg_seen_clear(&set);
	ck_assert_uint_eq(tg_seen_find(&set, a), 0);
	ck_assert_int_eq(tg_seen_add(&set, a), 1);
}
END_TEST

/* Endless new keys (a program naming a new file every time): every one is
 * new, and after them the recent ones are still remembered. */
START_TEST(test_full)
{
	tg_seen_clear(&set);
	int total = 8 * TG_SEEN_BUCKETS * TG_SEEN_WAYS;
	for (int i = 0; i < total; i++)
		ck_assert_int_eq(tg_seen_add(&set, path_key(0, 0x2000, i)), 1);
	int remembered = 0;
	for (int i = total - 200; i < total; i++)
		remembered += tg_seen_find(&set, path_key(0, 0x2000, i)) != 0;
	/* a recent key is forgotten only when a later one in its bucket
	 * replaced it: with 200 of them over 512 buckets, few */
	ck_assert_int_ge(remembered, 150);
	/* a few hundred keys, the working set of a real program, all fit */
	tg_seen_clear(&set);
	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(tg_seen_add(&set, path_key(5, 0x3000, i)), 1);
	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(tg_seen_add(&set, path_key(5, 0x3000, i)), 0);
}
END_TEST

/* Four threads add the same 300 keys: each key is new exactly once. */
static int thread_new[4];

static void *add_all(void *arg)
{
	int t = (int)(intptr_t)arg;
	for (int i = 0; i < 300; i++)
		thread_new[t] += tg_seen_add(&set, path_key(7, 0x4000,
							   (i * 7 + t * 75) % 300));
	return NULL;
}

START_TEST(test_threads)
{
	for (int round = 0; round < 20; round++) {
		tg_seen_clear(&set);
		pthread_t th[4];
		for (int t = 0; t < 4; t++) {
			thread_new[t] = 0;
			ck_assert_int_eq(pthread_create(&th[t], NULL, add_all,
							(void *)(intptr_t)t), 0);
		}
		for (int t = 0; t < 4; t++)
			pthread_join(th[t], NULL);
		ck_assert_int_eq(thread_new[0] + thread_new[1] + thread_new[2] +
					 thread_new[3], 300);
	}
}
END_TEST

Suite *seen_suite(void)
{
	Suite *s = suite_create("seen");
	TCase *tc = tcase_create("seen");
	tcase_add_test(tc, test_key_form);
	tcase_add_test(tc, test_key_distinct);
	tcase_add_test(tc, test_add_find);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}
