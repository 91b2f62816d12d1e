/* tmpguard — matching the command's long options. */
#include <config.h>

#include <string.h>

#include "cli/options.h"
#include "cli/util.h"

/* "--NAME" or "--NAME=...": returns what follows NAME, or NULL. */
static const char *option_rest(const char *arg, const char *name)
{
	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	size_t n = strlen(name);
	if (strncmp(arg + 2, name, n) != 0)
		return NULL;
	const char *rest = arg + 2 + n;
	return rest[0] == '\0' || rest[0] == '=' ? rest : NULL;
}

int tg_cli_option_value(int argc, char **argv, int *i, const char *name,
			const char **value)
{
	const char *rest = option_rest(argv[*i], name);
	if (rest == NULL)
		return 0;
	if (rest[0] == '=') {
		*value = rest + 1;
		return 1;
	}
	if (*i + 1 >= argc) {
		tg_cli_say("option --%s needs a value", name);
		return -1;
	}
	*i += 1;
	*value = argv[*i];
	return 1;
}

int tg_cli_option_flag(char **argv, int i, const char *name)
{
	const char *rest = option_rest(argv[i], name);
	if (rest == NULL)
		return 0;
	if (rest[0] == '=') {
		tg_cli_say("option --%s takes no value", name);
		return -1;
	}
	return 1;
}
