/* tmpguard — the command: dispatch to the subcommands, --help, --version,
 * --libpath. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/libpath.h"
#include "cli/usage.h"
#include "cli/util.h"

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
