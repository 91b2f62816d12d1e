/* tmpguard — the constructor. It only greets `tmpguard run` when that is
 * listening: binding, configuration and everything else wait for first use,
 * so a process that never creates a temporary file pays almost nothing. */
#include "config.h"

#include <stdlib.h>

#include "tg_emit.h"

__attribute__((constructor)) static void tg_init(void)
{
	if (getenv("TMPGUARD_HANDSHAKE") != NULL)
		tg_emit_hello();
}
