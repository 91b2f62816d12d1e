/* tmpguard — the process-wide state: configuration (parsed once), the
 * identity of shared directories, the running program. */
#ifndef TG_STATE_H
#define TG_STATE_H

#include <sys/stat.h>
#include "core/config.h"
#include "core/policy.h"

extern struct tg_config tg_cfg;

/* Parse the environment once (idempotent, no system call unless a value is
 * invalid, then one message on stderr), on first need: by any
 * hook that runs before it. Another thread waits (briefly, bounded) for a
 * parse under way; a signal handler on the parsing thread gets the
 * defaults. */
void tg_state_init(void);

static inline const struct tg_config *tg_config(void)
{
	extern int tg_state_ready;
	extern struct tg_config tg_cfg_defaults;
	if (__builtin_expect(!__atomic_load_n(&tg_state_ready, __ATOMIC_ACQUIRE), 0)) {
		tg_state_init();
		if (!__atomic_load_n(&tg_state_ready, __ATOMIC_ACQUIRE))
			return &tg_cfg_defaults; /* being parsed right now */
	}
	return &tg_cfg;
}

/* The configuration is the parsed one (not the defaults a call gets while
 * another parse is under way). */
static inline int tg_config_ready(void)
{
	extern int tg_state_ready;
	return __atomic_load_n(&tg_state_ready, __ATOMIC_ACQUIRE);
}

/* Is the directory st (just fstat'ed) shared? Configured directories are
 * known by device and inode, looked up on first need. */
int tg_state_dir_shared(const struct stat *st);
/* Those identities: *n of them. */
const struct tg_dir_id *tg_state_dir_ids(int *n);

/* Absolute path of the running program (readlink /proc/self/exe, cached). */
const char *tg_state_exe(void);

/* secure_getenv: NULL in a secure-execution (AT_SECURE) process. Ours, so
 * that the library needs no libc symbol version newer than its others. */
const char *tg_secure_getenv(const char *name);

#endif
