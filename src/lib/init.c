/* tmpguard — the constructor. It only greets `tmpguard run` when that is
 * listening (and, under run --supervise, sets up the filter the library
 * installs where it cannot follow: lib/guard/filter.h): binding,
 * configuration and everything else wait for first use, so a process that
 * never creates a temporary file pays almost nothing. */
#include <config.h>

#include <stdlib.h>

#include "lib/guard/filter.h"
#include "lib/log/emit.h"

static const char tg_handshake_var[] = "TMPGUARD_HANDSHAKE=";
static const char tg_filter_var[] = "TMPGUARD_SUPERVISE_FILTER=";

/* The value of e when it is "NAME=...", else NULL. */
static const char *tg_env_value(const char *e, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (e[i] != name[i])
			return NULL;
	return e + len;
}

/* Is e one of ours? Out of line: few variables get here. */
__attribute__((noinline, cold)) static void
tg_env_take(const char *e, const char **handshake, const char **filter)
{
	const char *v = tg_env_value(e, tg_handshake_var,
				     sizeof tg_handshake_var - 1);
	if (v != NULL && *handshake == NULL)
		*handshake = v;
	v = tg_env_value(e, tg_filter_var, sizeof tg_filter_var - 1);
	if (v != NULL && *filter == NULL)
		*filter = v;
}

/* glibc passes (argc, argv, envp) to ELF constructors: scanning envp here
 * costs no lazy binding of getenv, which every process would pay. This
 * runs in every process, once per variable: a load and a compare of the
 * first byte, two variables a turn, the rest out of line. */
static void tg_env_scan(char **envp, const char **handshake,
			const char **filter)
{
	if (envp == NULL)
		return;
	for (;; envp += 2) {
		const char *e = envp[0];
		if (e == NULL)
			return;
		if (e[0] == 'T')
			tg_env_take(e, handshake, filter);
		e = envp[1];
		if (e == NULL)
			return;
		if (e[0] == 'T')
			tg_env_take(e, handshake, filter);
	}
}

__attribute__((constructor)) static void tg_init(int argc, char **argv,
						 char **envp)
{
	(void)argc;
	(void)argv;
	const char *handshake = NULL, *filter = NULL;
	tg_env_scan(envp, &handshake, &filter);
	if (handshake == NULL)
		return;
	tg_emit_hello(handshake);
	if (filter != NULL && tg_run_is_listening())
		tg_filter_setup(filter, envp);
}
