/* tmpguard — process-wide state: the configuration, parsed once. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/passwd.h"
#include "core/sys.h"
#include "core/syscall.h"
#include "lib/guard/marked.h"
#include "lib/log/caller.h"
#include "lib/real.h"
#include "lib/state.h"

struct tg_config tg_cfg;
int tg_state_ready;

static int tg_state_claim;
static char tg_exe[PATH_MAX];
static int tg_exe_ready;

static const char *tg_getenv(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

/* The shared directories' identities are looked up the first time one is
 * needed (a path through a shared directory is judged), not when the
 * configuration is parsed: recognizing a path needs only their names. One
 * missing then is missed for the process's lifetime unless it is
 * world-writable (which is checked on every call). */
static int tg_dir_lookup(const char *path, struct tg_dir_id *id, void *ctx)
{
	(void)ctx;
	struct stat st;
	if (tg_sys_fstatat(AT_FDCWD, path, &st, 0) != 0 || !S_ISDIR(st.st_mode))
		return -1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

/* TMPGUARD_TRUST's user names, looked up in /etc/passwd (core/passwd.h). */
static int tg_user_lookup(const char *name, uid_t *uid, void *ctx)
{
	(void)ctx;
	int fd = tg_sys_openat(AT_FDCWD, "/etc/passwd", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = -1;
	if (tg_sys_fstat(fd, &st) == 0 && st.st_size > 0) {
		size_t len = (size_t)st.st_size;
		const char *text = tg_sys_map_file(fd, len);
		if (text != MAP_FAILED) {
			rc = tg_passwd_uid(text, len, name, uid);
			tg_sys_unmap((void *)text, len);
		}
	}
	tg_sys_close(fd);
	return rc;
}

static const struct tg_config_env tg_env = {
	.get = tg_getenv,
	.look_user = tg_user_lookup,
};

/* AT_SECURE: the answer decides where the log goes. getauxval is bound by
 * the configuration's parse, not imported (each symbol version the library
 * needs is checked in every process at start-up). Before that, or when
 * dlsym cannot run (a signal handler interrupted this thread's own dlsym),
 * a process whose real and effective ids differ counts as secure. */
static int tg_secure_known = -1;

static int tg_state_secure_bound(int may_bind)
{
	int secure = __atomic_load_n(&tg_secure_known, __ATOMIC_RELAXED);
	if (secure >= 0)
		return secure;
	unsigned long (*aux)(unsigned long) =
		may_bind ? tg_real_default("getauxval") : NULL;
	if (aux == NULL)
		return TG_SYSCALL(SYS_getuid) != TG_SYSCALL(SYS_geteuid) ||
		       TG_SYSCALL(SYS_getgid) != TG_SYSCALL(SYS_getegid);
	secure = aux(AT_SECURE) != 0;
	__atomic_store_n(&tg_secure_known, secure, __ATOMIC_RELAXED);
	return secure;
}

static int tg_state_secure(void)
{
	return tg_state_secure_bound(1);
}

/* What a call sees when it cannot wait for the parse (see tg_state_init):
 * its own parse of the environment, or while that is under way too, all
 * zero: harden mode, text, stderr (world-writable directories are still
 * shared). */
struct tg_config tg_cfg_defaults;

/* Set while this thread is inside tg_state_init, from before it claims the
 * parse: a signal handler that interrupts it (even between the claim and the
 * parse) must not wait for a parse only this thread can finish. With a
 * timer firing faster than the wait's bound, waiting there never ends. */
static __thread int tg_parsing __attribute__((tls_model("initial-exec")));

/* Parsing reads only the environment and takes microseconds. The bound is
 * for a child forked while another thread was parsing: nobody will finish
 * there, and it goes on with the defaults. */
#define TG_PARSE_WAIT_SPINS 2000000

/* A call that cannot wait parses its own copy into tg_cfg_defaults (once;
 * a second such call keeps the all-zero defaults). Messages were, or will
 * be, written by the main parse. */
static int tg_fallback_claim;

static void tg_parse_fallback(void)
{
	if (__atomic_exchange_n(&tg_fallback_claim, 1, __ATOMIC_ACQ_REL))
		return;
	struct tg_config *cfg = &tg_cfg_defaults;
	struct tg_config_env env = tg_env;
	env.secure = tg_state_secure_bound(0); /* maybe in a signal handler */
	tg_config_parse(cfg, &env, NULL, 0);
}

/* The parse is claimed: by another thread (wait for it, bounded), or by
 * this one, interrupted (nested: never wait). */
static void tg_state_await(int nested)
{
	if (!nested) {
		for (long i = 0; i < TG_PARSE_WAIT_SPINS; i++) {
			if (__atomic_load_n(&tg_state_ready, __ATOMIC_ACQUIRE))
				return;
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#endif
		}
	}
	int saved = errno;
	tg_parse_fallback();
	errno = saved;
}

/* run --supervise's path mark (lib/guard/marked.h), set by the parse. */
unsigned long long tg_path_mark;

static void tg_state_parse(void)
{
	int saved = errno;
	char msgs[TG_MSG_MAX];
	msgs[0] = '\0';
	int secure = tg_state_secure();
	struct tg_config_env env = tg_env;
	env.secure = secure;
	tg_caller_bind();
	if (tg_config_parse(&tg_cfg, &env, msgs, sizeof msgs) > 0)
		tg_sys_write_all(2, msgs, strlen(msgs));
	__atomic_store_n(&tg_sys_create_mark, tg_cfg.supervise_mark,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&tg_path_mark, tg_cfg.supervise_path_mark,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&tg_state_ready, 1, __ATOMIC_RELEASE);
	errno = saved;
}

void tg_state_init(void)
{
	int nested = tg_parsing;
	tg_parsing = 1;
	if (__atomic_exchange_n(&tg_state_claim, 1, __ATOMIC_ACQ_REL))
		tg_state_await(nested);
	else
		tg_state_parse();
	tg_parsing = nested;
}

static struct tg_dir_id tg_dir_ids[TG_MAX_DIRS];
static int tg_ndir_ids = -1; /* -1: not looked up yet */

const struct tg_dir_id *tg_state_dir_ids(int *n)
{
	int have = __atomic_load_n(&tg_ndir_ids, __ATOMIC_ACQUIRE);
	if (have < 0) {
		/* racing lookups store the same identities */
		have = tg_config_dir_ids(tg_config(), tg_dir_lookup, NULL,
					 tg_dir_ids);
		__atomic_store_n(&tg_ndir_ids, have, __ATOMIC_RELEASE);
	}
	*n = have;
	return tg_dir_ids;
}

int tg_state_dir_shared(const struct stat *st)
{
	int n;
	const struct tg_dir_id *ids = tg_state_dir_ids(&n);
	return tg_dir_is_shared(st, ids, n);
}

const char *tg_state_exe(void)
{
	if (!__atomic_load_n(&tg_exe_ready, __ATOMIC_ACQUIRE)) {
		char buf[PATH_MAX];
		long n = TG_SYSCALL(SYS_readlink, "/proc/self/exe", buf,
				    sizeof buf - 1);
		if (n < 0)
			n = 0;
		buf[n] = '\0';
		/* Concurrent fillers write the same bytes. */
		memcpy(tg_exe, buf, (size_t)n + 1);
		__atomic_store_n(&tg_exe_ready, 1, __ATOMIC_RELEASE);
	}
	return tg_exe;
}

const char *tg_secure_getenv(const char *name)
{
	return tg_state_secure() ? NULL : getenv(name);
}
