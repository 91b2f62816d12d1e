/* Unit tests: src/core/config.c */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "core/config.h"
#include "core/passwd.h"

/* Index of the first byte in [from, to) of area that is not the canary
 * 0xa5, or to when all are intact (one assertion instead of one per byte:
 * each Check assertion costs a system call). */
static size_t canary_broken(const char *area, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if ((unsigned char)area[i] != 0xa5)
			return i;
	return to;
}

/* A fake environment: NULL-terminated name/value pairs. */
struct env {
	const char *kv[32];
};

static const char *env_get(const char *name, void *ctx)
{
	const struct env *e = ctx;
	for (int i = 0; e->kv[i] != NULL; i += 2)
		if (strcmp(e->kv[i], name) == 0)
			return e->kv[i + 1];
	return NULL;
}

/* A fake file system's directories: a name is looked up after collapsing
 * repeated and trailing slashes, as the kernel would; names under /missing
 * do not exist; /alias/tmp is another name of /tmp. Identities are made
 * from the name, so each distinct name is its own directory. */
static struct tg_dir_id fake_id(const char *name)
{
	char norm[PATH_MAX];
	size_t n = 0;
	for (const char *p = name; *p; p++)
		if (!(*p == '/' && n > 0 && norm[n - 1] == '/'))
			norm[n++] = *p;
	while (n > 1 && norm[n - 1] == '/')
		n--;
	norm[n] = '\0';
	if (strcmp(norm, "/alias/tmp") == 0) {
		strcpy(norm, "/tmp");
		n = 4;
	}
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)norm[i]) * 0x100000001b3ull;
	return (struct tg_dir_id){ 7, (ino_t)h };
}

static int fake_lookup(const char *path, struct tg_dir_id *id, void *ctx)
{
	(void)ctx;
	if (strncmp(path, "/missing", 8) == 0)
		return -1;
	*id = fake_id(path);
	return 0;
}

/* Users of a fake system: alice is 1001; names under "ghost" do not exist. */
static int fake_user(const char *name, uid_t *uid, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "alice") == 0) {
		*uid = 1001;
		return 0;
	}
	return -1;
}

static struct tg_config_env fake_env(void *ctx, int secure)
{
	return (struct tg_config_env){ .get = env_get, .look_user = fake_user,
				       .ctx = ctx, .secure = secure };
}

static struct tg_config cfg;
static char msgs[4096];

/* The parse of environment e into cfg, messages into out (may be NULL). */
static int parse_into(void *e, char *out, size_t len)
{
	struct tg_config_env env = fake_env(e, 0);
	return tg_config_parse(&cfg, &env, out, len);
}

/* The i-th name of cfg's directories, "" past the last. */
static const char *dir_name(int i)
{
	const char *q = cfg.names;
	for (; *q && i > 0; i--)
		q += strlen(q) + 1;
	return q;
}
#define ck_assert_dir(i, name) ck_assert_str_eq(dir_name(i), name)

static int parse(int secure, const char *const *kv)
{
	struct env e;
	int i = 0;
	memset(&e, 0, sizeof e);
	for (; kv != NULL && kv[i] != NULL; i++)
		e.kv[i] = kv[i];
	memset(&cfg, 0xa5, sizeof cfg); /* the parser must zero it */
	memset(msgs, 'M', sizeof msgs);
	struct tg_config_env env = fake_env(&e, secure);
	return tg_config_parse(&cfg, &env, msgs, sizeof msgs);
}

#define ENV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void assert_defaults_dirs(void)
{
	ck_assert_int_ge(cfg.ndirs, 3);
	ck_assert_dir(0, "/tmp");
	ck_assert_dir(1, "/var/tmp");
	ck_assert_dir(2, "/dev/shm");
}

START_TEST(test_defaults)
{
	ck_assert_int_eq(parse(0, NULL), 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_int_eq(cfg.format, TG_FORMAT_TEXT);
	ck_assert_int_eq(cfg.sink, TG_SINK_STDERR);
	ck_assert_str_eq(cfg.log_path, "");
	ck_assert_int_eq(cfg.ndirs, 3);
	assert_defaults_dirs();
	ck_assert_str_eq(dir_name(3), ""); /* the list ends */
	ck_assert_str_eq(cfg.handshake.name, "");
	ck_assert_str_eq(cfg.handshake.token, "");
	ck_assert_str_eq(cfg.syslog_socket, "/dev/log");
	ck_assert_str_eq(cfg.journal_socket, "/run/systemd/journal/socket");
}
END_TEST

START_TEST(test_defaults_secure)
{
	ck_assert_int_eq(parse(1, NULL), 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_int_eq(cfg.sink, TG_SINK_STDERR);
	ck_assert_int_eq(cfg.ndirs, 3);
}
END_TEST

START_TEST(test_null_getenv_and_msgs)
{
	memset(&cfg, 0xa5, sizeof cfg);
	ck_assert_int_eq(parse_into(&(struct env){ { NULL } }, NULL, 0),
			 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	/* problems are counted even with nowhere to write them */
	struct env e = { { "TMPGUARD_MODE", "x", "TMPGUARD_FORMAT", "y", NULL } };
	ck_assert_int_eq(parse_into(&e, NULL, 0),
			 2);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
}
END_TEST

/* ---- TMPGUARD_MODE -------------------------------------------------------- */

START_TEST(test_mode)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "audit")), 0);
	ck_assert_int_eq(cfg.mode, TG_MODE_AUDIT);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "AUDIT")), 0);
	ck_assert_int_eq(cfg.mode, TG_MODE_AUDIT);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "Audit")), 0);
	ck_assert_int_eq(cfg.mode, TG_MODE_AUDIT);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "harden")), 0);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "HarDen")), 0);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "")), 0);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_str_eq(msgs, "");
}
END_TEST

START_TEST(test_mode_invalid)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "paranoid")), 1);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_str_eq(msgs, "tmpguard: TMPGUARD_MODE='paranoid' is not harden or audit; using harden\n");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "audit ")), 1);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "auditx")), 1);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "audi")), 1);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	/* a value with a newline stays on one line */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", "a\nb")), 1);
	ck_assert_str_eq(msgs, "tmpguard: TMPGUARD_MODE='a\\x0ab' is not harden or audit; using harden\n");
}
END_TEST

START_TEST(test_mode_secure)
{
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_MODE", "audit")), 1);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_str_eq(msgs, "tmpguard: secure-execution process: TMPGUARD_MODE=audit ignored, using harden\n");
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_MODE", "AUDIT")), 1);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_MODE", "harden")), 0);
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_str_eq(msgs, "");
}
END_TEST

START_TEST(test_mode_name)
{
	ck_assert_str_eq(tg_mode_name(TG_MODE_HARDEN), "harden");
	ck_assert_str_eq(tg_mode_name(TG_MODE_AUDIT), "audit");
}
END_TEST

/* ---- TMPGUARD_FORMAT ------------------------------------------------------ */

START_TEST(test_format)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FORMAT", "json")), 0);
	ck_assert_int_eq(cfg.format, TG_FORMAT_JSON);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FORMAT", "JSON")), 0);
	ck_assert_int_eq(cfg.format, TG_FORMAT_JSON);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FORMAT", "text")), 0);
	ck_assert_int_eq(cfg.format, TG_FORMAT_TEXT);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FORMAT", "")), 0);
	ck_assert_int_eq(cfg.format, TG_FORMAT_TEXT);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FORMAT", "xml")), 1);
	ck_assert_int_eq(cfg.format, TG_FORMAT_TEXT);
	ck_assert_str_eq(msgs, "tmpguard: TMPGUARD_FORMAT='xml' is not text or json; using text\n");
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_FORMAT", "json")), 0);
	ck_assert_int_eq(cfg.format, TG_FORMAT_JSON);
}
END_TEST

/* ---- TMPGUARD_LOG --------------------------------------------------------- */

START_TEST(test_log)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", "stderr")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_STDERR);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", "")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_STDERR);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", "syslog")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_SYSLOG);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", "journal")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_JOURNAL);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", "/var/log/tmpguard.log")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_FILE);
	ck_assert_str_eq(cfg.log_path, "/var/log/tmpguard.log");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", "rel/events.log")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_FILE);
	ck_assert_str_eq(cfg.log_path, "rel/events.log");
	ck_assert_str_eq(msgs, "");
}
END_TEST

START_TEST(test_log_secure)
{
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_LOG", "/tmp/evil")), 1);
	ck_assert_int_eq(cfg.sink, TG_SINK_SYSLOG);
	ck_assert_str_eq(cfg.log_path, "");
	ck_assert_str_eq(msgs, "tmpguard: secure-execution process: TMPGUARD_LOG file ignored, logging to syslog\n");
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_LOG", "rel")), 1);
	ck_assert_int_eq(cfg.sink, TG_SINK_SYSLOG);
	ck_assert_str_eq(cfg.log_path, "");
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_LOG", "journal")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_JOURNAL);
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_LOG", "stderr")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_STDERR);
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_LOG", "syslog")), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_SYSLOG);
	ck_assert_str_eq(msgs, "");
}
END_TEST

START_TEST(test_log_too_long)
{
	static char path[PATH_MAX + 1];
	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[PATH_MAX] = '\0'; /* PATH_MAX bytes: too long */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", path)), 1);
	ck_assert_int_eq(cfg.sink, TG_SINK_STDERR);
	ck_assert_str_eq(cfg.log_path, "");
	ck_assert(strncmp(msgs, "tmpguard: TMPGUARD_LOG=", 23) == 0);
	ck_assert_ptr_nonnull(strstr(msgs, "too long"));
	ck_assert_ptr_nonnull(strstr(msgs, "stderr"));
	ck_assert_uint_lt(strlen(msgs), TG_MSG_MAX); /* the value is cut */
	ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
	path[PATH_MAX - 1] = '\0'; /* PATH_MAX - 1: fits */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_LOG", path)), 0);
	ck_assert_int_eq(cfg.sink, TG_SINK_FILE);
	ck_assert_str_eq(cfg.log_path, path);
}
END_TEST

/* ---- directories ---------------------------------------------------------- */

START_TEST(test_tmpdir)
{
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "/scratch")), 0);
	ck_assert_int_eq(cfg.ndirs, 4);
	assert_defaults_dirs();
	ck_assert_dir(3, "/scratch");
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "//scratch//me///")), 0);
	ck_assert_int_eq(cfg.ndirs, 4);
	ck_assert_dir(3, "/scratch/me");
	/* silently ignored: relative, empty; duplicates skipped */
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "relative/dir")), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "")), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "/tmp")), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "/tmp/")), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "//var//tmp")), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "/")), 0);
	ck_assert_int_eq(cfg.ndirs, 4);
	ck_assert_dir(3, "/");
	ck_assert_str_eq(msgs, "");
	/* TMPDIR comes before TMPGUARD_DIRS */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", "/b", "TMPDIR", "/a")), 0);
	ck_assert_int_eq(cfg.ndirs, 5);
	ck_assert_dir(3, "/a");
	ck_assert_dir(4, "/b");
}
END_TEST

START_TEST(test_tmpdir_too_long)
{
	static char path[PATH_MAX + 1];
	memset(path, 'a', PATH_MAX);
	path[0] = '/';
	path[PATH_MAX] = '\0';
	ck_assert_int_eq(parse(0, ENV("TMPDIR", path)), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	path[PATH_MAX - 1] = '\0';
	ck_assert_int_eq(parse(0, ENV("TMPDIR", path)), 0);
	ck_assert_int_eq(cfg.ndirs, 4);
	ck_assert_dir(3, path);
}
END_TEST

START_TEST(test_dirs)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", "/srv/spool:/b//c/::/a:/srv/spool/")), 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(cfg.ndirs, 6);
	assert_defaults_dirs();
	ck_assert_dir(3, "/srv/spool");
	ck_assert_dir(4, "/b/c");
	ck_assert_dir(5, "/a");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", ":::")), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", "")), 0);
	ck_assert_int_eq(cfg.ndirs, 3);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", "/:///:/tmp:/dev/shm/")), 0);
	ck_assert_int_eq(cfg.ndirs, 4);
	ck_assert_dir(3, "/");
	ck_assert_str_eq(msgs, "");
	/* each name is looked up as it is given */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", "/a/./b:/a/../b")), 0);
	ck_assert_dir(3, "/a/./b");
	ck_assert_dir(4, "/a/../b");
}
END_TEST

/* The directories' identities, looked up when first needed: those that do
 * not exist are not shared, two names of one directory are one. */
START_TEST(test_dirs_identity)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS",
				     "/missing/a:/srv:/alias/tmp:/missing:/srv/")),
			 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(cfg.ndirs, 7); /* names */
	struct tg_dir_id ids[TG_MAX_DIRS];
	int n = tg_config_dir_ids(&cfg, fake_lookup, NULL, ids);
	ck_assert_int_eq(n, 4);
	static const char *const want[] = { "/tmp", "/var/tmp", "/dev/shm", "/srv" };
	for (int i = 0; i < 4; i++) {
		struct tg_dir_id w = fake_id(want[i]);
		ck_assert_msg(ids[i].dev == w.dev && ids[i].ino == w.ino,
			      "ids[%d] is not %s", i, want[i]);
	}
	ck_assert_int_eq(parse(0, ENV("TMPDIR", "/missing/tmp")), 0);
	ck_assert_int_eq(tg_config_dir_ids(&cfg, fake_lookup, NULL, ids), 3);
}
END_TEST

START_TEST(test_dirs_relative)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", "/ok:rel:./x:/ok2")), 2);
	ck_assert_str_eq(msgs,
			 "tmpguard: TMPGUARD_DIRS entry 'rel' is not an absolute path; ignored\n"
			 "tmpguard: TMPGUARD_DIRS entry './x' is not an absolute path; ignored\n");
	ck_assert_int_eq(cfg.ndirs, 5);
	ck_assert_dir(3, "/ok");
	ck_assert_dir(4, "/ok2");
}
END_TEST

START_TEST(test_dirs_too_long)
{
	static char val[PATH_MAX + 64];
	strcpy(val, "/a:");
	memset(val + 3, 'x', PATH_MAX);
	val[3] = '/';
	strcpy(val + 3 + PATH_MAX, ":/b");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", val)), 1);
	ck_assert_int_eq(cfg.ndirs, 5);
	ck_assert_dir(3, "/a");
	ck_assert_dir(4, "/b");
	ck_assert(strncmp(msgs, "tmpguard: TMPGUARD_DIRS entry '", 31) == 0);
	ck_assert_ptr_nonnull(strstr(msgs, "too long"));
	ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
	/* PATH_MAX - 1 bytes is accepted */
	val[3 + PATH_MAX - 1] = '\0';
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", val)), 0);
	ck_assert_int_eq(cfg.ndirs, 5);
	ck_assert_dir(4, val + 3);
}
END_TEST

START_TEST(test_dirs_overflow)
{
	static char val[64 * 16];
	size_t n = 0;
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(val + n, sizeof val - n, "%s/d%d", i ? ":" : "", i);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", val, "TMPDIR", "/t")), 1);
	ck_assert_int_eq(cfg.ndirs, TG_MAX_DIRS);
	assert_defaults_dirs();
	ck_assert_dir(3, "/t");
	ck_assert_dir(4, "/d0");
	ck_assert_dir(TG_MAX_DIRS - 1, "/d27");
	/* one message, one line */
	ck_assert(strncmp(msgs, "tmpguard: ", 10) == 0);
	ck_assert_ptr_nonnull(strstr(msgs, "TMPGUARD_DIRS"));
	ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
	/* exactly full: no message */
	n = 0;
	for (int i = 0; i < TG_MAX_DIRS - 3; i++)
		n += (size_t)snprintf(val + n, sizeof val - n, "%s/d%d", i ? ":" : "", i);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", val)), 0);
	ck_assert_int_eq(cfg.ndirs, TG_MAX_DIRS);
	/* duplicates past the limit are not an overflow */
	strcat(val, ":/d0:/tmp");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", val)), 0);
	ck_assert_int_eq(cfg.ndirs, TG_MAX_DIRS);
}
END_TEST

/* ---- TMPGUARD_HANDSHAKE --------------------------------------------------- */

static const struct {
	const char *value;
	int ok;
	const char *token;
	const char *name;
} hs_cases[] = {
	{ "0123456789abcdef0123456789abcdef@tmpguard-42-x1y2", 1,
	  "0123456789abcdef0123456789abcdef", "tmpguard-42-x1y2" },
	{ "deadbeef@n", 1, "deadbeef", "n" },
	{ "deadbeef@a@b", 1, "deadbeef", "a@b" },
	{ "deadbeef@!~", 1, "deadbeef", "!~" },
	{ "deadbee@name", 0, NULL, NULL },          /* token 7 */
	{ "DEADBEEF@name", 0, NULL, NULL },         /* upper case */
	{ "deadbeeg@name", 0, NULL, NULL },         /* not hex */
	{ "deadbeef@", 0, NULL, NULL },             /* empty name */
	{ "@name", 0, NULL, NULL },
	{ "deadbeefname", 0, NULL, NULL },          /* no @ */
	{ "deadbeef@na me", 0, NULL, NULL },        /* space */
	{ "deadbeef@na\tme", 0, NULL, NULL },
	{ "deadbeef@na\x7fme", 0, NULL, NULL },
	{ "deadbeef@na\xc3\xa9", 0, NULL, NULL },
	{ "dead beef@name", 0, NULL, NULL },
};

START_TEST(test_handshake)
{
	int r = parse(0, ENV("TMPGUARD_HANDSHAKE", hs_cases[_i].value));
	if (hs_cases[_i].ok) {
		ck_assert_int_eq(r, 0);
		ck_assert_str_eq(msgs, "");
		ck_assert_str_eq(cfg.handshake.token, hs_cases[_i].token);
		ck_assert_str_eq(cfg.handshake.name, hs_cases[_i].name);
	} else {
		ck_assert_int_eq(r, 1);
		ck_assert_str_eq(cfg.handshake.token, "");
		ck_assert_str_eq(cfg.handshake.name, "");
		ck_assert(strncmp(msgs, "tmpguard: TMPGUARD_HANDSHAKE", 28) == 0);
		ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
	}
}
END_TEST

START_TEST(test_handshake_lengths)
{
	char val[256];
	/* token: 8..63 */
	for (int tl = 1; tl <= 70; tl++) {
		memset(val, 'a', (size_t)tl);
		strcpy(val + tl, "@sock");
		int r = parse(0, ENV("TMPGUARD_HANDSHAKE", val));
		int ok = tl >= 8 && tl <= 63;
		ck_assert_msg(r == !ok, "token length %d: %d problems", tl, r);
		ck_assert_uint_eq(strlen(cfg.handshake.token), ok ? (size_t)tl : 0);
	}
	/* name: 1..100 */
	for (int nl = 0; nl <= 110; nl++) {
		strcpy(val, "0123abcd@");
		memset(val + 9, 'n', (size_t)nl);
		val[9 + nl] = '\0';
		int r = parse(0, ENV("TMPGUARD_HANDSHAKE", val));
		int ok = nl >= 1 && nl <= 100;
		ck_assert_msg(r == !ok, "name length %d: %d problems", nl, r);
		ck_assert_uint_eq(strlen(cfg.handshake.name), ok ? (size_t)nl : 0);
		ck_assert_uint_eq(strlen(cfg.handshake.token), ok ? 8 : 0);
	}
	/* empty: unset */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_HANDSHAKE", "")), 0);
	ck_assert_str_eq(cfg.handshake.name, "");
	/* kept in a secure-execution process: it names no file */
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_HANDSHAKE", "0123abcd@s")), 0);
	ck_assert_str_eq(cfg.handshake.name, "s");
}
END_TEST

/* ---- sockets -------------------------------------------------------------- */

START_TEST(test_sockets)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_SYSLOG_SOCKET", "/tmp/t/log",
				      "TMPGUARD_JOURNAL_SOCKET", "/tmp/t/journal")), 0);
	ck_assert_str_eq(cfg.syslog_socket, "/tmp/t/log");
	ck_assert_str_eq(cfg.journal_socket, "/tmp/t/journal");
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_SYSLOG_SOCKET", "",
				      "TMPGUARD_JOURNAL_SOCKET", "")), 0);
	ck_assert_str_eq(cfg.syslog_socket, "/dev/log");
	ck_assert_str_eq(cfg.journal_socket, "/run/systemd/journal/socket");
	ck_assert_str_eq(msgs, "");

	ck_assert_int_eq(parse(0, ENV("TMPGUARD_SYSLOG_SOCKET", "rel/log")), 1);
	ck_assert_str_eq(cfg.syslog_socket, "/dev/log");
	ck_assert(strncmp(msgs, "tmpguard: TMPGUARD_SYSLOG_SOCKET='rel/log' ", 43) == 0);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_JOURNAL_SOCKET", "j")), 1);
	ck_assert_str_eq(cfg.journal_socket, "/run/systemd/journal/socket");
	ck_assert(strncmp(msgs, "tmpguard: TMPGUARD_JOURNAL_SOCKET='j' ", 38) == 0);
}
END_TEST

START_TEST(test_sockets_length)
{
	char val[TG_SOCK_PATH_MAX + 8];
	memset(val, 's', sizeof val);
	val[0] = '/';
	val[TG_SOCK_PATH_MAX - 1] = '\0'; /* 107 bytes: fits sun_path */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_SYSLOG_SOCKET", val)), 0);
	ck_assert_str_eq(cfg.syslog_socket, val);
	val[TG_SOCK_PATH_MAX - 1] = 's';
	val[TG_SOCK_PATH_MAX] = '\0'; /* 108 bytes */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_SYSLOG_SOCKET", val,
				      "TMPGUARD_JOURNAL_SOCKET", val)), 2);
	ck_assert_str_eq(cfg.syslog_socket, "/dev/log");
	ck_assert_str_eq(cfg.journal_socket, "/run/systemd/journal/socket");
}
END_TEST

START_TEST(test_sockets_secure)
{
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_SYSLOG_SOCKET", "/tmp/evil",
				      "TMPGUARD_JOURNAL_SOCKET", "/tmp/evil2")), 0);
	ck_assert_str_eq(cfg.syslog_socket, "/dev/log");
	ck_assert_str_eq(cfg.journal_socket, "/run/systemd/journal/socket");
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_SYSLOG_SOCKET", "rel")), 0);
	ck_assert_str_eq(cfg.syslog_socket, "/dev/log");
}
END_TEST

/* run --supervise's marks: MODE:PATH, 8 and 16 lowercase hex digits, the
 * first only in bits 16 to 30, neither zero */
static const struct {
	const char *value;
	unsigned mark; /* 0: refused */
	unsigned long long path_mark;
} mark_cases[] = {
	{ "00010000:0000000000000001", 0x10000, 1 },
	{ "7fff0000:ffffffffffffffff", 0x7fff0000, 0xffffffffffffffffULL },
	{ "12340000:0123456789abcdef", 0x12340000, 0x0123456789abcdefULL },
	{ "00000000:0123456789abcdef", 0, 0 },
	{ "80000000:0123456789abcdef", 0, 0 },
	{ "1234ffff:0123456789abcdef", 0, 0 },
	{ "12340001:0123456789abcdef", 0, 0 },
	{ "12340000:0000000000000000", 0, 0 },
	{ "12340000", 0, 0 },
	{ "12340000:", 0, 0 },
	{ "12340000:0123456789abcde", 0, 0 },
	{ "12340000:0123456789abcdef0", 0, 0 },
	{ "12340000;0123456789abcdef", 0, 0 },
	{ "1234000G:0123456789abcdef", 0, 0 },
	{ "12340000:0123456789ABCDEF", 0, 0 },
	{ " 12340000:0123456789abcdef", 0, 0 },
};

START_TEST(test_supervise_mark)
{
	int r = parse(0, ENV("TMPGUARD_SUPERVISE", mark_cases[_i].value));
	ck_assert_uint_eq(cfg.supervise_mark, mark_cases[_i].mark);
	ck_assert(cfg.supervise_path_mark == mark_cases[_i].path_mark);
	ck_assert_int_eq(r, mark_cases[_i].mark == 0);
	if (mark_cases[_i].mark == 0)
		ck_assert_str_eq(msgs, "tmpguard: TMPGUARD_SUPERVISE is not run "
				       "--supervise's mark; ignored\n");
}
END_TEST

START_TEST(test_supervise_mark_unset_or_secure)
{
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_SUPERVISE", "")), 0);
	ck_assert_uint_eq(cfg.supervise_mark, 0);
	/* a secure-execution process: every creation left to the supervisor */
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_SUPERVISE",
				      "12340000:0123456789abcdef")), 0);
	ck_assert_uint_eq(cfg.supervise_mark, 0);
	ck_assert(cfg.supervise_path_mark == 0);
	ck_assert_str_eq(msgs, "");
}
END_TEST

/* ---- messages ------------------------------------------------------------- */

START_TEST(test_messages_combined)
{
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_MODE", "audit", "TMPGUARD_FORMAT", "yaml",
				      "TMPGUARD_LOG", "/tmp/f", "TMPGUARD_DIRS", "x")), 4);
	ck_assert_str_eq(msgs,
			 "tmpguard: secure-execution process: TMPGUARD_MODE=audit ignored, using harden\n"
			 "tmpguard: TMPGUARD_FORMAT='yaml' is not text or json; using text\n"
			 "tmpguard: secure-execution process: TMPGUARD_LOG file ignored, logging to syslog\n"
			 "tmpguard: TMPGUARD_DIRS entry 'x' is not an absolute path; ignored\n");
	ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	ck_assert_int_eq(cfg.format, TG_FORMAT_TEXT);
	ck_assert_int_eq(cfg.sink, TG_SINK_SYSLOG);
}
END_TEST

START_TEST(test_messages_small_buffer)
{
	/* every buffer size: NUL-terminated, never past the end, whole lines
	 * when they fit and a cut line still ends in '\n' */
	static const char *const kv[] = { "TMPGUARD_MODE", "bad", "TMPGUARD_FORMAT", "worse", NULL };
	char full[512];
	struct env e;
	memset(&e, 0, sizeof e);
	memcpy(e.kv, kv, sizeof kv);
	ck_assert_int_eq(parse_into(&e, full, sizeof full),
			 2);
	size_t need = strlen(full);
	for (size_t len = 1; len <= need + 2; len++) {
		char area[600];
		memset(area, 0xa5, sizeof area);
		ck_assert_int_eq(parse_into(&e, area, len),
				 2);
		ck_assert_uint_eq(canary_broken(area, len, sizeof area), sizeof area);
		size_t got = strlen(area);
		ck_assert_uint_lt(got, len);
		ck_assert_uint_eq(got, need < len ? need : len - 1);
		if (got > 0)
			ck_assert_int_eq(area[got - 1], '\n');
		ck_assert_int_eq(cfg.mode, TG_MODE_HARDEN);
	}
}
END_TEST

START_TEST(test_messages_long_value)
{
	static char val[10000];
	memset(val, 'v', sizeof val - 1);
	val[sizeof val - 1] = '\0';
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_MODE", val)), 1);
	ck_assert(strncmp(msgs, "tmpguard: TMPGUARD_MODE='vvv", 28) == 0);
	ck_assert_uint_lt(strlen(msgs), 400);
	ck_assert_ptr_nonnull(strstr(msgs, "...' is not harden or audit; using harden\n"));
}
END_TEST


/* ---- names that recognize a path ---------------------------------------- */

/* cfg.names as "a|b|c" */
static const char *names_joined(void)
{
	static char out[TG_NAMES_MAX + 1];
	size_t n = 0;
	for (const char *q = cfg.names; *q; q += strlen(q) + 1) {
		if (n)
			out[n++] = '|';
		memcpy(out + n, q, strlen(q));
		n += strlen(q);
	}
	out[n] = '\0';
	return out;
}

START_TEST(test_names)
{
	ck_assert_int_eq(parse(0, NULL), 0);
	ck_assert_str_eq(names_joined(), "/tmp|/var/tmp|/dev/shm");
	/* normalized, each name once (a missing directory's too: that it
	 * does not exist is learned when its identity is looked up) */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS",
				     "//srv//spool/:/alias/tmp:/missing/x:/srv/spool",
				     "TMPDIR", "/tmp/")),
			 0);
	ck_assert_str_eq(names_joined(),
			 "/tmp|/var/tmp|/dev/shm|/srv/spool|/alias/tmp|/missing/x");
	ck_assert_int_eq(cfg.ndirs, 6);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", "/")), 0);
	ck_assert_str_eq(names_joined(), "/tmp|/var/tmp|/dev/shm|/");
}
END_TEST

START_TEST(test_names_full)
{
	/* the names' room is bounded: past it, one message, and the names
	 * that fit are kept whole */
	static char val[TG_MAX_DIRS * 600];
	size_t n = 0;
	for (int i = 0; i < TG_MAX_DIRS - 3; i++) {
		char one[600];
		memset(one, 'n', sizeof one);
		one[0] = '/';
		snprintf(one + 580, sizeof one - 580, "%02d", i);
		n += (size_t)snprintf(val + n, sizeof val - n, "%s%s", i ? ":" : "", one);
	}
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_DIRS", val)), 1);
	ck_assert_ptr_nonnull(strstr(msgs, "TMPGUARD_DIRS"));
	ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
	size_t used = 0;
	int count = 0;
	for (const char *q = cfg.names; *q; q += strlen(q) + 1, count++) {
		used += strlen(q) + 1;
		ck_assert(q[0] == '/');
	}
	ck_assert_uint_lt(used, TG_NAMES_MAX);
	ck_assert_int_eq(count, cfg.ndirs);
	ck_assert_int_lt(count, TG_MAX_DIRS);
	ck_assert_int_gt(count, 3);
}
END_TEST

/* ---- TMPGUARD_TRUST --------------------------------------------------------- */

START_TEST(test_trust)
{
	ck_assert_int_eq(parse(0, NULL), 0);
	ck_assert_int_eq(cfg.ntrust, 0);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_TRUST", "alice,0,4242,,65534")), 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(cfg.ntrust, 4);
	ck_assert_int_eq(cfg.trust[0], 1001);
	ck_assert_int_eq(cfg.trust[1], 0);
	ck_assert_int_eq(cfg.trust[2], 4242);
	ck_assert_int_eq(cfg.trust[3], 65534);
	/* an unknown name, a uid out of range, a negative one: each skipped
	 * with one line */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_TRUST",
				     "ghost,alice,4294967295,-1,99999999999")),
			 4);
	ck_assert_str_eq(msgs,
			 "tmpguard: TMPGUARD_TRUST entry 'ghost' is not a user name or uid; skipped\n"
			 "tmpguard: TMPGUARD_TRUST entry '4294967295' is not a user name or uid; skipped\n"
			 "tmpguard: TMPGUARD_TRUST entry '-1' is not a user name or uid; skipped\n"
			 "tmpguard: TMPGUARD_TRUST entry '99999999999' is not a user name or uid; skipped\n");
	ck_assert_int_eq(cfg.ntrust, 1);
	ck_assert_int_eq(cfg.trust[0], 1001);
	/* names only through the lookup */
	memset(&cfg, 0, sizeof cfg);
	struct env e = { { "TMPGUARD_TRUST", "alice,7", NULL } };
	struct tg_config_env env = { .get = env_get, .ctx = &e };
	ck_assert_int_eq(tg_config_parse(&cfg, &env, NULL, 0), 1);
	ck_assert_int_eq(cfg.ntrust, 1);
	ck_assert_int_eq(cfg.trust[0], 7);
}
END_TEST

START_TEST(test_trust_limits)
{
	static char val[TG_MAX_TRUST * 8 + 64];
	size_t n = 0;
	for (int i = 0; i < TG_MAX_TRUST + 5; i++)
		n += (size_t)snprintf(val + n, sizeof val - n, "%s%d", i ? "," : "", 100 + i);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_TRUST", val)), 1);
	ck_assert_int_eq(cfg.ntrust, TG_MAX_TRUST);
	ck_assert_int_eq(cfg.trust[TG_MAX_TRUST - 1], 100 + TG_MAX_TRUST - 1);
	ck_assert_ptr_nonnull(strstr(msgs, "TMPGUARD_TRUST"));
	ck_assert_ptr_eq(strchr(msgs, '\n'), msgs + strlen(msgs) - 1);
	/* a secure-execution process trusts nobody from the environment */
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_TRUST", "alice")), 1);
	ck_assert_int_eq(cfg.ntrust, 0);
	ck_assert_str_eq(msgs, "tmpguard: secure-execution process: TMPGUARD_TRUST ignored\n");
	/* a name with bytes a message must not carry raw */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_TRUST", "a\nb")), 1);
	ck_assert_str_eq(msgs, "tmpguard: TMPGUARD_TRUST entry 'a\\x0ab' is not a user name or uid; skipped\n");
}
END_TEST

/* ---- TMPGUARD_FILE_MODE ------------------------------------------------------ */

START_TEST(test_file_mode)
{
	ck_assert_int_eq(parse(0, NULL), 0);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PRIVATE);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FILE_MODE", "program")), 0);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PROGRAM);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FILE_MODE", "PRIVATE")), 0);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PRIVATE);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_FILE_MODE", "0644")), 1);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PRIVATE);
	ck_assert_str_eq(msgs, "tmpguard: TMPGUARD_FILE_MODE='0644' is not private or program; using private\n");
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_FILE_MODE", "program")), 1);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PRIVATE);
	/* sharing by intent: with TMPGUARD_TRUST and no TMPGUARD_FILE_MODE,
	 * the program's modes; an explicit private stays private */
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_TRUST", "alice")), 0);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PROGRAM);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_TRUST", "alice",
				     "TMPGUARD_FILE_MODE", "private")),
			 0);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PRIVATE);
	ck_assert_int_eq(parse(0, ENV("TMPGUARD_TRUST", "ghost")), 1);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PRIVATE);
	ck_assert_int_eq(parse(1, ENV("TMPGUARD_TRUST", "alice")), 1);
	ck_assert_int_eq(cfg.file_mode, TG_FILE_MODE_PRIVATE);
}
END_TEST

/* ---- /etc/passwd ------------------------------------------------------------- */

START_TEST(test_passwd)
{
	static const char text[] =
		"root:x:0:0:root:/root:/bin/bash\n"
		"alice:x:1001:1001::/home/alice:/bin/sh\n"
		"al:x:1002:1002::/:/bin/sh\n"
		"broken:x:12a:1::/:/bin/sh\n"
		"nofields\n"
		"last:x:4294967294:1::/:/bin/sh"; /* no final newline */
	uid_t uid = 7;
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "alice", &uid), 0);
	ck_assert_int_eq(uid, 1001);
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "root", &uid), 0);
	ck_assert_int_eq(uid, 0);
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "al", &uid), 0);
	ck_assert_int_eq(uid, 1002);
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "last", &uid), 0);
	ck_assert_int_eq(uid, 4294967294u);
	uid = 7;
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "alic", &uid), -1);
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "broken", &uid), -1);
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "nofields", &uid), -1);
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "", &uid), -1);
	ck_assert_int_eq(tg_passwd_uid(text, sizeof text - 1, "x:0", &uid), -1);
	ck_assert_int_eq(uid, 7);
	/* a line cut by the length given is not read past it */
	ck_assert_int_eq(tg_passwd_uid(text, 40, "alice", &uid), -1);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("basics");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_defaults_secure);
	tcase_add_test(tc, test_null_getenv_and_msgs);
	suite_add_tcase(s, tc);

	tc = tcase_create("mode_format_log");
	tcase_add_test(tc, test_mode);
	tcase_add_test(tc, test_mode_invalid);
	tcase_add_test(tc, test_mode_secure);
	tcase_add_test(tc, test_mode_name);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_log);
	tcase_add_test(tc, test_log_secure);
	tcase_add_test(tc, test_log_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("dirs");
	tcase_add_test(tc, test_tmpdir);
	tcase_add_test(tc, test_tmpdir_too_long);
	tcase_add_test(tc, test_dirs);
	tcase_add_test(tc, test_dirs_identity);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_names_full);
	tcase_add_test(tc, test_dirs_relative);
	tcase_add_test(tc, test_dirs_too_long);
	tcase_add_test(tc, test_dirs_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("handshake_sockets");
	tcase_add_loop_test(tc, test_handshake, 0, sizeof hs_cases / sizeof hs_cases[0]);
	tcase_add_test(tc, test_handshake_lengths);
	tcase_add_test(tc, test_sockets);
	tcase_add_test(tc, test_sockets_length);
	tcase_add_test(tc, test_sockets_secure);
	tcase_add_loop_test(tc, test_supervise_mark, 0,
			    sizeof mark_cases / sizeof mark_cases[0]);
	tcase_add_test(tc, test_supervise_mark_unset_or_secure);
	suite_add_tcase(s, tc);

	tc = tcase_create("messages");
	tcase_add_test(tc, test_messages_combined);
	tcase_add_test(tc, test_messages_small_buffer);
	tcase_add_test(tc, test_messages_long_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("sharing");
	tcase_add_test(tc, test_trust);
	tcase_add_test(tc, test_trust_limits);
	tcase_add_test(tc, test_file_mode);
	tcase_add_test(tc, test_passwd);
	suite_add_tcase(s, tc);
	return s;
}
