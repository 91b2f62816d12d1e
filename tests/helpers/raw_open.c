/* tmpguard tests — raw_open FILE [PROG ARG...]: a dynamically linked glibc
 * program that creates FILE and writes to it through syscall(SYS_openat,
 * ...), without libc's open: the preload loads but never sees that
 * creation, so `tmpguard scan` must call it only partly protected and
 * `tmpguard run` warn. Then, with PROG, it becomes PROG ARG... (execv). */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: raw_open FILE [PROG ARG...]\n");
		return 2;
	}
	/* the unsafe form the library would harden: no O_EXCL, follows links */
	int fd = (int)syscall(SYS_openat, AT_FDCWD, argv[1],
			      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	static const char text[] = "raw_open\n";
	int ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	if (close(fd) != 0 || !ok)
		return 1;
	if (argc > 2) {
		execv(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	return 0;
}
