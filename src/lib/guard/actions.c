/* tmpguard — the guard of posix_spawn's file actions: registrations
 * judged and pinned, pins released with their actions. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/sys.h"
#include "core/syscall.h"
#include "core/walk.h"
#include "lib/guard/actions.h"
#include "lib/guard/create.h"
#include "lib/guard/where.h"
#include "lib/log/keptfd.h"
#include "lib/state.h"

#define TG_FUNC "posix_spawn_file_actions_addopen"
/* A creation lost to a plant made during the registration: walk again a
 * few times, then refuse. */
#define TG_ACTIONS_TRIES 8

/* The pins: a fixed table, lock-free (registration allocates in glibc,
 * but nothing here does). A slot is free (fa NULL), taken by a thread
 * filling or releasing it (TG_SLOT_BUSY), or held for fa. A program with
 * more registrations alive than slots gets them registered by name. */
#define TG_ACTION_SLOTS 64
#define TG_SLOT_BUSY ((const void *)1)
struct tg_action_pin {
	const void *fa;
	int fd;                    /* the pin, at a high number, close-on-exec */
	unsigned long long dev, ino; /* its identity: closed only if still it */
	int watch;                 /* fd is the name's directory: look at
				    * the name again when released */
	int had;                   /* an object was under the name ... */
	dev_t odev;                /* ... this one */
	ino_t oino;
	enum tg_use use;
	int follow;
	const void *caller;
	char base[NAME_MAX + 1];
};
static struct tg_action_pin tg_pins[TG_ACTION_SLOTS];
int tg_actions_held;

static int tg_slot_claim(void)
{
	for (int i = 0; i < TG_ACTION_SLOTS; i++) {
		const void *expect = NULL;
		if (__atomic_load_n(&tg_pins[i].fa, __ATOMIC_RELAXED) == NULL &&
		    __atomic_compare_exchange_n(&tg_pins[i].fa, &expect,
						TG_SLOT_BUSY, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			__atomic_add_fetch(&tg_actions_held, 1, __ATOMIC_RELAXED);
			struct tg_action_pin *p = &tg_pins[i];
			p->fd = -1;
			p->watch = p->had = 0;
			return i;
		}
	}
	return -1;
}

static void tg_slot_free(int slot)
{
	__atomic_store_n(&tg_pins[slot].fa, NULL, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&tg_actions_held, 1, __ATOMIC_RELAXED);
}

/* The pin's descriptor closed, if it is still the one kept (the program
 * may have closed the number and opened something of its own there). */
static void tg_pin_close(const struct tg_action_pin *p)
{
	struct tg_identity id;
	if (p->fd >= 0 && tg_sys_identity(p->fd, &id) == 0 &&
	    id.dev == p->dev && id.ino == p->ino)
		tg_sys_close(p->fd);
}

/* fd kept in the slot, moved to a high number (the child's own actions
 * target low ones), named for the child in o->proc; 0, or -1 when /proc
 * cannot name it (fd is then closed). */
static int tg_slot_keep(struct tg_spawn_open *o, int fd, const char *base)
{
	struct tg_action_pin *p = &tg_pins[o->slot];
	struct tg_keptfd_view v;
	struct tg_identity id;
	if (tg_keptfd_adopt(fd, &v, &id) == 0) {
		fd = v.fd;
	} else if (tg_sys_identity(fd, &id) < 0) {
		tg_sys_close(fd);
		return -1;
	}
	p->fd = fd;
	p->dev = id.dev;
	p->ino = id.ino;
	tg_proc_fd_path(o->proc, fd);
	struct stat st;
	if (tg_sys_fstatat(AT_FDCWD, o->proc, &st, 0) < 0 ||
	    st.st_ino != (ino_t)id.ino) {
		tg_sys_close(fd);
		p->fd = -1;
		return -1;
	}
	if (base != NULL) {
		size_t n = strlen(o->proc);
		o->proc[n] = '/';
		memcpy(o->proc + n + 1, base, strlen(base) + 1);
	}
	o->reg_path = o->proc;
	return 0;
}

static void tg_spawn_report(const struct tg_spawn_open *o, struct tg_report r)
{
	tg_guard_report(r, TG_FUNC, o->path, o->caller);
}

static void tg_walk_setup(struct tg_walk *w, struct tg_trust *trust, int flags)
{
	*trust = tg_where_trust();
	w->trust = trust;
	if (w->ids == NULL)
		w->ids = tg_state_dir_ids(&w->nids);
	w->use = tg_open_use(flags);
	w->follow = !(flags & O_NOFOLLOW);
	w->parent_only = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
}

/* The directory's descriptor taken from the walk (it releases the rest). */
static int tg_take_pfd(struct tg_walk *w)
{
	int fd = w->pfd;
	if (w->fd == fd)
		w->fd = -1;
	w->pfd = -1;
	return fd;
}

static int tg_take_fd(struct tg_walk *w)
{
	int fd = w->fd;
	if (w->pfd == fd)
		w->pfd = -1;
	w->fd = -1;
	return fd;
}

/* harden, a slot in hand: the walk's outcome pinned and named for the
 * child. 0, or the error number to return. */
static int tg_do_pin(struct tg_spawn_open *o, struct tg_walk *w)
{
	mode_t shared_mode = tg_create_mode(tg_config()->file_mode, o->mode, 0);
	for (int i = 0; i < TG_ACTIONS_TRIES; i++) {
		if (tg_walk(w) < 0) {
			if (w->refused != TG_OBJ_OK)
				return EACCES;
			return 0; /* the kernel's answer now: the child's then */
		}
		int shared = w->parent_shared;
		switch (tg_spawn_pin_what(o->flags, w->fd >= 0, shared)) {
		case TG_SPAWN_PIN_OBJECT: {
			int link = S_ISLNK(w->st.st_mode);
			o->reg_flags =
				tg_slot_keep(o, tg_take_fd(w), NULL) == 0
					? tg_spawn_object_flags(o->flags, link)
					: tg_spawn_dir_flags(o->flags, shared);
			return 0;
		}
		case TG_SPAWN_PIN_CREATE: {
			int fd = tg_sys_openat(w->pfd, w->base,
					       O_RDONLY | O_CREAT | O_EXCL |
						       O_NOFOLLOW | O_CLOEXEC,
					       shared_mode);
			if (fd < 0 && errno == EEXIST) {
				tg_walk_done(w); /* something appeared: judge it */
				continue;
			}
			if (fd < 0) { /* the child would fail so too */
				o->reg_flags = tg_spawn_dir_flags(o->flags, 1);
				return 0;
			}
			if (tg_slot_keep(o, fd, NULL) == 0)
				o->reg_flags = tg_spawn_object_flags(o->flags, 0);
			else /* made now: by name, not followed */
				o->reg_flags = tg_spawn_dir_flags(o->flags, 1);
			return 0;
		}
		case TG_SPAWN_PIN_DIR: {
			struct tg_action_pin *p = &tg_pins[o->slot];
			memcpy(p->base, w->base, sizeof p->base);
			o->reg_flags = tg_spawn_dir_flags(o->flags, shared);
			if (tg_slot_keep(o, tg_take_pfd(w), p->base) == 0)
				p->watch = shared && !(o->flags & O_EXCL);
			return 0;
		}
		}
	}
	return EACCES;
}

/* harden without a slot: judged now, registered by name. */
static int tg_do_name(struct tg_spawn_open *o, struct tg_walk *w)
{
	if (tg_walk(w) < 0)
		return w->refused != TG_OBJ_OK ? EACCES : 0;
	if (w->parent_shared) {
		o->reg_flags = tg_spawn_dir_flags(o->flags, 1);
		if (o->flags & O_CREAT)
			o->reg_mode = tg_create_mode(tg_config()->file_mode,
						     o->mode, 0);
	}
	return 0;
}

/* audit: judged now and logged; the name's directory kept, to look again
 * when the actions are released. */
static void tg_do_watch(struct tg_spawn_open *o, struct tg_walk *w)
{
	if (tg_walk(w) < 0 && w->refused != TG_OBJ_OK)
		return;
	if (w->pfd < 0 || !w->parent_shared || w->pfd == w->fd ||
	    (o->slot = tg_slot_claim()) < 0)
		return;
	struct tg_action_pin *p = &tg_pins[o->slot];
	memcpy(p->base, w->base, sizeof p->base);
	p->had = w->fd >= 0;
	p->odev = w->st.st_dev;
	p->oino = w->st.st_ino;
	if (tg_slot_keep(o, tg_take_pfd(w), NULL) == 0)
		p->watch = 1;
	o->reg_path = o->path; /* audit registers the program's own */
}

static int tg_actions_decide(struct tg_spawn_open *o)
{
	struct tg_walk w;
	struct tg_trust trust;
	int where = tg_where(AT_FDCWD, o->path, &w);
	enum tg_mode mode = tg_config()->mode;
	struct tg_spawn_facts f = {
		.mode = mode,
		.flags = o->flags,
		.candidate = (where & TG_WHERE_SHARED) &&
			     tg_open_walked(o->flags, where & TG_WHERE_SHALLOW),
	};
	int err = 0;
	for (;;) {
		enum tg_spawn_plan plan = tg_plan_spawn(&f);
		switch (plan) {
		case TG_SPAWN_PASS:
			return 0;
		case TG_SPAWN_LOOK:
			f.parent = tg_guard_parent(AT_FDCWD, o->path);
			continue;
		case TG_SPAWN_PIN:
			o->slot = tg_slot_claim();
			if (o->slot < 0) {
				f.no_pin = 1;
				continue;
			}
			tg_walk_setup(&w, &trust, o->flags);
			err = tg_do_pin(o, &w);
			break;
		case TG_SPAWN_NAME:
			tg_walk_setup(&w, &trust, o->flags);
			err = tg_do_name(o, &w);
			break;
		case TG_SPAWN_WATCH:
			tg_walk_setup(&w, &trust, o->flags);
			tg_do_watch(o, &w);
			break;
		}
		if (tg_flags_predictable(o->flags) && w.parent_shared)
			tg_spawn_report(o, tg_report_predictable(mode));
		if (w.refused != TG_OBJ_OK)
			tg_spawn_report(o, tg_report_plant(mode, w.refused,
							   EACCES));
		tg_walk_done(&w);
		return mode == TG_MODE_AUDIT ? 0 : err;
	}
}

int tg_actions_begin(struct tg_spawn_open *o)
{
	int saved = errno;
	o->slot = -1;
	o->reg_path = o->path;
	o->reg_flags = o->flags;
	o->reg_mode = o->mode;
	int err = tg_actions_decide(o);
	if (err != 0 || (o->slot >= 0 && tg_pins[o->slot].fd < 0)) {
		if (o->slot >= 0)
			tg_slot_free(o->slot);
		o->slot = -1;
	}
	errno = saved;
	return err;
}

void tg_actions_end(struct tg_spawn_open *o, int rc)
{
	if (o->slot < 0)
		return;
	int saved = errno;
	struct tg_action_pin *p = &tg_pins[o->slot];
	if (rc != 0) {
		tg_pin_close(p);
		tg_slot_free(o->slot);
	} else {
		p->use = tg_open_use(o->flags);
		p->follow = !(o->flags & O_NOFOLLOW);
		p->caller = o->caller;
		__atomic_store_n(&p->fa, (const void *)o->fa, __ATOMIC_RELEASE);
	}
	o->slot = -1;
	errno = saved;
}

/* A watched name looked at again: an object that was not there when the
 * open was registered, and that the rule refuses, may be what the child
 * opened. harden did not stop it (the name in a pinned directory is the
 * child's to resolve): detected in both modes. */
static void tg_look_again(const struct tg_action_pin *p)
{
	struct stat st;
	if (tg_sys_fstatat(p->fd, p->base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    (p->had && st.st_dev == p->odev && st.st_ino == p->oino))
		return;
	struct tg_trust t = tg_where_trust();
	enum tg_object_verdict v =
		S_ISLNK(st.st_mode)
			? (p->follow ? tg_judge_entry(&st, TG_USE_FOLLOW, &t)
				     : TG_OBJ_OK)
			: tg_judge_entry(&st, p->use, &t);
	if (v == TG_OBJ_OK)
		return;
	/* the path, as the directory's name now and the entry's */
	char path[PATH_MAX], proc[TG_PROC_FD_PATH_MAX];
	tg_proc_fd_path(proc, p->fd);
	long n = TG_SYSCALL(SYS_readlinkat, AT_FDCWD, proc, path,
			    sizeof path - NAME_MAX - 2);
	if (n <= 0)
		return;
	if (path[n - 1] != '/')
		path[n++] = '/';
	memcpy(path + n, p->base, strlen(p->base) + 1);
	tg_guard_report(tg_report_plant(TG_MODE_AUDIT, v, 0), TG_FUNC, path,
			p->caller);
}

void tg_actions_release(const posix_spawn_file_actions_t *fa)
{
	if (fa == NULL) /* a free slot's owner */
		return;
	int saved = errno;
	for (int i = 0; i < TG_ACTION_SLOTS; i++) {
		const void *expect = fa;
		if (__atomic_load_n(&tg_pins[i].fa, __ATOMIC_RELAXED) != fa ||
		    !__atomic_compare_exchange_n(&tg_pins[i].fa, &expect,
						 TG_SLOT_BUSY, 0,
						 __ATOMIC_ACQUIRE,
						 __ATOMIC_RELAXED))
			continue;
		struct tg_action_pin *p = &tg_pins[i];
		if (p->watch)
			tg_look_again(p);
		tg_pin_close(p);
		tg_slot_free(i);
	}
	errno = saved;
}
