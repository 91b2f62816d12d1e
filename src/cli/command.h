/* tmpguard run — the command to run: found as a shell finds it, and
 * checked for whether the library can reach it. */
#ifndef TG_CLI_COMMAND_H
#define TG_CLI_COMMAND_H

/* The file that runs for name, malloc'ed in *path; or the shell's exit
 * status (126, 127) after its message. */
int tg_command_resolve(const char *name, char **path);

/* Inspects the command (for a script, its interpreter) and warns when the
 * library cannot protect it. Says nothing about files it cannot read.
 * Returns 1 when preloading would stop the program altogether: musl's
 * loader, unlike glibc's, fails on a library it cannot link. */
int tg_command_precheck(const char *cmd, const char *path);

/* run --supervise: the warnings say what is protected all the same. */
extern int tg_command_supervised;

#endif
