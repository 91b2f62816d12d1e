/* tmpguard — finding libtmpguard.so for --libpath, run and env. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/libpath.h"
#include "cli/util.h"

#define TG_LIBNAME "libtmpguard.so"

static int is_regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* TMPGUARD_LIBPATH, made absolute. Sets *chosen when the variable is set. */
static char *libpath_from_env(int *chosen)
{
	const char *v = getenv("TMPGUARD_LIBPATH");
	*chosen = v != NULL && v[0] != '\0';
	if (!*chosen)
		return NULL;
	char *abs = realpath(v, NULL);
	if (abs == NULL || !is_regular_file(abs)) {
		char *shown = tg_cli_printable(v);
		tg_cli_say("TMPGUARD_LIBPATH=%s: %s", shown,
			   abs == NULL ? strerror(errno) : "not a regular file");
		free(shown);
		free(abs);
		return NULL;
	}
	return abs;
}

/* The directory of the running executable, or -1. */
static int exe_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	if (n <= 0)
		return -1;
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (slash == NULL)
		return -1;
	slash[slash == dir ? 1 : 0] = '\0';
	return 0;
}

/* dir/name if it is a regular file, malloc'ed; else NULL. */
static char *existing_file_in(const char *dir, const char *name)
{
	char *cand = NULL;
	if (asprintf(&cand, "%s/%s", dir, name) < 0)
		return NULL;
	if (is_regular_file(cand))
		return cand;
	free(cand);
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* In a build tree libtool leaves the uninstalled command in src/ and the
 * library in src/.libs/ (or both in src/.libs/ behind a wrapper script). */
static char *libpath_from_build_tree(void)
{
	char dir[PATH_MAX];
	if (exe_dir(dir, sizeof dir) < 0)
		return NULL;
	char *path = existing_file_in(dir, ".libs/" TG_LIBNAME);
	if (path == NULL && ends_with(dir, "/.libs"))
		path = existing_file_in(dir, TG_LIBNAME);
	return path;
}

char *tg_cli_libpath(void)
{
	int chosen;
	char *path = libpath_from_env(&chosen);
	if (chosen)
		return path;
	path = libpath_from_build_tree();
	if (path != NULL)
		return path;
	if (is_regular_file(TG_LIBDIR "/" TG_LIBNAME))
		return tg_cli_xstrdup(TG_LIBDIR "/" TG_LIBNAME);
	tg_cli_say("cannot find %s: not in %s, not in a build tree next to this "
		   "program, and TMPGUARD_LIBPATH is not set",
		   TG_LIBNAME, TG_LIBDIR);
	return NULL;
}

char *tg_cli_preload_path(void)
{
	char *path = tg_cli_libpath();
	if (path != NULL && strpbrk(path, " :\t\n") != NULL) {
		char *shown = tg_cli_printable(path);
		tg_cli_say("cannot preload %s: LD_PRELOAD cannot carry a path "
			   "with a space or ':' in it", shown);
		free(shown);
		free(path);
		return NULL;
	}
#ifdef TG_SANITIZER_PRELOAD
	/* a sanitized build: an uninstrumented program needs the ASan runtime
	 * loaded before the instrumented library */
	if (path != NULL) {
		char *both = tg_cli_join(TG_SANITIZER_PRELOAD, ':', path);
		free(path);
		path = both;
	}
#endif
	return path;
}
