/* tmpguard — naming the calling code as module + offset. */
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <stddef.h>

#include "tg_caller.h"
#include "tg_real.h"
#include "tg_state.h"

#ifdef HAVE__DL_FIND_OBJECT
/* _dl_find_object is lock-free and async-signal-safe (glibc 2.35), unlike
 * dladdr, which takes the loader lock. Bound by name on the first event, not
 * linked: linking it would make every process check one more symbol version
 * at start-up, logging or not. */
typedef int (*tg_find_object_fn)(void *, struct dl_find_object *);
static tg_find_object_fn tg_find_object;
static int tg_find_object_tried;

static tg_find_object_fn tg_find_object_get(void)
{
	tg_find_object_fn fn = __atomic_load_n(&tg_find_object, __ATOMIC_ACQUIRE);
	if (fn != NULL || __atomic_load_n(&tg_find_object_tried, __ATOMIC_ACQUIRE))
		return fn;
	/* racing threads may both look it up: dlsym is thread-safe */
	fn = (tg_find_object_fn)tg_real_bind((void **)&tg_find_object,
					     "_dl_find_object");
	if (fn == NULL) /* an older loader: modules stay unnamed */
		__atomic_store_n(&tg_find_object_tried, 1, __ATOMIC_RELEASE);
	return fn;
}
#endif

void tg_caller_resolve(const void *pc, const char **module, uintptr_t *offset)
{
	*module = "";
	*offset = (uintptr_t)pc;
#ifdef HAVE__DL_FIND_OBJECT
	struct dl_find_object found;
	tg_find_object_fn find = tg_find_object_get();
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
