/* tmpguard run — the programs the command's tree ran, as the library names
 * them before each exec (core/handshake.h): each distinct path inspected
 * once, when its report arrives (a program a build removes after running
 * it is still there then), and those the library cannot protect named in
 * the summary. */
#ifndef TG_CLI_REACH_H
#define TG_CLI_REACH_H

#include <stddef.h>

#include "cli/command.h"

struct tg_ran; /* reach.c */

struct tg_reach {
	struct tg_ran *ran;  /* every distinct path reported */
	size_t n, cap;
	size_t *slots;       /* hash of ran by path: index + 1, 0 free */
	size_t nslots;
	struct tg_program_id warned; /* the command's program: the pre-check
				      * named it already */
	size_t unprotected;  /* programs to name that the library cannot
			      * protect (cut paths included) */
	size_t partly;       /* programs to name that it protects only
			      * partly (raw system calls, io_uring) */
};

/* A path a process is about to execute; cut: only its first bytes. */
void tg_reach_add(struct tg_reach *r, const char *path, int cut);

/* Prints one line for each program the library cannot protect (or whose
 * path came cut), in the order they first ran. */
void tg_reach_say(const struct tg_reach *r);

void tg_reach_free(struct tg_reach *r);

#endif
