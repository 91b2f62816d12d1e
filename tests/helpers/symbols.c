/* tests/symbols.sh's view of the table of symbols (src/core/symbols.h):
 * prints one row a line, "NAME FAMILY KIND SHAPE" (KIND: hook, next-only,
 * hook-only), and imports every exported hook, so that `tmpguard scan` on
 * this program shows what it watches for. The references are weak and
 * dynamic (-z dynamic-undefined-weak) even where libc defines no such
 * symbol: ports newer than glibc 2.33 have no __xmknod. Nothing here is
 * called. */
#include <config.h>

#include <semaphore.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <utime.h>

#include "core/symbols.h"

#define IMPORT(family, name, shape, ret, params, args) \
	extern ret name params __attribute__((weak)); \
	__attribute__((used)) static ret(*const import_##name) params = name;
TG_SYMBOLS(IMPORT, TG_SYMBOL_SKIP, IMPORT)

static void row(const char *name, const char *family, const char *kind,
		const char *shape)
{
	printf("%s %s %s %s\n", name, family, kind, shape);
}
#define ROW(kind, family, name, shape) row(#name, #family, kind, #shape);
#define ROW_HOOK(family, name, shape, ...) ROW("hook", family, name, shape)
#define ROW_NEXT_ONLY(family, name, shape, ...) \
	ROW("next-only", family, name, shape)
#define ROW_HOOK_ONLY(family, name, shape, ...) \
	ROW("hook-only", family, name, shape)

int main(void)
{
	TG_SYMBOLS(ROW_HOOK, ROW_NEXT_ONLY, ROW_HOOK_ONLY)
	return fflush(stdout) == 0 ? 0 : 1;
}
