/* tmpguard — the constructor. It only greets `tmpguard run` when that is
 * listening: binding, configuration and everything else wait for first use,
 * so a process that never creates a temporary file pays almost nothing. */
#include <config.h>

#include <stdlib.h>

#include "lib/log/emit.h"

/* Is e "TMPGUARD_HANDSHAKE=..."? Out of line: few variables get here. */
static const char tg_handshake_var[] = "TMPGUARD_HANDSHAKE=";

__attribute__((noinline, cold)) static int tg_env_is_handshake(const char *e)
{
	for (size_t i = 0; i < sizeof tg_handshake_var - 1; i++)
		if (e[i] != tg_handshake_var[i])
			return 0;
	return 1;
}

/* glibc passes (argc, argv, envp) to ELF constructors: scanning envp here
 * costs no lazy binding of getenv, which every process would pay. This
 * runs in every process, once per variable: a load and a compare of the
 * first byte, two variables a turn, the rest out of line. */
static const char *tg_env_handshake(char **envp)
{
	if (envp == NULL)
		return NULL;
	for (;; envp += 2) {
		const char *e = envp[0];
		if (e == NULL)
			return NULL;
		if (e[0] == 'T' && tg_env_is_handshake(e))
			return e + sizeof tg_handshake_var - 1;
		e = envp[1];
		if (e == NULL)
			return NULL;
		if (e[0] == 'T' && tg_env_is_handshake(e))
			return e + sizeof tg_handshake_var - 1;
	}
}

__attribute__((constructor)) static void tg_init(int argc, char **argv,
						 char **envp)
{
	(void)argc;
	(void)argv;
	const char *handshake = tg_env_handshake(envp);
	if (handshake != NULL)
		tg_emit_hello(handshake);
}
