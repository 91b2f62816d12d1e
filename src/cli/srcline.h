/* tmpguard report — the source line of a call site (libdw). */
#ifndef TG_CLI_SRCLINE_H
#define TG_CLI_SRCLINE_H

#include <limits.h>
#include <stdint.h>

struct tg_srcline {
	char file[PATH_MAX];
	int line;
};

/* The source file and line of the call at offset in module (the return
 * address: the call is the instruction before it). 0, or -1 when unknown
 * (no debug information, a module not by absolute name, no libdw). */
int tg_srcline_find(const char *module, uint64_t offset, struct tg_srcline *out);

/* Closes the modules opened so far. */
void tg_srcline_forget(void);

#endif
