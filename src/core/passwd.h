/* tmpguard — a user name's uid, read from the text of /etc/passwd. The
 * library cannot call getpwnam (it allocates, takes locks, and may load
 * NSS modules inside a program we do not know): it reads the file itself,
 * so only local users are known to it by name; uids always work. */
#ifndef TG_CORE_PASSWD_H
#define TG_CORE_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

/* 0 and *uid when a line "name:password:uid:..." of text (len bytes)
 * names the user; -1 otherwise. */
int tg_passwd_uid(const char *text, size_t len, const char *name, uid_t *uid);

#endif
