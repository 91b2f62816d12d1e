/* tmpguard run — the handshake socket the library reports to, and the
 * counting of what it reports. */
#include <config.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/tally.h"
#include "cli/util.h"
#include "core/entropy.h"
#include "core/event.h"
#include "core/handshake.h"
#include "core/out.h"

#define TG_NAME_RANDOM_BYTES 8 /* 16 hex digits in the socket name */
#define TG_RCVBUF (4 << 20)
/* what the library sends at most: an exec's long path comes cut */
#define TG_DATAGRAM_MAX TG_HANDSHAKE_MAX

/* ---- the handshake socket ------------------------------------------------ */

/* 2*n lowercase hex digits (and a NUL), the bytes from the same CSPRNG
 * as the library's names (core/entropy). */
static int random_hex(char *out, size_t n)
{
	unsigned char raw[32];
	if (n > sizeof raw || tg_entropy_take(raw, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = tg_hex_digits[raw[i] >> 4];
		out[2 * i + 1] = tg_hex_digits[raw[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

static int bind_abstract(int fd, const char *name)
{
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	size_t len = strlen(name);
	memcpy(addr.sun_path + 1, name, len);
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	return bind(fd, (struct sockaddr *)&addr, alen);
}

/* Many processes may report at once: ask for a large queue (root may
 * exceed net.core.rmem_max). */
static void enlarge_receive_buffer(int fd)
{
	int size = TG_RCVBUF;
	if (geteuid() == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) == 0)
		return;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

int tg_handshake_open(struct handshake *hs)
{
	hs->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (hs->fd < 0) {
		tg_cli_say("run: cannot create the handshake socket: %s",
			   strerror(errno));
		return -1;
	}
	char rnd[2 * TG_NAME_RANDOM_BYTES + 1];
	int bound = -1;
	for (int tries = 0; tries < 8 && bound < 0; tries++) {
		if (random_hex(hs->token, TG_TOKEN_BYTES) < 0 ||
		    random_hex(rnd, TG_NAME_RANDOM_BYTES) < 0)
			break;
		snprintf(hs->name, sizeof hs->name, "tmpguard-%ld-%s",
			 (long)getpid(), rnd);
		bound = bind_abstract(hs->fd, hs->name);
		if (bound < 0 && errno != EADDRINUSE)
			break;
	}
	if (bound < 0) {
		tg_cli_say("run: cannot set up the handshake socket: %s",
			   strerror(errno));
		close(hs->fd);
		hs->fd = -1;
		return -1;
	}
	enlarge_receive_buffer(hs->fd);
	return 0;
}

/* ---- counting what the library reports ----------------------------------- */

static void pid_set_insert(struct pid_set *s, pid_t pid)
{
	size_t i = (size_t)pid * 2654435761u % s->cap;
	while (s->slots[i] != 0 && s->slots[i] != pid)
		i = (i + 1) % s->cap;
	if (s->slots[i] == 0) {
		s->slots[i] = pid;
		s->count++;
	}
}

static void pid_set_add(struct pid_set *s, pid_t pid)
{
	if ((s->count + 1) * 2 > s->cap) {
		struct pid_set bigger = { NULL, s->cap ? s->cap * 2 : 64, 0 };
		bigger.slots = tg_cli_xmalloc(bigger.cap * sizeof(pid_t));
		memset(bigger.slots, 0, bigger.cap * sizeof(pid_t));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i] != 0)
				pid_set_insert(&bigger, s->slots[i]);
		free(s->slots);
		*s = bigger;
	}
	pid_set_insert(s, pid);
}

/* A datagram (core/handshake.h); anything else is ignored. fd: the
 * descriptor that came with it, or -1. */
static void tally_datagram(struct tally *t, const struct handshake *hs,
			   char *msg, int fd)
{
	struct tg_handshake_msg m;
	enum tg_handshake_type type = tg_handshake_parse(msg, hs->token, &m);
	if (type == TG_HANDSHAKE_NONE)
		return;
	if (type == TG_HANDSHAKE_EVENT) {
		t->violations++;
		if (m.action == TG_ACT_BLOCKED)
			t->blocked++;
	}
	if (type == TG_HANDSHAKE_EXEC)
		tg_reach_add(&t->reach, m.path, m.cut);
	/* a listener handed over: on to the supervisor thread, one copy */
	if (type == TG_HANDSHAKE_LISTENER && fd >= 0 && hs->listeners_to >= 0)
		(void)tg_cli_send_fd(hs->listeners_to, fd, 'L');
	pid_set_add(&t->processes, m.pid);
}

/* Reads every datagram already queued; descriptors that come with them
 * are closed here (a listener's forwarded copy lives on). */
void tg_tally_receive(int fd, struct tally *t, const struct handshake *hs)
{
	for (;;) {
		char buf[TG_DATAGRAM_MAX + 1];
		struct iovec iov = { buf, TG_DATAGRAM_MAX };
		union {
			struct cmsghdr h;
			char buf[CMSG_SPACE(4 * sizeof(int))];
		} u;
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = u.buf,
				      .msg_controllen = sizeof u.buf };
		ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC |
						      MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		int fds[4], nfds = 0;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
		     c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_RIGHTS)
				for (size_t i = 0; CMSG_LEN((i + 1) * sizeof(int)) <=
						   c->cmsg_len && nfds < 4; i++)
					memcpy(&fds[nfds++],
					       CMSG_DATA(c) + i * sizeof(int),
					       sizeof(int));
		if (n <= TG_DATAGRAM_MAX) { /* else longer than any real report */
			buf[n] = '\0';
			tally_datagram(t, hs, buf, nfds == 1 ? fds[0] : -1);
		}
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
	}
}
