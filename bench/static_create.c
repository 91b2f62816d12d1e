/* tmpguard bench — a static program's creations (issue 18), linked with
 * -static so that no preload can reach it: only `tmpguard run --supervise`
 * does.
 *
 *   static_create N DIR   N x open(DIR/tgbench.static.<pid>.<i>,
 *                         O_CREAT|O_WRONLY|O_TRUNC, 0600) + close: fresh
 *                         predictable names, no O_EXCL; then unlinks them
 *                         (untimed) and prints "WALL_S CPU_S" of the
 *                         creating loop alone on stdout.
 * Exits 1 on the first failure. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void name_of(char *buf, size_t len, const char *dir, long i)
{
	snprintf(buf, len, "%s/tgbench.static.%ld.%ld", dir, (long)getpid(), i);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: static_create N DIR\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	const char *dir = argv[2];
	char path[4096];
	long i;

	double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	for (i = 0; i < n; i++) {
		name_of(path, sizeof path, dir, i);
		int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
		if (fd < 0 || close(fd) != 0) {
			fprintf(stderr, "static_create: %s: %s\n", path, strerror(errno));
			break;
		}
	}
	double wall = clock_s(CLOCK_MONOTONIC) - w0;
	double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	for (long k = 0; k < i; k++) {
		name_of(path, sizeof path, dir, k);
		unlink(path);
	}
	if (i < n)
		return 1;
	printf("%.6f %.6f\n", wall, cpu);
	return 0;
}
