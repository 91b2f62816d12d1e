/* tmpguard — the constructor. It only greets `tmpguard run` when that is
 * listening: binding, configuration and everything else wait for first use,
 * so a process that never creates a temporary file pays almost nothing. */
#include "config.h"

#include <stdlib.h>

#include "tg_emit.h"

/* glibc passes (argc, argv, envp) to ELF constructors: scanning envp here
 * costs no lazy binding of getenv, which every process would pay. */
static int tg_env_has(char **envp, const char *name)
{
	for (; envp != NULL && *envp != NULL; envp++) {
		const char *e = *envp, *n = name;
		if (*e != *n) /* most variables end here */
			continue;
		while (*n != '\0' && *e == *n)
			e++, n++;
		if (*n == '\0' && *e == '=')
			return 1;
	}
	return 0;
}

__attribute__((constructor)) static void tg_init(int argc, char **argv,
						 char **envp)
{
	(void)argc;
	(void)argv;
	if (tg_env_has(envp, "TMPGUARD_HANDSHAKE"))
		tg_emit_hello();
}
