/* tmpguard — the log file, kept open between records (keptfd.h).
 *
 * Besides the checks every kept descriptor gets: a log with no links left
 * (deleted) is opened again at once, so the next record recreates it (or is
 * refused, if a symlink now stands in its place); after a second the
 * descriptor is replaced, so a renamed (rotated) log is followed. Only
 * regular files and character devices are kept: a FIFO or socket gets a
 * descriptor per record from the caller.
 *
 * The log is opened as the rule says (core/safeopen.h, the caller's trust):
 * in a shared directory it is created exclusively, or used only if a
 * trusted owner made it and it has one link; another user's file, a link
 * to elsewhere, a hard link to someone's file is refused, and the log is
 * then unwritable (sink.c says so once and writes to stderr). The walk and
 * the open are the library's own system calls, never its hooks. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safeopen.h"
#include "core/walk.h"
#include "lib/guard/where.h"
#include "lib/log/keptfd.h"
#include "lib/log/logfile.h"
#include "lib/log/write.h"
#include "lib/state.h"

#define TG_LOGFILE_REFRESH_S 1

static struct tg_keptfd tg_log_kept = TG_KEPTFD_INIT;

static int tg_logfile_open(const char *path)
{
	/* walked under the rule wherever it is: a log in a shared directory
	 * must not be redirected by a plant */
	struct tg_walk w;
	tg_where(AT_FDCWD, path, &w); /* sets the walk up; it always runs */
	struct tg_trust trust = tg_where_trust();
	w.trust = &trust;
	if (w.ids == NULL)
		w.ids = tg_state_dir_ids(&w.nids);
	int fd = tg_ruled_open_log(&w);
	int err = errno;
	tg_walk_done(&w);
	errno = err;
	return fd;
}

/* The log opened afresh and moved to a high number; -1 when it cannot be
 * opened, -2 when it must not be kept (v->fd is then a descriptor for this
 * record only, id->mode its type or 0). */
static int tg_open_kept(const char *path, struct tg_keptfd_view *v,
			struct tg_identity *id)
{
	int fd = tg_logfile_open(path);
	if (fd < 0)
		return -1;
	id->mode = 0; /* unknown unless adopt reads it: written as to a pipe */
	if (tg_keptfd_adopt(fd, v, id) != 0) {
		v->fd = fd;
		return -2;
	}
	return S_ISREG(id->mode) || S_ISCHR(id->mode) ? 0 : -2;
}

int tg_logfile_append(const char *path, const char *line, size_t len,
		      time_t now)
{
	struct tg_keptfd_view old;
	struct tg_identity id;
	int ours = tg_keptfd_read(&tg_log_kept, &old) == 0 &&
		   tg_keptfd_is_same(&old, &id);
	int current = ours && !(id.nlink == 0 && S_ISREG(id.mode)) &&
		      now >= old.opened &&
		      now - old.opened < TG_LOGFILE_REFRESH_S;
	if (current) {
		if (tg_log_write(old.fd, S_IFREG, line, len) == 0)
			return 0;
		/* EBADF: another thread replaced it between the check and
		 * the write; anything else is the file's own failure */
		if (errno != EBADF)
			return -1;
		ours = 0;
	}

	struct tg_keptfd_view fresh;
	int rc = tg_open_kept(path, &fresh, &id);
	if (rc == -1)
		return -1;
	if (rc == -2) { /* a FIFO, socket or other special log: this record */
		int written = tg_log_write(fresh.fd, id.mode, line, len);
		tg_sys_close(fresh.fd);
		return written;
	}
	fresh.opened = (long)now;
	int written = tg_log_write(fresh.fd, S_IFREG, line, len);
	if (tg_keptfd_publish(&tg_log_kept, old.seq, &fresh)) {
		/* the replaced descriptor is closed only when it was still the
		 * log's: a number the program took over is the program's */
		if (ours)
			tg_sys_close(old.fd);
	} else {
		tg_sys_close(fresh.fd);
	}
	return written;
}
