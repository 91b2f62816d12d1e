/* tmpguard — descriptors the library keeps open between records (the log
 * file, the datagram socket), verified before each use. */
#ifndef TG_KEPTFD_H
#define TG_KEPTFD_H

#include "core/sys.h"

/* One kept descriptor: a sequence-counted record, lock-free. */
struct tg_keptfd {
	unsigned seq; /* odd while a thread publishes */
	int fd;
	unsigned long long dev;
	unsigned long long ino;
	long opened; /* seconds, the caller's clock */
};
#define TG_KEPTFD_INIT { 0, -1, 0, 0, 0 }

/* A snapshot of one; seq is what tg_keptfd_publish compares against. */
struct tg_keptfd_view {
	unsigned seq;
	int fd;
	unsigned long long dev;
	unsigned long long ino;
	long opened;
};

/* A consistent snapshot in v and 0; -1 when nothing is kept or another
 * thread (or a signal handler that interrupted this one) is publishing.
 * v->seq is set either way. */
int tg_keptfd_read(const struct tg_keptfd *k, struct tg_keptfd_view *v);

/* Is v's descriptor still the object it was when kept? 1 yes (id filled),
 * 0 no: the program closed the number or put something else there, and it
 * is not ours to close. */
int tg_keptfd_is_same(const struct tg_keptfd_view *v, struct tg_identity *id);

/* fd moved to a number of 512 or above (128 where the descriptor limit is
 * 512 or less), close-on-exec, its identity recorded in v and given in id.
 * Returns 0, or -1 when no such number is free (fd is left as it was). */
int tg_keptfd_adopt(int fd, struct tg_keptfd_view *v, struct tg_identity *id);

/* Publishes v unless another thread published since `seen` was read or is
 * publishing now. Returns 1 when published. */
int tg_keptfd_publish(struct tg_keptfd *k, unsigned seen,
		      const struct tg_keptfd_view *v);

#endif
