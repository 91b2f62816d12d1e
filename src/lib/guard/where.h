/* tmpguard — does a path resolve through a shared directory? Told without
 * a system call for the calls that do not (a flag test or a short
 * comparison), so that only the calls that may are walked and judged.
 *
 * What is seen: an absolute path under a listed shared directory's name
 * (TMPGUARD_DIRS, TMPDIR, /tmp, /var/tmp, /dev/shm, and another name of
 * one when listed too); a relative path while the working directory is
 * shared or planted (looked at once, and again after chdir/fchdir); a path
 * relative to a directory descriptor the library saw opened in one; a path
 * that begins with "..". What is not seen (the walk never starts): a
 * world-writable directory that is not listed (creations there are still
 * judged, at their last component), a symbolic link outside shared
 * directories that leads into one, an absolute path that climbs into one
 * with ".." from elsewhere, a working directory changed by a raw system
 * call, and directory descriptors opened without the library seeing the
 * path (opendir, O_PATH opens, descriptors passed from elsewhere). */
#ifndef TG_LIB_GUARD_WHERE_H
#define TG_LIB_GUARD_WHERE_H

#include <stddef.h>
#include "core/walk.h"

/* Bytes a listed directory's name can have after its leading '/': an
 * absolute path whose second byte is not one of them is under none. All
 * set until the first look after the configuration is parsed. */
extern unsigned char tg_where_second[256];
/* 0: the working directory is not shared; else look (out of line). */
extern int tg_where_cwd;
#define TG_DIRFDS 1024
extern unsigned long tg_where_dirfds[TG_DIRFDS / (8 * sizeof(unsigned long))];

/* The cheap test, inline: 0 when path certainly resolves through no
 * shared directory; 1 when tg_where must be asked. */
static inline int tg_where_maybe(int dirfd, const char *path)
{
	/* glibc declares the path arguments nonnull; a buggy program's NULL
	 * must still reach the kernel (EFAULT), not fault here */
	__asm__("" : "+r"(path));
	if (__builtin_expect(path == NULL, 0))
		return 0;
	if (__builtin_expect(path[0] == '/', 1))
		return tg_where_second[(unsigned char)path[1]];
	if (path[0] == '.' && path[1] == '.')
		return 1;
	if (dirfd == -100 /* AT_FDCWD */)
		return __atomic_load_n(&tg_where_cwd, __ATOMIC_RELAXED);
	if ((unsigned)dirfd >= TG_DIRFDS)
		return 0;
	unsigned long bits = __atomic_load_n(
		&tg_where_dirfds[(unsigned)dirfd / (8 * sizeof(unsigned long))],
		__ATOMIC_RELAXED);
	return (bits >> ((unsigned)dirfd % (8 * sizeof(unsigned long)))) & 1;
}

/* What tg_where tells: */
enum {
	TG_WHERE_SHARED = 1,    /* may resolve through a shared directory */
	TG_WHERE_SHALLOW = 2,   /* ... and only its final component is looked
				 * up in one, as far as the name tells */
	TG_WHERE_NAMES_DIR = 4, /* names a listed directory itself (a walk
				 * would judge nothing; a descriptor opened on
				 * it is worth remembering) */
};
/* Sets up w (dirfd, path, skip, start_shared, ids) to walk path and says
 * where it resolves: TG_WHERE_* bits, 0 when through no shared directory. */
int tg_where(int dirfd, const char *path, struct tg_walk *w);

/* The trust of this process, for the walk and the policy. */
struct tg_trust tg_where_trust(void);

/* A directory descriptor that is, or is in, a shared directory: relative
 * paths from it are walked. st: its fstat. */
void tg_where_remember_dirfd(int fd, const struct stat *st);

/* The working directory changed (chdir, fchdir): look again when needed. */
void tg_where_forget_cwd(void);

#endif
