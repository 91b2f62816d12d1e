/* tmpguard — the command: declarations shared by its subcommands. */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <stddef.h>

/* Exit statuses (the same as env(1), timeout(1) and the shells use). */
#define TG_EXIT_OK 0
#define TG_EXIT_FINDINGS 1      /* scan: a file not (fully) protected */
#define TG_EXIT_UNREADABLE 2    /* report, scan: a file could not be read */
#define TG_EXIT_VIOLATION 3     /* run --fail-on-violation */
#define TG_EXIT_USAGE 125       /* usage error, internal error */
#define TG_EXIT_CANNOT_EXEC 126 /* found, but cannot be executed */
#define TG_EXIT_NOT_FOUND 127   /* command not found */

/* ---- messages (main.c) ---------------------------------------------- */

/* "tmpguard: " + the formatted text + "\n" on stderr, in one write(2) so
 * that the line never mixes with the output of the program being run. */
void tg_cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write all of buf to fd, retrying on EINTR and short writes. */
int tg_cli_write_all(int fd, const char *buf, size_t len);

/* A copy of s fit for a one-line message: printable ASCII as is, any other
 * byte as \xHH. Never NULL (exits on allocation failure). */
char *tg_cli_printable(const char *s);

/* The usage of one subcommand ("run", "env") or of all (NULL), on stdout
 * (help) or stderr (usage error). */
void tg_cli_usage(const char *subcommand, int to_stderr);

/* Allocation that cannot fail: exits with TG_EXIT_USAGE instead. */
void *tg_cli_xmalloc(size_t n);
char *tg_cli_xstrdup(const char *s);
/* a + sep + b, or a copy of the non-empty one when the other is empty. */
char *tg_cli_join(const char *a, char sep, const char *b);

/* ---- the library's location (main.c) -------------------------------- */

/* The absolute path of libtmpguard.so (TMPGUARD_LIBPATH, the build tree
 * next to this executable, or the installed one), malloc'ed; NULL after a
 * message when there is none. */
char *tg_cli_libpath(void);
/* The same, checked to be usable in LD_PRELOAD (which splits on ' ' and
 * ':'); NULL after a message. */
char *tg_cli_preload_path(void);

/* ---- options ------------------------------------------------------------ */

/* Matches argv[*i] against "--NAME=VALUE" or "--NAME VALUE". Returns 1 and
 * sets *value (advancing *i past a separate value), 0 when argv[*i] is not
 * that option, -1 after a message when the value is missing. */
int tg_cli_option_value(int argc, char **argv, int *i, const char *name,
			const char **value);
/* Matches argv[*i] against the flag "--NAME": 1 yes, 0 no, -1 after a
 * message when it was given a value ("--NAME=x"). */
int tg_cli_option_flag(char **argv, int i, const char *name);

/* ---- settings: the TMPGUARD_* variables (env.c) ------------------ */

/* What the options --mode, --format, --log and --dirs asked for; NULL when
 * the option was not given. Values are validated and canonical: mode and
 * format as the library names them, log a keyword or an absolute path. */
struct tg_settings {
	const char *mode;
	const char *format;
	char *log;
	char *dirs;
};

/* If argv[*i] is one of the setting options, validates it, stores it and
 * returns 1 (advancing *i past a separate value); 0 when it is not one;
 * -1 after a message when the value is invalid. */
int tg_settings_option(struct tg_settings *s, int argc, char **argv, int *i);

/* Creates (or opens) the log file a path setting names, so that a log that
 * cannot be written is an error now rather than silence later. 0, or -1
 * after a message. */
int tg_settings_touch_log(const struct tg_settings *s);

/* What the library will do with the current environment, computed by its
 * own parser: the mode, and where events go ("stderr", "syslog", "journal"
 * or an absolute file path; a relative one is taken from the working
 * directory). */
struct tg_effective {
	const char *mode;
	char *log;
};
void tg_settings_effective(struct tg_effective *eff);

/* ---- subcommands -------------------------------------------------------- */

int tg_cli_run(int argc, char **argv); /* argv[0] is "run" */
int tg_cli_env(int argc, char **argv); /* argv[0] is "env" */
int tg_cli_report(int argc, char **argv); /* argv[0] is "report" */
int tg_cli_scan(int argc, char **argv); /* argv[0] is "scan" */

#endif
