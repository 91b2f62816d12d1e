/* tmpguard report [--format=text|json|sarif] [--debug-dir=DIR...] LOG...:
 * aggregates the event lines the library wrote (text or JSON, as
 * docs/behaviour.md defines them; read by core/line.c, the library's own
 * code) by program, event, call site and path pattern (findings.c). This
 * file reads the logs and writes the text and JSON reports; sarif.c writes
 * SARIF; srcline.c names the call sites' functions and source lines. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/report.h"
#include "cli/srcline.h"
#include "cli/usage.h"
#include "cli/util.h"
#include "core/escape.h"
#include "core/event.h"
#include "core/line.h"

/* ---- reading ------------------------------------------------------------- */

static void parse_line(struct stats *st, const char *line,
		       struct tg_parsed_line *p)
{
	switch (tg_line_parse(line, p)) {
	case TG_LINE_EVENT:
		tg_report_add(st, p);
		break;
	case TG_LINE_MALFORMED:
		st->malformed++;
		break;
	default: /* program output, run's summary, blank lines: not events */
		st->other++;
		break;
	}
}

static int read_log(struct stats *st, const char *name,
		    struct tg_parsed_line *p)
{
	int is_stdin = strcmp(name, "-") == 0;
	FILE *in = is_stdin ? stdin : fopen(name, "re");
	if (in == NULL) {
		char *shown = tg_cli_printable(name);
		tg_cli_say("report: %s: %s", shown, strerror(errno));
		free(shown);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long before = st->malformed;
	while ((n = getline(&line, &cap, in)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (strlen(line) != (size_t)n) { /* a NUL inside */
			st->malformed++;
			continue;
		}
		parse_line(st, line, p);
	}
	int err = ferror(in) ? errno : 0;
	free(line);
	if (!is_stdin)
		fclose(in);
	char *shown = tg_cli_printable(name);
	if (err != 0) {
		tg_cli_say("report: %s: %s", shown, strerror(err));
		free(shown);
		return -1;
	}
	if (st->malformed > before)
		tg_cli_say("report: %s: %lu malformed line(s) skipped", shown,
			   st->malformed - before);
	free(shown);
	st->logs++;
	return 0;
}

/* ---- output -------------------------------------------------------------- */

void tg_report_put_json(const char *s)
{
	size_t n = tg_json_escape(s, NULL, 0);
	char *buf = tg_cli_xmalloc(n + 1);
	tg_json_escape(s, buf, n + 1);
	putchar('"');
	fputs(buf, stdout);
	putchar('"');
	free(buf);
}

static void put_text(const char *s)
{
	char *p = tg_cli_printable(s);
	fputs(p, stdout);
	free(p);
}

void tg_report_caller(const struct record *r, char *buf, size_t len)
{
	if (r->module[0] != '\0')
		snprintf(buf, len, "%s+0x%" PRIx64, r->module, r->offset);
	else
		snprintf(buf, len, "0x%" PRIx64, r->offset);
}

static void report_text(const struct stats *st, const struct finding *fs, size_t nf)
{
	printf("%zu events from %lu log(s); %zu distinct findings; "
	       "%lu malformed line(s), %lu other line(s) ignored\n",
	       st->n, st->logs, nf, st->malformed, st->other);
	if (st->n == 0)
		return;
	size_t nt;
	struct tally *t = tg_report_tally(st, 1, &nt);
	printf("\nBy program:\n");
	for (size_t i = 0; i < nt; i++) {
		printf("  %8lu  ", t[i].count);
		put_text(t[i].name);
		putchar('\n');
	}
	free(t);
	printf("\nBy event:\n");
	for (int k = 0; k < TG_EV_COUNT; k++) {
		unsigned long c = 0;
		for (size_t i = 0; i < st->n; i++)
			c += st->recs[i].kind == k;
		if (c > 0)
			printf("  %8lu  %s\n", c, tg_event_kind_name((enum tg_event_kind)k));
	}
	t = tg_report_tally(st, 0, &nt);
	printf("\nBy path pattern:\n");
	for (size_t i = 0; i < nt; i++) {
		printf("  %8lu  ", t[i].count);
		put_text(t[i].name);
		putchar('\n');
	}
	free(t);
	printf("\nFindings (program, event, call site, path pattern):\n");
	for (size_t i = 0; i < nf; i++) {
		const struct record *r = fs[i].r;
		char caller[PATH_MAX + 32];
		tg_report_caller(r, caller, sizeof caller);
		printf("  %8lu  %s  ", fs[i].count, tg_event_kind_name(r->kind));
		put_text(r->exe);
		printf("\n            %s(", r->func);
		put_text(r->pattern);
		printf(") %s, e.g. ", tg_report_strongest(&fs[i]));
		put_text(r->path);
		printf("\n            called from ");
		put_text(caller);
		struct tg_srcline sl;
		if (tg_srcline_find(r->module, r->offset, &sl) == 0) {
			if (sl.func[0] != '\0') {
				printf(" in ");
				put_text(sl.func);
			}
			if (sl.line > 0) {
				printf(" (");
				put_text(sl.file);
				printf(":%d)", sl.line);
			}
		}
		putchar('\n');
	}
}

static void report_json(const struct stats *st, const struct finding *fs, size_t nf)
{
	printf("{\"tool\":\"tmpguard\",\"version\":\"%s\",\"logs\":%lu,\"events\":%zu,"
	       "\"malformed_lines\":%lu,\"other_lines\":%lu,\"by_program\":{",
	       PACKAGE_VERSION, st->logs, st->n, st->malformed, st->other);
	size_t nt;
	struct tally *t = tg_report_tally(st, 1, &nt);
	for (size_t i = 0; i < nt; i++) {
		printf("%s", i ? "," : "");
		tg_report_put_json(t[i].name);
		printf(":%lu", t[i].count);
	}
	free(t);
	printf("},\"by_event\":{");
	int first = 1;
	for (int k = 0; k < TG_EV_COUNT; k++) {
		unsigned long c = 0;
		for (size_t i = 0; i < st->n; i++)
			c += st->recs[i].kind == k;
		if (c > 0) {
			printf("%s\"%s\":%lu", first ? "" : ",",
			       tg_event_kind_name((enum tg_event_kind)k), c);
			first = 0;
		}
	}
	printf("},\"by_pattern\":{");
	t = tg_report_tally(st, 0, &nt);
	for (size_t i = 0; i < nt; i++) {
		printf("%s", i ? "," : "");
		tg_report_put_json(t[i].name);
		printf(":%lu", t[i].count);
	}
	free(t);
	printf("},\"findings\":[");
	for (size_t i = 0; i < nf; i++) {
		const struct record *r = fs[i].r;
		char caller[PATH_MAX + 32];
		tg_report_caller(r, caller, sizeof caller);
		printf("%s{\"count\":%lu,\"event\":\"%s\",\"exe\":", i ? "," : "",
		       fs[i].count, tg_event_kind_name(r->kind));
		tg_report_put_json(r->exe);
		printf(",\"func\":");
		tg_report_put_json(r->func);
		printf(",\"pattern\":");
		tg_report_put_json(r->pattern);
		printf(",\"example\":");
		tg_report_put_json(r->path);
		printf(",\"caller\":");
		tg_report_put_json(caller);
		printf(",\"actions\":{");
		int f1 = 1;
		for (int a = 0; a < TG_ACT_COUNT; a++)
			if (fs[i].actions[a] > 0) {
				printf("%s\"%s\":%lu", f1 ? "" : ",",
				       tg_action_name((enum tg_action)a), fs[i].actions[a]);
				f1 = 0;
			}
		putchar('}');
		struct tg_srcline sl;
		if (tg_srcline_find(r->module, r->offset, &sl) == 0 &&
		    sl.func[0] != '\0') {
			printf(",\"function\":");
			tg_report_put_json(sl.func);
		}
		if (sl.line > 0) {
			printf(",\"source\":");
			tg_report_put_json(sl.file);
			printf(",\"line\":%d", sl.line);
		}
		putchar('}');
	}
	printf("]}\n");
}

/* Reads report's options into *format (0 text, 1 json, 2 sarif) and the
 * debug directories; *first is then the first LOG. 0, 1 after --help, -1
 * after a message on a usage error. */
static int parse_options(int argc, char **argv, int *format, int *first)
{
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char *value;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			tg_cli_usage("report", 0);
			return 1;
		}
		int r = tg_cli_option_value(argc, argv, &i, "debug-dir", &value);
		if (r < 0 || (r > 0 && tg_srcline_debug_dir(value) < 0))
			return -1;
		if (r > 0)
			continue;
		r = tg_cli_option_value(argc, argv, &i, "format", &value);
		if (r < 0)
			return -1;
		if (r > 0) {
			if (strcmp(value, "text") == 0)
				*format = 0;
			else if (strcmp(value, "json") == 0)
				*format = 1;
			else if (strcmp(value, "sarif") == 0)
				*format = 2;
			else {
				char *v = tg_cli_printable(value);
				tg_cli_say("report: --format must be text, json or sarif, not '%s'", v);
				free(v);
				return -1;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			char *v = tg_cli_printable(a);
			tg_cli_say("report: unknown option '%s' (try tmpguard report --help)", v);
			free(v);
			return -1;
		}
		break;
	}
	if (i >= argc) {
		tg_cli_say("report: no LOG given");
		tg_cli_usage("report", 1);
		return -1;
	}
	*first = i;
	return 0;
}

int tg_cli_report(int argc, char **argv)
{
	int format = 0, i = 1;
	int r = parse_options(argc, argv, &format, &i);
	if (r != 0) {
		tg_srcline_forget();
		return r > 0 ? TG_EXIT_OK : TG_EXIT_USAGE;
	}
	struct stats st = { 0 };
	int unreadable = 0;
	struct tg_parsed_line *parsed = tg_cli_xmalloc(sizeof *parsed);
	for (; i < argc; i++)
		if (read_log(&st, argv[i], parsed) < 0)
			unreadable = 1;
	free(parsed);
	size_t nf;
	struct finding *fs = tg_report_group(&st, &nf);
	if (format == 0)
		report_text(&st, fs, nf);
	else if (format == 1)
		report_json(&st, fs, nf);
	else
		tg_report_sarif(fs, nf);
	free(fs);
	tg_srcline_forget();
	tg_report_free(&st);
	if (fflush(stdout) != 0)
		return TG_EXIT_USAGE;
	return unreadable ? TG_EXIT_UNREADABLE : TG_EXIT_OK;
}
