/* tmpguard run --supervise — the supervisor's state, shared by the
 * thread (supervise.c) and the handling of one trapped call (trap.c). */
#ifndef TG_CLI_TRAP_H
#define TG_CLI_TRAP_H

#include <limits.h>
#include <seccomp.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "cli/tally.h"
#include "core/config.h"
#include "core/policy.h"
#include "core/seen.h"

#define TG_TRAP_GROUPS 64

struct supervisor {
	int listener;
	struct tg_config cfg;          /* what the library is given */
	struct tg_dir_id ids[TG_MAX_DIRS];
	int nids;
	struct tg_dir_id root;         /* "/" */
	const struct handshake *hs;    /* where events are counted */
	int report_fd;                 /* datagrams to hs */
	int said_sink;                 /* the note about a log it cannot write */
	int log_fd;                    /* the log file, kept open (or -1) */
	time_t log_opened;             /* when log_fd was opened */
	unsigned said_unjudged;        /* the notes about calls let through */
	/* run's own file system identity, given back after each call made
	 * as a trapped process */
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t groups[TG_TRAP_GROUPS];
	struct tg_seen logged;         /* (pid, event, caller, path) logged */
};

/* One trapped call as the process made it (trap.c decodes the opens,
 * pathtrap.c the path calls). */
struct call {
	const char *func;
	int dirfd;            /* AT_FDCWD or the call's own */
	uint64_t path_addr;
	int flags;
	mode_t mode;
	char path[PATH_MAX];
	/* a path call (pathtrap.c): 0 for an open */
	int pathcall;
	int follow;           /* it follows a final symbolic link */
	int link_errno;       /* its errno on a link it does not follow */
	int want_dir;         /* never follows its final component (rename) */
	uint64_t value[2];    /* truncate's length; chown's owner and group */
	int tofd;             /* rename, link: the destination's dirfd */
	uint64_t to_addr;
	char to[PATH_MAX];
	int to_start;         /* its directory here (O_PATH), -1: none */
	int now;              /* the utime family: no times given */
	struct timespec ts[2];
};

/* An event line: a path, a program and a module, escaped (six bytes each
 * at worst, "\u00XX"), and the rest. */
struct trap_line {
	char text[18 * PATH_MAX + 1024];
};

/* What the call gets; events to log. */
struct verdict {
	enum { TG_ANSWER_CONTINUE, TG_ANSWER_FAIL, TG_ANSWER_FD } answer;
	int err;              /* TG_ANSWER_FAIL (0: done here, it succeeded) */
	int fd;               /* TG_ANSWER_FD: ours, handed over */
	int n;
	struct tg_report reports[2];
};

void tg_trap_add_report(struct verdict *v, struct tg_report r);

/* Judge the trapped call req, act and answer it. */
void tg_trap_handle(struct supervisor *s, const struct seccomp_notif *req,
		    struct seccomp_notif_resp *resp);

#endif
