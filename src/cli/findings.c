/* tmpguard report — the records read from the logs and their grouping
 * into findings: by program, event, call site, function and path pattern.
 *
 * Path patterns (also in tmpguard(1)): each maximal run R of [A-Za-z0-9] in
 * the path is rewritten on its own:
 *   1. R is all digits: "#";
 *   2. R has 6 or more characters and either an uppercase letter together
 *      with a lowercase letter or a digit, or a digit followed (anywhere
 *      later) by a letter: "*" (the random part of mkstemp/mktemp names);
 *   3. otherwise each run of digits in R becomes "#".
 * So /tmp/cob1234_0.c -> /tmp/cob#_#.c, /tmp/tmp.Xa9bQz -> /tmp/tmp.*. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "cli/util.h"

/* ---- path patterns ------------------------------------------------------- */

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static void fold_run(const char *r, size_t len, char **out)
{
	int lower = 0, upper = 0, digit = 0, letter_after_digit = 0;
	for (size_t i = 0; i < len; i++) {
		char c = r[i];
		if (c >= '0' && c <= '9')
			digit = 1;
		else {
			if (c >= 'a' && c <= 'z')
				lower = 1;
			else
				upper = 1;
			if (digit)
				letter_after_digit = 1;
		}
	}
	if (!lower && !upper) {
		*(*out)++ = '#';
		return;
	}
	if (len >= 6 && ((upper && (lower || digit)) || letter_after_digit)) {
		*(*out)++ = '*';
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (r[i] >= '0' && r[i] <= '9') {
			*(*out)++ = '#';
			while (i + 1 < len && r[i + 1] >= '0' && r[i + 1] <= '9')
				i++;
		} else {
			*(*out)++ = r[i];
		}
	}
}

char *tg_report_pattern(const char *path)
{
	char *out = tg_cli_xmalloc(strlen(path) + 1), *o = out;
	for (const char *p = path; *p;) {
		if (!is_alnum(*p)) {
			*o++ = *p++;
			continue;
		}
		size_t len = 0;
		while (is_alnum(p[len]))
			len++;
		fold_run(p, len, &o);
		p += len;
	}
	*o = '\0';
	return out;
}

/* ---- records ------------------------------------------------------------- */

void tg_report_add(struct stats *st, const struct tg_parsed_line *p)
{
	struct record r = {
		.exe = tg_cli_xstrdup(p->ev.exe),
		.func = tg_cli_xstrdup(p->ev.func),
		.path = tg_cli_xstrdup(p->ev.path),
		.pattern = tg_report_pattern(p->ev.path),
		.module = tg_cli_xstrdup(p->ev.caller_module),
		.kind = p->ev.kind,
		.action = p->ev.action,
		.offset = p->ev.caller_offset,
	};
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->recs = tg_cli_xrealloc(st->recs, st->cap * sizeof *st->recs);
	}
	st->recs[st->n++] = r;
}

void tg_report_free(struct stats *st)
{
	for (size_t k = 0; k < st->n; k++) {
		struct record *r = &st->recs[k];
		free(r->exe), free(r->func), free(r->path), free(r->pattern);
		free(r->module);
	}
	free(st->recs);
	st->recs = NULL;
	st->n = st->cap = 0;
}

/* ---- aggregation --------------------------------------------------------- */

static int cmp_finding_key(const struct record *a, const struct record *b)
{
	int c;
	if ((c = a->kind - b->kind) != 0)
		return c;
	if ((c = strcmp(a->exe, b->exe)) != 0)
		return c;
	if ((c = strcmp(a->module, b->module)) != 0)
		return c;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	if ((c = strcmp(a->func, b->func)) != 0)
		return c;
	return strcmp(a->pattern, b->pattern);
}

static int cmp_rec(const void *a, const void *b)
{
	return cmp_finding_key(a, b);
}

static int cmp_finding_count(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return cmp_finding_key(x->r, y->r);
}

struct finding *tg_report_group(struct stats *st, size_t *nf)
{
	if (st->n > 0) /* qsort(NULL, 0, ...) is undefined */
		qsort(st->recs, st->n, sizeof *st->recs, cmp_rec);
	struct finding *fs = tg_cli_xmalloc(sizeof *fs * (st->n + 1));
	size_t k = 0;
	for (size_t i = 0; i < st->n; i++) {
		if (k == 0 || cmp_finding_key(fs[k - 1].r, &st->recs[i]) != 0) {
			memset(&fs[k], 0, sizeof fs[k]);
			fs[k++].r = &st->recs[i];
		}
		fs[k - 1].count++;
		fs[k - 1].actions[st->recs[i].action]++;
	}
	qsort(fs, k, sizeof *fs, cmp_finding_count);
	*nf = k;
	return fs;
}

static int cmp_tally(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct tally *tg_report_tally(const struct stats *st, int by_exe, size_t *nt)
{
	const char **names = tg_cli_xmalloc(sizeof *names * (st->n + 1));
	for (size_t i = 0; i < st->n; i++)
		names[i] = by_exe ? st->recs[i].exe : st->recs[i].pattern;
	qsort(names, st->n, sizeof *names, cmp_str);
	struct tally *t = tg_cli_xmalloc(sizeof *t * (st->n + 1));
	size_t k = 0;
	for (size_t i = 0; i < st->n; i++) {
		if (k == 0 || strcmp(t[k - 1].name, names[i]) != 0) {
			t[k].name = names[i];
			t[k++].count = 0;
		}
		t[k - 1].count++;
	}
	free(names);
	qsort(t, k, sizeof *t, cmp_tally);
	*nt = k;
	return t;
}

const char *tg_report_strongest(const struct finding *f)
{
	for (int a = TG_ACT_COUNT - 1; a >= 0; a--)
		if (f->actions[a] > 0)
			return tg_action_name((enum tg_action)a);
	return "";
}
