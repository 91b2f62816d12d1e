/* tmpguard tests — uring_open FILE: a dynamically linked glibc program
 * that creates FILE and writes to it through io_uring (liburing's
 * IORING_OP_OPENAT and IORING_OP_WRITE): no libc call opens the file, so
 * `tmpguard scan` must call it only partly protected and `tmpguard run`
 * warn. Exits 77 when the kernel refuses io_uring (disabled by sysctl or by
 * a container's seccomp filter). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Submits the one prepared request and returns its result (-errno). */
static int run_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int r = io_uring_submit(ring);
	if (r < 0)
		return r;
	r = io_uring_wait_cqe(ring, &cqe);
	if (r < 0)
		return r;
	r = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return r;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: uring_open FILE\n");
		return 2;
	}
	struct io_uring ring;
	int r = io_uring_queue_init(4, &ring, 0);
	if (r < 0) {
		fprintf(stderr, "uring_open: io_uring_queue_init: %s\n", strerror(-r));
		return 77;
	}
	/* the unsafe form the library would harden: no O_EXCL, follows links */
	io_uring_prep_openat(io_uring_get_sqe(&ring), AT_FDCWD, argv[1],
			     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int fd = run_one(&ring);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-fd));
		io_uring_queue_exit(&ring);
		return fd == -EINVAL ? 77 : 1; /* kernels before 5.6: no openat */
	}
	static const char text[] = "uring_open\n";
	io_uring_prep_write(io_uring_get_sqe(&ring), fd, text, strlen(text), 0);
	r = run_one(&ring);
	io_uring_queue_exit(&ring);
	return close(fd) == 0 && r == (int)strlen(text) ? 0 : 1;
}
