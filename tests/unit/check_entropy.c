/* Unit tests: src/core/entropy.c (the random-byte pool) */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_suites.h"
#include "core/entropy.h"

/* A forked child must not repeat its parent's bytes: with a plain static
 * pool both would continue from the same offset. */
START_TEST(test_fork_distinct)
{
	unsigned char first[8], mine[32], theirs[32];
	ck_assert_int_eq(tg_entropy_take(first, sizeof first), 0); /* pool in use */
	for (int round = 0; round < 3; round++) {
		int fds[2];
		ck_assert_int_eq(pipe(fds), 0);
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			unsigned char b[32];
			int ok = tg_entropy_take(b, sizeof b) == 0 &&
				 write(fds[1], b, sizeof b) == (ssize_t)sizeof b;
			_exit(ok ? 0 : 1);
		}
		close(fds[1]);
		ck_assert_int_eq(tg_entropy_take(mine, sizeof mine), 0);
		ck_assert_int_eq(read(fds[0], theirs, sizeof theirs),
				 (ssize_t)sizeof theirs);
		close(fds[0]);
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		ck_assert_msg(memcmp(mine, theirs, sizeof mine) != 0,
			      "parent and child took the same bytes");
	}
}
END_TEST

#define THREADS 4
#define TAKES 20000 /* 8 bytes each: many refills of the pool */

static uint64_t taken[THREADS * TAKES];

static void *take_many(void *arg)
{
	uint64_t *out = arg;
	for (int i = 0; i < TAKES; i++)
		if (tg_entropy_take((unsigned char *)&out[i], sizeof out[i]) != 0)
			return (void *)1;
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* No two takes share bytes, across threads and refills (duplicates of
 * random 64-bit values among 80,000: about 2e-10 by chance). */
START_TEST(test_threads_unique)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, take_many,
						&taken[i * TAKES]), 0);
	for (int i = 0; i < THREADS; i++) {
		void *rc;
		ck_assert_int_eq(pthread_join(t[i], &rc), 0);
		ck_assert_ptr_null(rc);
	}
	qsort(taken, THREADS * TAKES, sizeof taken[0], cmp_u64);
	int dups = 0;
	for (int i = 1; i < THREADS * TAKES; i++)
		dups += taken[i] == taken[i - 1];
	ck_assert_int_eq(dups, 0);
}
END_TEST

/* Larger requests bypass the pool and still get random bytes. */
START_TEST(test_large)
{
	unsigned char a[1000], b[1000];
	ck_assert_int_eq(tg_entropy_take(a, sizeof a), 0);
	ck_assert_int_eq(tg_entropy_take(b, sizeof b), 0);
	ck_assert(memcmp(a, b, sizeof a) != 0);
}
END_TEST

Suite *entropy_suite(void)
{
	Suite *s = suite_create("entropy");
	TCase *tc = tcase_create("pool");
	tcase_add_test(tc, test_fork_distinct);
	tcase_add_test(tc, test_threads_unique);
	tcase_add_test(tc, test_large);
	suite_add_tcase(s, tc);
	return s;
}
