/* tmpguard tests — no_seccomp CMD [ARG...]: runs CMD where the kernel
 * offers no seccomp filters: a filter of its own (inherited by CMD) makes
 * seccomp(2) fail with ENOSYS and prctl(PR_SET_SECCOMP) with EINVAL, as
 * on a kernel built without CONFIG_SECCOMP_FILTER. Exit status 125 when
 * that filter cannot be installed, else CMD's (127 when it cannot run). */
#include <config.h>

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: no_seccomp CMD [ARG...]\n");
		return 125;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(seccomp), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EINVAL), SCMP_SYS(prctl), 1,
			     SCMP_A0(SCMP_CMP_EQ, PR_SET_SECCOMP)) < 0 ||
	    seccomp_load(ctx) < 0) {
		fprintf(stderr, "no_seccomp: cannot install the filter\n");
		return 125;
	}
	seccomp_release(ctx);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "no_seccomp: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
