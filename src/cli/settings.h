/* tmpguard — the settings that become TMPGUARD_* variables (run and env),
 * validated by the library's own parser so that the command accepts
 * exactly what the library does; and what the library will make of the
 * environment it is given. */
#ifndef TG_CLI_SETTINGS_H
#define TG_CLI_SETTINGS_H

/* What the options --mode, --format, --log, --dirs, --trust and
 * --file-mode asked for; NULL when the option was not given. Values are
 * validated and canonical: mode, format and file mode as the library names
 * them, log a keyword or an absolute path, trust a list of uids. */
struct tg_settings {
	const char *mode;
	const char *format;
	char *log;
	char *dirs;
	char *trust;
	const char *file_mode;
};

/* If argv[*i] is one of the setting options, validates it, stores it and
 * returns 1 (advancing *i past a separate value); 0 when it is not one;
 * -1 after a message when the value is invalid. */
int tg_settings_option(struct tg_settings *s, int argc, char **argv, int *i);

/* Frees what the options stored. */
void tg_settings_release(struct tg_settings *s);

/* Creates (or opens) the log file a path setting names, so that a log that
 * cannot be written is an error now rather than silence later. 0, or -1
 * after a message. */
int tg_settings_touch_log(const struct tg_settings *s);

struct tg_config;
/* The configuration the library parses from the current environment (its
 * messages are the library's to say). */
void tg_settings_parse_environment(struct tg_config *cfg);

/* What the library will do with the current environment, computed by its
 * own parser: the mode, and where events go ("stderr", "syslog", "journal"
 * or an absolute file path; a relative one is taken from the working
 * directory). */
struct tg_effective {
	const char *mode;
	char *log;
};
void tg_settings_effective(struct tg_effective *eff);

#endif
