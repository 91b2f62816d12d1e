/* hostile — unusual arguments to the hooked functions. One line per call:
 *   LABEL ok|fail ERRNO        (ERRNO as a number; 0 before each call)
 *
 *   hostile open PATH          open(PATH, O_WRONLY|O_CREAT, 0600)
 *   hostile fopen PATH         fopen(PATH, "w")
 *   hostile mkdir PATH         mkdir(PATH, 0700)
 *   hostile long DIR N         open and mkdir of DIR/ + N 'a's
 *   hostile deep DIR N         open of DIR/ + N times "a/" + "f"
 *   hostile few-x DIR          templates with too few X's, or none
 *   hostile null               NULL where glibc accepts it
 *   hostile ro-mktemp|ro-mkstemp|ro-mkdtemp
 *                              a string literal as the template (glibc
 *                              writes to it: SIGSEGV bare, and so under us)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *label, int ok, int err)
{
	printf("%s %s %d\n", label, ok ? "ok" : "fail", ok ? 0 : err);
	fflush(stdout);
}

static void try_open(const char *label, const char *path)
{
	errno = 0;
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	report(label, fd >= 0, errno);
	if (fd >= 0)
		close(fd);
}

static void try_mkdir(const char *label, const char *path)
{
	errno = 0;
	int rc = mkdir(path, 0700);
	report(label, rc == 0, errno);
}

static char *cat(const char *dir, const char *rest)
{
	size_t n = strlen(dir) + strlen(rest) + 2;
	char *p = malloc(n);
	if (!p)
		exit(1);
	snprintf(p, n, "%s/%s", dir, rest);
	return p;
}

static void few_x(const char *dir)
{
	static const char *const tmpls[] = { "a", "aX", "aXXXXX", "XXXXX", "a.XXXXXX.", "" };
	char label[64];
	for (size_t i = 0; i < sizeof tmpls / sizeof *tmpls; i++) {
		char *t = cat(dir, tmpls[i]);
		snprintf(label, sizeof label, "mkstemp[%zu]", i);
		errno = 0;
		int fd = mkstemp(t);
		report(label, fd >= 0, errno);
		if (fd >= 0)
			close(fd), unlink(t);
		free(t);
		t = cat(dir, tmpls[i]);
		snprintf(label, sizeof label, "mkdtemp[%zu]", i);
		errno = 0;
		char *d = mkdtemp(t);
		report(label, d != NULL, errno);
		if (d)
			rmdir(d);
		free(t);
		t = cat(dir, tmpls[i]);
		snprintf(label, sizeof label, "mktemp[%zu]", i);
		errno = 0;
		char *r = mktemp(t);
		report(label, r && r[0], errno);
		free(t);
		t = cat(dir, tmpls[i]);
		snprintf(label, sizeof label, "mkstemps[%zu]", i);
		errno = 0;
		fd = mkstemps(t, 1);
		report(label, fd >= 0, errno);
		if (fd >= 0)
			close(fd), unlink(t);
		free(t);
	}
	/* the suffix longer than the template */
	char *t = cat(dir, "bXXXXXX");
	errno = 0;
	int fd = mkstemps(t, 1000);
	report("mkstemps-suffix-too-long", fd >= 0, errno);
	free(t);
	t = cat(dir, "bXXXXXX");
	errno = 0;
	fd = mkstemps(t, -1);
	report("mkstemps-suffix-negative", fd >= 0, errno);
	free(t);
}

static void nulls(void)
{
	errno = 0;
	char *r = tmpnam(NULL);
	report("tmpnam(NULL)", r != NULL, errno);
	errno = 0;
	r = tmpnam_r(NULL);
	report("tmpnam_r(NULL)", r != NULL, errno);
	errno = 0;
	r = tempnam(NULL, NULL);
	report("tempnam(NULL,NULL)", r != NULL, errno);
	free(r);
	errno = 0;
	r = tempnam("/nonexistent-dir", NULL);
	report("tempnam(missing,NULL)", r != NULL, errno);
	free(r);
	errno = 0;
	r = tempnam(NULL, "toolongprefix");
	report("tempnam(NULL,long)", r != NULL, errno);
	free(r);
	errno = 0;
	FILE *f = freopen(NULL, "r", stdin);
	report("freopen(NULL,r,stdin)", f != NULL, errno);
	FILE *w = fopen("/dev/null", "w");
	errno = 0;
	f = freopen(NULL, "r+", w);
	report("freopen(NULL,r+,devnull)", f != NULL, errno);
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *cmd = argv[1];
	if (!strcmp(cmd, "open") && argc == 3)
		try_open("open", argv[2]);
	else if (!strcmp(cmd, "fopen") && argc == 3) {
		errno = 0;
		FILE *f = fopen(argv[2], "w");
		report("fopen", f != NULL, errno);
		if (f)
			fclose(f);
	} else if (!strcmp(cmd, "mkdir") && argc == 3)
		try_mkdir("mkdir", argv[2]);
	else if (!strcmp(cmd, "long") && argc == 4) {
		size_t n = (size_t)atol(argv[3]);
		char *name = malloc(n + 1);
		memset(name, 'a', n);
		name[n] = '\0';
		char *p = cat(argv[2], name);
		try_open("open-long", p);
		unlink(p);
		try_mkdir("mkdir-long", p);
		rmdir(p);
		errno = 0;
		FILE *f = fopen(p, "w");
		report("fopen-long", f != NULL, errno);
		if (f)
			fclose(f), unlink(p);
	} else if (!strcmp(cmd, "deep") && argc == 4) {
		size_t n = (size_t)atol(argv[3]);
		char *rest = malloc(2 * n + 2);
		for (size_t i = 0; i < n; i++)
			rest[2 * i] = 'a', rest[2 * i + 1] = '/';
		rest[2 * n] = 'f';
		rest[2 * n + 1] = '\0';
		char *p = cat(argv[2], rest);
		try_open("open-deep", p);
	} else if (!strcmp(cmd, "few-x") && argc == 3)
		few_x(argv[2]);
	else if (!strcmp(cmd, "null"))
		nulls();
	else if (!strcmp(cmd, "ro-mktemp")) {
		char *r = mktemp((char *)"/tmp/tg-ro-XXXXXX");
		report("ro-mktemp", r && r[0], errno);
	} else if (!strcmp(cmd, "ro-mkstemp")) {
		int fd = mkstemp((char *)"/tmp/tg-ro-XXXXXX");
		report("ro-mkstemp", fd >= 0, errno);
	} else if (!strcmp(cmd, "ro-mkdtemp")) {
		char *r = mkdtemp((char *)"/tmp/tg-ro-XXXXXX");
		report("ro-mkdtemp", r != NULL, errno);
	} else
		return 2;
	return 0;
}
