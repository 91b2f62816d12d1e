/* tmpguard env: print the variables that preload the library with the
 * settings given, for a shell or as a systemd drop-in. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/libpath.h"
#include "cli/options.h"
#include "cli/settings.h"
#include "cli/usage.h"
#include "cli/util.h"
#include "core/escape.h"

/* ---- output ------------------------------------------------------------- */

struct assignment {
	const char *key;
	const char *value;
};

/* Printed as is when every byte is one a shell leaves alone. */
static int shell_safe(const char *v)
{
	if (v[0] == '\0')
		return 0;
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("_@%+=:,./-", c)))
			return 0;
	}
	return 1;
}

/* KEY=VALUE, single-quoted for a shell's eval when it needs to be. */
static void print_shell(const struct assignment *a)
{
	if (shell_safe(a->value)) {
		printf("%s=%s\n", a->key, a->value);
		return;
	}
	printf("%s='", a->key);
	for (const char *p = a->value; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	}
	fputs("'\n", stdout);
}

/* Environment="KEY=VALUE" as systemd.syntax(7) reads it: inside double
 * quotes '\\' and '"' are escaped, other control bytes written \xHH, and
 * '%' doubled because Environment= expands specifiers. */
static void print_systemd(const struct assignment *a)
{
	printf("Environment=\"%s=", a->key);
	for (const unsigned char *p = (const unsigned char *)a->value; *p;
	     p++) {
		if (*p == '\\' || *p == '"')
			printf("\\%c", *p);
		else if (*p == '%')
			fputs("%%", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	fputs("\"\n", stdout);
}

static int print_assignments(const struct assignment *list, size_t n,
			     int systemd)
{
	for (size_t i = 0; systemd && i < n; i++) {
		if (!tg_utf8_valid(list[i].value)) {
			char *shown = tg_cli_printable(list[i].value);
			tg_cli_say("env --systemd: the value of %s is not valid "
				   "UTF-8 ('%s'): systemd would ignore the line; "
				   "choose another path",
				   list[i].key, shown);
			free(shown);
			return TG_EXIT_USAGE;
		}
	}
	if (systemd) {
		printf("# Install as /etc/systemd/system/UNIT.service.d/tmpguard.conf, "
		       "then: systemctl daemon-reload && systemctl restart UNIT\n");
		printf("[Service]\n");
	}
	for (size_t i = 0; i < n; i++) {
		if (systemd)
			print_systemd(&list[i]);
		else
			print_shell(&list[i]);
	}
	if (fflush(stdout) != 0) {
		tg_cli_say("env: cannot write the output: %s", strerror(errno));
		return TG_EXIT_USAGE;
	}
	return TG_EXIT_OK;
}

/* ---- the subcommand ----------------------------------------------------- */

/* Options of env: the settings, --systemd and --help. Returns -1 to go on,
 * else the exit status. */
static int parse_env_options(int argc, char **argv, struct tg_settings *s,
			     int *systemd)
{
	for (int i = 1; i < argc; i++) {
		int rc = tg_settings_option(s, argc, argv, &i);
		if (rc == 0) {
			rc = tg_cli_option_flag(argv, i, "systemd");
			if (rc > 0)
				*systemd = 1;
		}
		if (rc < 0)
			return TG_EXIT_USAGE;
		if (rc > 0)
			continue;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			tg_cli_usage("env", 0);
			return TG_EXIT_OK;
		}
		char *shown = tg_cli_printable(argv[i]);
		tg_cli_say(argv[i][0] == '-' ? "env: unknown option '%s'"
					     : "env: unexpected argument '%s'",
			   shown);
		free(shown);
		tg_cli_usage("env", 1);
		return TG_EXIT_USAGE;
	}
	return -1;
}

/* The variables that preload the library with settings s. */
static int print_settings(const struct tg_settings *s, int systemd)
{
	char *lib = tg_cli_preload_path();
	if (lib == NULL)
		return TG_EXIT_USAGE;
	struct assignment list[7] = {
		{ "LD_PRELOAD", lib },
		{ "TMPGUARD_MODE", s->mode != NULL ? s->mode : "harden" },
		{ "TMPGUARD_FORMAT", s->format != NULL ? s->format : "text" },
		{ "TMPGUARD_LOG", s->log != NULL ? s->log : "stderr" },
	};
	size_t n = 4;
	/* after those, and only when given */
	const struct assignment optional[] = {
		{ "TMPGUARD_DIRS", s->dirs },
		{ "TMPGUARD_TRUST", s->trust },
		{ "TMPGUARD_FILE_MODE", s->file_mode },
	};
	for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++)
		if (optional[i].value != NULL)
			list[n++] = optional[i];
	int rc = print_assignments(list, n, systemd);
	free(lib);
	return rc;
}

int tg_cli_env(int argc, char **argv)
{
	struct tg_settings s = { 0 };
	int systemd = 0;
	int rc = parse_env_options(argc, argv, &s, &systemd);
	if (rc < 0)
		rc = print_settings(&s, systemd);
	tg_settings_release(&s);
	return rc;
}
