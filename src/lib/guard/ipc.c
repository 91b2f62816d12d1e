/* tmpguard — the guard of named IPC objects (connect, sem_open). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>

#include "core/sys.h"
#include "core/syscall.h"
#include "core/walk.h"
#include "lib/guard/create.h"
#include "lib/guard/ipc.h"
#include "lib/guard/where.h"
#include "lib/state.h"

/* sem_open's creator links its new file under the name and unlinks the
 * temporary one just after: a second link seen then is looked at again. */
#define TG_IPC_LINK_TRIES 4

static void tg_ipc_report(const struct tg_ipc *c, struct tg_report r)
{
	tg_guard_report(r, c->func, c->path, c->caller);
}

static int tg_ipc_walk(struct tg_ipc *c, struct tg_walk *w)
{
	for (int i = 0;; i++) {
		int rc = tg_walk(w);
		if (rc == 0 || !c->transient_links ||
		    w->refused != TG_OBJ_LINKED || i + 1 >= TG_IPC_LINK_TRIES)
			return rc;
		tg_walk_done(w);
		struct timespec pause = { 0, 1000000 };
		TG_SYSCALL(SYS_nanosleep, &pause, NULL);
	}
}

static enum tg_ipc_outcome tg_ipc_decide(struct tg_ipc *c)
{
	struct tg_walk w;
	int where = tg_where(AT_FDCWD, c->path, &w);
	enum tg_mode mode = tg_config()->mode;
	enum tg_ipc_plan plan = tg_plan_ipc(mode, (where & TG_WHERE_SHARED) != 0);
	if (plan == TG_IPC_PASS)
		return TG_IPC_FORWARD;
	struct tg_trust trust = tg_where_trust();
	w.trust = &trust;
	if (w.ids == NULL)
		w.ids = tg_state_dir_ids(&w.nids);
	w.use = c->use;
	w.follow = c->follow;
	int rc = tg_ipc_walk(c, &w);
	int err = errno;
	if (c->predictable && w.pfd >= 0 && w.parent_shared)
		tg_ipc_report(c, tg_report_predictable(mode));
	enum tg_ipc_outcome out = TG_IPC_FORWARD;
	if (rc < 0 && w.refused != TG_OBJ_OK) {
		tg_ipc_report(c, tg_report_plant(mode, w.refused, EACCES));
		if (plan == TG_IPC_JUDGE) {
			c->err = EACCES;
			out = TG_IPC_FAILED;
		}
	} else if (plan == TG_IPC_JUDGE && c->keep_pin) {
		/* the call is made on the pin: where there is none, the
		 * walk's answer is the kernel's */
		if (rc == 0 && w.fd >= 0) {
			c->pin = w.fd;
			if (w.pfd == w.fd)
				w.pfd = -1;
			w.fd = -1;
			out = TG_IPC_PINNED;
		} else {
			c->err = err;
			out = TG_IPC_FAILED;
		}
	}
	tg_walk_done(&w);
	return out;
}

enum tg_ipc_outcome tg_ipc_begin(struct tg_ipc *c)
{
	c->pin = -1;
	c->err = 0;
	int saved = errno;
	enum tg_ipc_outcome out = tg_ipc_decide(c);
	errno = saved;
	return out;
}

void tg_ipc_done(struct tg_ipc *c)
{
	if (c->pin < 0)
		return;
	int saved = errno;
	tg_sys_close(c->pin);
	c->pin = -1;
	errno = saved;
}
