/* tmpguard report — the function, source file and line of a call site
 * (elfutils' libdwfl). */
#ifndef TG_CLI_SRCLINE_H
#define TG_CLI_SRCLINE_H

#include <limits.h>
#include <stdint.h>

struct tg_srcline {
	char func[1024]; /* "" when unknown */
	char file[PATH_MAX]; /* "" when unknown; then line is 0 */
	int line;
};

/* Adds dir (made absolute) to the places searched for separate debug
 * information, ahead of libdwfl's default (the module's directory, its
 * .debug subdirectory, /usr/lib/debug). 0, or -1 after a message. */
int tg_srcline_debug_dir(const char *dir);

/* The function and the source file and line of the call at offset in
 * module (the return address, relative to the module's load base: the call
 * is the instruction before it), from the module's symbol table and DWARF,
 * embedded or separate (build-id, .gnu_debuglink). 0 when something was
 * found, -1 when nothing is known (no symbols or debug information, a
 * module not by absolute name, built without libdw). */
int tg_srcline_find(const char *module, uint64_t offset, struct tg_srcline *out);

/* Closes the modules opened so far and forgets the debug directories. */
void tg_srcline_forget(void);

#endif
