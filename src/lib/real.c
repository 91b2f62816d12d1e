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
 * hook called from inside dlsym, or from a signal handler that interrupted
 * it, from entering dlsym again (glibc's dlsym frees the previous error
 * message on entry: twice, nested). Volatile: nothing the compiler sees
 * reads the flag while dlsym runs, so it would drop the store. */
static __thread volatile int tg_binding __attribute__((tls_model("initial-exec")));

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

void *tg_real_default(const char *name)
{
	if (tg_binding)
		return NULL;
	tg_binding = 1;
	void *found = dlsym(RTLD_DEFAULT, name);
	tg_binding = 0;
	return found;
}

/* The environment glibc's execv, execl and execvp pass on: `environ`,
 * where the program's own copy is when it has one (hence RTLD_DEFAULT).
 * Looked up on first need rather than imported: an imported variable is
 * relocated in every process at start-up. */
char **tg_real_environ(void)
{
	static char ***slot;
	char ***env = __atomic_load_n(&slot, __ATOMIC_ACQUIRE);
	if (env == NULL) {
		env = tg_real_default("environ");
		__atomic_store_n(&slot, env, __ATOMIC_RELEASE);
	}
	return env != NULL ? *env : NULL;
}
