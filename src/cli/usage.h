/* tmpguard — the usage text of the command and of each subcommand. */
#ifndef TG_CLI_USAGE_H
#define TG_CLI_USAGE_H

/* The usage of one subcommand ("run", "env") or of all (NULL), on stdout
 * (help) or stderr (usage error). */
void tg_cli_usage(const char *subcommand, int to_stderr);

#endif
