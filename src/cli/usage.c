/* tmpguard — the usage text of the command and of each subcommand. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cli/usage.h"

static const char usage_run[] =
	"  tmpguard run [OPTIONS] [--fail-on-violation] [--quiet]\n"
	"               [--supervise | --supervise-all] [--] COMMAND [ARG...]\n"
	"      Run COMMAND with libtmpguard.so preloaded, then print a summary on\n"
	"      stderr. Exits with COMMAND's status (128+N if killed by signal N),\n"
	"      125 on a usage error, 126 if COMMAND cannot be executed, 127 if it\n"
	"      is not found.\n"
	"      --fail-on-violation  exit 3 if COMMAND succeeded but violations were\n"
	"                           recorded or the library loaded in no process\n"
	"      --quiet              no summary unless something needs attention\n"
	"      --supervise          also judge, from outside, the creations the\n"
	"                           library cannot see (static programs, raw\n"
	"                           system calls): a seccomp supervisor, its\n"
	"                           filter only on the processes that need it;\n"
	"                           125 if this kernel or build cannot\n"
	"      --supervise-all      the same, the filter on the whole tree\n";

static const char usage_env[] =
	"  tmpguard env [OPTIONS] [--systemd]\n"
	"      Print the KEY=VALUE lines that preload the library with OPTIONS;\n"
	"      with --systemd, as a drop-in for a systemd service.\n";

static const char usage_report[] =
	"  tmpguard report [--format=text|json|sarif] [--debug-dir=DIR...] LOG...\n"
	"      Aggregate event logs (text or JSON lines; '-' is stdin) by program,\n"
	"      event, calling code and path pattern, with counts. Exits 0, 2 if a\n"
	"      LOG could not be read, 125 on a usage error.\n"
	"      --debug-dir=DIR      look for separate debug information (a\n"
	"                           .build-id tree, .gnu_debuglink files) in DIR\n"
	"                           too, to name the calling function, source file\n"
	"                           and line (repeatable)\n";

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
	"  --dirs=DIR[:DIR...]   more shared directories (absolute; repeatable)\n"
	"  --trust=USER[,USER...]\n"
	"                        users whose files in shared directories are used\n"
	"                        like the caller's own (names or uids; repeatable)\n"
	"  --file-mode=private|program\n"
	"                        new files in shared directories get 0600 (private,\n"
	"                        default) or the mode the program asks, less umask\n";

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
