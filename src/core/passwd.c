/* tmpguard — a user name's uid, from the text of /etc/passwd. */
#include <config.h>

#include <string.h>

#include "core/passwd.h"

int tg_passwd_uid(const char *text, size_t len, const char *name, uid_t *uid)
{
	size_t nlen = strlen(name);
	if (nlen == 0 || memchr(name, ':', nlen) != NULL)
		return -1;
	const char *end = text + len;
	for (const char *line = text; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - line) > nlen && memcmp(line, name, nlen) == 0 &&
		    line[nlen] == ':') {
			/* skip the password field */
			const char *p = memchr(line + nlen + 1, ':',
					       (size_t)(eol - line - nlen - 1));
			if (p == NULL)
				return -1;
			unsigned long long v = 0;
			const char *d = p + 1;
			for (; d < eol && *d >= '0' && *d <= '9'; d++) {
				v = v * 10 + (unsigned)(*d - '0');
				if (v >= (uid_t)-1)
					return -1;
			}
			if (d == p + 1 || d >= eol || *d != ':')
				return -1;
			*uid = (uid_t)v;
			return 0;
		}
		line = eol + 1;
	}
	return -1;
}
