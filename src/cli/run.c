/* tmpguard run: check the command, run it with the library preloaded,
 * count what the library reports through the handshake socket, summarize.
 * This file holds the options and the session from preparing to the
 * summary; command.c finds and checks the command, child.c starts and
 * waits for it, tally.c counts the reports. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/child.h"
#include "cli/cli.h"
#include "cli/command.h"
#include "cli/libpath.h"
#include "cli/options.h"
#include "cli/settings.h"
#include "cli/supervise.h"
#include "cli/tally.h"
#include "cli/usage.h"
#include "cli/util.h"

struct run_options {
	struct tg_settings settings;
	int fail_on_violation;
	int quiet;
	int supervise;
	int supervise_all; /* --supervise-all: the filter on the whole tree */
};

/* What one run holds from preparing to the summary. */
struct session {
	struct handshake hs;
	struct signals sig;
	struct tally tally;
	pid_t child;
	struct supervision sv;
};

/* ---- options ------------------------------------------------------------- */

/* --fail-on-violation, --quiet, --supervise, --supervise-all: 1 when
 * argv[i] is one of them (recorded), 0 when not, -1 after a message. */
static int run_flag(struct run_options *o, char **argv, int i)
{
	int rc = tg_cli_option_flag(argv, i, "fail-on-violation");
	if (rc > 0)
		o->fail_on_violation = 1;
	if (rc != 0)
		return rc;
	rc = tg_cli_option_flag(argv, i, "supervise");
	if (rc > 0)
		o->supervise = 1;
	if (rc != 0)
		return rc;
	rc = tg_cli_option_flag(argv, i, "supervise-all");
	if (rc > 0)
		o->supervise = o->supervise_all = 1;
	if (rc != 0)
		return rc;
	rc = tg_cli_option_flag(argv, i, "quiet");
	if (rc > 0)
		o->quiet = 1;
	return rc;
}

/* Options stop at "--" or at the first argument that is not one. Sets
 * *first to the index of COMMAND and returns -1, or returns the exit
 * status when run must stop here. */
static int parse_run_options(int argc, char **argv, struct run_options *o,
			     int *first)
{
	int i;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break; /* the command */
		int rc = tg_settings_option(&o->settings, argc, argv, &i);
		if (rc == 0)
			rc = run_flag(o, argv, i);
		if (rc < 0)
			return TG_EXIT_USAGE;
		if (rc > 0)
			continue;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			tg_cli_usage("run", 0);
			return TG_EXIT_OK;
		}
		char *shown = tg_cli_printable(arg);
		tg_cli_say("run: unknown option '%s'", shown);
		free(shown);
		tg_cli_usage("run", 1);
		return TG_EXIT_USAGE;
	}
	if (i >= argc) {
		tg_cli_say("run: no command given");
		tg_cli_usage("run", 1);
		return TG_EXIT_USAGE;
	}
	*first = i;
	return -1;
}

/* ---- the environment of the command -------------------------------------- */

/* LD_PRELOAD as run found it, to give back to a program the library would
 * break. */
static char *original_preload;

static int export_environment(const struct run_options *o, const char *lib,
			      const struct handshake *hs)
{
	const struct tg_settings *s = &o->settings;
	const char *inherited = getenv("LD_PRELOAD");
	free(original_preload);
	original_preload = inherited ? tg_cli_xstrdup(inherited) : NULL;
	char *preload = tg_cli_join(lib, ':', inherited);
	char *dirs = s->dirs != NULL ? tg_cli_join(getenv("TMPGUARD_DIRS"), ':',
						   s->dirs)
				     : NULL;
	char *trust = s->trust != NULL ? tg_cli_join(getenv("TMPGUARD_TRUST"),
						     ',', s->trust)
				       : NULL;
	char *handshake = NULL;
	int rc = asprintf(&handshake, "%s@%s", hs->token, hs->name) < 0 ? -1 : 0;
	if (rc == 0)
		rc = setenv("LD_PRELOAD", preload, 1) |
		     setenv("TMPGUARD_HANDSHAKE", handshake, 1) |
		     (s->mode ? setenv("TMPGUARD_MODE", s->mode, 1) : 0) |
		     (s->format ? setenv("TMPGUARD_FORMAT", s->format, 1) : 0) |
		     (s->log ? setenv("TMPGUARD_LOG", s->log, 1) : 0) |
		     (dirs ? setenv("TMPGUARD_DIRS", dirs, 1) : 0) |
		     (trust ? setenv("TMPGUARD_TRUST", trust, 1) : 0) |
		     (s->file_mode ? setenv("TMPGUARD_FILE_MODE", s->file_mode, 1)
				   : 0);
	if (rc != 0)
		tg_cli_say("run: cannot set the environment: %s", strerror(errno));
	free(preload);
	free(dirs);
	free(trust);
	free(handshake);
	return rc;
}

/* ---- the summary --------------------------------------------------------- */

static int status_of(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return TG_EXIT_USAGE;
}

static const char *plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Prints the warning and summary lines; returns run's exit status.
 * unprotected: the programs the library cannot protect that ran (the
 * command, named by the pre-check, and those named here), which
 * --fail-on-violation counts; partly: those it protects only partly
 * (raw system calls: the compilers, perl and python on Debian import
 * syscall), named and counted in the summary, not failed for. */
static int summarize(const struct run_options *o, const char *cmd,
		     const struct tally *t, const struct tg_precheck *pc,
		     int command_status)
{
	unsigned long procs = t->processes.count;
	unsigned long unprotected = t->reach.unprotected + (pc->warned != 0);
	unsigned long partly = t->reach.partly + (pc->partly != 0);
	int failing = o->fail_on_violation && command_status == 0 &&
		      (t->violations > 0 || procs == 0 || unprotected > 0);
	if (procs == 0) {
		char *c = tg_cli_printable(cmd);
		tg_cli_say("warning: the library did not load in %s (0 processes "
			   "reported): it ran UNPROTECTED%s", c,
			   o->supervise ? " but for what --supervise traps" : "");
		free(c);
	}
	if (o->quiet && t->violations == 0 && procs > 0 && unprotected == 0 &&
	    partly == 0)
		return command_status;

	tg_reach_say(&t->reach);
	struct tg_effective eff;
	tg_settings_effective(&eff);
	char programs[160] = "";
	int n = 0;
	if (unprotected > 0)
		n = snprintf(programs, sizeof programs,
			     "; %lu %s the library cannot protect", unprotected,
			     plural(unprotected, "program", "programs"));
	if (partly > 0 && n >= 0 && (size_t)n < sizeof programs)
		snprintf(programs + n, sizeof programs - (size_t)n,
			 "; %lu %s it protects only partly", partly,
			 plural(partly, "program", "programs"));
	const char *why = !failing ? ""
			  : t->violations > 0
				  ? "; exit status 3 (--fail-on-violation): violations were recorded"
			  : procs == 0
				  ? "; exit status 3 (--fail-on-violation): the library did not load"
				  : "; exit status 3 (--fail-on-violation): programs the library cannot protect ran";
	tg_cli_say("%lu %s (%lu blocked) in %lu %s, mode %s; log: %s%s%s",
		   t->violations, plural(t->violations, "violation", "violations"),
		   t->blocked, procs, plural(procs, "process", "processes"),
		   eff.mode, eff.log, programs, why);
	free(eff.log);
	return failing ? TG_EXIT_VIOLATION : command_status;
}

/* ---- the subcommand ------------------------------------------------------ */

/* Everything before the fork that can fail with a usage-level status:
 * finding the command, the library, the log file and the socket. */
static int prepare(const struct run_options *o, const char *cmd,
		   char **path, struct session *ss)
{
	int rc = tg_command_resolve(cmd, path);
	if (rc != 0)
		return rc;
	char *lib = tg_cli_preload_path();
	if (lib == NULL || tg_settings_touch_log(&o->settings) < 0 ||
	    tg_handshake_open(&ss->hs) < 0) {
		free(lib);
		return TG_EXIT_USAGE;
	}
	rc = export_environment(o, lib, &ss->hs) < 0 ? TG_EXIT_USAGE : 0;
	free(lib);
	ss->sv.on = o->supervise;
	ss->sv.quiet = o->quiet;
	if (rc == 0 && o->supervise)
		rc = tg_supervise_prepare(&ss->sv);
	return rc;
}

/* The library covers the command (scan's verdict "protected"): under
 * --supervise it then runs without the filter, which the library puts
 * where it cannot follow. */
static int command_protected(const char *path)
{
	struct tg_judged j;
	int protected = tg_command_judge(path, &j) == TG_VERDICT_PROTECTED &&
			j.readable;
	free(j.interpreter);
	return protected;
}

/* From the fork to the summary; returns run's exit status. */
static int supervise(const struct run_options *o, char **command,
		     const char *path, struct session *ss)
{
	tg_command_supervised = ss->sv.on;
	struct tg_precheck pc;
	if (tg_command_precheck(command[0], path, &pc)) {
		tg_cli_say("not preloading the library: musl's loader would "
			   "refuse it and stop the program");
		if (original_preload != NULL)
			setenv("LD_PRELOAD", original_preload, 1);
		else
			unsetenv("LD_PRELOAD");
	}
	ss->tally.reach.warned = pc.program;
	ss->sv.child_filter = ss->sv.on && (o->supervise_all ||
					    !command_protected(path));
	tg_signals_take(&ss->sig);
	ss->child = tg_child_start(path, command, &ss->sig,
				   ss->sv.child_filter ? &ss->sv : NULL);
	if (ss->child < 0)
		return -ss->child;
	if (ss->sv.on && tg_supervise_start(&ss->sv, &ss->hs) < 0) {
		kill(ss->child, SIGKILL);
		while (waitpid(ss->child, NULL, 0) < 0 && errno == EINTR)
			;
		return TG_EXIT_USAGE;
	}
	int status = tg_child_wait(ss->child, &ss->sig, &ss->hs, &ss->tally);
	tg_child_drain_reports(&ss->sig, &ss->hs, &ss->tally);
	if (ss->sv.on)
		tg_supervise_stop(&ss->sv);
	return summarize(o, command[0], &ss->tally, &pc,
			 status == -1 ? TG_EXIT_USAGE : status_of(status));
}

static int run_command(const struct run_options *o, char **command)
{
	struct session ss = { .hs = { .fd = -1, .listeners_to = -1 },
			      .sig = { .fd = -1 },
			      .sv = { .sock = { -1, -1 },
				      .stop = { -1, -1 } } };
	char *path = NULL;
	int rc = prepare(o, command[0], &path, &ss);
	if (rc == 0)
		rc = supervise(o, command, path, &ss);
	if (ss.sv.on)
		tg_supervise_stop(&ss.sv);
	if (ss.hs.fd >= 0)
		close(ss.hs.fd);
	if (ss.sig.fd >= 0)
		close(ss.sig.fd);
	free(ss.tally.processes.slots);
	tg_reach_free(&ss.tally.reach);
	free(path);
	return rc;
}

int tg_cli_run(int argc, char **argv)
{
	struct run_options o = { 0 };
	int first = 0;
	int rc = parse_run_options(argc, argv, &o, &first);
	if (rc < 0)
		rc = run_command(&o, argv + first);
	tg_settings_release(&o.settings);
	return rc;
}
