/* tmpguard — whether a generated name may be handed out (harden mode).
 *
 * glibc's generators lstat each name and hand it out on ENOENT. In harden
 * mode the name is also reserved and its creation made exclusive, so the
 * lstat no longer protects anything: what it still tells the program is
 * whether the directory can hold the name (ENOTDIR, EACCES, ELOOP ...). For
 * an absolute name that verdict comes from "<dir>/." and is remembered, per
 * thread, for the rest of the second: a legacy loop of mktemp+open then
 * makes no system call here, and no lookup of a name that does not exist
 * (with millions of negative dentries cached, such a lookup costs as much
 * as the program's own creation). A name that already exists is not seen:
 * its exclusive creation fails with EEXIST; with at least 6 characters
 * drawn from a CSPRNG that is one chance in 56 billion per existing file of
 * the same prefix. Relative names depend on the working directory and get
 * glibc's lstat every time. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "core/memo.h"
#include "core/seen.h"
#include "core/sys.h"
#include "lib/guard/namecheck.h"

#define TG_PROBE_MAX 256 /* a longer directory: each name is lstat'ed */
#define TG_PROBE_TAG 0x6e616d65u /* keys apart from the seen-set's */

/* The last directory verdict of this thread. */
struct tg_dir_memo {
	struct tg_memo memo;
	int err; /* 0: the directory can hold names */
};
static __thread struct tg_dir_memo tg_dir_memo
	__attribute__((tls_model("initial-exec")));

/* 0, or the errno glibc's lstat would give for any name in the directory
 * whose "<dir>/." is probe */
static int tg_probe_dir(const char *probe)
{
	struct stat st;
	if (tg_sys_fstatat(AT_FDCWD, probe, &st, 0) == 0)
		return 0;
	return errno == ENOENT ? 0 : errno; /* no directory: ENOENT, a free name */
}

static int tg_dir_verdict(const char *probe)
{
	struct tg_dir_memo *m = &tg_dir_memo;
	struct timeval now;
	gettimeofday(&now, NULL);
	uint64_t key = tg_seen_key(TG_PROBE_TAG, NULL, probe);
	int err;
	switch (tg_memo_enter(&m->memo, now.tv_sec, key)) {
	case TG_MEMO_BUSY:
		return tg_probe_dir(probe);
	case TG_MEMO_HIT:
		err = m->err;
		break;
	default:
		err = m->err = tg_probe_dir(probe);
		tg_memo_stored(&m->memo, now.tv_sec, key);
		break;
	}
	tg_memo_leave(&m->memo);
	return err;
}

int tg_name_free(const char *name)
{
	const char *slash = strrchr(name, '/');
	size_t dlen = slash != NULL ? (size_t)(slash - name) + 1 : 0;
	if (name[0] == '/' && dlen + 2 <= TG_PROBE_MAX) {
		size_t len = strlen(name);
		if (len >= PATH_MAX || len - dlen > NAME_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		char probe[TG_PROBE_MAX];
		memcpy(probe, name, dlen); /* ends with its '/' */
		probe[dlen] = '.';
		probe[dlen + 1] = '\0';
		int err = tg_dir_verdict(probe);
		if (err == 0)
			return 1;
		errno = err;
		return -1;
	}
	struct stat st;
	if (tg_sys_fstatat(AT_FDCWD, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	return errno == ENOENT ? 1 : -1;
}
