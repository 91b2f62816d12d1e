/* tmpguard — the command's small helpers: messages and allocation. */
#ifndef TG_CLI_UTIL_H
#define TG_CLI_UTIL_H

#include <stddef.h>

/* "tmpguard: " + the formatted text + "\n" on stderr, in one write(2) so
 * that the line never mixes with the output of the program being run. */
void tg_cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write all of buf to fd, retrying on EINTR and short writes. */
int tg_cli_write_all(int fd, const char *buf, size_t len);

/* A copy of s fit for a one-line message: printable ASCII as is, any other
 * byte as \xHH. Never NULL (exits on allocation failure). */
char *tg_cli_printable(const char *s);

/* Allocation that cannot fail: exits with TG_EXIT_USAGE instead. */
void *tg_cli_xmalloc(size_t n);
void *tg_cli_xrealloc(void *p, size_t n);
char *tg_cli_xstrdup(const char *s);
/* a + sep + b, or a copy of the non-empty one when the other is empty. */
char *tg_cli_join(const char *a, char sep, const char *b);

/* One byte, data, with a copy of fd (SCM_RIGHTS) on the Unix socket sock:
 * 0, or -1 with errno. No allocation: usable between vfork and exec. */
int tg_cli_send_fd(int sock, int fd, char data);

#endif
