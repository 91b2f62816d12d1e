/* no_tmpfile PROGRAM [ARG...]: run PROGRAM where the kernel refuses
 * O_TMPFILE with EOPNOTSUPP, as on a file system without it (vfat, older
 * NFS). A seccomp filter on open/openat, installed without privileges
 * (PR_SET_NO_NEW_PRIVS), inherited across exec. Exits 77 where seccomp or
 * the architecture is not available, so the test can skip and say why. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NO_TMPFILE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NO_TMPFILE_ARCH AUDIT_ARCH_AARCH64
#endif

/* the kernel's own O_TMPFILE bit: glibc's __O_TMPFILE also has
 * O_DIRECTORY in it, which every opendir sets */
#define TMPFILE_BIT 020000000

/* the low 32 bits of system call argument N (little-endian) */
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: no_tmpfile PROGRAM [ARG...]\n");
		return 2;
	}
#if !defined(NO_TMPFILE_ARCH) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	fprintf(stderr, "no_tmpfile: architecture not supported\n");
	return 77;
#else
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NO_TMPFILE_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 2),
		/* openat(dirfd, path, flags, mode) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JA, 2, 0, 0),
#ifdef SYS_open
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_open, 0, 2),
		/* open(path, flags, mode) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1)),
#else
		BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
#endif
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, TMPFILE_BIT, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EOPNOTSUPP & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = {
		.len = sizeof code / sizeof code[0],
		.filter = code,
	};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		fprintf(stderr, "no_tmpfile: seccomp: %s\n", strerror(errno));
		return 77;
	}
	/* prove the filter works before trusting it */
	int fd = openat(AT_FDCWD, "/tmp", O_TMPFILE | O_RDWR, 0600);
	if (fd >= 0 || errno != EOPNOTSUPP) {
		fprintf(stderr, "no_tmpfile: O_TMPFILE still allowed\n");
		return 77;
	}
	fd = openat(AT_FDCWD, "/dev/null", O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "no_tmpfile: plain openat refused: %s\n", strerror(errno));
		return 77;
	}
	close(fd);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "no_tmpfile: %s: %s\n", argv[1], strerror(errno));
	return 127;
#endif
}
