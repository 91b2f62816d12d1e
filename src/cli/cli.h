/* tmpguard — the command: its exit statuses and its subcommands. */
#ifndef TG_CLI_H
#define TG_CLI_H

/* Exit statuses (the same as env(1), timeout(1) and the shells use). */
#define TG_EXIT_OK 0
#define TG_EXIT_FINDINGS 1      /* scan: a file not (fully) protected */
#define TG_EXIT_UNREADABLE 2    /* report, scan: a file could not be read */
#define TG_EXIT_VIOLATION 3     /* run --fail-on-violation */
#define TG_EXIT_USAGE 125       /* usage error, internal error */
#define TG_EXIT_CANNOT_EXEC 126 /* found, but cannot be executed */
#define TG_EXIT_NOT_FOUND 127   /* command not found */

/* The subcommands, which main dispatches to. */
int tg_cli_run(int argc, char **argv); /* argv[0] is "run" */
int tg_cli_env(int argc, char **argv); /* argv[0] is "env" */
int tg_cli_report(int argc, char **argv); /* argv[0] is "report" */
int tg_cli_scan(int argc, char **argv); /* argv[0] is "scan" */

#endif
