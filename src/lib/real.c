/* tmpguard — binding the next definitions of the interposed symbols. */
#include <config.h>

#include <dlfcn.h>

#include "lib/real.h"

#define TG_REAL_DEFINE(family, name, ...) tg_real_##name##_fn tg_real_##name;
TG_SYMBOLS(TG_REAL_DEFINE, TG_REAL_DEFINE, TG_SYMBOL_SKIP)
#undef TG_REAL_DEFINE

/* dlsym takes the loader lock and may allocate. It runs once per symbol, on
 * that symbol's first call: in practice from ordinary code (a program's
 * first open is not made in a signal handler). A thread-local flag stops a
 * hook called from inside dlsym from recursing. */
static __thread int tg_binding __attribute__((tls_model("initial-exec")));

void *tg_real_bind(void **slot, const char *name)
{
	if (tg_binding)
		return NULL;
	tg_binding = 1;
	void *next = dlsym(RTLD_NEXT, name);
	tg_binding = 0;
	__atomic_store_n(slot, next, __ATOMIC_RELEASE);
	return next;
}
