/* pathcalls — one path call of tmpguard's CHANGE, MOVE and RESOLVE
 * families per run, through the real libc symbol of that name, for
 * tests/paths.sh.
 *
 *   pathcalls [--dirfd DIR] CALL ARG... [WORD...]
 *
 *   truncate P, truncate64 P          length 3
 *   chmod P, fchmodat P [MODE]        mode 0666 unless MODE (octal)
 *   chown P, fchownat P [UID [GID]]   4343:4343 unless given
 *   utime P, utimes P, utimensat P, futimesat P
 *                                     both times 1000000000 (now: "now")
 *   rename A B, renameat A B, renameat2 A B
 *   link A B, linkat A B
 *   realpath P, __realpath_chk P [LEN], canonicalize_file_name P
 * WORDS: nofollow (AT_SYMLINK_NOFOLLOW), follow (linkat's
 * AT_SYMLINK_FOLLOW), noreplace (renameat2's RENAME_NOREPLACE), now
 * (times NULL), null (realpath allocates). --dirfd DIR: the *at calls are
 * made relative to DIR, opened with open(O_RDONLY|O_DIRECTORY) (so a
 * preloaded library sees it opened).
 *
 * Output, one line: "OK rc=R errno=E pid=P [name=N]" (errno after the
 * call; it was 0 before) or "ERR errno=N ENAME pid=P"; exit 0 or 1, 2 for
 * a usage error. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

extern char *__realpath_chk(const char *path, char *resolved, size_t len);

static int word(int argc, char **argv, const char *w)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], w) == 0)
			return 1;
	return 0;
}

static const char *errname(int e)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" },
		{ EACCES, "EACCES" },	    { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" },	    { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" },	    { EINVAL, "EINVAL" },
		{ EMLINK, "EMLINK" },	    { ELOOP, "ELOOP" },
		{ ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { EBUSY, "EBUSY" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EFAULT, "EFAULT" },
		{ EROFS, "EROFS" },	    { ENXIO, "ENXIO" },
		{ EAGAIN, "EAGAIN" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == e)
			return names[i].name;
	return "E?";
}

static int report(long rc, const char *name)
{
	int e = errno;
	if (rc < 0) {
		printf("ERR errno=%d %s pid=%d\n", e, errname(e), (int)getpid());
		return 1;
	}
	printf("OK rc=%ld errno=%d pid=%d%s%s\n", rc, e, (int)getpid(),
	       name ? " name=" : "", name ? name : "");
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: pathcalls [--dirfd DIR] CALL ARG... [WORD...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int dfd = AT_FDCWD;
	if (argc > 2 && strcmp(argv[1], "--dirfd") == 0) {
		dfd = open(argv[2], O_RDONLY | O_DIRECTORY);
		if (dfd < 0) {
			perror(argv[2]);
			return 2;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 3)
		return usage();
	const char *call = argv[1], *p = argv[2];
	const char *q = argc > 3 ? argv[3] : NULL;
	int nofollow = word(argc, argv, "nofollow") ? AT_SYMLINK_NOFOLLOW : 0;
	int now = word(argc, argv, "now");
	struct utimbuf ub = { 1000000000, 1000000000 };
	struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	long rc;

	errno = 0;
	if (strcmp(call, "truncate") == 0) {
		rc = truncate(p, 3);
	} else if (strcmp(call, "truncate64") == 0) {
		rc = truncate64(p, 3);
	} else if (strcmp(call, "chmod") == 0 || strcmp(call, "fchmodat") == 0) {
		mode_t m = q && q[0] >= '0' && q[0] <= '7' ? (mode_t)strtol(q, NULL, 8)
							 : 0666;
		errno = 0;
		rc = call[0] == 'c' ? chmod(p, m) : fchmodat(dfd, p, m, nofollow);
	} else if (strcmp(call, "chown") == 0 || strcmp(call, "fchownat") == 0) {
		uid_t u = q && q[0] >= '0' && q[0] <= '9' ? (uid_t)atol(q) : 4343;
		gid_t g = argc > 4 && argv[4][0] >= '0' && argv[4][0] <= '9'
				  ? (gid_t)atol(argv[4])
				  : (gid_t)u;
		errno = 0;
		rc = call[0] == 'c' ? chown(p, u, g)
				    : fchownat(dfd, p, u, g, nofollow);
	} else if (strcmp(call, "utime") == 0) {
		rc = utime(p, now ? NULL : &ub);
	} else if (strcmp(call, "utimes") == 0) {
		rc = utimes(p, now ? NULL : tv);
	} else if (strcmp(call, "utimensat") == 0) {
		rc = utimensat(dfd, p, now ? NULL : ts, nofollow);
	} else if (strcmp(call, "futimesat") == 0) {
		rc = futimesat(dfd, p, now ? NULL : tv);
	} else if (strcmp(call, "rename") == 0 && q) {
		rc = rename(p, q);
	} else if (strcmp(call, "renameat") == 0 && q) {
		rc = renameat(dfd, p, dfd, q);
	} else if (strcmp(call, "renameat2") == 0 && q) {
		unsigned flags = word(argc, argv, "noreplace") ? RENAME_NOREPLACE : 0;
		rc = renameat2(dfd, p, dfd, q, flags);
	} else if (strcmp(call, "link") == 0 && q) {
		rc = link(p, q);
	} else if (strcmp(call, "linkat") == 0 && q) {
		int follow = word(argc, argv, "follow") ? AT_SYMLINK_FOLLOW : 0;
		rc = linkat(dfd, p, dfd, q, follow);
	} else if (strcmp(call, "realpath") == 0 ||
		   strcmp(call, "__realpath_chk") == 0 ||
		   strcmp(call, "canonicalize_file_name") == 0) {
		static char buf[PATH_MAX];
		char *r;
		if (call[0] == 'c')
			r = canonicalize_file_name(p);
		else if (call[0] == '_')
			r = __realpath_chk(p, buf,
					   q && q[0] >= '0' && q[0] <= '9'
						   ? (size_t)atol(q)
						   : sizeof buf);
		else
			r = realpath(p, word(argc, argv, "null") ? NULL : buf);
		return report(r ? 0 : -1, r);
	} else {
		return usage();
	}
	return report(rc, NULL);
}
