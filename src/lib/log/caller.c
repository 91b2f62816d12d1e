/* tmpguard — naming the calling code as module + offset. */
#include <config.h>

#include <dlfcn.h>
#include <link.h>
#include <stddef.h>

#include "lib/log/caller.h"
#include "lib/real.h"
#include "lib/state.h"

#ifdef HAVE__DL_FIND_OBJECT
typedef int (*tg_find_object_fn)(void *, struct dl_find_object *);
static tg_find_object_fn tg_find_object;
#endif

void tg_caller_bind(void)
{
#ifdef HAVE__DL_FIND_OBJECT
	if (__atomic_load_n(&tg_find_object, __ATOMIC_ACQUIRE) == NULL)
		__atomic_store_n(&tg_find_object,
				 (tg_find_object_fn)tg_real_default("_dl_find_object"),
				 __ATOMIC_RELEASE);
#endif
}

void tg_caller_resolve(const void *pc, const char **module, uintptr_t *offset)
{
	*module = "";
	*offset = (uintptr_t)pc;
#ifdef HAVE__DL_FIND_OBJECT
	/* _dl_find_object is lock-free and async-signal-safe (glibc 2.35),
	 * unlike dladdr, which takes the loader lock; bound with the
	 * configuration, not here, because events are logged from signal
	 * handlers too. */
	tg_find_object_fn find = __atomic_load_n(&tg_find_object, __ATOMIC_ACQUIRE);
	struct dl_find_object found;
	if (pc == NULL || find == NULL || find((void *)pc, &found) != 0)
		return;
	const struct link_map *map = found.dlfo_link_map;
	if (map == NULL)
		return;
	*offset = (uintptr_t)pc - (uintptr_t)map->l_addr;
	/* The main program has an empty l_name. */
	*module = (map->l_name != NULL && map->l_name[0] != '\0')
			  ? map->l_name
			  : tg_state_exe();
#endif
}
