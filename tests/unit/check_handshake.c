/* Unit tests: src/core/handshake.c, the `tmpguard run` datagrams. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "core/handshake.h"

#define TOKEN "0123456789abcdef0123456789abcdef"

static enum tg_handshake_type parse(const char *datagram, struct tg_handshake_msg *m)
{
	char buf[600];
	snprintf(buf, sizeof buf, "%s", datagram);
	return tg_handshake_parse(buf, TOKEN, m);
}

START_TEST(test_format_bytes)
{
	char buf[160];
	struct tg_handshake_msg hello = { TG_HANDSHAKE_HELLO, 4242, 0, 0, NULL, 0 };
	ck_assert_uint_eq(tg_handshake_format(&hello, TOKEN, buf, sizeof buf),
			  strlen(TOKEN " H 4242\n"));
	ck_assert_str_eq(buf, TOKEN " H 4242\n");
	struct tg_handshake_msg listener = { TG_HANDSHAKE_LISTENER, 77, 0, 0,
					     NULL, 0 };
	tg_handshake_format(&listener, TOKEN, buf, sizeof buf);
	ck_assert_str_eq(buf, TOKEN " L 77\n");
	struct tg_handshake_msg ev = { TG_HANDSHAKE_EVENT, 2147483647,
				       TG_EV_HIJACK_BLOCKED, TG_ACT_BLOCKED,
				       NULL, 0 };
	tg_handshake_format(&ev, TOKEN, buf, sizeof buf);
	ck_assert_str_eq(buf, TOKEN " E hijack-blocked blocked 2147483647\n");
	/* bounded: a short buffer gets what fits and the length needed */
	char small[8];
	ck_assert_uint_eq(tg_handshake_format(&ev, TOKEN, small, sizeof small),
			  strlen(TOKEN " E hijack-blocked blocked 2147483647\n"));
	ck_assert_str_eq(small, "0123456");
}
END_TEST

START_TEST(test_roundtrip)
{
	static const pid_t pids[] = { 1, 42, 65536, 2147483647 };
	char buf[160];
	for (size_t i = 0; i < sizeof pids / sizeof pids[0]; i++) {
		struct tg_handshake_msg hello = { TG_HANDSHAKE_HELLO, pids[i], 0, 0,
						  NULL, 0 }, got;
		tg_handshake_format(&hello, TOKEN, buf, sizeof buf);
		ck_assert_int_eq(tg_handshake_parse(buf, TOKEN, &got), TG_HANDSHAKE_HELLO);
		ck_assert_int_eq(got.pid, pids[i]);
		for (int k = 0; k < TG_EV_COUNT; k++)
			for (int a = 0; a < TG_ACT_COUNT; a++) {
				struct tg_handshake_msg ev = {
					TG_HANDSHAKE_EVENT, pids[i],
					(enum tg_event_kind)k, (enum tg_action)a,
					NULL, 0
				};
				tg_handshake_format(&ev, TOKEN, buf, sizeof buf);
				ck_assert_int_eq(tg_handshake_parse(buf, TOKEN, &got),
						 TG_HANDSHAKE_EVENT);
				ck_assert(got.pid == pids[i] && got.kind == ev.kind &&
					  got.action == ev.action);
			}
	}
}
END_TEST

static const struct {
	const char *datagram;
	enum tg_handshake_type type;
	pid_t pid;
} cases[] = {
	{ TOKEN " H 7", TG_HANDSHAKE_HELLO, 7 },
	{ TOKEN " H 7\n", TG_HANDSHAKE_HELLO, 7 },
	{ TOKEN " H 7\nrest is ignored", TG_HANDSHAKE_HELLO, 7 },
	{ "  " TOKEN "   H  7  ", TG_HANDSHAKE_HELLO, 7 },
	{ TOKEN " H +7", TG_HANDSHAKE_HELLO, 7 },
	{ TOKEN " H \t7", TG_HANDSHAKE_HELLO, 7 },
	{ TOKEN " H 0007", TG_HANDSHAKE_HELLO, 7 },
	{ TOKEN " E rewritten logged 9", TG_HANDSHAKE_EVENT, 9 },
	{ TOKEN " L 11\n", TG_HANDSHAKE_LISTENER, 11 },
	{ TOKEN "  L  11", TG_HANDSHAKE_LISTENER, 11 },
	/* rejected */
	{ "", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN, TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H 0", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H -7", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H 2147483648", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H 99999999999999999999999", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H 7x", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H 0x7", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H 7 8", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " h 7", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN "0 H 7", TG_HANDSHAKE_NONE, 0 },
	{ "0123456789abcdef0123456789abcdeF H 7", TG_HANDSHAKE_NONE, 0 },
	{ "0123456789abcdef0123456789abcde H 7", TG_HANDSHAKE_NONE, 0 },
	{ "\n" TOKEN " H 7", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " E rewritten logged", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " E rewritten logged 9 9", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " E rewritten logged 9 9 9", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " E attack logged 9", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " E rewritten ignored 9", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " E rewritten logged 0", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " H rewritten logged 9", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " E 9", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " L", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " L 0", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " L 11 12", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN " l 11", TG_HANDSHAKE_NONE, 0 },
	{ "0123456789abcdef0123456789abcdeF L 7", TG_HANDSHAKE_NONE, 0 },
	{ TOKEN "\tH 7", TG_HANDSHAKE_NONE, 0 },
};

START_TEST(test_datagrams)
{
	struct tg_handshake_msg m;
	enum tg_handshake_type got = parse(cases[_i].datagram, &m);
	ck_assert_msg(got == cases[_i].type, "'%s': %d, not %d", cases[_i].datagram,
		      got, cases[_i].type);
	if (got != TG_HANDSHAKE_NONE)
		ck_assert_int_eq(m.pid, cases[_i].pid);
}
END_TEST

/* What `tmpguard run` accepted before the parser moved to the core
 * (strtok_r and strtol): random datagrams must be taken or refused the
 * same way. */
static enum tg_handshake_type reference(char *msg, pid_t *pid)
{
	char *field[6], *save = NULL;
	int n = 0;
	msg[strcspn(msg, "\n")] = '\0';
	for (char *f = strtok_r(msg, " ", &save); f != NULL && n < 6;
	     f = strtok_r(NULL, " ", &save))
		field[n++] = f;
	if ((n != 3 && n != 5) || strcmp(field[0], TOKEN) != 0)
		return TG_HANDSHAKE_NONE;
	int last = n == 3 ? 2 : 4;
	char *end;
	errno = 0;
	long v = strtol(field[last], &end, 10);
	if (errno != 0 || end == field[last] || *end != '\0' || v <= 0 || v > 0x7fffffffL)
		return TG_HANDSHAKE_NONE;
	*pid = (pid_t)v;
	if (n == 3 && strcmp(field[1], "H") == 0)
		return TG_HANDSHAKE_HELLO;
	if (n != 5 || strcmp(field[1], "E") != 0 || tg_event_kind_parse(field[2]) < 0 ||
	    tg_action_parse(field[3]) < 0)
		return TG_HANDSHAKE_NONE;
	return TG_HANDSHAKE_EVENT;
}

START_TEST(test_as_before)
{
	static const char *const words[] = { TOKEN, "H", "E", "rewritten", "blocked",
					     "7", "+7", "-7", "0", " ", "  ", "\t",
					     "\n", "x", "2147483647", "2147483648",
					     "00000000000000000000001", "\v9" };
	unsigned long state = 99;
	unsigned mismatches = 0;
	for (int i = 0; i < 50000; i++) {
		char msg[256] = "", copy[256];
		int n = 1 + (int)((state >> 40) % 8);
		for (int w = 0; w < n; w++) {
			state = state * 6364136223846793005ul + 1442695040888963407ul;
			const char *word = words[(state >> 33) % (sizeof words / sizeof words[0])];
			strcat(msg, word);
			if ((state >> 20) % 3 != 0)
				strcat(msg, " ");
		}
		strcpy(copy, msg);
		pid_t want_pid = 0;
		enum tg_handshake_type want = reference(copy, &want_pid);
		struct tg_handshake_msg m;
		strcpy(copy, msg);
		enum tg_handshake_type got = tg_handshake_parse(copy, TOKEN, &m);
		if ((got != want || (got != TG_HANDSHAKE_NONE && m.pid != want_pid)) &&
		    mismatches++ == 0)
			ck_abort_msg("'%s': %d, before %d", msg, got, want);
	}
}
END_TEST

/* ---- "X": a process is about to execute a program ------------------------- */

START_TEST(test_exec_format)
{
	char buf[TG_HANDSHAKE_MAX + 1];
	struct tg_handshake_msg m = { TG_HANDSHAKE_EXEC, 42, 0, 0,
				      "/a b/c\nd", 0 };
	size_t n = tg_handshake_format(&m, TOKEN, buf, sizeof buf);
	ck_assert_str_eq(buf, TOKEN " X 42 whole /a b/c\nd\n");
	ck_assert_uint_eq(n, strlen(buf));
	struct tg_handshake_msg got;
	ck_assert_int_eq(tg_handshake_parse(buf, TOKEN, &got), TG_HANDSHAKE_EXEC);
	ck_assert_int_eq(got.pid, 42);
	ck_assert_int_eq(got.cut, 0);
	/* spaces and newlines inside the path are the path's */
	ck_assert_str_eq(got.path, "/a b/c\nd");
}
END_TEST

/* A path that does not fit is cut to fill the datagram exactly, and says
 * so; one byte less and it fits whole. */
START_TEST(test_exec_cut)
{
	static char path[3 * TG_HANDSHAKE_MAX];
	char buf[TG_HANDSHAKE_MAX + 1];
	const char *head = TOKEN " X 2147483647 whole ";
	size_t room = TG_HANDSHAKE_MAX - strlen(head) - 1; /* '\n' */
	for (size_t len = room - 2; len <= room + 2; len++) {
		memset(path, 'p', sizeof path);
		path[0] = '/';
		path[len] = '\0';
		struct tg_handshake_msg m = { TG_HANDSHAKE_EXEC, 2147483647, 0,
					      0, path, 0 }, got;
		size_t n = tg_handshake_format(&m, TOKEN, buf, sizeof buf);
		ck_assert_uint_le(n, TG_HANDSHAKE_MAX);
		ck_assert_uint_eq(n, strlen(buf));
		ck_assert_int_eq(buf[n - 1], '\n');
		ck_assert_int_eq(tg_handshake_parse(buf, TOKEN, &got),
				 TG_HANDSHAKE_EXEC);
		ck_assert_int_eq(got.cut, len > room);
		if (len <= room) {
			ck_assert_str_eq(got.path, path);
		} else { /* never all of it, at most what fits */
			size_t cut_room = TG_HANDSHAKE_MAX -
					  strlen(TOKEN " X 2147483647 cut ") - 1;
			ck_assert_uint_eq(strlen(got.path),
					  len - 1 < cut_room ? len - 1 : cut_room);
			ck_assert(strncmp(got.path, path, strlen(got.path)) == 0);
		}
	}
	/* far too long: still one datagram, the beginning of the path */
	memset(path, 'q', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	struct tg_handshake_msg m = { TG_HANDSHAKE_EXEC, 7, 0, 0, path, 0 }, got;
	ck_assert_uint_eq(tg_handshake_format(&m, TOKEN, buf, sizeof buf),
			  TG_HANDSHAKE_MAX);
	ck_assert_int_eq(tg_handshake_parse(buf, TOKEN, &got), TG_HANDSHAKE_EXEC);
	ck_assert_int_eq(got.cut, 1);
	/* a buffer too short for even the rest: the length needed, as for
	 * the other forms */
	char tiny[24];
	ck_assert_uint_gt(tg_handshake_format(&m, TOKEN, tiny, sizeof tiny),
			  sizeof tiny);
}
END_TEST

/* Whatever the buffer, snprintf's contract: a result that fits is all
 * there, NUL-terminated; one that does not fills the buffer. */
START_TEST(test_exec_any_buffer)
{
	static char long_path[2 * TG_HANDSHAKE_MAX];
	memset(long_path, 'l', sizeof long_path - 1);
	const char *paths[] = { "", "/", "/bin/true", long_path };
	char buf[TG_HANDSHAKE_MAX + 3];
	for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++)
		for (size_t len = 1; len < sizeof buf; len++) {
			struct tg_handshake_msg m = { TG_HANDSHAKE_EXEC, 12345, 0,
						      0, paths[p], 0 };
			memset(buf, '#', sizeof buf);
			size_t n = tg_handshake_format(&m, TOKEN, buf, len);
			ck_assert_msg(strlen(buf) == (n < len ? n : len - 1),
				      "path %zu, len %zu: %zu, %zu", p, len, n,
				      strlen(buf));
			ck_assert_int_eq(buf[len], '#');
		}
}
END_TEST

static const struct {
	const char *datagram;
	enum tg_handshake_type type;
	const char *path;
	int cut;
} exec_cases[] = {
	{ TOKEN " X 7 whole /bin/true\n", TG_HANDSHAKE_EXEC, "/bin/true", 0 },
	{ TOKEN " X 7 whole /bin/true", TG_HANDSHAKE_EXEC, "/bin/true", 0 },
	{ TOKEN " X 7 cut /very/lo", TG_HANDSHAKE_EXEC, "/very/lo", 1 },
	{ "  " TOKEN "  X  7  whole /p", TG_HANDSHAKE_EXEC, "/p", 0 },
	{ TOKEN " X 7 whole  /p", TG_HANDSHAKE_EXEC, " /p", 0 },
	{ TOKEN " X 7 whole /p\n\n", TG_HANDSHAKE_EXEC, "/p\n", 0 },
	{ TOKEN " X 7 whole relative", TG_HANDSHAKE_EXEC, "relative", 0 },
	/* rejected */
	{ TOKEN " X 7 whole", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X 7 whole \n", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X 7 whole ", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X 7 half /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X 7 Whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X 0 whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X -7 whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X x whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X 7", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " X", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " x 7 whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN " XX 7 whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ "0123456789abcdef0123456789abcdeF X 7 whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ "0123456789abcdef\n0123456789abcdef X 7 whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
	{ TOKEN "\tX 7 whole /p", TG_HANDSHAKE_NONE, NULL, 0 },
};

START_TEST(test_exec_datagrams)
{
	struct tg_handshake_msg m;
	char buf[600];
	snprintf(buf, sizeof buf, "%s", exec_cases[_i].datagram);
	enum tg_handshake_type got = tg_handshake_parse(buf, TOKEN, &m);
	ck_assert_msg(got == exec_cases[_i].type, "'%s': %d, not %d",
		      exec_cases[_i].datagram, got, exec_cases[_i].type);
	if (got == TG_HANDSHAKE_EXEC) {
		ck_assert_int_eq(m.pid, 7);
		ck_assert_str_eq(m.path, exec_cases[_i].path);
		ck_assert_int_eq(m.cut, exec_cases[_i].cut);
	} else {
		ck_assert_ptr_null(m.path);
	}
}
END_TEST

Suite *handshake_suite(void)
{
	Suite *s = suite_create("handshake");
	TCase *tc = tcase_create("handshake");
	tcase_add_test(tc, test_format_bytes);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_loop_test(tc, test_datagrams, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_as_before);
	tcase_add_test(tc, test_exec_format);
	tcase_add_test(tc, test_exec_cut);
	tcase_add_test(tc, test_exec_any_buffer);
	tcase_add_loop_test(tc, test_exec_datagrams, 0,
			    sizeof exec_cases / sizeof exec_cases[0]);
	suite_add_tcase(s, tc);
	return s;
}
