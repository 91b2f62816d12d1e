/* Unit tests: src/core/record.c, the syslog and journal records; and the
 * core pieces a supervisor shares with the library (the listed directory
 * a path is under, a start directory that is shared). */
#include <config.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_suites.h"
#include "core/config.h"
#include "core/record.h"
#include "core/walk.h"

static struct tg_event blocked_event(void)
{
	return (struct tg_event){
		.pid = 4242,
		.uid = 0,
		.exe = "/usr/bin/prog",
		.kind = TG_EV_HIJACK_BLOCKED,
		.func = "openat",
		.path = "/tmp/x\nnew line",
		.action = TG_ACT_BLOCKED,
		.caller_module = "/usr/bin/prog",
		.caller_offset = 0x1a2b,
		.err = 13,
		.mode = TG_MODE_HARDEN,
		.detail = "symlink",
	};
}

START_TEST(test_syslog_head)
{
	struct tg_event ev = blocked_event();
	char head[TG_RECORD_SYSLOG_HEAD];
	size_t n = tg_record_syslog_head(&ev, head);
	ck_assert_uint_eq(n, strlen("<12>tmpguard[4242]: "));
	ck_assert(memcmp(head, "<12>tmpguard[4242]: ", n) == 0);
	ev.kind = TG_EV_PREDICTABLE_CREATE; /* unsafe code: LOG_NOTICE */
	n = tg_record_syslog_head(&ev, head);
	ck_assert(memcmp(head, "<13>tmpguard[4242]: ", n) == 0);
}
END_TEST

/* The value of KEY in a native journal record, NUL-terminated in out. */
static int field(const char *rec, size_t len, const char *key, char *out,
		 size_t out_len)
{
	size_t klen = strlen(key);
	const char *p = rec, *end = rec + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL || nl + 9 > end)
			return -1;
		uint64_t vlen = 0;
		for (int i = 0; i < 8; i++)
			vlen |= (uint64_t)(unsigned char)nl[1 + i] << (8 * i);
		const char *v = nl + 9;
		if (v + vlen + 1 > end || v[vlen] != '\n')
			return -1;
		if ((size_t)(nl - p) == klen && memcmp(p, key, klen) == 0) {
			if (vlen + 1 > out_len)
				return -1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return 0;
		}
		p = v + vlen + 1;
	}
	return -1;
}

START_TEST(test_journal_record)
{
	struct tg_event ev = blocked_event();
	const char line[] = "the line\n";
	size_t need = tg_record_journal_max(&ev, sizeof line - 1);
	char *buf = malloc(need);
	size_t n = tg_record_journal(&ev, line, sizeof line - 1, buf, need);
	ck_assert(n > 0 && n <= need);
	char v[256];
	ck_assert_int_eq(field(buf, n, "MESSAGE", v, sizeof v), 0);
	ck_assert_str_eq(v, "the line"); /* its '\n' dropped */
	ck_assert_int_eq(field(buf, n, "PRIORITY", v, sizeof v), 0);
	ck_assert_str_eq(v, "4");
	ck_assert_int_eq(field(buf, n, "TMPGUARD_PATH", v, sizeof v), 0);
	ck_assert_str_eq(v, "/tmp/x\nnew line"); /* any bytes */
	ck_assert_int_eq(field(buf, n, "TMPGUARD_CALLER", v, sizeof v), 0);
	ck_assert_str_eq(v, "/usr/bin/prog+0x1a2b");
	ck_assert_int_eq(field(buf, n, "TMPGUARD_ERROR", v, sizeof v), 0);
	ck_assert_str_eq(v, "EACCES");
	ck_assert_int_eq(field(buf, n, "TMPGUARD_DETAIL", v, sizeof v), 0);
	ck_assert_str_eq(v, "symlink");
	ev.action = TG_ACT_LOGGED; /* no errno unless blocked */
	n = tg_record_journal(&ev, line, sizeof line - 1, buf, need);
	ck_assert_int_eq(field(buf, n, "TMPGUARD_ERRNO", v, sizeof v), -1);
	free(buf);
}
END_TEST

static const char *names_env(const char *name, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "TMPGUARD_DIRS") == 0)
		return "/srv/shared:/srv/shared/inner";
	return NULL;
}

START_TEST(test_shared_prefix)
{
	struct tg_config *cfg = malloc(sizeof *cfg);
	char msgs[TG_MSG_MAX];
	struct tg_config_env env = { .get = names_env };
	tg_config_parse(cfg, &env, msgs, sizeof msgs);
	ck_assert_uint_eq(tg_config_shared_prefix(cfg, "/tmp/x"), 4);
	ck_assert_uint_eq(tg_config_shared_prefix(cfg, "/tmpx/y"), 0);
	ck_assert_uint_eq(tg_config_shared_prefix(cfg, "/srv/shared/inner/f"),
			  strlen("/srv/shared")); /* the outermost */
	ck_assert_uint_eq(tg_config_shared_prefix(cfg, "/var/tmp"), 8);
	ck_assert_uint_eq(tg_config_shared_prefix(cfg, "/etc/passwd"), 0);
	free(cfg);
}
END_TEST

START_TEST(test_dir_shared)
{
	char tmpl[] = "/tmp/tg-check-record.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	chmod(tmpl, 0755);
	char ww[sizeof tmpl + 8];
	snprintf(ww, sizeof ww, "%s/ww", tmpl);
	ck_assert_int_eq(mkdir(ww, 0755), 0);
	chmod(ww, 0777);
	struct tg_trust t = { geteuid(), 0, NULL };
	int priv = open(tmpl, O_PATH | O_DIRECTORY);
	int shared = open(ww, O_PATH | O_DIRECTORY);
	ck_assert_int_eq(tg_walk_dir_shared(priv, &t, NULL, 0), 0);
	ck_assert_int_eq(tg_walk_dir_shared(shared, &t, NULL, 0), 1);
	/* listed by identity */
	struct stat st;
	fstat(priv, &st);
	struct tg_dir_id id = { st.st_dev, st.st_ino };
	ck_assert_int_eq(tg_walk_dir_shared(priv, &t, &id, 1), 1);
	close(priv);
	close(shared);
	rmdir(ww);
	rmdir(tmpl);
}
END_TEST

Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_syslog_head);
	tcase_add_test(tc, test_journal_record);
	tcase_add_test(tc, test_shared_prefix);
	tcase_add_test(tc, test_dir_shared);
	suite_add_tcase(s, tc);
	return s;
}
