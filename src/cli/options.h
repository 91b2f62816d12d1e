/* tmpguard — matching the command's long options. */
#ifndef TG_CLI_OPTIONS_H
#define TG_CLI_OPTIONS_H

/* Matches argv[*i] against "--NAME=VALUE" or "--NAME VALUE". Returns 1 and
 * sets *value (advancing *i past a separate value), 0 when argv[*i] is not
 * that option, -1 after a message when the value is missing. */
int tg_cli_option_value(int argc, char **argv, int *i, const char *name,
			const char **value);
/* Matches argv[*i] against the flag "--NAME": 1 yes, 0 no, -1 after a
 * message when it was given a value ("--NAME=x"). */
int tg_cli_option_flag(char **argv, int i, const char *name);

#endif
