/* tmpguard run — the command to run: found as a shell finds it, "#!"
 * followed to the program that really runs, and the pre-check that warns
 * when the library cannot reach it, or reaches it only partly; the same
 * judgement for every program the command's tree runs. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/command.h"
#include "cli/elf.h"
#include "cli/util.h"

#define TG_SCRIPT_DEPTH 4 /* "#!" nesting the kernel follows */

/* ---- finding the command, as a shell does -------------------------------- */

static int is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* name looked up in $PATH: the first executable regular file, malloc'ed;
 * else NULL, with *denied set to the first match that is not executable. */
static char *search_path(const char *name, char **denied)
{
	const char *path = getenv("PATH");
	char fallback[256];
	if (path == NULL) {
		size_t n = confstr(_CS_PATH, fallback, sizeof fallback);
		path = n > 0 && n <= sizeof fallback ? fallback : "/bin:/usr/bin";
	}
	*denied = NULL;
	while (name[0] != '\0') {
		const char *end = strchr(path, ':');
		size_t len = end != NULL ? (size_t)(end - path) : strlen(path);
		char *cand = NULL;
		/* an empty entry is the working directory */
		if (asprintf(&cand, "%.*s/%s", (int)(len > 0 ? len : 1),
			     len > 0 ? path : ".", name) < 0)
			return NULL;
		struct stat st;
		if (is_executable_file(cand))
			return cand;
		if (*denied == NULL && stat(cand, &st) == 0 && S_ISREG(st.st_mode))
			*denied = cand;
		else
			free(cand);
		if (end == NULL)
			break;
		path = end + 1;
	}
	return NULL;
}

/* A command named with a '/': it must exist, be a file and executable. */
static int check_named_file(const char *name)
{
	struct stat st;
	const char *problem = NULL;
	int status = TG_EXIT_CANNOT_EXEC;
	if (stat(name, &st) < 0) {
		int err = errno;
		problem = strerror(err);
		if (err == ENOENT || err == ENOTDIR)
			status = TG_EXIT_NOT_FOUND;
	} else if (S_ISDIR(st.st_mode)) {
		problem = strerror(EISDIR);
	} else if (access(name, X_OK) < 0) {
		problem = strerror(errno);
	}
	if (problem == NULL)
		return 0;
	char *shown = tg_cli_printable(name);
	tg_cli_say("%s: %s", shown, problem);
	free(shown);
	return status;
}

int tg_command_resolve(const char *name, char **path)
{
	if (strchr(name, '/') != NULL) {
		int status = check_named_file(name);
		*path = status == 0 ? tg_cli_xstrdup(name) : NULL;
		return status;
	}
	char *denied;
	*path = search_path(name, &denied);
	if (*path != NULL) {
		free(denied);
		return 0;
	}
	int status = denied != NULL ? TG_EXIT_CANNOT_EXEC : TG_EXIT_NOT_FOUND;
	char *shown = tg_cli_printable(denied != NULL ? denied : name);
	if (denied != NULL)
		tg_cli_say("%s: %s", shown, strerror(EACCES));
	else
		tg_cli_say("%s: command not found", shown);
	free(shown);
	free(denied);
	return status;
}

/* ---- the pre-check: can the library reach the program? ------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

/* The program a script runs: its "#!" interpreter, or for "#!/usr/bin/env
 * NAME" the NAME that env finds in $PATH. malloc'ed; NULL if unknown. */
static char *script_program(const struct tg_elf_info *info)
{
	if (info->script_interp[0] == '\0')
		return NULL;
	const char *arg = info->script_arg;
	if (strcmp(base_name(info->script_interp), "env") != 0 ||
	    arg[0] == '\0' || arg[0] == '-' || strchr(arg, ' ') != NULL)
		return tg_cli_xstrdup(info->script_interp);
	if (strchr(arg, '/') != NULL)
		return tg_cli_xstrdup(arg);
	char *denied;
	char *found = search_path(arg, &denied);
	free(denied);
	return found;
}

/* Why the library cannot be interposed in this program, or NULL: the same
 * judgement as `tmpguard scan` (elf.c). */
static const char *unreachable_because(const struct tg_elf_info *info)
{
	return tg_elf_unreachable(info, tg_elf_host_machine());
}

/* The exec would be a secure execution (AT_SECURE: its effective ids
 * differ from our real ones), for which ld.so ignores an LD_PRELOAD path
 * with a '/' in it. */
static int runs_set_id(const struct tg_elf_info *info)
{
	return (info->setuid && info->owner != getuid()) ||
	       (info->setgid && info->group != getgid());
}

/* "warning: CMD ([interpreter ]FILE) WHAT: CONSEQUENCE" */
static void warn_about(const char *cmd, const char *file, int interp,
		       const char *what, const char *consequence)
{
	char *real = realpath(file, NULL); /* say which file, exactly */
	char *c = tg_cli_printable(cmd);
	char *f = tg_cli_printable(real != NULL ? real : file);
	free(real);
	tg_cli_say("warning: %s (%s%s) %s: %s", c, interp ? "interpreter " : "",
		   f, what, consequence);
	free(c);
	free(f);
}

int tg_command_supervised;

static void warn_unreachable(const char *cmd, const char *file, int interp,
			     const char *because)
{
	char what[128];
	snprintf(what, sizeof what, "is %s", because);
	warn_about(cmd, file, interp, what,
		   tg_command_supervised
			   ? "the library cannot be interposed there; only the "
			     "creations and path calls --supervise traps "
			     "are protected"
			   : "the library cannot be interposed there; its "
			     "temporary files are NOT protected");
}

/* Follows "#!" to the program that really runs; info then describes it
 * and *file names it (malloc'ed). Returns the depth, or -1 if lost. */
static int follow_scripts(char **file, struct tg_elf_info *info)
{
	int depth = 0;
	while (info->kind == TG_FILE_SCRIPT) {
		char *next = script_program(info);
		free(*file);
		*file = next;
		if (next == NULL || ++depth > TG_SCRIPT_DEPTH ||
		    tg_elf_inspect(next, info) < 0)
			return -1;
	}
	return depth;
}

/* The identity of file, for telling the same program under two names. */
static void identify(const char *file, struct tg_program_id *id)
{
	struct stat st;
	id->known = file != NULL && stat(file, &st) == 0;
	id->dev = id->known ? st.st_dev : 0;
	id->ino = id->known ? st.st_ino : 0;
}

int tg_command_precheck(const char *cmd, const char *path,
			struct tg_precheck *pc)
{
	int breaks = 0;
	struct tg_elf_info *info = tg_cli_xmalloc(sizeof *info);
	char *file = tg_cli_xstrdup(path);
	pc->warned = pc->partly = 0;
	pc->program.known = 0;
	if (tg_elf_inspect(file, info) == 0) {
		/* the kernel ignores set-id bits on scripts */
		int set_id = info->kind != TG_FILE_SCRIPT && runs_set_id(info);
		if (set_id)
			warn_unreachable(cmd, file, 0,
					 info->setuid ? "set-user-ID"
						      : "set-group-ID");
		int depth = follow_scripts(&file, info);
		const char *because = depth >= 0 ? unreachable_because(info)
						 : NULL;
		char how[TG_ELF_WHY_MAX];
		const char *bypass =
			depth >= 0 && !set_id && info->kind == TG_FILE_ELF_DYNAMIC
				? tg_elf_bypass(info, how, sizeof how)
				: NULL;
		if (because != NULL)
			warn_unreachable(cmd, file, depth > 0, because);
		else if (bypass != NULL)
			warn_about(cmd, file, depth > 0, bypass,
				   "the library does not see file operations "
				   "made that way; its temporary files are only "
				   "partly protected");
		breaks = depth >= 0 && info->libc == TG_LIBC_MUSL;
		pc->warned = set_id || because != NULL;
		pc->partly = !pc->warned && bypass != NULL;
		if (depth >= 0)
			identify(file, &pc->program);
	}
	free(file);
	free(info);
	return breaks;
}

/* ---- the programs the command's tree runs ---------------------------------- */

enum tg_verdict tg_command_judge(const char *path, struct tg_judged *j)
{
	struct tg_elf_info *info = tg_cli_xmalloc(sizeof *info);
	char *file = tg_cli_xstrdup(path);
	enum tg_verdict v = TG_VERDICT_PROTECTED;
	j->interpreter = NULL;
	j->why[0] = '\0';
	j->program.known = 0;
	if (tg_elf_inspect(file, info) < 0) {
		j->readable = 0;
		goto out;
	}
	j->readable = 1;
	uint16_t host = tg_elf_host_machine();
	const char *why = NULL;
	if (info->kind != TG_FILE_SCRIPT && runs_set_id(info)) {
		/* a secure execution: the library is not loaded at all */
		tg_elf_verdict(info, host, j->why, sizeof j->why, &why);
		v = TG_VERDICT_NOT;
		identify(file, &j->program);
		goto out;
	}
	int depth = follow_scripts(&file, info);
	if (depth < 0) /* the exec fails: nothing ran */
		goto out;
	identify(file, &j->program);
	if (depth > 0)
		j->interpreter = tg_cli_xstrdup(file);
	/* not run by another user: its set-id bits change nothing here */
	info->setuid = info->setgid = 0;
	switch (info->kind) {
	case TG_FILE_ELF_FOREIGN:
	case TG_FILE_ELF_STATIC:
	case TG_FILE_ELF_DYNAMIC:
		v = tg_elf_verdict(info, host, j->why, sizeof j->why, &why);
		break;
	default: /* ld.so run directly; a file a shell runs, or that fails */
		break;
	}
out:
	if (v != TG_VERDICT_PROTECTED && why != j->why)
		snprintf(j->why, sizeof j->why, "%s", why);
	free(file);
	free(info);
	return v;
}
