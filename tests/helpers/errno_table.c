/* errno_table — every hooked function, on success and on its failure paths,
 * with errno set to a sentinel before each call. One line per case:
 *   LABEL ok|fail ERRNO
 * (ERRNO: "sentinel" when errno was left alone, else its number). Run bare
 * and preloaded: the outputs must be identical.
 *
 *   errno_table DIR      DIR: an empty directory, writable
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SENTINEL 7777

static char buf[4096];
static const char *dir;

static const char *P(const char *name)
{
	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void report(const char *label, int ok, int err)
{
	if (err == SENTINEL)
		printf("%s %s sentinel\n", label, ok ? "ok" : "fail");
	else
		printf("%s %s %d\n", label, ok ? "ok" : "fail", err);
}

#define CASE_FD(label, expr)                                                   \
	do {                                                                   \
		errno = SENTINEL;                                              \
		int fd_ = (expr);                                              \
		int e_ = errno;                                                \
		report(label, fd_ >= 0, e_);                                   \
		if (fd_ >= 0)                                                  \
			close(fd_);                                            \
	} while (0)

#define CASE_RC(label, expr)                                                   \
	do {                                                                   \
		errno = SENTINEL;                                              \
		int rc_ = (expr);                                              \
		int e_ = errno;                                                \
		report(label, rc_ == 0, e_);                                   \
	} while (0)

#define CASE_FILE(label, expr)                                                 \
	do {                                                                   \
		errno = SENTINEL;                                              \
		FILE *f_ = (expr);                                             \
		int e_ = errno;                                                \
		report(label, f_ != NULL, e_);                                 \
		if (f_)                                                        \
			fclose(f_);                                            \
	} while (0)

#define CASE_PTR(label, expr)                                                  \
	do {                                                                   \
		errno = SENTINEL;                                              \
		const void *p_ = (expr);                                       \
		int e_ = errno;                                                \
		report(label, p_ != NULL, e_);                                 \
	} while (0)

static char tmpl[4096];
static char *T(const char *pattern)
{
	snprintf(tmpl, sizeof tmpl, "%s/%s", dir, pattern);
	return tmpl;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	dir = argv[1];
	char path[4096];

	/* the fixtures */
	snprintf(path, sizeof path, "%s/exists", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return 1;
	close(fd);

	CASE_FD("open-rdonly-exists", open(P("exists"), O_RDONLY));
	CASE_FD("open-rdonly-missing", open(P("missing"), O_RDONLY));
	CASE_FD("open-creat-new", open(P("new1"), O_WRONLY | O_CREAT, 0600));
	CASE_FD("open-creat-exists", open(P("exists"), O_WRONLY | O_CREAT, 0600));
	CASE_FD("open-creat-trunc-exists", open(P("exists"), O_WRONLY | O_CREAT | O_TRUNC, 0600));
	CASE_FD("open-excl-exists", open(P("exists"), O_WRONLY | O_CREAT | O_EXCL, 0600));
	CASE_FD("open-enoent-dir", open(P("nodir/x"), O_WRONLY | O_CREAT, 0600));
	CASE_FD("open-enotdir", open(P("exists/x"), O_WRONLY | O_CREAT, 0600));
	CASE_FD("open-eisdir", open(dir, O_WRONLY));
	CASE_FD("open-einval-flags", open(P("new-inval"), O_RDONLY | O_CREAT | O_DIRECTORY | O_EXCL, 0600));
	CASE_FD("open64-creat-new", open64(P("new2"), O_WRONLY | O_CREAT, 0600));
	CASE_FD("openat-creat-new", openat(AT_FDCWD, P("new3"), O_WRONLY | O_CREAT, 0600));
	CASE_FD("openat-ebadf", openat(987, "relative", O_RDONLY));
	CASE_FD("openat64-missing", openat64(AT_FDCWD, P("missing"), O_RDONLY));
	CASE_FD("creat-new", creat(P("new4"), 0600));
	CASE_FD("creat-exists", creat(P("exists"), 0600));
	CASE_FD("creat-enoent", creat(P("nodir/x"), 0600));
	CASE_FD("creat64-new", creat64(P("new5"), 0600));
	CASE_FD("open-tmpfile", open(dir, O_TMPFILE | O_RDWR, 0600));

	CASE_FILE("fopen-r-exists", fopen(P("exists"), "r"));
	CASE_FILE("fopen-r-missing", fopen(P("missing"), "r"));
	CASE_FILE("fopen-w-new", fopen(P("new6"), "w"));
	CASE_FILE("fopen-w-exists", fopen(P("exists"), "w"));
	CASE_FILE("fopen-a-new", fopen(P("new7"), "a"));
	CASE_FILE("fopen-wx-exists", fopen(P("exists"), "wx"));
	CASE_FILE("fopen-w-enoent", fopen(P("nodir/x"), "w"));
	CASE_FILE("fopen-bad-mode", fopen(P("exists"), "z"));
	CASE_FILE("fopen64-w-new", fopen64(P("new8"), "w"));
	{
		FILE *f = fopen("/dev/null", "r");
		CASE_FILE("freopen-w-new", freopen(P("new9"), "w", f));
		f = fopen("/dev/null", "r");
		CASE_FILE("freopen-r-missing", freopen(P("missing"), "r", f));
	}
	CASE_FILE("tmpfile", tmpfile());
	CASE_FILE("tmpfile64", tmpfile64());

	CASE_FD("mkstemp-ok", mkstemp(T("a.XXXXXX")));
	CASE_FD("mkstemp-few-x", mkstemp(T("a.XXXXX")));
	CASE_FD("mkstemp-no-x", mkstemp(T("plain")));
	CASE_FD("mkstemp-enoent", mkstemp(T("nodir/a.XXXXXX")));
	CASE_FD("mkstemp64-ok", mkstemp64(T("b.XXXXXX")));
	CASE_FD("mkostemp-ok", mkostemp(T("c.XXXXXX"), O_CLOEXEC));
	CASE_FD("mkostemp-few-x", mkostemp(T("c.XXX"), O_CLOEXEC));
	CASE_FD("mkostemp64-ok", mkostemp64(T("c2.XXXXXX"), 0));
	CASE_FD("mkstemps-ok", mkstemps(T("d.XXXXXX.txt"), 4));
	CASE_FD("mkstemps-bad-suffix", mkstemps(T("d.XXXXXX.txt"), 40));
	CASE_FD("mkstemps64-ok", mkstemps64(T("d2.XXXXXX.c"), 2));
	CASE_FD("mkostemps-ok", mkostemps(T("e.XXXXXX.c"), 2, O_APPEND));
	CASE_FD("mkostemps64-ok", mkostemps64(T("e2.XXXXXX.c"), 2, 0));
	CASE_PTR("mkdtemp-ok", mkdtemp(T("f.XXXXXX")));
	CASE_PTR("mkdtemp-few-x", mkdtemp(T("f.XX")));
	CASE_PTR("mkdtemp-enoent", mkdtemp(T("nodir/f.XXXXXX")));
	{
		char *r = mktemp(T("g.XXXXXX"));
		report("mktemp-ok", r && r[0], errno);
		errno = SENTINEL;
		r = mktemp(T("g.XX"));
		report("mktemp-few-x", r && r[0], errno);
	}
	{
		errno = SENTINEL;
		char *r = tmpnam(NULL);
		report("tmpnam-null", r != NULL, errno);
		char nb[L_tmpnam];
		errno = SENTINEL;
		r = tmpnam(nb);
		report("tmpnam-buf", r != NULL, errno);
		errno = SENTINEL;
		r = tmpnam_r(nb);
		report("tmpnam_r-buf", r != NULL, errno);
		errno = SENTINEL;
		r = tmpnam_r(NULL);
		report("tmpnam_r-null", r != NULL, errno);
		errno = SENTINEL;
		r = tempnam(dir, "pfx");
		report("tempnam-dir", r != NULL, errno);
		free(r);
		errno = SENTINEL;
		r = tempnam(NULL, NULL);
		report("tempnam-null", r != NULL, errno);
		free(r);
	}

	CASE_RC("mkdir-new", mkdir(P("dir1"), 0700));
	CASE_RC("mkdir-exists", mkdir(P("dir1"), 0700));
	CASE_RC("mkdir-enoent", mkdir(P("nodir/x"), 0700));
	CASE_RC("mkdirat-new", mkdirat(AT_FDCWD, P("dir2"), 0700));
	CASE_RC("mkdirat-ebadf", mkdirat(987, "rel", 0700));
	CASE_RC("mkfifo-new", mkfifo(P("fifo1"), 0600));
	CASE_RC("mkfifo-exists", mkfifo(P("fifo1"), 0600));
	CASE_RC("mkfifoat-new", mkfifoat(AT_FDCWD, P("fifo2"), 0600));
	CASE_RC("mknod-reg-new", mknod(P("node1"), S_IFREG | 0600, 0));
	CASE_RC("mknod-reg-exists", mknod(P("node1"), S_IFREG | 0600, 0));
	CASE_RC("mknod-bad-type", mknod(P("node2"), 0170000 | 0600, 0));
	CASE_RC("mknodat-fifo-new", mknodat(AT_FDCWD, P("node3"), S_IFIFO | 0600, 0));

	CASE_FD("shm_open-new", shm_open("/tg-errno-table", O_RDWR | O_CREAT | O_EXCL, 0600));
	CASE_FD("shm_open-exists", shm_open("/tg-errno-table", O_RDWR | O_CREAT | O_EXCL, 0600));
	shm_unlink("/tg-errno-table");
	CASE_FD("shm_open-missing", shm_open("/tg-errno-missing", O_RDWR, 0600));
	{
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		errno = SENTINEL;
		int rc = posix_spawn_file_actions_addopen(&fa, 3, P("spawn"), O_WRONLY | O_CREAT, 0600);
		report("addopen-ok", rc == 0, rc == 0 ? errno : rc);
		errno = SENTINEL;
		rc = posix_spawn_file_actions_addopen(&fa, -1, P("spawn"), O_WRONLY | O_CREAT, 0600);
		report("addopen-ebadf", rc == 0, rc == 0 ? errno : rc);
		posix_spawn_file_actions_destroy(&fa);
	}
	return 0;
}
