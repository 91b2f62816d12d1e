/* tmpguard tests — outer_filter KIND CMD [ARG...]: runs CMD under a
 * seccomp filter of its own (inherited by CMD and by what it runs):
 *   none   seccomp(2) fails with ENOSYS and prctl(PR_SET_SECCOMP) with
 *          EINVAL, as on a kernel built without seccomp filters;
 *   other  a filter that refuses only acct(2) (EPERM), as a container
 *          runtime's filter is there before tmpguard's: filters stack;
 *   old    seccomp(2) refuses SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV with
 *          EINVAL, as kernels before 5.19 do;
 *   noaddfd  the SECCOMP_IOCTL_NOTIF_ADDFD request fails with EINVAL, as
 *          on kernels before 5.9 (the caller itself is filtered: run).
 * Exit status 125 when the filter cannot be installed, else CMD's (127
 * when it cannot run). */
#include <config.h>

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

static int rules(scmp_filter_ctx ctx, const char *kind)
{
	if (strcmp(kind, "none") == 0)
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
					SCMP_SYS(seccomp), 0) |
		       seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl),
					1, SCMP_A0(SCMP_CMP_EQ, PR_SET_SECCOMP));
	if (strcmp(kind, "other") == 0)
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(acct), 0);
	if (strcmp(kind, "old") == 0)
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(seccomp),
					1, SCMP_A1(SCMP_CMP_MASKED_EQ, 1u << 5, 1u << 5));
	if (strcmp(kind, "noaddfd") == 0) {
		const uint64_t addfd = SECCOMP_IOCTL_NOTIF_ADDFD;
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(ioctl),
					1, SCMP_A1(SCMP_CMP_EQ, addfd));
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: outer_filter none|other|old|noaddfd CMD [ARG...]\n");
		return 125;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	/* root keeps set-user-ID programs as they are */
	if (ctx == NULL || (geteuid() == 0 &&
			    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0) ||
	    rules(ctx, argv[1]) != 0 || seccomp_load(ctx) < 0) {
		fprintf(stderr, "outer_filter: cannot install the filter\n");
		return 125;
	}
	seccomp_release(ctx);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "outer_filter: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
