/* tmpguard — descriptors the library keeps open between records.
 *
 * Opening a log (or a socket) for every record costs system calls that
 * dominate a hardened mktemp+open. A kept descriptor lives at a high number
 * (the kernel hands out the lowest free one, so a program's own opens do
 * not land there) and is checked before every use, as systemd's fd helpers
 * check what an fd is before trusting it: when its device and inode are not
 * the kept object's any more, the program closed or reused the number, and
 * the owner opens its object again elsewhere, leaving the program's
 * descriptor alone.
 *
 * Lock-free: a reader that sees the record change (another thread, or a
 * signal handler that interrupted this one while publishing) uses a
 * descriptor of its own for that record; nothing waits. Forked children
 * inherit the record and the descriptor; exec closes it. */
#include <config.h>

#include <fcntl.h>
#include <unistd.h>

#include "lib/log/keptfd.h"

#define TG_KEPTFD_MIN 512
#define TG_KEPTFD_MIN_SMALL 128 /* RLIMIT_NOFILE at 512 or below */

int tg_keptfd_read(const struct tg_keptfd *k, struct tg_keptfd_view *v)
{
	unsigned seq = __atomic_load_n(&k->seq, __ATOMIC_ACQUIRE);
	v->seq = seq;
	v->fd = -1;
	if (seq & 1)
		return -1;
	v->fd = __atomic_load_n(&k->fd, __ATOMIC_RELAXED);
	v->dev = __atomic_load_n(&k->dev, __ATOMIC_RELAXED);
	v->ino = __atomic_load_n(&k->ino, __ATOMIC_RELAXED);
	v->opened = __atomic_load_n(&k->opened, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&k->seq, __ATOMIC_RELAXED) != seq) {
		v->fd = -1;
		return -1;
	}
	return v->fd >= 0 ? 0 : -1;
}

int tg_keptfd_is_same(const struct tg_keptfd_view *v, struct tg_identity *id)
{
	return v->fd >= 0 && tg_sys_identity(v->fd, id) == 0 &&
	       id->dev == v->dev && id->ino == v->ino;
}

int tg_keptfd_adopt(int fd, struct tg_keptfd_view *v, struct tg_identity *id)
{
	if (tg_sys_identity(fd, id) != 0)
		return -1;
	int high = tg_sys_fcntl(fd, F_DUPFD_CLOEXEC, TG_KEPTFD_MIN);
	if (high < 0)
		high = tg_sys_fcntl(fd, F_DUPFD_CLOEXEC, TG_KEPTFD_MIN_SMALL);
	if (high < 0)
		return -1;
	tg_sys_close(fd);
	v->fd = high;
	v->dev = id->dev;
	v->ino = id->ino;
	return 0;
}

int tg_keptfd_publish(struct tg_keptfd *k, unsigned seen,
		      const struct tg_keptfd_view *v)
{
	if ((seen & 1) ||
	    !__atomic_compare_exchange_n(&k->seq, &seen, seen + 1, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return 0;
	__atomic_store_n(&k->fd, v->fd, __ATOMIC_RELAXED);
	__atomic_store_n(&k->dev, v->dev, __ATOMIC_RELAXED);
	__atomic_store_n(&k->ino, v->ino, __ATOMIC_RELAXED);
	__atomic_store_n(&k->opened, v->opened, __ATOMIC_RELAXED);
	__atomic_store_n(&k->seq, seen + 2, __ATOMIC_RELEASE);
	return 1;
}
