/* tmpguard — the command's small helpers: messages and allocation. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/util.h"
#include "core/out.h"

/* ---- messages ------------------------------------------------------------ */

int tg_cli_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void tg_cli_say(const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *line = NULL;
	int len = asprintf(&line, "tmpguard: %s\n", text);
	if (len > 0)
		tg_cli_write_all(STDERR_FILENO, line, (size_t)len);
	free(line);
	free(text);
}

char *tg_cli_printable(const char *s)
{
	size_t len = strlen(s);
	char *out = tg_cli_xmalloc(len * 4 + 1);
	struct tg_out o = TG_OUT_INIT(out, len * 4 + 1);
	tg_out_printable(&o, s, len, 0);
	tg_out_end(&o);
	return out;
}

/* ---- allocation ---------------------------------------------------------- */

void *tg_cli_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL) {
		tg_cli_say("out of memory");
		exit(TG_EXIT_USAGE);
	}
	return p;
}

void *tg_cli_xrealloc(void *p, size_t n)
{
	void *bigger = realloc(p, n ? n : 1);
	if (bigger == NULL) {
		tg_cli_say("out of memory");
		exit(TG_EXIT_USAGE);
	}
	return bigger;
}

char *tg_cli_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(tg_cli_xmalloc(n), s, n);
}

char *tg_cli_join(const char *a, char sep, const char *b)
{
	if (a == NULL || a[0] == '\0')
		return tg_cli_xstrdup(b != NULL ? b : "");
	if (b == NULL || b[0] == '\0')
		return tg_cli_xstrdup(a);
	size_t la = strlen(a), lb = strlen(b);
	char *out = tg_cli_xmalloc(la + 1 + lb + 1);
	memcpy(out, a, la);
	out[la] = sep;
	memcpy(out + la + 1, b, lb + 1);
	return out;
}

/* ---- descriptors ----------------------------------------------------------- */

int tg_cli_send_fd(int sock, int fd, char data)
{
	struct iovec iov = { &data, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof u.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1;
}
