/* tmpguard — the guard of posix_spawn's file actions. An open registered
 * now runs in the child at spawn time, where no hook runs; harden resolves
 * the path at registration under the rule, keeps what it reached open
 * (a pin: the object, or its directory), and registers an open of
 * "/proc/self/fd/N" instead of the name: the child inherits N until its
 * exec (close-on-exec), so it opens exactly the object judged, whatever was
 * planted under the name since. The pins are closed when the actions are
 * destroyed or initialized again; audit keeps its directory's pin to look
 * at the name again then. */
#ifndef TG_LIB_GUARD_ACTIONS_H
#define TG_LIB_GUARD_ACTIONS_H

#include <limits.h>
#include <spawn.h>
#include <sys/types.h>

#include "core/policy.h"
#include "core/sys.h"

/* Pins held (or being taken) now: 0 leaves init and destroy to the next
 * definition at once. */
extern int tg_actions_held;

struct tg_spawn_open {
	/* in */
	const posix_spawn_file_actions_t *fa;
	const char *path;
	int flags;
	mode_t mode;
	const void *caller;
	/* out: the action to register */
	const char *reg_path;
	int reg_flags;
	mode_t reg_mode;
	/* between begin and end */
	int slot;           /* the pin's slot, -1: none */
	char proc[TG_PROC_FD_PATH_MAX + NAME_MAX + 1]; /* /proc/self/fd/N[/NAME] */
};

/* Decide and, in harden mode, pin. Returns 0 and the action to register
 * (o->reg_*), or the error number to return (EACCES: refused, logged).
 * Preserves errno. */
int tg_actions_begin(struct tg_spawn_open *o);
/* After the registration (rc: what it returned): the pin is kept with the
 * actions, or released when registration failed. Preserves errno. */
void tg_actions_end(struct tg_spawn_open *o, int rc);

/* The pins of fa closed (those still ours), after a last look at each
 * watched name. Preserves errno. */
void tg_actions_release(const posix_spawn_file_actions_t *fa);

#endif
