/* tmpguard — hooks: the name generators (mktemp, tmpnam, tmpnam_r,
 * tempnam), whose names are made unpredictable and reserved, and the safe
 * creators (mk[o]stemp[s][64], mkdtemp), which are forwarded untouched. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/names.h"
#include "core/reserve.h"
#include "core/sys.h"
#include "lib/export.h"
#include "lib/guard/create.h"
#include "lib/guard/namecheck.h"
#include "lib/real.h"
#include "lib/state.h"

#define TG_NAME_TRIES 100

static int tg_harden(void)
{
	return tg_replaces_generators(tg_config()->mode);
}

/* The name is handed out: remember it, and record who asked. */
static void tg_hand_out(const char *func, const char *name, const void *caller)
{
	tg_reserve_add(name);
	tg_guard_report(tg_report_unsafe_name(tg_config()->mode), func, name,
			caller);
}

TG_EXPORT char *mktemp(char *tmpl)
{
	const void *caller = TG_CALLER();
	if (!tg_harden()) {
		char *r = TG_REAL(mktemp)(tmpl);
		if (r != NULL && r[0] != '\0')
			tg_hand_out("mktemp", r, caller);
		return r;
	}
	int saved = errno;
	int xs = tg_template_xs(tmpl, 0);
	if (xs < 0) {
		tmpl[0] = '\0';
		return tmpl;
	}
	char *random = tmpl + strlen(tmpl) - xs;
	for (int i = 0; i < TG_NAME_TRIES; i++) {
		if (tg_random_chars(random, (size_t)xs) < 0)
			break;
		int is_free = tg_name_free(tmpl);
		if (is_free == 1) {
			errno = saved;
			tg_hand_out("mktemp", tmpl, caller);
			return tmpl;
		}
		if (is_free < 0)
			break;
		errno = EEXIST;
	}
	tmpl[0] = '\0';
	return tmpl;
}

/* tmpnam and tmpnam_r: /tmp/tg + 12 random characters, within L_tmpnam. */
static char *tg_tmpnam_into(char *buf, const char *func, const void *caller)
{
	int saved = errno;
	for (int i = 0; i < TG_NAME_TRIES; i++) {
		if (tg_build_tmpnam(buf, L_tmpnam) < 0)
			return NULL;
		int is_free = tg_name_free(buf);
		if (is_free == 1) {
			errno = saved;
			tg_hand_out(func, buf, caller);
			return buf;
		}
		if (is_free < 0)
			return NULL;
	}
	return NULL;
}

TG_EXPORT char *tmpnam(char s[L_tmpnam])
{
	static char tg_tmpnam_buffer[L_tmpnam];
	const void *caller = TG_CALLER();
	if (!tg_harden()) {
		char *r = TG_REAL(tmpnam)(s);
		if (r != NULL)
			tg_hand_out("tmpnam", r, caller);
		return r;
	}
	return tg_tmpnam_into(s ? s : tg_tmpnam_buffer, "tmpnam", caller);
}

TG_EXPORT char *tmpnam_r(char s[L_tmpnam])
{
	const void *caller = TG_CALLER();
	if (s == NULL) /* as glibc: no buffer, no name */
		return NULL;
	if (!tg_harden()) {
		char *r = TG_REAL(tmpnam_r)(s);
		if (r != NULL)
			tg_hand_out("tmpnam_r", r, caller);
		return r;
	}
	return tg_tmpnam_into(s, "tmpnam_r", caller);
}

static int tg_is_dir(const char *path)
{
	struct stat st;
	return path != NULL && path[0] != '\0' &&
	       tg_sys_fstatat(AT_FDCWD, path, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

/* glibc's order: $TMPDIR (unless secure), then dir, then P_tmpdir. */
static const char *tg_tempnam_dir(const char *dir)
{
	const char *env = tg_secure_getenv("TMPDIR");
	if (tg_is_dir(env))
		return env;
	if (tg_is_dir(dir))
		return dir;
	return P_tmpdir;
}

TG_EXPORT char *tempnam(const char *dir, const char *pfx)
{
	const void *caller = TG_CALLER();
	if (!tg_harden()) {
		char *r = TG_REAL(tempnam)(dir, pfx);
		if (r != NULL)
			tg_hand_out("tempnam", r, caller);
		return r;
	}
	int saved = errno;
	const char *where = tg_tempnam_dir(dir);
	char name[PATH_MAX];
	for (int i = 0; i < TG_NAME_TRIES; i++) {
		if (tg_build_tempnam(name, sizeof name, where, pfx) < 0)
			return NULL;
		int is_free = tg_name_free(name);
		if (is_free < 0)
			return NULL;
		if (is_free == 0)
			continue;
		char *r = strdup(name);
		if (r == NULL)
			return NULL;
		errno = saved;
		tg_hand_out("tempnam", r, caller);
		return r;
	}
	errno = EEXIST;
	return NULL;
}

/* The safe creators: their open or mkdir happens inside libc, exclusively.
 * Forwarded untouched; interposed so the surface is complete and a future
 * inventory needs no new symbol. */
#undef mkstemp64
#undef mkostemp64
#undef mkstemps64
#undef mkostemps64
TG_EXPORT int mkstemp(char *t) { return TG_REAL(mkstemp)(t); }
TG_EXPORT int mkstemp64(char *t) { return TG_REAL(mkstemp64)(t); }
TG_EXPORT int mkostemp(char *t, int f) { return TG_REAL(mkostemp)(t, f); }
TG_EXPORT int mkostemp64(char *t, int f) { return TG_REAL(mkostemp64)(t, f); }
TG_EXPORT int mkstemps(char *t, int s) { return TG_REAL(mkstemps)(t, s); }
TG_EXPORT int mkstemps64(char *t, int s) { return TG_REAL(mkstemps64)(t, s); }
TG_EXPORT int mkostemps(char *t, int s, int f) { return TG_REAL(mkostemps)(t, s, f); }
TG_EXPORT int mkostemps64(char *t, int s, int f) { return TG_REAL(mkostemps64)(t, s, f); }
TG_EXPORT char *mkdtemp(char *t) { return TG_REAL(mkdtemp)(t); }
