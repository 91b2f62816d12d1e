/* Unit tests: src/core/walk.c and the rule it applies (tg_judge_entry),
 * on a real file system. Objects of another owner need root (chown); as
 * another user those cases are skipped by Check's own count. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_suites.h"
#include "core/walk.h"

#define OTHER 4242 /* an uid that is neither the caller nor root */

static char top[64];
static char shared_dir[128], private_dir[128];
static uid_t euid;
static struct tg_trust trust;

/* fmt: a path under the shared directory, "%s/..." */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void mk(const char *fmt, const char *what, mode_t mode, uid_t owner)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, fmt, shared_dir);
	if (what[0] == 'd')
		ck_assert_int_eq(mkdir(p, mode), 0);
	else if (what[0] == 'f') {
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, mode);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "data\n", 5), 5);
		close(fd);
	} else if (what[0] == 'p') {
		ck_assert_int_eq(mkfifo(p, mode), 0);
	}
	ck_assert_int_eq(lchown(p, owner, (gid_t)-1), 0);
}

static void mklink(const char *target, const char *fmt, uid_t owner)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, fmt, shared_dir);
	ck_assert_int_eq(symlink(target, p), 0);
	ck_assert_int_eq(lchown(p, owner, (gid_t)-1), 0);
}
#pragma GCC diagnostic pop

static void setup(void)
{
	euid = geteuid();
	trust = (struct tg_trust){ euid, 0, NULL };
	strcpy(top, "/tmp/tgwalk.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(shared_dir, sizeof shared_dir, "%s/shared", top);
	snprintf(private_dir, sizeof private_dir, "%s/private", top);
	ck_assert_int_eq(mkdir(shared_dir, 0777), 0);
	ck_assert_int_eq(chmod(shared_dir, 01777), 0);
	ck_assert_int_eq(mkdir(private_dir, 0700), 0);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	ck_assert_int_eq(system(cmd), 0);
}

/* A walk of path from AT_FDCWD; returns tg_walk's result, errno in *err. */
static int walk(struct tg_walk *w, const char *path, enum tg_use use,
		int follow, int *err)
{
	*w = (struct tg_walk){ .dirfd = AT_FDCWD, .path = path, .use = use,
			       .follow = follow, .trust = &trust };
	errno = 0;
	int rc = tg_walk(w);
	*err = errno;
	return rc;
}

static char *at(const char *name)
{
	static char p[4][PATH_MAX];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s", shared_dir, name);
	return p[i];
}

START_TEST(test_private_untouched)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s/f", private_dir);
	int fd = open(p, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct tg_walk w;
	int err;
	ck_assert_int_eq(walk(&w, p, TG_USE_WRITE, 1, &err), 0);
	ck_assert_int_ge(w.fd, 0);
	ck_assert_int_ge(w.pfd, 0);
	ck_assert_int_eq(w.parent_shared, 0);
	ck_assert_str_eq(w.base, "f");
	ck_assert(S_ISREG(w.st.st_mode));
	tg_walk_done(&w);
	ck_assert_int_eq(w.fd, -1);
}
END_TEST

START_TEST(test_missing)
{
	struct tg_walk w;
	int err;
	/* the final component missing: its directory is pinned */
	ck_assert_int_eq(walk(&w, at("new"), TG_USE_WRITE, 1, &err), 0);
	ck_assert_int_eq(err, ENOENT);
	ck_assert_int_eq(w.fd, -1);
	ck_assert_int_ge(w.pfd, 0);
	ck_assert_int_eq(w.parent_shared, 1);
	ck_assert_str_eq(w.base, "new");
	tg_walk_done(&w);
	/* a directory on the way missing: the kernel's ENOENT */
	ck_assert_int_eq(walk(&w, at("no/new"), TG_USE_WRITE, 1, &err), -1);
	ck_assert_int_eq(err, ENOENT);
	ck_assert_int_eq(w.pfd, -1);
	tg_walk_done(&w);
	/* a file as a directory */
	mk("%s/file", "f", 0600, euid);
	ck_assert_int_eq(walk(&w, at("file/x"), TG_USE_READ, 1, &err), -1);
	ck_assert_int_eq(err, ENOTDIR);
	ck_assert_int_eq(walk(&w, at("file/"), TG_USE_READ, 1, &err), -1);
	ck_assert_int_eq(err, ENOTDIR);
	tg_walk_done(&w);
}
END_TEST

START_TEST(test_owner)
{
	if (euid != 0)
		return;
	mk("%s/mine", "f", 0600, euid);
	mk("%s/roots", "f", 0666, 0);
	mk("%s/theirs", "f", 0666, OTHER);
	struct tg_walk w;
	int err;
	ck_assert_int_eq(walk(&w, at("mine"), TG_USE_WRITE, 1, &err), 0);
	ck_assert_int_eq(w.parent_shared, 1);
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, at("roots"), TG_USE_WRITE, 1, &err), 0);
	tg_walk_done(&w);
	/* another user's file is refused for reading too */
	ck_assert_int_eq(walk(&w, at("theirs"), TG_USE_READ, 1, &err), -1);
	ck_assert_int_eq(err, EACCES);
	ck_assert_int_eq(w.refused, TG_OBJ_FOREIGN);
	tg_walk_done(&w);
	/* unless its owner is trusted */
	uid_t other = OTHER;
	trust = (struct tg_trust){ euid, 1, &other };
	ck_assert_int_eq(walk(&w, at("theirs"), TG_USE_WRITE, 1, &err), 0);
	tg_walk_done(&w);
	trust = (struct tg_trust){ euid, 0, NULL };
}
END_TEST

START_TEST(test_links)
{
	if (euid != 0)
		return;
	mk("%s/one", "f", 0600, euid);
	char a[PATH_MAX], b[PATH_MAX];
	snprintf(a, sizeof a, "%s/one", shared_dir);
	snprintf(b, sizeof b, "%s/two", shared_dir);
	ck_assert_int_eq(link(a, b), 0);
	struct tg_walk w;
	int err;
	ck_assert_int_eq(walk(&w, b, TG_USE_READ, 1, &err), 0);
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, b, TG_USE_WRITE, 1, &err), -1);
	ck_assert_int_eq(w.refused, TG_OBJ_LINKED);
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, b, TG_USE_RENAME, 1, &err), -1);
	ck_assert_int_eq(w.refused, TG_OBJ_LINKED);
	tg_walk_done(&w);
	/* special files: the caller's own FIFO is used, another's is not */
	mk("%s/myfifo", "p", 0600, euid);
	mk("%s/theirfifo", "p", 0666, OTHER);
	ck_assert_int_eq(walk(&w, at("myfifo"), TG_USE_WRITE, 1, &err), 0);
	ck_assert(S_ISFIFO(w.st.st_mode));
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, at("theirfifo"), TG_USE_WRITE, 1, &err), -1);
	ck_assert_int_eq(w.refused, TG_OBJ_SPECIAL);
	tg_walk_done(&w);
}
END_TEST

START_TEST(test_symlinks)
{
	if (euid != 0)
		return;
	char target[PATH_MAX];
	snprintf(target, sizeof target, "%s/precious", private_dir);
	int fd = open(target, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	mklink(target, "%s/theirlink", OTHER);
	mklink(target, "%s/mylink", euid);
	struct tg_walk w;
	int err;
	/* another user's link is never followed */
	ck_assert_int_eq(walk(&w, at("theirlink"), TG_USE_WRITE, 1, &err), -1);
	ck_assert_int_eq(err, EACCES);
	ck_assert_int_eq(w.refused, TG_OBJ_SYMLINK);
	tg_walk_done(&w);
	/* not as an intermediate component either */
	ck_assert_int_eq(walk(&w, at("theirlink/x"), TG_USE_READ, 1, &err), -1);
	ck_assert_int_eq(w.refused, TG_OBJ_SYMLINK);
	tg_walk_done(&w);
	/* the caller's own link is: what it reaches is outside */
	ck_assert_int_eq(walk(&w, at("mylink"), TG_USE_WRITE, 1, &err), 0);
	ck_assert_int_eq(w.parent_shared, 0);
	ck_assert_str_eq(w.base, "precious");
	struct stat st;
	ck_assert_int_eq(stat(target, &st), 0);
	ck_assert_int_eq(w.st.st_ino, st.st_ino);
	tg_walk_done(&w);
	/* not followed when the call does not follow: the link itself */
	ck_assert_int_eq(walk(&w, at("mylink"), TG_USE_READ, 0, &err), 0);
	ck_assert(S_ISLNK(w.st.st_mode));
	tg_walk_done(&w);
	/* a loop ends with the kernel's ELOOP */
	mklink("loop", "%s/loop", euid);
	ck_assert_int_eq(walk(&w, at("loop"), TG_USE_READ, 1, &err), -1);
	ck_assert_int_eq(err, ELOOP);
	tg_walk_done(&w);
	/* a relative target resolves from the link's directory */
	mk("%s/real", "f", 0600, euid);
	mklink("real", "%s/rel", euid);
	ck_assert_int_eq(walk(&w, at("rel"), TG_USE_READ, 1, &err), 0);
	ck_assert_str_eq(w.base, "real");
	ck_assert_int_eq(w.parent_shared, 1);
	tg_walk_done(&w);
}
END_TEST

START_TEST(test_planted)
{
	if (euid != 0)
		return;
	/* a directory another user made in a shared directory is shared,
	 * whatever its mode: what is in it is judged */
	mk("%s/app", "d", 0755, OTHER);
	mk("%s/app/mine", "f", 0600, euid);
	mk("%s/app/theirs", "f", 0644, OTHER);
	struct tg_walk w;
	int err;
	ck_assert_int_eq(walk(&w, at("app/mine"), TG_USE_WRITE, 1, &err), 0);
	ck_assert_int_eq(w.parent_shared, 1);
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, at("app/theirs"), TG_USE_READ, 1, &err), -1);
	ck_assert_int_eq(w.refused, TG_OBJ_FOREIGN);
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, at("app/new"), TG_USE_WRITE, 1, &err), 0);
	ck_assert_int_eq(w.parent_shared, 1);
	ck_assert_int_eq(w.fd, -1);
	tg_walk_done(&w);
	/* the caller's own directory there is private */
	mk("%s/own", "d", 0700, euid);
	ck_assert_int_eq(walk(&w, at("own/new"), TG_USE_WRITE, 1, &err), 0);
	ck_assert_int_eq(w.parent_shared, 0);
	tg_walk_done(&w);
	/* a directory is passed through and read, not changed */
	ck_assert_int_eq(walk(&w, at("app"), TG_USE_READ, 1, &err), 0);
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, at("app"), TG_USE_CHANGE, 1, &err), -1);
	ck_assert_int_eq(w.refused, TG_OBJ_DIRECTORY);
	tg_walk_done(&w);
	ck_assert_int_eq(walk(&w, at("app/"), TG_USE_CHANGE, 1, &err), -1);
	ck_assert_int_eq(w.refused, TG_OBJ_DIRECTORY);
	tg_walk_done(&w);
}
END_TEST

START_TEST(test_listed)
{
	/* a directory that is not world-writable is shared when listed */
	struct stat st;
	ck_assert_int_eq(stat(private_dir, &st), 0);
	struct tg_dir_id id = { st.st_dev, st.st_ino };
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s/x", private_dir);
	struct tg_walk w = { .dirfd = AT_FDCWD, .path = p, .use = TG_USE_READ,
			     .follow = 1, .trust = &trust, .ids = &id, .nids = 1 };
	ck_assert_int_eq(tg_walk(&w), 0);
	ck_assert_int_eq(w.parent_shared, 1);
	tg_walk_done(&w);
	/* started at the listed directory by name (skip) */
	w = (struct tg_walk){ .dirfd = AT_FDCWD, .path = p, .use = TG_USE_READ,
			      .follow = 1, .trust = &trust,
			      .skip = strlen(private_dir) };
	ck_assert_int_eq(tg_walk(&w), 0);
	ck_assert_int_eq(w.parent_shared, 1);
	ck_assert_str_eq(w.base, "x");
	tg_walk_done(&w);
}
END_TEST

/* check_stable: does the name still mean what was pinned? Only where
 * every shared directory on the way keeps its entries. */
START_TEST(test_stable)
{
	mk("%s/f", "f", 0700, euid);
	mk("%s/ww", "d", 0777, euid);
	ck_assert_int_eq(chmod(at("ww"), 0777), 0); /* not sticky */
	mk("%s/ww/f", "f", 0700, euid);
	mk("%s/own", "d", 0755, euid);
	mk("%s/own/f", "f", 0700, euid);
	struct tg_walk w;
	int err;
	static const struct {
		const char *name;
		int stable;
	} cases[] = {
		{ "f", 1 },      /* sticky, the caller's entry */
		{ "own/f", 1 },  /* ... and then a directory of the caller's */
		{ "ww/f", 0 },   /* anyone may rename the entry away */
		{ "ww/../f", 1 } /* ".." names no entry: still sticky */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		w = (struct tg_walk){ .dirfd = AT_FDCWD, .path = at(cases[i].name),
				      .use = TG_USE_EXEC, .follow = 1,
				      .trust = &trust, .check_stable = 1 };
		ck_assert_int_eq(tg_walk(&w), 0);
		ck_assert_msg(w.stable == cases[i].stable, "%s: stable %d",
			      cases[i].name, w.stable);
		tg_walk_done(&w);
	}
	/* without check_stable, nothing is looked at for it */
	ck_assert_int_eq(walk(&w, at("ww/f"), TG_USE_EXEC, 1, &err), 0);
	ck_assert_int_eq(w.stable, 0);
	tg_walk_done(&w);
	if (euid != 0)
		return;
	/* a directory another user owns: its owner may replace anything */
	mk("%s/app", "d", 01777, OTHER);
	mk("%s/app/f", "f", 0700, euid);
	w = (struct tg_walk){ .dirfd = AT_FDCWD, .path = at("app/f"),
			      .use = TG_USE_EXEC, .follow = 1, .trust = &trust,
			      .check_stable = 1 };
	ck_assert_int_eq(tg_walk(&w), 0);
	ck_assert_int_eq(w.stable, 0);
	tg_walk_done(&w);
}
END_TEST

START_TEST(test_relative_and_dots)
{
	mk("%s/f", "f", 0600, euid);
	int dfd = open(shared_dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	struct tg_walk w = { .dirfd = dfd, .path = "./f", .use = TG_USE_READ,
			     .follow = 1, .trust = &trust, .start_shared = 1 };
	ck_assert_int_eq(tg_walk(&w), 0);
	ck_assert_int_eq(w.parent_shared, 1);
	ck_assert_str_eq(w.base, "f");
	tg_walk_done(&w);
	/* out of the shared directory with "..": private again */
	w = (struct tg_walk){ .dirfd = dfd, .path = "../private//", .use = TG_USE_READ,
			      .follow = 1, .trust = &trust, .start_shared = 1 };
	ck_assert_int_eq(tg_walk(&w), 0);
	ck_assert(S_ISDIR(w.st.st_mode));
	ck_assert_int_eq(w.parent_shared, 0);
	tg_walk_done(&w);
	close(dfd);
	/* a path longer than the stack buffer */
	char p[PATH_MAX];
	int n = snprintf(p, sizeof p, "%s", shared_dir);
	while (n < 600)
		n += snprintf(p + n, sizeof p - (size_t)n, "/.");
	snprintf(p + n, sizeof p - (size_t)n, "/f");
	int err;
	ck_assert_int_eq(walk(&w, p, TG_USE_READ, 1, &err), 0);
	ck_assert_str_eq(w.base, "f");
	tg_walk_done(&w);
}
END_TEST

/* After the walk: the judgement the library and run --supervise share
 * (pure: the walk's outcome is made up here). */
START_TEST(test_path_judge)
{
	struct tg_walk w = { .fd = -1, .pfd = -1 };
	struct tg_path_call follows = { 1, 0, 0 };
	struct tg_report r;
	int err;
	/* a planted link refused: harden fails with EACCES and says so;
	 * audit lets the call through and logs the detection */
	w.refused = TG_OBJ_SYMLINK;
	ck_assert_int_eq(tg_path_judge(TG_MODE_HARDEN, &w, &follows, -1, EACCES,
				       &r, &err), TG_JUDGED_REFUSED);
	ck_assert_int_eq(err, EACCES);
	ck_assert_int_eq(r.kind, TG_EV_HIJACK_BLOCKED);
	ck_assert_int_eq(r.err, EACCES);
	ck_assert_int_eq(tg_path_judge(TG_MODE_AUDIT, &w, &follows, -1, EACCES,
				       &r, &err), TG_JUDGED_FORWARD);
	ck_assert_int_eq(r.kind, TG_EV_HIJACK_DETECTED);
	/* the kernel's own failure of the walk: its errno, nothing logged */
	w.refused = TG_OBJ_OK;
	ck_assert_int_eq(tg_path_judge(TG_MODE_HARDEN, &w, &follows, -1, ELOOP,
				       &r, &err), TG_JUDGED_REFUSED);
	ck_assert_int_eq(err, ELOOP);
	ck_assert_int_eq(r.kind, TG_EV_NONE);
	/* a missing object */
	ck_assert_int_eq(tg_path_judge(TG_MODE_HARDEN, &w, &follows, 0, ENOENT,
				       &r, &err), TG_JUDGED_REFUSED);
	ck_assert_int_eq(err, ENOENT);
	/* an object the rule accepts: pinned */
	w.fd = 99;
	w.st.st_mode = S_IFREG | 0600;
	ck_assert_int_eq(tg_path_judge(TG_MODE_HARDEN, &w, &follows, 0, 0, &r,
				       &err), TG_JUDGED_PINNED);
	ck_assert_int_eq(r.kind, TG_EV_NONE);
	/* rename's "file/": the kernel's ENOTDIR, also over a plant, which
	 * is then only a detection */
	struct tg_path_call slashed = { 0, 0, 1 };
	ck_assert_int_eq(tg_path_judge(TG_MODE_HARDEN, &w, &slashed, 0, 0, &r,
				       &err), TG_JUDGED_REFUSED);
	ck_assert_int_eq(err, ENOTDIR);
	ck_assert_int_eq(r.kind, TG_EV_NONE);
	w.st.st_mode = S_IFLNK | 0777;
	w.refused = TG_OBJ_SYMLINK;
	ck_assert_int_eq(tg_path_judge(TG_MODE_HARDEN, &w, &slashed, -1, EACCES,
				       &r, &err), TG_JUDGED_REFUSED);
	ck_assert_int_eq(err, ENOTDIR);
	ck_assert_int_eq(r.kind, TG_EV_HIJACK_DETECTED);
	ck_assert_int_eq(r.err, 0);
	/* fchmodat(AT_SYMLINK_NOFOLLOW) on a trusted link: EOPNOTSUPP */
	struct tg_path_call nofollow = { 0, EOPNOTSUPP, 0 };
	w.refused = TG_OBJ_OK;
	ck_assert_int_eq(tg_path_judge(TG_MODE_HARDEN, &w, &nofollow, 0, 0, &r,
				       &err), TG_JUDGED_REFUSED);
	ck_assert_int_eq(err, EOPNOTSUPP);
	ck_assert_int_eq(r.kind, TG_EV_NONE);
	/* trailing slashes */
	char buf[PATH_MAX];
	const char *p = "/tmp/a//";
	ck_assert_str_eq(tg_path_unslashed(p, buf), "/tmp/a");
	p = "/tmp/a";
	ck_assert_ptr_eq(tg_path_unslashed(p, buf), p);
	p = "/";
	ck_assert_ptr_eq(tg_path_unslashed(p, buf), p);
	ck_assert_str_eq(tg_path_unslashed("//", buf), "/");
}
END_TEST

Suite *walk_suite(void)
{
	Suite *s = suite_create("walk");
	TCase *tc = tcase_create("walk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_private_untouched);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_owner);
	tcase_add_test(tc, test_links);
	tcase_add_test(tc, test_symlinks);
	tcase_add_test(tc, test_planted);
	tcase_add_test(tc, test_listed);
	tcase_add_test(tc, test_relative_and_dots);
	tcase_add_test(tc, test_stable);
	tcase_add_test(tc, test_path_judge);
	suite_add_tcase(s, tc);
	return s;
}
