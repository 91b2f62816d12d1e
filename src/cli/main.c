/* tmpguard — the command: dispatch to the subcommands, --help, --version,
 * --libpath, and the helpers they share (messages, options, allocation). */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/out.h"

#define TG_LIBNAME "libtmpguard.so"

/* ---- messages ------------------------------------------------------------ */

int tg_cli_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void tg_cli_say(const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *line = NULL;
	int len = asprintf(&line, "tmpguard: %s\n", text);
	if (len > 0)
		tg_cli_write_all(STDERR_FILENO, line, (size_t)len);
	free(line);
	free(text);
}

char *tg_cli_printable(const char *s)
{
	size_t len = strlen(s);
	char *out = tg_cli_xmalloc(len * 4 + 1);
	struct tg_out o = TG_OUT_INIT(out, len * 4 + 1);
	tg_out_printable(&o, s, len, 0);
	tg_out_end(&o);
	return out;
}

/* ---- allocation ---------------------------------------------------------- */

void *tg_cli_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL) {
		tg_cli_say("out of memory");
		exit(TG_EXIT_USAGE);
	}
	return p;
}

char *tg_cli_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(tg_cli_xmalloc(n), s, n);
}

char *tg_cli_join(const char *a, char sep, const char *b)
{
	if (a == NULL || a[0] == '\0')
		return tg_cli_xstrdup(b != NULL ? b : "");
	if (b == NULL || b[0] == '\0')
		return tg_cli_xstrdup(a);
	size_t la = strlen(a), lb = strlen(b);
	char *out = tg_cli_xmalloc(la + 1 + lb + 1);
	memcpy(out, a, la);
	out[la] = sep;
	memcpy(out + la + 1, b, lb + 1);
	return out;
}

/* ---- options ------------------------------------------------------------- */

/* "--NAME" or "--NAME=...": returns what follows NAME, or NULL. */
static const char *option_rest(const char *arg, const char *name)
{
	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	size_t n = strlen(name);
	if (strncmp(arg + 2, name, n) != 0)
		return NULL;
	const char *rest = arg + 2 + n;
	return rest[0] == '\0' || rest[0] == '=' ? rest : NULL;
}

int tg_cli_option_value(int argc, char **argv, int *i, const char *name,
			const char **value)
{
	const char *rest = option_rest(argv[*i], name);
	if (rest == NULL)
		return 0;
	if (rest[0] == '=') {
		*value = rest + 1;
		return 1;
	}
	if (*i + 1 >= argc) {
		tg_cli_say("option --%s needs a value", name);
		return -1;
	}
	*i += 1;
	*value = argv[*i];
	return 1;
}

int tg_cli_option_flag(char **argv, int i, const char *name)
{
	const char *rest = option_rest(argv[i], name);
	if (rest == NULL)
		return 0;
	if (rest[0] == '=') {
		tg_cli_say("option --%s takes no value", name);
		return -1;
	}
	return 1;
}

/* ---- usage --------------------------------------------------------------- */

static const char usage_run[] =
	"  tmpguard run [OPTIONS] [--fail-on-violation] [--quiet] [--] COMMAND [ARG...]\n"
	"      Run COMMAND with libtmpguard.so preloaded, then print a summary on\n"
	"      stderr. Exits with COMMAND's status (128+N if killed by signal N),\n"
	"      125 on a usage error, 126 if COMMAND cannot be executed, 127 if it\n"
	"      is not found.\n"
	"      --fail-on-violation  exit 3 if COMMAND succeeded but violations were\n"
	"                           recorded or the library loaded in no process\n"
	"      --quiet              no summary unless something needs attention\n";

static const char usage_env[] =
	"  tmpguard env [OPTIONS] [--systemd]\n"
	"      Print the KEY=VALUE lines that preload the library with OPTIONS;\n"
	"      with --systemd, as a drop-in for a systemd service.\n";

static const char usage_report[] =
	"  tmpguard report [--format=text|json|sarif] LOG...\n"
	"      Aggregate event logs (text or JSON lines; '-' is stdin) by program,\n"
	"      event, calling code and path pattern, with counts. Exits 0, 2 if a\n"
	"      LOG could not be read, 125 on a usage error.\n";

static const char usage_scan[] =
	"  tmpguard scan [--format=text|json] FILE...\n"
	"      Tell whether the library can protect each program (protected,\n"
	"      partly, not) and why, and which temporary-file functions it\n"
	"      imports. Exits 0 if all are protected, 1 if any is partly or not,\n"
	"      2 if a FILE could not be read, 125 on a usage error.\n";

static const char usage_settings[] =
	"OPTIONS (run and env; --opt=VALUE or --opt VALUE):\n"
	"  --mode=harden|audit   rewrite unsafe calls (default) or only log them\n"
	"  --log=DEST            stderr (default), syslog, journal, or a file\n"
	"  --format=text|json    the form of each event line (default text)\n"
	"  --dirs=DIR[:DIR...]   more shared directories (absolute; repeatable)\n";

static const char usage_global[] =
	"  tmpguard --libpath    print the absolute path of libtmpguard.so\n"
	"  tmpguard --version    print the version\n"
	"  tmpguard --help       print this help\n";

void tg_cli_usage(const char *subcommand, int to_stderr)
{
	FILE *out = to_stderr ? stderr : stdout;
	int all = subcommand == NULL;
	fputs("Usage:\n", out);
	if (all || strcmp(subcommand, "run") == 0)
		fputs(usage_run, out);
	if (all || strcmp(subcommand, "env") == 0)
		fputs(usage_env, out);
	if (all || strcmp(subcommand, "report") == 0)
		fputs(usage_report, out);
	if (all || strcmp(subcommand, "scan") == 0)
		fputs(usage_scan, out);
	if (all)
		fputs(usage_global, out);
	if (all || strcmp(subcommand, "run") == 0 || strcmp(subcommand, "env") == 0)
		fputs(usage_settings, out);
	if (all)
		fputs("See tmpguard(1) and tmpguard(7).\n", out);
	fflush(out);
}

/* ---- the library's location ---------------------------------------------- */

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

/* ---- main ---------------------------------------------------------------- */

/* --libpath, --version, --help take no argument after them. */
static int no_more_arguments(int argc, char **argv)
{
	if (argc <= 2)
		return 1;
	char *shown = tg_cli_printable(argv[2]);
	tg_cli_say("%s: unexpected argument '%s'", argv[1], shown);
	free(shown);
	return 0;
}

static int print_libpath(void)
{
	char *path = tg_cli_libpath();
	if (path == NULL)
		return TG_EXIT_USAGE;
	printf("%s\n", path);
	free(path);
	return fflush(stdout) == 0 ? TG_EXIT_OK : TG_EXIT_USAGE;
}

static int unknown(const char *arg)
{
	char *shown = tg_cli_printable(arg);
	if (arg[0] == '-')
		tg_cli_say("unknown option '%s' (try tmpguard --help)", shown);
	else
		tg_cli_say("unknown command '%s' (try tmpguard --help)", shown);
	free(shown);
	return TG_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		tg_cli_usage(NULL, 1);
		return TG_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "run") == 0)
		return tg_cli_run(argc - 1, argv + 1);
	if (strcmp(cmd, "env") == 0)
		return tg_cli_env(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return tg_cli_report(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") == 0)
		return tg_cli_scan(argc - 1, argv + 1);

	int global = strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
		     strcmp(cmd, "--version") == 0 ||
		     strcmp(cmd, "--libpath") == 0;
	if (!global)
		return unknown(cmd);
	if (!no_more_arguments(argc, argv))
		return TG_EXIT_USAGE;
	if (strcmp(cmd, "--libpath") == 0)
		return print_libpath();
	if (strcmp(cmd, "--version") == 0)
		printf("tmpguard %s\n", PACKAGE_VERSION);
	else
		tg_cli_usage(NULL, 0);
	return fflush(stdout) == 0 ? TG_EXIT_OK : TG_EXIT_USAGE;
}
