/* libFuzzer target: the log parser of `tmpguard report` (src/cli/report.c,
 * included here so that its static parse_line and group are reachable).
 * Each input line is parsed as `report` would read it; then the records are
 * grouped and freed. The report writers are not run (they open the modules
 * named in the input to read their DWARF). */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>

#include "../src/cli/report.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The command's helpers (cli/util.c, options.c, usage.c are not linked
 * in): minimal stand-ins. */
void tg_cli_say(const char *fmt, ...)
{
	(void)fmt;
}
char *tg_cli_printable(const char *s)
{
	return tg_cli_xstrdup(s);
}
void tg_cli_usage(const char *subcommand, int to_stderr)
{
	(void)subcommand, (void)to_stderr;
}
void *tg_cli_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}
char *tg_cli_xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}
int tg_cli_option_value(int argc, char **argv, int *i, const char *name,
			const char **value)
{
	(void)argc, (void)argv, (void)i, (void)name, (void)value;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stats st = { 0 };
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *line = buf, *end = buf + size;
	while (line <= end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (nl)
			*nl = '\0';
		if (strlen(line) == (size_t)((nl ? nl : end) - line))
			parse_line(&st, line);
		if (!nl)
			break;
		line = nl + 1;
	}
	/* group() with no record passes NULL to qsort (undefined behaviour,
	 * reported to the report's author); only records are grouped here. */
	if (st.n > 0) {
		size_t nf = 0;
		struct finding *fs = group(&st, &nf);
		free(fs);
	}
	for (size_t i = 0; i < st.n; i++) {
		struct record *r = &st.recs[i];
		free(r->exe), free(r->func), free(r->path), free(r->pattern);
		free(r->module), free(r->detail), free(r->mode);
	}
	free(st.recs);
	free(buf);
	return 0;
}
