/* tmpguard — naming the code that made a call: module path + offset. */
#ifndef TG_CALLER_H
#define TG_CALLER_H

#include <stdint.h>

/* Looks up _dl_find_object (dlsym: not async-signal-safe); called once,
 * when the configuration is parsed, before any event. */
void tg_caller_bind(void);

/* Async-signal-safe (_dl_find_object, once bound). module is "" when unknown; the main
 * program is named by its absolute path. */
void tg_caller_resolve(const void *pc, const char **module, uintptr_t *offset);

#endif
