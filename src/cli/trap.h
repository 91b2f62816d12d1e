/* tmpguard run --supervise — the supervisor's state, shared by the
 * thread (supervise.c) and the handling of one trapped call (trap.c). */
#ifndef TG_CLI_TRAP_H
#define TG_CLI_TRAP_H

#include <seccomp.h>
#include <sys/types.h>

#include "cli/tally.h"
#include "core/config.h"
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
	unsigned said_unjudged;        /* the notes about calls let through */
	/* run's own file system identity, given back after each call made
	 * as a trapped process */
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t groups[TG_TRAP_GROUPS];
	struct tg_seen logged;         /* (pid, event, caller, path) logged */
};

/* Judge the trapped call req, act and answer it. */
void tg_trap_handle(struct supervisor *s, const struct seccomp_notif *req,
		    struct seccomp_notif_resp *resp);

#endif
