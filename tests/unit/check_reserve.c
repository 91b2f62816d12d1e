/* Unit tests: src/core/reserve.c */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"
#include "core/reserve.h"

static unsigned live(void)
{
	return __atomic_load_n(&tg_reserve_live, __ATOMIC_SEQ_CST);
}

static void setup(void)
{
	tg_reserve_clear();
}

START_TEST(test_hash)
{
	/* FNV-1a 64 test vectors */
	ck_assert_uint_eq(tg_reserve_hash(""), 0xcbf29ce484222325ull);
	ck_assert_uint_eq(tg_reserve_hash("a"), 0xaf63dc4c8601ec8cull);
	ck_assert_uint_eq(tg_reserve_hash("foobar"), 0x85944171f73967e8ull);
	ck_assert_uint_ne(tg_reserve_hash("/tmp/a"), tg_reserve_hash("/tmp/b"));
}
END_TEST

START_TEST(test_basic)
{
	ck_assert_uint_eq(live(), 0);
	ck_assert_int_eq(tg_reserve_any(), 0);
	ck_assert_int_eq(tg_reserve_contains("/tmp/a"), 0);
	ck_assert_int_eq(tg_reserve_take("/tmp/a"), 0);

	tg_reserve_add("/tmp/a");
	ck_assert_uint_eq(live(), 1);
	ck_assert_int_eq(tg_reserve_any(), 1);
	ck_assert_int_eq(tg_reserve_contains("/tmp/a"), 1);
	ck_assert_int_eq(tg_reserve_contains("/tmp/a"), 1); /* stays */
	ck_assert_int_eq(tg_reserve_contains("/tmp/b"), 0);
	ck_assert_int_eq(tg_reserve_contains("/tmp/a/"), 0);
	ck_assert_int_eq(tg_reserve_contains("tmp/a"), 0);

	tg_reserve_add("/tmp/a"); /* already there: no-op */
	ck_assert_uint_eq(live(), 1);

	tg_reserve_add("/tmp/b");
	ck_assert_uint_eq(live(), 2);
	ck_assert_int_eq(tg_reserve_take("/tmp/a"), 1);
	ck_assert_uint_eq(live(), 1);
	ck_assert_int_eq(tg_reserve_contains("/tmp/a"), 0);
	ck_assert_int_eq(tg_reserve_take("/tmp/a"), 0); /* consumed */
	ck_assert_uint_eq(live(), 1);
	ck_assert_int_eq(tg_reserve_contains("/tmp/b"), 1);
	ck_assert_int_eq(tg_reserve_take("/tmp/b"), 1);
	ck_assert_uint_eq(live(), 0);
	ck_assert_int_eq(tg_reserve_any(), 0);

	/* a name can be reserved again after it was consumed */
	tg_reserve_add("/tmp/a");
	ck_assert_int_eq(tg_reserve_contains("/tmp/a"), 1);
	ck_assert_uint_eq(live(), 1);
}
END_TEST

START_TEST(test_null)
{
	tg_reserve_add(NULL);
	ck_assert_uint_eq(live(), 0);
	ck_assert_int_eq(tg_reserve_contains(NULL), 0);
	ck_assert_int_eq(tg_reserve_take(NULL), 0);
}
END_TEST

START_TEST(test_clear)
{
	char name[32];
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "/tmp/c%d", i);
		tg_reserve_add(name);
	}
	ck_assert_uint_eq(live(), 100);
	tg_reserve_clear();
	ck_assert_uint_eq(live(), 0);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "/tmp/c%d", i);
		ck_assert_int_eq(tg_reserve_contains(name), 0);
	}
}
END_TEST

START_TEST(test_many)
{
	/* 200 names: well within capacity, all stay findable */
	char name[32];
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "/tmp/many.%d", i);
		tg_reserve_add(name);
	}
	ck_assert_uint_eq(live(), 200);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "/tmp/many.%d", i);
		ck_assert_msg(tg_reserve_contains(name), "%s lost", name);
	}
	for (int i = 0; i < 200; i += 2) {
		snprintf(name, sizeof name, "/tmp/many.%d", i);
		ck_assert_int_eq(tg_reserve_take(name), 1);
	}
	ck_assert_uint_eq(live(), 100);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "/tmp/many.%d", i);
		ck_assert_int_eq(tg_reserve_contains(name), i % 2);
	}
}
END_TEST

START_TEST(test_eviction)
{
	/* 2000 names in 512 slots: the oldest are overwritten, the newest is
	 * always found, the count matches what can be found */
	enum { N = 2000 };
	char name[32];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "/tmp/ev.%d", i);
		tg_reserve_add(name);
		ck_assert_msg(tg_reserve_contains(name), "%s not found after add", name);
		ck_assert_uint_le(live(), TG_RESERVE_SLOTS);
	}
	unsigned found = 0;
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "/tmp/ev.%d", i);
		found += (unsigned)tg_reserve_contains(name);
	}
	ck_assert_uint_eq(found, live());
	ck_assert_uint_gt(found, TG_RESERVE_SLOTS / 2);
	/* the newest names survive */
	for (int i = N - 16; i < N; i++) {
		snprintf(name, sizeof name, "/tmp/ev.%d", i);
		ck_assert_int_eq(tg_reserve_contains(name), 1);
	}
	/* everything that is found can be taken; then the table is empty */
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "/tmp/ev.%d", i);
		int c = tg_reserve_contains(name);
		ck_assert_int_eq(tg_reserve_take(name), c);
	}
	ck_assert_uint_eq(live(), 0);
	ck_assert_int_eq(tg_reserve_any(), 0);
	/* and it still works */
	tg_reserve_add("/tmp/after");
	ck_assert_int_eq(tg_reserve_contains("/tmp/after"), 1);
	ck_assert_uint_eq(live(), 1);
}
END_TEST

/* Names that share one home slot, to exercise probe chains. */
#define NCOLL 20
static char coll[NCOLL][32];

static void find_colliding(void)
{
	uint64_t home = tg_reserve_hash("/tmp/coll.0") % TG_RESERVE_SLOTS;
	int n = 0;
	for (int i = 0; n < NCOLL; i++) {
		char name[32];
		snprintf(name, sizeof name, "/tmp/coll.%d", i);
		if (tg_reserve_hash(name) % TG_RESERVE_SLOTS == home)
			memcpy(coll[n++], name, sizeof name);
	}
}

START_TEST(test_tombstone_chain)
{
	find_colliding();
	/* A at the home slot, B behind it; taking A leaves a tombstone that
	 * must not hide B */
	tg_reserve_add(coll[0]);
	tg_reserve_add(coll[1]);
	tg_reserve_add(coll[2]);
	ck_assert_uint_eq(live(), 3);
	ck_assert_int_eq(tg_reserve_take(coll[0]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[1]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[2]), 1);
	ck_assert_int_eq(tg_reserve_take(coll[1]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[2]), 1);
	ck_assert_int_eq(tg_reserve_take(coll[2]), 1);
	ck_assert_uint_eq(live(), 0);
	/* a tombstone is reused, and the chain behind it stays intact */
	tg_reserve_add(coll[3]);
	tg_reserve_add(coll[4]);
	tg_reserve_add(coll[5]);
	tg_reserve_add(coll[6]);
	ck_assert_uint_eq(live(), 4);
	ck_assert_int_eq(tg_reserve_take(coll[4]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[5]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[6]), 1);
	tg_reserve_add(coll[6]); /* present, behind a tombstone: no duplicate */
	ck_assert_uint_eq(live(), 3);
	ck_assert_int_eq(tg_reserve_take(coll[6]), 1);
	ck_assert_int_eq(tg_reserve_take(coll[6]), 0);
	ck_assert_int_eq(tg_reserve_contains(coll[3]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[5]), 1);
	ck_assert_uint_eq(live(), 2);
}
END_TEST

START_TEST(test_window_full)
{
	find_colliding();
	/* 16 names fill the probe window of one home slot */
	for (int i = 0; i < 16; i++)
		tg_reserve_add(coll[i]);
	ck_assert_uint_eq(live(), 16);
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(tg_reserve_contains(coll[i]), 1);
	/* a 17th evicts the one in the home slot; all others stay */
	tg_reserve_add(coll[16]);
	ck_assert_uint_eq(live(), 16);
	ck_assert_int_eq(tg_reserve_contains(coll[16]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[0]), 0);
	for (int i = 1; i < 16; i++)
		ck_assert_int_eq(tg_reserve_contains(coll[i]), 1);
	/* freeing one in the middle: the next add takes its place */
	ck_assert_int_eq(tg_reserve_take(coll[7]), 1);
	ck_assert_uint_eq(live(), 15);
	tg_reserve_add(coll[17]);
	ck_assert_uint_eq(live(), 16);
	ck_assert_int_eq(tg_reserve_contains(coll[17]), 1);
	ck_assert_int_eq(tg_reserve_contains(coll[16]), 1);
	for (int i = 1; i < 16; i++)
		ck_assert_int_eq(tg_reserve_contains(coll[i]), i != 7);
	/* take everything: the count returns to 0 */
	for (int i = 0; i < NCOLL; i++)
		tg_reserve_take(coll[i]);
	ck_assert_uint_eq(live(), 0);
}
END_TEST

/* ---- threads -------------------------------------------------------------- */

#define NTHREADS 8
#define ROUNDS 200
#define BATCH 12

struct worker {
	int id;
	int failures;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	char names[BATCH][48];
	for (int r = 0; r < ROUNDS; r++) {
		for (int k = 0; k < BATCH; k++) {
			snprintf(names[k], sizeof names[k], "/tmp/thr%d.r%d.k%d", w->id, r, k);
			tg_reserve_add(names[k]);
		}
		for (int k = 0; k < BATCH; k++) {
			if (!tg_reserve_contains(names[k]))
				w->failures++;
			if (tg_reserve_take(names[k]) != 1)
				w->failures++;
			if (tg_reserve_contains(names[k]))
				w->failures++;
		}
	}
	return NULL;
}

START_TEST(test_threads)
{
	pthread_t t[NTHREADS];
	struct worker w[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		w[i].id = i;
		w[i].failures = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_msg(w[i].failures == 0, "thread %d: %d failures", i,
			      w[i].failures);
	ck_assert_uint_eq(live(), 0);
	ck_assert_int_eq(tg_reserve_any(), 0);
}
END_TEST

/* Same path added and taken from all threads at once: whatever the
 * interleaving, each successful take matched one add and the count ends
 * consistent with the table. */
static void *same_run(void *arg)
{
	int *taken = arg;
	for (int r = 0; r < 2000; r++) {
		tg_reserve_add("/tmp/contended");
		*taken += tg_reserve_take("/tmp/contended");
	}
	return NULL;
}

START_TEST(test_threads_same_name)
{
	pthread_t t[NTHREADS];
	int taken[NTHREADS] = { 0 };
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, same_run, &taken[i]), 0);
	for (int i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	int total = 0;
	for (int i = 0; i < NTHREADS; i++)
		total += taken[i];
	ck_assert_int_gt(total, 0);
	/* two racing adds may each have stored it once */
	ck_assert_uint_le(live(), NTHREADS);
	ck_assert_uint_eq(live() > 0, (unsigned)tg_reserve_contains("/tmp/contended"));
	while (tg_reserve_take("/tmp/contended"))
		;
	ck_assert_uint_eq(live(), 0);
}
END_TEST

Suite *reserve_suite(void)
{
	Suite *s = suite_create("reserve");
	TCase *tc;

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_clear);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_tombstone_chain);
	tcase_add_test(tc, test_window_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("threads");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_threads_same_name);
	suite_add_tcase(s, tc);
	return s;
}
