/* tmpguard run — the handshake socket the library reports to, and the
 * counting of what it reports: processes that loaded it, violations, and
 * the programs they run (reach.h). */
#ifndef TG_CLI_TALLY_H
#define TG_CLI_TALLY_H

#include <stddef.h>
#include <sys/types.h>

#include "cli/reach.h"

#define TG_TOKEN_BYTES 16 /* 32 hex digits */

/* The socket, exported to the command as TMPGUARD_HANDSHAKE=TOKEN@NAME;
 * only datagrams that carry the token are counted. */
struct handshake {
	int fd;
	char token[2 * TG_TOKEN_BYTES + 1];
	char name[64]; /* abstract: bound with a leading NUL, exported without */
	/* run --supervise: where the listeners the library hands over go
	 * (the supervisor's socket), -1 when none is taken */
	int listeners_to;
};

struct pid_set {
	pid_t *slots; /* open addressing; 0 is free */
	size_t cap, count;
};

struct tally {
	unsigned long violations, blocked;
	struct pid_set processes; /* every pid that said hello or logged */
	struct tg_reach reach;    /* every program the tree said it runs */
};

/* Creates and binds the socket under a fresh random name and token. 0, or
 * -1 after a message (hs->fd is then -1). */
int tg_handshake_open(struct handshake *hs);

/* Reads every datagram already queued on fd and counts those for hs. */
void tg_tally_receive(int fd, struct tally *t, const struct handshake *hs);

#endif
