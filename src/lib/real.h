/* tmpguard — the next definitions of the interposed symbols (the table in
 * core/symbols.h), each bound on its first use; binding is idempotent, so a
 * race between threads is harmless. */
#ifndef TG_REAL_H
#define TG_REAL_H

#include <semaphore.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <utime.h>

#include "core/symbols.h"

/* The next definition of every symbol that has one: its type and the slot
 * TG_REAL binds. */
#define TG_REAL_DECLARE(family, name, shape, ret, params, args) \
	typedef ret(*tg_real_##name##_fn) params; \
	extern tg_real_##name##_fn tg_real_##name;
/* Every exported hook with the table's prototype: a hook defined otherwise
 * fails to compile (every hook file uses TG_REAL, so sees these). */
#define TG_HOOK_DECLARE(family, name, shape, ret, params, args) \
	ret name params;
#define TG_HOOK_AND_REAL_DECLARE(...) \
	TG_HOOK_DECLARE(__VA_ARGS__) TG_REAL_DECLARE(__VA_ARGS__)
TG_SYMBOLS(TG_HOOK_AND_REAL_DECLARE, TG_REAL_DECLARE, TG_HOOK_DECLARE)
#undef TG_HOOK_AND_REAL_DECLARE
#undef TG_HOOK_DECLARE
#undef TG_REAL_DECLARE

/* Resolve one next definition with dlsym(RTLD_NEXT) and store it in *slot.
 * Returns NULL only when dlsym is already running on this thread (a hook
 * called from inside dlsym): callers of the open family then make the raw
 * system call instead. */
void *tg_real_bind(void **slot, const char *name);

/* A definition looked up in the global scope, for what the library calls
 * but does not interpose (NULL when not found, or when dlsym is already
 * running on this thread). Bound rather than imported: every symbol
 * version the library needs is checked in every process at start-up. */
void *tg_real_default(const char *name);

/* The program's environment (environ), or NULL if it cannot be found, for
 * the calls that take none. */
char **tg_real_environ(void);

/* The next definition, bound on first use: a program pays for the symbols
 * it calls, not for the whole table (start-up cost is per process). */
#define TG_REAL(name) \
	(__builtin_expect(tg_real_##name != NULL, 1) \
		 ? tg_real_##name \
		 : (tg_real_##name##_fn)tg_real_bind((void **)&tg_real_##name, #name))

#endif
