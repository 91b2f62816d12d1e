/* tmpguard — whether a generated name may be handed out (harden mode). */
#ifndef TG_NAMECHECK_H
#define TG_NAMECHECK_H

/* 1 when the name can be handed out, 0 when something exists under it
 * (draw another), -1 when the generator must fail (errno: ENOTDIR, EACCES,
 * ELOOP, ENAMETOOLONG ..., as glibc's lstat of the name gives). */
int tg_name_free(const char *name);

#endif
