/* tmpguard — naming the code that made a call: module path + offset. */
#ifndef TG_CALLER_H
#define TG_CALLER_H

#include <stdint.h>

/* Async-signal-safe (_dl_find_object). module is "" when unknown; the main
 * program is named by its absolute path. */
void tg_caller_resolve(const void *pc, const char **module, uintptr_t *offset);

#endif
