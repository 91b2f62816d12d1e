/* tmpguard run — the command to run: found as a shell finds it, and
 * checked for whether the library can reach it. */
#ifndef TG_CLI_COMMAND_H
#define TG_CLI_COMMAND_H

/* The file that runs for name, malloc'ed in *path; or the shell's exit
 * status (126, 127) after its message. */
int tg_command_resolve(const char *name, char **path);

#include <sys/types.h>

#include "cli/elf.h"

/* A program file by identity: the same under any of its names. */
struct tg_program_id {
	int known;
	dev_t dev;
	ino_t ino;
};

struct tg_precheck {
	int warned;                   /* it said the library cannot protect
				       * the command */
	int partly;                   /* ... or protects it only partly */
	struct tg_program_id program; /* the program it judged (a script's
				       * interpreter) */
};

/* Inspects the command (for a script, its interpreter) and warns when the
 * library cannot protect it. Says nothing about files it cannot read.
 * Returns 1 when preloading would stop the program altogether: musl's
 * loader, unlike glibc's, fails on a library it cannot link. */
int tg_command_precheck(const char *cmd, const char *path,
			struct tg_precheck *pc);

/* What became of a program the command's tree ran. */
struct tg_judged {
	int readable;                 /* 0: it could not be inspected */
	char *interpreter;            /* a script: the program that runs it,
				       * malloc'ed; else NULL */
	struct tg_program_id program; /* that program (or path itself) */
	char why[TG_ELF_WHY_MAX];     /* scan's reason, unless protected */
};

/* The same judgement as the pre-check's, for path (absolute), in scan's
 * verdicts and words: NOT for what the library cannot reach (static, Go,
 * musl, another architecture, or set-id run by another user), PARTLY for
 * a dynamic program that makes raw system calls or uses io_uring;
 * PROTECTED for the rest and for what does not run (a file that is not a
 * program). "#!" is followed as the kernel does. */
enum tg_verdict tg_command_judge(const char *path, struct tg_judged *j);

/* run --supervise: the warnings say what is protected all the same. */
extern int tg_command_supervised;

#endif
