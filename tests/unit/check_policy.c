/* Unit tests: src/core/policy.c, the decision table the guard runs */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "check_suites.h"
#include "core/policy.h"

/* ---- fopen modes ---------------------------------------------------------- */

static const struct {
	const char *mode;
	int ret;
	int flags;
} fopen_cases[] = {
	{ "r", 0, O_RDONLY },
	{ "rb", 0, O_RDONLY },
	{ "r+", 0, O_RDWR },
	{ "w", 0, O_WRONLY | O_CREAT | O_TRUNC },
	{ "w+", 0, O_RDWR | O_CREAT | O_TRUNC },
	{ "wb", 0, O_WRONLY | O_CREAT | O_TRUNC },
	{ "a", 0, O_WRONLY | O_CREAT | O_APPEND },
	{ "a+", 0, O_RDWR | O_CREAT | O_APPEND },
	{ "a+b", 0, O_RDWR | O_CREAT | O_APPEND },
	{ "ab+", 0, O_RDWR | O_CREAT | O_APPEND },
	{ "wx", 0, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL },
	{ "w+x", 0, O_RDWR | O_CREAT | O_TRUNC | O_EXCL },
	{ "ax", 0, O_WRONLY | O_CREAT | O_APPEND | O_EXCL },
	{ "re", 0, O_RDONLY | O_CLOEXEC },
	{ "we", 0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC },
	{ "rbmce", 0, O_RDONLY | O_CLOEXEC },
	{ "wq", 0, O_WRONLY | O_CREAT | O_TRUNC },        /* unknown: ignored */
	{ "wq+", 0, O_RDWR | O_CREAT | O_TRUNC },
	{ "r,ccs=UTF-8", 0, O_RDONLY },
	{ "w,ccs=UTF-8", 0, O_WRONLY | O_CREAT | O_TRUNC },
	{ "w,x", 0, O_WRONLY | O_CREAT | O_TRUNC },       /* stops at ',' */
	{ "w+,e", 0, O_RDWR | O_CREAT | O_TRUNC },
	{ "wbbbbbx", 0, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL }, /* 6th char */
	{ "wbbbbbbx", 0, O_WRONLY | O_CREAT | O_TRUNC },  /* 7th: not read */
	{ "rbbbbb+", 0, O_RDWR },
	{ "rbbbbbb+", 0, O_RDONLY },
	{ "", -1, 0 },
	{ "z", -1, 0 },
	{ "+w", -1, 0 },
	{ "x", -1, 0 },
	{ "R", -1, 0 },
	{ NULL, -1, 0 },
};

START_TEST(test_fopen_flags)
{
	const char *mode = fopen_cases[_i].mode;
	int flags = 0x5a5a5a5a;
	errno = 0;
	int r = tg_fopen_flags(mode, &flags);
	ck_assert_msg(r == fopen_cases[_i].ret, "mode '%s': returned %d, expected %d",
		      mode ? mode : "(null)", r, fopen_cases[_i].ret);
	if (r == 0) {
		ck_assert_msg(flags == fopen_cases[_i].flags,
			      "mode '%s': flags %#o, expected %#o", mode, flags,
			      fopen_cases[_i].flags);
	} else {
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(flags, 0x5a5a5a5a); /* untouched */
	}
}
END_TEST

/* ---- path split ----------------------------------------------------------- */

static const struct {
	const char *path;
	int ret;
	const char *parent;
	const char *base;
} split_cases[] = {
	{ "/tmp/x", 0, "/tmp", "x" },
	{ "x", 0, ".", "x" },
	{ "/x", 0, "/", "x" },
	{ "a//b", 0, "a", "b" },
	{ "//x", 0, "/", "x" },
	{ "a/b/c", 0, "a/b", "c" },
	{ "a/b//c", 0, "a/b", "c" },
	{ "/tmp/...", 0, "/tmp", "..." },
	{ ".hidden", 0, ".", ".hidden" },
	{ "./x", 0, ".", "x" },
	{ "../x", 0, "..", "x" },
	{ "/tmp/a b\n", 0, "/tmp", "a b\n" },
	{ "", -1, NULL, NULL },
	{ NULL, -1, NULL, NULL },
	{ "/", -1, NULL, NULL },
	{ "//", -1, NULL, NULL },
	{ "/tmp/", -1, NULL, NULL },
	{ "x/", -1, NULL, NULL },
	{ ".", -1, NULL, NULL },
	{ "..", -1, NULL, NULL },
	{ "/tmp/.", -1, NULL, NULL },
	{ "/tmp/..", -1, NULL, NULL },
	{ "a/..", -1, NULL, NULL },
};

START_TEST(test_path_split)
{
	char parent[64];
	const char *base = (const char *)0x1;
	memset(parent, 'Z', sizeof parent);
	const char *path = split_cases[_i].path;
	int r = tg_path_split(path, parent, sizeof parent, &base);
	ck_assert_msg(r == split_cases[_i].ret, "'%s': returned %d",
		      path ? path : "(null)", r);
	if (r == 0) {
		ck_assert_str_eq(parent, split_cases[_i].parent);
		ck_assert_str_eq(base, split_cases[_i].base);
		/* base points into path */
		ck_assert_ptr_eq(base, path + strlen(path) - strlen(base));
	}
}
END_TEST

START_TEST(test_path_split_parent_size)
{
	char parent[5];
	const char *base = NULL;
	/* "/tmp" needs 5 bytes with its NUL */
	ck_assert_int_eq(tg_path_split("/tmp/x", parent, 5, &base), 0);
	ck_assert_str_eq(parent, "/tmp");
	ck_assert_str_eq(base, "x");
	memset(parent, 'Z', sizeof parent);
	ck_assert_int_eq(tg_path_split("/tmp/x", parent, 4, &base), -1);
	ck_assert_int_eq(parent[4], 'Z');
	ck_assert_int_eq(tg_path_split("x", parent, 2, &base), 0);
	ck_assert_str_eq(parent, ".");
	ck_assert_int_eq(tg_path_split("x", parent, 1, &base), -1);
	ck_assert_int_eq(tg_path_split("/x", parent, 1, &base), -1);
	ck_assert_int_eq(tg_path_split("/x", parent, 0, &base), -1);
	/* a long parent */
	char big[300];
	char out[300];
	memset(big, 'd', sizeof big);
	big[0] = '/';
	big[250] = '/';
	big[251] = 'f';
	big[252] = '\0';
	ck_assert_int_eq(tg_path_split(big, out, sizeof out, &base), 0);
	ck_assert_uint_eq(strlen(out), 250);
	ck_assert_str_eq(base, "f");
	ck_assert_int_eq(tg_path_split(big, out, 250, &base), -1);
	ck_assert_int_eq(tg_path_split(big, out, 251, &base), 0);
}
END_TEST

START_TEST(test_path_split_errno)
{
	char parent[16];
	const char *base;
	errno = 4242;
	tg_path_split("/tmp/", parent, sizeof parent, &base);
	tg_path_split("/tmp/x", parent, sizeof parent, &base);
	ck_assert_int_eq(errno, 4242);
}
END_TEST

/* ---- shared directories --------------------------------------------------- */

static struct stat mkstat(mode_t mode, dev_t dev, ino_t ino, uid_t uid,
			  nlink_t nlink)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_mode = mode;
	st.st_dev = dev;
	st.st_ino = ino;
	st.st_uid = uid;
	st.st_nlink = nlink;
	return st;
}

START_TEST(test_dir_shared)
{
	struct tg_dir_id ids[] = { { 8, 100 }, { 9, 200 } };
	struct stat st;

	st = mkstat(S_IFDIR | 01777, 1, 1, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, NULL, 0), 1);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 1);
	st = mkstat(S_IFDIR | 0777, 1, 1, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, NULL, 0), 1);
	st = mkstat(S_IFDIR | 0703, 1, 1, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, NULL, 0), 1);
	st = mkstat(S_IFDIR | 0755, 1, 1, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, NULL, 0), 0);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 0);
	st = mkstat(S_IFDIR | 01775, 1, 1, 0, 2); /* group-writable only */
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 0);
	/* listed 0755 */
	st = mkstat(S_IFDIR | 0755, 9, 200, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 1);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 1), 0); /* nids respected */
	st = mkstat(S_IFDIR | 0755, 8, 100, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 1), 1);
	/* same inode, other device; same device, other inode */
	st = mkstat(S_IFDIR | 0755, 9, 100, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 0);
	st = mkstat(S_IFDIR | 0755, 8, 200, 0, 2);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 0);
	/* not a directory, even world-writable or listed */
	st = mkstat(S_IFREG | 0777, 8, 100, 0, 1);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 0);
	st = mkstat(S_IFLNK | 0777, 1, 1, 0, 1);
	ck_assert_int_eq(tg_dir_is_shared(&st, ids, 2), 0);
}
END_TEST

/* ---- objects -------------------------------------------------------------- */

static const struct {
	mode_t mode;
	uid_t uid;
	nlink_t nlink;
	enum tg_object_verdict want;
	const char *name;
} object_cases[] = {
	{ S_IFREG | 0600, 1000, 1, TG_OBJ_OK, "ok" },
	{ S_IFREG | 0666, 1000, 1, TG_OBJ_OK, "ok" },
	{ S_IFLNK | 0777, 1000, 1, TG_OBJ_SYMLINK, "symlink" },
	{ S_IFLNK | 0777, 0, 2, TG_OBJ_SYMLINK, "symlink" },
	{ S_IFDIR | 0700, 1000, 2, TG_OBJ_DIRECTORY, "directory" },
	{ S_IFDIR | 0777, 0, 5, TG_OBJ_DIRECTORY, "directory" },
	{ S_IFIFO | 0600, 1000, 1, TG_OBJ_SPECIAL, "special" },
	{ S_IFSOCK | 0600, 1000, 1, TG_OBJ_SPECIAL, "special" },
	{ S_IFCHR | 0666, 0, 1, TG_OBJ_SPECIAL, "special" },
	{ S_IFBLK | 0660, 0, 1, TG_OBJ_SPECIAL, "special" },
	{ S_IFREG | 0600, 1001, 1, TG_OBJ_FOREIGN, "foreign-owner" },
	{ S_IFREG | 0600, 0, 1, TG_OBJ_FOREIGN, "foreign-owner" },
	{ S_IFREG | 0600, 1001, 2, TG_OBJ_FOREIGN, "foreign-owner" },
	{ S_IFREG | 0600, 1000, 2, TG_OBJ_LINKED, "multiple-links" },
	{ S_IFREG | 0600, 1000, 100, TG_OBJ_LINKED, "multiple-links" },
};

START_TEST(test_object_check)
{
	struct stat st = mkstat(object_cases[_i].mode, 1, 1, object_cases[_i].uid,
				object_cases[_i].nlink);
	enum tg_object_verdict v = tg_object_check(&st, 1000);
	ck_assert_int_eq(v, object_cases[_i].want);
	ck_assert_str_eq(tg_object_verdict_name(v), object_cases[_i].name);
}
END_TEST

START_TEST(test_object_root)
{
	struct stat st = mkstat(S_IFREG | 0600, 1, 1, 0, 1);
	ck_assert_int_eq(tg_object_check(&st, 0), TG_OBJ_OK);
	ck_assert_int_eq(tg_object_check(&st, 1000), TG_OBJ_FOREIGN);
}
END_TEST

START_TEST(test_object_plant)
{
	struct stat st;
	st = mkstat(S_IFREG | 0600, 1, 1, 1000, 1);
	ck_assert_int_eq(tg_object_plant(&st, 1000), TG_OBJ_OK);
	st = mkstat(S_IFLNK | 0777, 1, 1, 1000, 1); /* even our own symlink */
	ck_assert_int_eq(tg_object_plant(&st, 1000), TG_OBJ_SYMLINK);
	st = mkstat(S_IFDIR | 0700, 1, 1, 1000, 2); /* our own directory */
	ck_assert_int_eq(tg_object_plant(&st, 1000), TG_OBJ_OK);
	st = mkstat(S_IFDIR | 0777, 1, 1, 1001, 2); /* another user's */
	ck_assert_int_eq(tg_object_plant(&st, 1000), TG_OBJ_DIRECTORY);
	st = mkstat(S_IFIFO | 0600, 1, 1, 1000, 1);
	ck_assert_int_eq(tg_object_plant(&st, 1000), TG_OBJ_SPECIAL);
	st = mkstat(S_IFREG | 0600, 1, 1, 1001, 1);
	ck_assert_int_eq(tg_object_plant(&st, 1000), TG_OBJ_FOREIGN);
	st = mkstat(S_IFREG | 0600, 1, 1, 1000, 2);
	ck_assert_int_eq(tg_object_plant(&st, 1000), TG_OBJ_LINKED);
}
END_TEST


START_TEST(test_verdict_names)
{
	ck_assert_str_eq(tg_object_verdict_name(TG_OBJ_OK), "ok");
	ck_assert_str_eq(tg_object_verdict_name(TG_OBJ_SYMLINK), "symlink");
	ck_assert_str_eq(tg_object_verdict_name(TG_OBJ_DIRECTORY), "directory");
	ck_assert_str_eq(tg_object_verdict_name(TG_OBJ_SPECIAL), "special");
	ck_assert_str_eq(tg_object_verdict_name(TG_OBJ_FOREIGN), "foreign-owner");
	ck_assert_str_eq(tg_object_verdict_name(TG_OBJ_LINKED), "multiple-links");
	ck_assert_ptr_nonnull(tg_object_verdict_name((enum tg_object_verdict)99));
}
END_TEST

/* ---- flags ---------------------------------------------------------------- */

START_TEST(test_flags_need_mode)
{
	ck_assert_int_eq(tg_flags_need_mode(O_RDONLY), 0);
	ck_assert_int_eq(tg_flags_need_mode(O_RDWR | O_TRUNC), 0);
	ck_assert_int_eq(tg_flags_need_mode(O_DIRECTORY), 0);
	ck_assert_int_eq(tg_flags_need_mode(O_DIRECTORY | O_RDONLY | O_NOFOLLOW), 0);
	ck_assert_int_eq(tg_flags_need_mode(O_PATH | O_DIRECTORY), 0);
	ck_assert_int_eq(tg_flags_need_mode(O_TMPFILE), 1);
	ck_assert_int_eq(tg_flags_need_mode(O_TMPFILE | O_RDWR), 1);
	ck_assert_int_eq(tg_flags_need_mode(O_TMPFILE | O_WRONLY | O_EXCL), 1);
	ck_assert_int_eq(tg_flags_need_mode(O_CREAT), 1);
	ck_assert_int_eq(tg_flags_need_mode(O_CREAT | O_EXCL | O_WRONLY), 1);
	ck_assert_int_eq(tg_flags_need_mode(O_CREAT | O_DIRECTORY), 1);
}
END_TEST

START_TEST(test_flags_predictable)
{
	ck_assert_int_eq(tg_flags_predictable(O_RDONLY), 0);
	ck_assert_int_eq(tg_flags_predictable(O_WRONLY | O_TRUNC), 0);
	ck_assert_int_eq(tg_flags_predictable(O_CREAT), 1);
	ck_assert_int_eq(tg_flags_predictable(O_CREAT | O_TRUNC | O_WRONLY), 1);
	ck_assert_int_eq(tg_flags_predictable(O_CREAT | O_APPEND), 1);
	ck_assert_int_eq(tg_flags_predictable(O_CREAT | O_EXCL), 0);
	ck_assert_int_eq(tg_flags_predictable(O_CREAT | O_EXCL | O_NOFOLLOW), 0);
	ck_assert_int_eq(tg_flags_predictable(O_TMPFILE | O_RDWR), 0);
	ck_assert_int_eq(tg_flags_predictable(O_EXCL), 0);
}
END_TEST

START_TEST(test_harden_file_mode)
{
	ck_assert_uint_eq(tg_harden_file_mode(0666), 0600);
	ck_assert_uint_eq(tg_harden_file_mode(0644), 0600);
	ck_assert_uint_eq(tg_harden_file_mode(0755), 0700);
	ck_assert_uint_eq(tg_harden_file_mode(0600), 0600);
	ck_assert_uint_eq(tg_harden_file_mode(0400), 0400);
	ck_assert_uint_eq(tg_harden_file_mode(0), 0);
	ck_assert_uint_eq(tg_harden_file_mode(07777), 0700);
	ck_assert_uint_eq(tg_harden_file_mode(0077), 0);
}
END_TEST

/* ---- plans ----------------------------------------------------------------
 * The open family's plan is asked step by step, the way the guard asks it:
 * each LOOK step learns one fact. walk() plays the guard with
 * given answers and returns the action it ends with and the steps taken. */

static const int plan_flags[] = {
	O_RDONLY, O_CREAT | O_WRONLY, O_CREAT | O_EXCL | O_WRONLY,
	O_CREAT | O_TRUNC | O_WRONLY, O_TMPFILE | O_RDWR,
};
static const char *const plan_flag_names[] = {
	"O_RDONLY", "O_CREAT", "O_CREAT|O_EXCL", "O_CREAT|O_TRUNC", "O_TMPFILE",
};
#define NFLAGS (int)(sizeof plan_flags / sizeof plan_flags[0])

/* Steps as letters: l look at the parent. */
static enum tg_plan walk(enum tg_mode mode, int flags, int reserved,
			 int candidate, enum tg_parent parent_says,
			 char steps[8])
{
	struct tg_open_facts f = { .mode = mode, .flags = flags,
				   .reserved = reserved,
				   .candidate = candidate };
	int n = 0;
	for (;;) {
		enum tg_plan p = tg_plan_open(&f);
		ck_assert_msg(n < 4, "no action after %d steps", n);
		switch (p) {
		case TG_PLAN_LOOK_PARENT:
			ck_assert(f.parent == TG_PARENT_NOT_YET);
			f.parent = parent_says;
			steps[n++] = 'l';
			continue;
		default:
			steps[n] = '\0';
			return p;
		}
	}
}

#define P TG_PLAN_PASS
#define J TG_PLAN_JUDGE
#define W TG_PLAN_WATCH
#define E TG_PLAN_EXCLUSIVE
#define V TG_PLAN_VERIFY
#define A TG_PLAN_AUDIT
/* A path the cheap test does not recognize, in a directory found shared or
 * not: the action, [mode][flags][shared][reserved] */
static const enum tg_plan plan_want[2][5][2][2] = {
	[TG_MODE_HARDEN] = {
		/*                    !shared    shared      (each: !reserved, reserved) */
		/* O_RDONLY */       { { P, V }, { P, V } },
		/* O_CREAT */        { { P, E }, { J, E } },
		/* O_CREAT|O_EXCL */ { { P, E }, { P, E } },
		/* O_CREAT|O_TRUNC */{ { P, E }, { J, E } },
		/* O_TMPFILE */      { { P, V }, { P, V } },
	},
	[TG_MODE_AUDIT] = {
		/* O_RDONLY */       { { P, A }, { P, A } },
		/* O_CREAT */        { { P, A }, { W, A } },
		/* O_CREAT|O_EXCL */ { { P, A }, { P, A } },
		/* O_CREAT|O_TRUNC */{ { P, A }, { W, A } },
		/* O_TMPFILE */      { { P, A }, { P, A } },
	},
};
/* The steps taken on the way: [mode][flags][reserved] */
static const char *const steps_want[2][5][2] = {
	[TG_MODE_HARDEN] = {
		/* O_RDONLY */       { "", "" },
		/* O_CREAT */        { "l", "" },
		/* O_CREAT|O_EXCL */ { "", "" },
		/* O_CREAT|O_TRUNC */{ "l", "" },
		/* O_TMPFILE */      { "", "" },
	},
	[TG_MODE_AUDIT] = {
		/* O_RDONLY */       { "", "" },
		/* O_CREAT */        { "l", "" },
		/* O_CREAT|O_EXCL */ { "", "" },
		/* O_CREAT|O_TRUNC */{ "l", "" },
		/* O_TMPFILE */      { "", "" },
	},
};

START_TEST(test_plan_open)
{
	int i = _i;
	int reserved = i % 2;
	int shared = (i / 2) % 2;
	int f = (i / 4) % NFLAGS;
	int mode = i / (4 * NFLAGS);
	char steps[8];
	enum tg_plan got = walk((enum tg_mode)mode, plan_flags[f], reserved, 0,
				shared ? TG_PARENT_SHARED : TG_PARENT_PRIVATE,
				steps);
	ck_assert_msg(got == plan_want[mode][f][shared][reserved],
		      "%s %s shared=%d reserved=%d: plan %d, expected %d",
		      mode ? "audit" : "harden", plan_flag_names[f], shared, reserved,
		      got, plan_want[mode][f][shared][reserved]);
	ck_assert_msg(strcmp(steps, steps_want[mode][f][reserved]) == 0,
		      "%s %s shared=%d reserved=%d: steps '%s', expected '%s'",
		      mode ? "audit" : "harden", plan_flag_names[f], shared,
		      reserved, steps, steps_want[mode][f][reserved]);
}
END_TEST

/* A path the cheap test recognizes is walked under the rule whatever the
 * call (part 2): reads included; harden acts, audit watches. A reserved
 * name keeps part 1's plans. */
START_TEST(test_plan_candidate)
{
	char steps[8];
	for (int f = 0; f < NFLAGS; f++) {
		ck_assert_int_eq(walk(TG_MODE_HARDEN, plan_flags[f], 0, 1,
				      TG_PARENT_SHARED, steps),
				 J);
		ck_assert_str_eq(steps, "");
		ck_assert_int_eq(walk(TG_MODE_AUDIT, plan_flags[f], 0, 1,
				      TG_PARENT_SHARED, steps),
				 W);
		ck_assert_str_eq(steps, "");
		enum tg_plan r = walk(TG_MODE_HARDEN, plan_flags[f], 1, 1,
				      TG_PARENT_SHARED, steps);
		ck_assert_int_eq(r, (plan_flags[f] & O_CREAT) ? E : V);
		ck_assert_int_eq(walk(TG_MODE_AUDIT, plan_flags[f], 1, 1,
				      TG_PARENT_SHARED, steps),
				 A);
	}
}
END_TEST

/* A creation the cheap test does not recognize is judged by its directory,
 * looked at first; a directory that cannot be looked at leaves the call to
 * the kernel, which says what is wrong. */
START_TEST(test_plan_parent_first)
{
	char steps[8];
	for (int f = 0; f < NFLAGS; f++) {
		if (!tg_flags_predictable(plan_flags[f]))
			continue;
		for (int m = 0; m < 2; m++) {
			ck_assert_int_eq(walk((enum tg_mode)m, plan_flags[f], 0,
					      0, TG_PARENT_UNKNOWN, steps),
					 P);
			ck_assert_str_eq(steps, "l");
		}
	}
}
END_TEST
#undef P
#undef J
#undef W
#undef E
#undef V
#undef A

START_TEST(test_plan_audit_never_changes)
{
	/* audit never asks for a rewrite, whatever the flags and whatever it
	 * learns; harden never only watches */
	char steps[8];
	for (int fl = 0; fl < 0x400000; fl += 0x1001)
		for (int r = 0; r < 2; r++)
			for (int c = 0; c < 2; c++)
				for (int pa = TG_PARENT_SHARED;
				     pa <= TG_PARENT_UNKNOWN; pa++) {
					enum tg_plan p = walk(TG_MODE_AUDIT, fl, r, c,
							      (enum tg_parent)pa,
							      steps);
					ck_assert(p == TG_PLAN_PASS ||
						  p == TG_PLAN_AUDIT ||
						  p == TG_PLAN_WATCH);
					p = walk(TG_MODE_HARDEN, fl, r, c,
						 (enum tg_parent)pa, steps);
					ck_assert(p != TG_PLAN_AUDIT &&
						  p != TG_PLAN_WATCH);
				}
}
END_TEST

/* directories whose entries only trusted users can replace */
START_TEST(test_dir_keeps_entries)
{
	uid_t other = 1003;
	struct tg_trust t = { 1000, 0, NULL };
	struct tg_trust t2 = { 1000, 1, &other };
	struct stat st = mkstat(S_IFDIR | 01777, 1, 1, 0, 2); /* /tmp */
	ck_assert(tg_dir_keeps_entries(&st, &t));
	st = mkstat(S_IFDIR | 0777, 1, 1, 0, 2); /* world-writable, not sticky */
	ck_assert(!tg_dir_keeps_entries(&st, &t));
	st = mkstat(S_IFDIR | 0775, 1, 1, 1000, 2); /* its group writes it */
	ck_assert(!tg_dir_keeps_entries(&st, &t));
	st = mkstat(S_IFDIR | 01775, 1, 1, 1000, 2);
	ck_assert(tg_dir_keeps_entries(&st, &t));
	st = mkstat(S_IFDIR | 0755, 1, 1, 1000, 2); /* the caller's own */
	ck_assert(tg_dir_keeps_entries(&st, &t));
	st = mkstat(S_IFDIR | 01777, 1, 1, 1003, 2); /* another user's: its owner
						      * may replace any entry */
	ck_assert(!tg_dir_keeps_entries(&st, &t));
	ck_assert(tg_dir_keeps_entries(&st, &t2));
	st = mkstat(S_IFDIR | 0700, 1, 1, 1003, 2); /* planted */
	ck_assert(!tg_dir_keeps_entries(&st, &t));
	st = mkstat(S_IFREG | 0600, 1, 1, 1000, 1);
	ck_assert(!tg_dir_keeps_entries(&st, &t));
}
END_TEST

/* the rule, entry by entry */
START_TEST(test_judge_entry)
{
	uid_t other = 1003;
	struct tg_trust t = { 1000, 0, NULL };
	struct tg_trust t2 = { 1000, 1, &other };
	struct stat st;
	st = mkstat(S_IFREG | 0600, 1, 1, 1000, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_WRITE, &t), TG_OBJ_OK);
	st = mkstat(S_IFREG | 0666, 1, 1, 0, 1); /* root's */
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_WRITE, &t), TG_OBJ_OK);
	st = mkstat(S_IFREG | 0666, 1, 1, 1003, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_READ, &t), TG_OBJ_FOREIGN);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_READ, &t2), TG_OBJ_OK);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_EXEC, &t), TG_OBJ_FOREIGN);
	st = mkstat(S_IFREG | 0600, 1, 1, 1000, 2); /* a second link */
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_READ, &t), TG_OBJ_OK);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_EXEC, &t), TG_OBJ_OK);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_WRITE, &t), TG_OBJ_LINKED);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CHANGE, &t), TG_OBJ_LINKED);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_RENAME, &t), TG_OBJ_LINKED);
	st = mkstat(S_IFLNK | 0777, 1, 1, 1000, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_FOLLOW, &t), TG_OBJ_OK);
	st = mkstat(S_IFLNK | 0777, 1, 1, 1003, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_FOLLOW, &t), TG_OBJ_SYMLINK);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_FOLLOW, &t2), TG_OBJ_OK);
	st = mkstat(S_IFIFO | 0600, 1, 1, 1000, 1); /* the caller's FIFO */
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_WRITE, &t), TG_OBJ_OK);
	st = mkstat(S_IFIFO | 0666, 1, 1, 1003, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_WRITE, &t), TG_OBJ_SPECIAL);
	st = mkstat(S_IFSOCK | 0666, 1, 1, 1003, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CONNECT, &t), TG_OBJ_SPECIAL);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CONNECT, &t2), TG_OBJ_OK);
	st = mkstat(S_IFSOCK | 0600, 1, 1, 1000, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CONNECT, &t), TG_OBJ_OK);
	st = mkstat(S_IFSOCK | 0666, 1, 1, 0, 1); /* root's */
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CONNECT, &t), TG_OBJ_OK);
	/* no socket: the kernel refuses the connect itself (ECONNREFUSED) */
	st = mkstat(S_IFREG | 0666, 1, 1, 1003, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CONNECT, &t), TG_OBJ_OK);
	st = mkstat(S_IFIFO | 0666, 1, 1, 1003, 1);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CONNECT, &t), TG_OBJ_OK);
	st = mkstat(S_IFDIR | 0755, 1, 1, 1003, 2); /* another's directory */
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_PASS, &t), TG_OBJ_OK);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_READ, &t), TG_OBJ_OK);
	ck_assert_int_eq(tg_judge_entry(&st, TG_USE_CHANGE, &t), TG_OBJ_DIRECTORY);
	ck_assert(tg_dir_planted(&st, &t));
	ck_assert(!tg_dir_planted(&st, &t2));
	st = mkstat(S_IFDIR | 0700, 1, 1, 1000, 2);
	ck_assert(!tg_dir_planted(&st, &t));
	/* the mode of what is created */
	ck_assert_int_eq(tg_create_mode(TG_FILE_MODE_PRIVATE, 0666, 0), 0600);
	ck_assert_int_eq(tg_create_mode(TG_FILE_MODE_PRIVATE, 0777, 1), 0700);
	ck_assert_int_eq(tg_create_mode(TG_FILE_MODE_PROGRAM, 0644, 0), 0644);
	ck_assert_int_eq(tg_create_mode(TG_FILE_MODE_PROGRAM, 0775, 1), 0775);
}
END_TEST

/* ---- mkdir, mkfifo, mknod --------------------------------------------------- */

START_TEST(test_plan_node)
{
	ck_assert_int_eq(tg_plan_node(TG_MODE_HARDEN, 0), TG_NODE_PASS);
	ck_assert_int_eq(tg_plan_node(TG_MODE_AUDIT, 0), TG_NODE_PASS);
	ck_assert_int_eq(tg_plan_node(TG_MODE_HARDEN, 1), TG_NODE_TAKE_PRIVATE);
	ck_assert_int_eq(tg_plan_node(TG_MODE_AUDIT, 1), TG_NODE_TAKE);
}
END_TEST

/* [mode][reserved][err: 0, EEXIST, ENOENT] with a squatter in a shared
 * directory: the event kind and action (-1: none) */
static const int node_want[2][2][3][2] = {
	[TG_MODE_HARDEN] = {
		{ { -1, 0 }, { TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED }, { -1, 0 } },
		{ { TG_EV_REWRITTEN, TG_ACT_HARDENED },
		  { TG_EV_RACE_BLOCKED, TG_ACT_BLOCKED }, { -1, 0 } },
	},
	[TG_MODE_AUDIT] = {
		{ { -1, 0 }, { TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED }, { -1, 0 } },
		{ { -1, 0 }, { TG_EV_HIJACK_DETECTED, TG_ACT_LOGGED }, { -1, 0 } },
	},
};

START_TEST(test_judge_node)
{
	static const int errs[] = { 0, EEXIST, ENOENT };
	for (int m = 0; m < 2; m++)
		for (int r = 0; r < 2; r++)
			for (int e = 0; e < 3; e++) {
				struct tg_node_facts f = { .mode = (enum tg_mode)m,
							   .reserved = r,
							   .err = errs[e],
							   .squatted = -1 };
				int look;
				struct tg_report rep = tg_judge_node(&f, &look);
				/* only an EEXIST on a name nobody reserved
				 * needs a look */
				ck_assert_int_eq(look, !r && errs[e] == EEXIST);
				if (look) {
					f.parent = TG_PARENT_SHARED;
					f.squatted = 1;
					rep = tg_judge_node(&f, &look);
					ck_assert_int_eq(look, 0);
				}
				ck_assert_int_eq(rep.kind, node_want[m][r][e][0]);
				if (rep.kind != TG_EV_NONE)
					ck_assert_int_eq(rep.action,
							 node_want[m][r][e][1]);
				if (rep.action == TG_ACT_BLOCKED)
					ck_assert_int_eq(rep.err, EEXIST);
			}
	/* the detail names what was found */
	struct tg_node_facts f = { .mode = TG_MODE_AUDIT, .reserved = 1,
				   .err = EEXIST };
	int look;
	ck_assert_str_eq(tg_judge_node(&f, &look).detail, "squatted");
	f = (struct tg_node_facts){ .mode = TG_MODE_HARDEN, .err = EEXIST,
				    .parent = TG_PARENT_SHARED, .squatted = 1 };
	ck_assert_str_eq(tg_judge_node(&f, &look).detail, "foreign-owner");
	/* the caller's or root's object, or a private directory: nothing */
	f.squatted = 0;
	ck_assert_int_eq(tg_judge_node(&f, &look).kind, TG_EV_NONE);
	f.squatted = 1;
	f.parent = TG_PARENT_PRIVATE;
	ck_assert_int_eq(tg_judge_node(&f, &look).kind, TG_EV_NONE);
}
END_TEST

/* ---- posix_spawn_file_actions_addopen -------------------------------------- */

START_TEST(test_plan_spawn)
{
	/* neither through a shared directory nor a creation: as it is */
	struct tg_spawn_facts f = { .mode = TG_MODE_HARDEN, .flags = O_RDONLY };
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_PASS);
	f.flags = O_CREAT | O_EXCL | O_WRONLY;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_PASS);
	/* a creation the cheap test cannot place: its directory decides */
	f.flags = O_CREAT | O_WRONLY;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_LOOK);
	f.parent = TG_PARENT_PRIVATE;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_PASS);
	f.parent = TG_PARENT_UNKNOWN;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_PASS);
	f.parent = TG_PARENT_SHARED;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_PIN);
	f.no_pin = 1;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_NAME);
	f.mode = TG_MODE_AUDIT;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_WATCH);
	/* through a shared directory: reads too, without looking further */
	f = (struct tg_spawn_facts){ .mode = TG_MODE_HARDEN, .flags = O_RDONLY,
				     .candidate = 1 };
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_PIN);
	f.flags = O_WRONLY | O_APPEND;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_PIN);
	f.no_pin = 1;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_NAME);
	f.mode = TG_MODE_AUDIT;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_WATCH);
	f.no_pin = 0;
	ck_assert_int_eq(tg_plan_spawn(&f), TG_SPAWN_WATCH);
	/* a candidate is walked whatever the shallow exclusive rule says:
	 * the hook asks tg_open_walked first */
	ck_assert(!tg_open_walked(O_CREAT | O_EXCL | O_WRONLY, 1));
	ck_assert(tg_open_walked(O_CREAT | O_EXCL | O_WRONLY, 0));
}
END_TEST

START_TEST(test_spawn_pin)
{
	/* what the child opens once the walk accepted the path */
	ck_assert_int_eq(tg_spawn_pin_what(O_RDONLY, 1, 1), TG_SPAWN_PIN_OBJECT);
	ck_assert_int_eq(tg_spawn_pin_what(O_WRONLY | O_CREAT | O_TRUNC, 1, 1),
			 TG_SPAWN_PIN_OBJECT);
	ck_assert_int_eq(tg_spawn_pin_what(O_WRONLY | O_CREAT, 0, 1),
			 TG_SPAWN_PIN_CREATE);
	/* created at spawn, as asked, where no one else can plant */
	ck_assert_int_eq(tg_spawn_pin_what(O_WRONLY | O_CREAT, 0, 0),
			 TG_SPAWN_PIN_DIR);
	ck_assert_int_eq(tg_spawn_pin_what(O_RDONLY, 0, 1), TG_SPAWN_PIN_DIR);
	/* the child's own exclusive creation, in the pinned directory */
	ck_assert_int_eq(tg_spawn_pin_what(O_WRONLY | O_CREAT | O_EXCL, 0, 1),
			 TG_SPAWN_PIN_DIR);
	ck_assert_int_eq(tg_spawn_pin_what(O_WRONLY | O_CREAT | O_EXCL, 1, 1),
			 TG_SPAWN_PIN_DIR);
	/* the program's flags but the creation's and O_NOFOLLOW, which
	 * would refuse the /proc link itself */
	ck_assert_int_eq(tg_spawn_object_flags(O_WRONLY | O_CREAT | O_TRUNC |
						       O_NOFOLLOW | O_APPEND, 0),
			 O_WRONLY | O_TRUNC | O_APPEND);
	ck_assert_int_eq(tg_spawn_object_flags(O_RDONLY | O_CLOEXEC, 0),
			 O_RDONLY | O_CLOEXEC);
	/* a link not to be followed: ELOOP, as it would have */
	ck_assert_int_eq(tg_spawn_object_flags(O_RDONLY | O_NOFOLLOW, 1),
			 O_RDONLY | O_NOFOLLOW);
	ck_assert_int_eq(tg_spawn_dir_flags(O_RDONLY, 1), O_RDONLY | O_NOFOLLOW);
	ck_assert_int_eq(tg_spawn_dir_flags(O_WRONLY | O_CREAT, 0),
			 O_WRONLY | O_CREAT);
}
END_TEST

START_TEST(test_plan_ipc)
{
	ck_assert_int_eq(tg_plan_ipc(TG_MODE_HARDEN, 0), TG_IPC_PASS);
	ck_assert_int_eq(tg_plan_ipc(TG_MODE_AUDIT, 0), TG_IPC_PASS);
	ck_assert_int_eq(tg_plan_ipc(TG_MODE_HARDEN, 1), TG_IPC_JUDGE);
	ck_assert_int_eq(tg_plan_ipc(TG_MODE_AUDIT, 1), TG_IPC_WATCH);
}
END_TEST

/* ---- reports ---------------------------------------------------------------- */

START_TEST(test_reports)
{
	struct tg_report r = tg_report_predictable(TG_MODE_HARDEN);
	ck_assert_int_eq(r.kind, TG_EV_PREDICTABLE_CREATE);
	ck_assert_int_eq(r.action, TG_ACT_HARDENED);
	r = tg_report_predictable(TG_MODE_AUDIT);
	ck_assert_int_eq(r.action, TG_ACT_LOGGED);
	r = tg_report_plant(TG_MODE_HARDEN, TG_OBJ_LINKED, EACCES);
	ck_assert_int_eq(r.kind, TG_EV_HIJACK_BLOCKED);
	ck_assert_int_eq(r.action, TG_ACT_BLOCKED);
	ck_assert_int_eq(r.err, EACCES);
	ck_assert_str_eq(r.detail, "multiple-links");
	/* audit blocked nothing: a detection, without an errno */
	r = tg_report_plant(TG_MODE_AUDIT, TG_OBJ_SYMLINK, EACCES);
	ck_assert_int_eq(r.kind, TG_EV_HIJACK_DETECTED);
	ck_assert_int_eq(r.action, TG_ACT_LOGGED);
	ck_assert_int_eq(r.err, 0);
	ck_assert_str_eq(r.detail, "symlink");
	r = tg_report_unsafe_name(TG_MODE_HARDEN);
	ck_assert_int_eq(r.kind, TG_EV_UNSAFE_NAME);
	ck_assert_int_eq(r.action, TG_ACT_HARDENED);
	ck_assert_int_eq(tg_report_unsafe_name(TG_MODE_AUDIT).action,
			 TG_ACT_LOGGED);
	ck_assert(tg_replaces_generators(TG_MODE_HARDEN));
	ck_assert(!tg_replaces_generators(TG_MODE_AUDIT));
}
END_TEST

Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

	tc = tcase_create("fopen_flags");
	tcase_add_loop_test(tc, test_fopen_flags, 0,
			    sizeof fopen_cases / sizeof fopen_cases[0]);
	suite_add_tcase(s, tc);

	tc = tcase_create("path_split");
	tcase_add_loop_test(tc, test_path_split, 0,
			    sizeof split_cases / sizeof split_cases[0]);
	tcase_add_test(tc, test_path_split_parent_size);
	tcase_add_test(tc, test_path_split_errno);
	suite_add_tcase(s, tc);

	tc = tcase_create("directories");
	tcase_add_test(tc, test_dir_shared);
	suite_add_tcase(s, tc);

	tc = tcase_create("objects");
	tcase_add_loop_test(tc, test_object_check, 0,
			    sizeof object_cases / sizeof object_cases[0]);
	tcase_add_test(tc, test_object_root);
	tcase_add_test(tc, test_object_plant);
	tcase_add_test(tc, test_verdict_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("flags");
	tcase_add_test(tc, test_flags_need_mode);
	tcase_add_test(tc, test_flags_predictable);
	tcase_add_test(tc, test_harden_file_mode);
	suite_add_tcase(s, tc);

	tc = tcase_create("plan");
	tcase_add_loop_test(tc, test_plan_open, 0, 2 * NFLAGS * 4);
	tcase_add_test(tc, test_plan_candidate);
	tcase_add_test(tc, test_plan_parent_first);
	tcase_add_test(tc, test_judge_entry);
	tcase_add_test(tc, test_dir_keeps_entries);
	tcase_add_test(tc, test_plan_audit_never_changes);
	tcase_add_test(tc, test_plan_node);
	tcase_add_test(tc, test_judge_node);
	tcase_add_test(tc, test_plan_spawn);
	tcase_add_test(tc, test_spawn_pin);
	tcase_add_test(tc, test_plan_ipc);
	tcase_add_test(tc, test_reports);
	suite_add_tcase(s, tc);
	return s;
}
