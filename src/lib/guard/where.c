/* tmpguard — does a path resolve through a shared directory? */
#include <config.h>

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "core/sys.h"
#include "lib/guard/where.h"
#include "lib/state.h"

/* Until the configuration is parsed every absolute path is "maybe": the
 * first one asks tg_where, which parses it. */
unsigned char tg_where_second[256] = { [0 ... 255] = 1 };

/* The working directory: unknown, private or shared (or planted). The
 * inline test reads tg_where_cwd: 0 only when known private. */
enum { TG_CWD_UNKNOWN = 0, TG_CWD_PRIVATE, TG_CWD_SHARED };
static int tg_cwd_state;
int tg_where_cwd = 1;

/* Directory descriptors in shared directories, with the identity each had
 * when it was remembered: a number the program closed and reused for
 * something else is recognized and forgotten at its next use. */
unsigned long tg_where_dirfds[TG_DIRFDS / (8 * sizeof(unsigned long))];
static struct tg_dir_id tg_dirfd_ids[TG_DIRFDS];
#define TG_BITS (8 * sizeof(unsigned long))

static int tg_where_learned;

/* The second bytes of the listed names, learned at the first look after
 * the configuration was parsed. */
static void tg_where_learn(const struct tg_config *cfg)
{
	unsigned char second[256] = { 0 };
	for (const char *n = cfg->names; *n; n += strlen(n) + 1) {
		if (n[1] == '\0') { /* "/": every absolute path */
			memset(second, 1, sizeof second);
			break;
		}
		second[(unsigned char)n[1]] = 1;
	}
	for (int i = 0; i < 256; i++)
		__atomic_store_n(&tg_where_second[i], second[i], __ATOMIC_RELAXED);
	__atomic_store_n(&tg_where_learned, 1, __ATOMIC_RELEASE);
}

struct tg_trust tg_where_trust(void)
{
	const struct tg_config *cfg = tg_config();
	return (struct tg_trust){ tg_sys_geteuid(), cfg->ntrust, cfg->trust };
}

static int tg_cwd_classify(void)
{
	struct stat st, up;
	int state = TG_CWD_PRIVATE;
	if (tg_sys_fstatat(AT_FDCWD, ".", &st, 0) == 0) {
		if (tg_state_dir_shared(&st)) {
			state = TG_CWD_SHARED;
		} else if (tg_sys_fstatat(AT_FDCWD, "..", &up, 0) == 0 &&
			   tg_state_dir_shared(&up)) {
			struct tg_trust t = tg_where_trust();
			if (tg_dir_planted(&st, &t))
				state = TG_CWD_SHARED;
		}
	}
	__atomic_store_n(&tg_cwd_state, state, __ATOMIC_RELAXED);
	__atomic_store_n(&tg_where_cwd, state == TG_CWD_SHARED, __ATOMIC_RELAXED);
	return state;
}

void tg_where_forget_cwd(void)
{
	__atomic_store_n(&tg_cwd_state, TG_CWD_UNKNOWN, __ATOMIC_RELAXED);
	__atomic_store_n(&tg_where_cwd, 1, __ATOMIC_RELAXED);
}

void tg_where_remember_dirfd(int fd, const struct stat *st)
{
	if (fd < 0 || fd >= TG_DIRFDS)
		return;
	tg_dirfd_ids[fd].dev = st->st_dev;
	tg_dirfd_ids[fd].ino = st->st_ino;
	__atomic_fetch_or(&tg_where_dirfds[fd / TG_BITS], 1UL << (fd % TG_BITS),
			  __ATOMIC_RELEASE);
}

static int tg_dirfd_shared(int fd)
{
	if (fd < 0 || fd >= TG_DIRFDS)
		return 0;
	unsigned long bit = 1UL << (fd % TG_BITS);
	if (!(__atomic_load_n(&tg_where_dirfds[fd / TG_BITS], __ATOMIC_ACQUIRE) &
	      bit))
		return 0;
	struct stat st;
	if (tg_sys_fstat(fd, &st) == 0 && st.st_dev == tg_dirfd_ids[fd].dev &&
	    st.st_ino == tg_dirfd_ids[fd].ino)
		return 1;
	__atomic_fetch_and(&tg_where_dirfds[fd / TG_BITS], ~bit,
			   __ATOMIC_RELAXED);
	return 0;
}

int tg_where(int dirfd, const char *path, struct tg_walk *w)
{
	const struct tg_config *cfg = tg_config();
	if (!__atomic_load_n(&tg_where_learned, __ATOMIC_ACQUIRE) &&
	    tg_config_ready())
		tg_where_learn(cfg);
	*w = (struct tg_walk){ .dirfd = dirfd, .path = path, .pfd = -1,
			       .fd = -1 };
	if (path[0] == '/') {
		/* the names' second bytes rule most paths out at once */
		if (!__atomic_load_n(&tg_where_second[(unsigned char)path[1]],
				     __ATOMIC_RELAXED))
			return 0;
		size_t skip = tg_config_shared_prefix(cfg, path);
		if (skip == 0)
			return 0;
		const char *rest = path + skip;
		while (*rest == '/')
			rest++;
		if (*rest == '\0')
			return TG_WHERE_NAMES_DIR;
		w->skip = skip == 1 ? 0 : skip; /* "/" listed: start at it */
		w->start_shared = 1;
		w->ids = tg_state_dir_ids(&w->nids);
		return strchr(rest, '/') == NULL ? TG_WHERE_SHARED | TG_WHERE_SHALLOW
						 : TG_WHERE_SHARED;
	}
	int shared;
	if (dirfd == AT_FDCWD) {
		int state = __atomic_load_n(&tg_cwd_state, __ATOMIC_RELAXED);
		if (state == TG_CWD_UNKNOWN)
			state = tg_cwd_classify();
		shared = state == TG_CWD_SHARED;
	} else {
		shared = tg_dirfd_shared(dirfd);
	}
	w->start_shared = shared;
	int climbs = path[0] == '.' && path[1] == '.' &&
		     (path[2] == '/' || path[2] == '\0');
	if (!shared && !climbs)
		return 0;
	w->ids = tg_state_dir_ids(&w->nids);
	return shared && strchr(path, '/') == NULL
		       ? TG_WHERE_SHARED | TG_WHERE_SHALLOW
		       : TG_WHERE_SHARED;
}
