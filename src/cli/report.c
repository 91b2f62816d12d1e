/* tmpguard report [--format=text|json|sarif] LOG...: aggregates the event
 * lines the library wrote (text or JSON, as docs/behaviour.md defines them)
 * by program, event, call site and path pattern. Event and action names
 * and JSON strings are decoded with the library's own code (src/core/event.c).
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

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <unistd.h>
#endif

#include "cli/cli.h"
#include "core/escape.h"
#include "core/event.h"

#define TG_FIELD_MAX 8192

struct record {
	char *exe, *func, *path, *pattern, *module, *detail, *mode;
	int kind, action;
	uint64_t offset;
};

struct finding {
	const struct record *r; /* the first of the group */
	unsigned long count;
	unsigned long actions[TG_ACT_COUNT];
};

struct stats {
	struct record *recs;
	size_t n, cap;
	unsigned long malformed, other, logs;
};

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

static char *fold_path(const char *path)
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

/* ---- parsing: JSON lines ------------------------------------------------- */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

/* A JSON string at s (at its quote) decoded into buf; returns the byte
 * after the closing quote, or NULL. Decoded NULs make it malformed. */
static const char *json_string(const char *s, char *buf, size_t len)
{
	if (*s != '"')
		return NULL;
	const char *start = ++s;
	while (*s && *s != '"') {
		if (*s == '\\' && s[1] != '\0')
			s++;
		s++;
	}
	if (*s != '"')
		return NULL;
	long n = tg_json_unescape(start, (size_t)(s - start), buf, len);
	if (n < 0 || strlen(buf) != (size_t)n)
		return NULL;
	return s + 1;
}

struct fields {
	char exe[TG_FIELD_MAX], event[64], func[64], path[TG_FIELD_MAX],
		action[64], caller[TG_FIELD_MAX], mode[32], detail[64];
	int has_exe, has_event, has_func, has_path, has_action, has_caller;
};

static char *field_slot(struct fields *f, const char *key, size_t *len)
{
#define SLOT(name)                                   \
	if (strcmp(key, #name) == 0) {               \
		*len = sizeof f->name;               \
		return f->name;                      \
	}
	SLOT(exe) SLOT(event) SLOT(func) SLOT(path) SLOT(action) SLOT(caller)
	SLOT(mode) SLOT(detail)
#undef SLOT
	return NULL;
}

static void mark_present(struct fields *f, const char *key)
{
	if (strcmp(key, "exe") == 0)
		f->has_exe = 1;
	else if (strcmp(key, "event") == 0)
		f->has_event = 1;
	else if (strcmp(key, "func") == 0)
		f->has_func = 1;
	else if (strcmp(key, "path") == 0)
		f->has_path = 1;
	else if (strcmp(key, "action") == 0)
		f->has_action = 1;
	else if (strcmp(key, "caller") == 0)
		f->has_caller = 1;
}

static int parse_json_line(const char *s, struct fields *f)
{
	char key[64];
	char *scratch = tg_cli_xmalloc(TG_FIELD_MAX);
	int ok = 0;
	s = skip_ws(s);
	if (*s++ != '{')
		goto out;
	s = skip_ws(s);
	if (*s == '}')
		goto out;
	for (;;) {
		s = json_string(skip_ws(s), key, sizeof key);
		if (s == NULL)
			goto out;
		s = skip_ws(s);
		if (*s++ != ':')
			goto out;
		s = skip_ws(s);
		if (*s == '"') {
			size_t len;
			char *slot = field_slot(f, key, &len);
			s = json_string(s, slot != NULL ? slot : scratch,
					slot != NULL ? len : TG_FIELD_MAX);
			if (s == NULL)
				goto out;
			if (slot != NULL)
				mark_present(f, key);
		} else if (*s == '-' || (*s >= '0' && *s <= '9')) {
			char *end;
			strtod(s, &end);
			if (end == s)
				goto out;
			s = end;
		} else if (strncmp(s, "true", 4) == 0 || strncmp(s, "null", 4) == 0) {
			s += 4;
		} else if (strncmp(s, "false", 5) == 0) {
			s += 5;
		} else {
			goto out;
		}
		s = skip_ws(s);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s++ != '}')
			goto out;
		s = skip_ws(s);
		ok = *s == '\0' || *s == '\n';
		break;
	}
out:
	free(scratch);
	return ok;
}

/* ---- parsing: text lines ------------------------------------------------- */

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The inverse of the library's text escaping (tg_text_escape) over
 * [s, end): \n \t \r \" \\ \xHH. 0, or -1 when malformed or too long. */
static int text_unescape(const char *s, const char *end, char *out, size_t len)
{
	size_t n = 0;
	while (s < end) {
		char c = *s++;
		if (c == '\\') {
			if (s >= end)
				return -1;
			char e = *s++;
			if (e == 'n')
				c = '\n';
			else if (e == 't')
				c = '\t';
			else if (e == 'r')
				c = '\r';
			else if (e == '"' || e == '\\')
				c = e;
			else if (e == 'x' && end - s >= 2 && hexdigit(s[0]) >= 0 &&
				 hexdigit(s[1]) >= 0) {
				c = (char)(hexdigit(s[0]) * 16 + hexdigit(s[1]));
				s += 2;
			} else
				return -1;
			if (c == '\0')
				return -1;
		}
		if (n + 1 >= len)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

/* " KEY=" in line after from; returns the value's start or NULL. */
static const char *find_key(const char *from, const char *key)
{
	char pat[32];
	snprintf(pat, sizeof pat, " %s=", key);
	const char *p = strstr(from, pat);
	return p != NULL ? p + strlen(pat) : NULL;
}

static int word_to(const char *v, char *out, size_t len)
{
	const char *end = v + strcspn(v, " \n");
	return text_unescape(v, end, out, len);
}

/* "tmpguard: TS EXE[PID] uid=N event=E action=A func=F path="P"
 * caller=MOD+0xOFF mode=M [errno=NAME(N)] [detail=D]" */
static int parse_text_line(const char *line, struct fields *f)
{
	const char *p = line + strlen("tmpguard: ");
	const char *sp = strchr(p, ' ');
	const char *uid = strstr(p, "] uid=");
	if (sp == NULL || uid == NULL || uid < sp)
		return 0;
	const char *bracket = uid;
	while (bracket > sp && *bracket != '[')
		bracket--;
	if (bracket <= sp + 1 || text_unescape(sp + 1, bracket, f->exe, sizeof f->exe) < 0)
		return 0;
	const char *v;
	if ((v = find_key(uid, "event")) == NULL || word_to(v, f->event, sizeof f->event) < 0)
		return 0;
	if ((v = find_key(uid, "action")) == NULL || word_to(v, f->action, sizeof f->action) < 0)
		return 0;
	if ((v = find_key(uid, "func")) == NULL || word_to(v, f->func, sizeof f->func) < 0)
		return 0;
	const char *path = find_key(uid, "path");
	if (path == NULL || *path != '"')
		return 0;
	const char *q = path + 1;
	while (*q && *q != '"') {
		if (*q == '\\' && q[1] != '\0')
			q++;
		q++;
	}
	if (*q != '"' || text_unescape(path + 1, q, f->path, sizeof f->path) < 0)
		return 0;
	const char *caller = find_key(q, "caller");
	const char *mode = caller != NULL ? strstr(caller, " mode=") : NULL;
	if (caller == NULL || mode == NULL ||
	    text_unescape(caller, mode, f->caller, sizeof f->caller) < 0)
		return 0;
	if (word_to(mode + strlen(" mode="), f->mode, sizeof f->mode) < 0)
		return 0;
	if ((v = find_key(mode, "detail")) != NULL &&
	    word_to(v, f->detail, sizeof f->detail) < 0)
		return 0;
	f->has_exe = f->has_event = f->has_func = f->has_path = 1;
	f->has_action = f->has_caller = 1;
	return 1;
}

/* ---- records ------------------------------------------------------------- */

/* "MODULE+0xOFF" or "0xOFF" (module unknown). */
static int split_caller(const char *caller, char **module, uint64_t *off)
{
	const char *plus = strrchr(caller, '+');
	const char *hex = plus != NULL ? plus + 1 : caller;
	if (strncmp(hex, "0x", 2) != 0 || hex[2] == '\0')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(hex + 2, &end, 16);
	if (errno != 0 || *end != '\0')
		return -1;
	*off = v;
	size_t n = plus != NULL ? (size_t)(plus - caller) : 0;
	*module = tg_cli_xmalloc(n + 1);
	memcpy(*module, caller, n);
	(*module)[n] = '\0';
	return 0;
}

static int add_record(struct stats *st, const struct fields *f)
{
	if (!(f->has_exe && f->has_event && f->has_func && f->has_path &&
	      f->has_action && f->has_caller))
		return 0;
	int kind = tg_event_kind_parse(f->event);
	int action = tg_action_parse(f->action);
	if (kind < 0 || action < 0)
		return 0;
	struct record r = { .kind = kind, .action = action };
	if (split_caller(f->caller, &r.module, &r.offset) < 0)
		return 0;
	r.exe = tg_cli_xstrdup(f->exe);
	r.func = tg_cli_xstrdup(f->func);
	r.path = tg_cli_xstrdup(f->path);
	r.pattern = fold_path(f->path);
	r.mode = tg_cli_xstrdup(f->mode);
	r.detail = tg_cli_xstrdup(f->detail);
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		struct record *bigger = realloc(st->recs, st->cap * sizeof *bigger);
		if (bigger == NULL) {
			tg_cli_say("out of memory");
			exit(TG_EXIT_USAGE);
		}
		st->recs = bigger;
	}
	st->recs[st->n++] = r;
	return 1;
}

static void parse_line(struct stats *st, const char *line)
{
	const char *s = skip_ws(line);
	struct fields *f = calloc(1, sizeof *f);
	if (f == NULL) {
		tg_cli_say("out of memory");
		exit(TG_EXIT_USAGE);
	}
	int ok;
	if (*s == '{') {
		ok = parse_json_line(s, f) && add_record(st, f);
	} else if (strncmp(line, "tmpguard: ", 10) == 0 &&
		   strlen(line) > 15 && line[10] >= '0' && line[10] <= '9' &&
		   line[13] >= '0' && line[13] <= '9' && line[14] == '-') {
		ok = parse_text_line(line, f) && add_record(st, f);
	} else {
		/* program output, run's summary, blank lines: not events */
		st->other++;
		ok = 1;
	}
	if (!ok)
		st->malformed++;
	free(f);
}

static int read_log(struct stats *st, const char *name)
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
		parse_line(st, line);
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

static struct finding *group(struct stats *st, size_t *nf)
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

/* Counts by one string: programs or patterns. */
struct tally {
	const char *name;
	unsigned long count;
};

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

static struct tally *tally_by(const struct stats *st, int by_exe, size_t *nt)
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

static const char *strongest_action(const struct finding *f)
{
	for (int a = TG_ACT_COUNT - 1; a >= 0; a--)
		if (f->actions[a] > 0)
			return tg_action_name((enum tg_action)a);
	return "";
}

/* ---- source lines -------------------------------------------------------- */

struct srcline {
	char file[PATH_MAX];
	int line;
};

#ifdef HAVE_LIBDW
/* Modules already opened, so that each one's DWARF is read once. */
#define TG_DW_CACHE 16
static struct dw_module {
	char *path;
	int fd;
	Dwarf *dw; /* NULL: no debug information */
} dw_cache[TG_DW_CACHE];
static size_t dw_cached, dw_next;

static Dwarf *dwarf_of(const char *module)
{
	for (size_t i = 0; i < dw_cached; i++)
		if (strcmp(dw_cache[i].path, module) == 0)
			return dw_cache[i].dw;
	struct dw_module *m = &dw_cache[dw_next];
	if (dw_cached == TG_DW_CACHE) { /* evict the oldest */
		if (m->dw != NULL)
			dwarf_end(m->dw);
		if (m->fd >= 0)
			close(m->fd);
		free(m->path);
	} else {
		dw_cached++;
	}
	dw_next = (dw_next + 1) % TG_DW_CACHE;
	m->path = tg_cli_xstrdup(module);
	m->fd = open(module, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	m->dw = m->fd >= 0 ? dwarf_begin(m->fd, DWARF_C_READ) : NULL;
	return m->dw;
}

static void dwarf_cache_free(void)
{
	for (size_t i = 0; i < dw_cached; i++) {
		if (dw_cache[i].dw != NULL)
			dwarf_end(dw_cache[i].dw);
		if (dw_cache[i].fd >= 0)
			close(dw_cache[i].fd);
		free(dw_cache[i].path);
	}
	dw_cached = dw_next = 0;
}
#else
static void dwarf_cache_free(void)
{
}
#endif

/* The source file and line of the call at offset in module (the return
 * address: the call is the instruction before it). 0 or -1. The offset is
 * the return address minus the module's load base, which is the link-time
 * address for PIE programs and shared objects, and the address itself for
 * fixed-address programs (load base 0): what DWARF line tables hold. */
static int source_line(const char *module, uint64_t offset, struct srcline *out)
{
#ifdef HAVE_LIBDW
	if (module[0] != '/' || offset == 0)
		return -1;
	Dwarf *dw = dwarf_of(module);
	if (dw == NULL)
		return -1;
	Dwarf_Die cu;
	Dwarf_Addr addr = offset - 1;
	if (dwarf_addrdie(dw, addr, &cu) == NULL)
		return -1;
	Dwarf_Line *l = dwarf_getsrc_die(&cu, addr);
	int lineno = 0;
	const char *src = l != NULL ? dwarf_linesrc(l, NULL, NULL) : NULL;
	if (src == NULL || dwarf_lineno(l, &lineno) != 0 || lineno <= 0)
		return -1;
	/* a relative name is relative to the compilation directory */
	Dwarf_Attribute attr;
	const char *dir = src[0] != '/'
				  ? dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attr))
				  : NULL;
	if (dir != NULL && dir[0] == '/')
		snprintf(out->file, sizeof out->file, "%s/%s", dir, src);
	else
		snprintf(out->file, sizeof out->file, "%s", src);
	out->line = lineno;
	return 0;
#else
	(void)module;
	(void)offset;
	(void)out;
	return -1;
#endif
}

/* ---- output -------------------------------------------------------------- */

static void put_json(const char *s)
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

static void caller_string(const struct record *r, char *buf, size_t len)
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
	struct tally *t = tally_by(st, 1, &nt);
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
	t = tally_by(st, 0, &nt);
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
		caller_string(r, caller, sizeof caller);
		printf("  %8lu  %s  ", fs[i].count, tg_event_kind_name(r->kind));
		put_text(r->exe);
		printf("\n            %s(", r->func);
		put_text(r->pattern);
		printf(") %s, e.g. ", strongest_action(&fs[i]));
		put_text(r->path);
		printf("\n            called from ");
		put_text(caller);
		struct srcline sl;
		if (source_line(r->module, r->offset, &sl) == 0) {
			printf(" (");
			put_text(sl.file);
			printf(":%d)", sl.line);
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
	struct tally *t = tally_by(st, 1, &nt);
	for (size_t i = 0; i < nt; i++) {
		printf("%s", i ? "," : "");
		put_json(t[i].name);
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
	t = tally_by(st, 0, &nt);
	for (size_t i = 0; i < nt; i++) {
		printf("%s", i ? "," : "");
		put_json(t[i].name);
		printf(":%lu", t[i].count);
	}
	free(t);
	printf("},\"findings\":[");
	for (size_t i = 0; i < nf; i++) {
		const struct record *r = fs[i].r;
		char caller[PATH_MAX + 32];
		caller_string(r, caller, sizeof caller);
		printf("%s{\"count\":%lu,\"event\":\"%s\",\"exe\":", i ? "," : "",
		       fs[i].count, tg_event_kind_name(r->kind));
		put_json(r->exe);
		printf(",\"func\":");
		put_json(r->func);
		printf(",\"pattern\":");
		put_json(r->pattern);
		printf(",\"example\":");
		put_json(r->path);
		printf(",\"caller\":");
		put_json(caller);
		printf(",\"actions\":{");
		int f1 = 1;
		for (int a = 0; a < TG_ACT_COUNT; a++)
			if (fs[i].actions[a] > 0) {
				printf("%s\"%s\":%lu", f1 ? "" : ",",
				       tg_action_name((enum tg_action)a), fs[i].actions[a]);
				f1 = 0;
			}
		putchar('}');
		struct srcline sl;
		if (source_line(r->module, r->offset, &sl) == 0) {
			printf(",\"source\":");
			put_json(sl.file);
			printf(",\"line\":%d", sl.line);
		}
		putchar('}');
	}
	printf("]}\n");
}

static const char *rule_text(int kind)
{
	switch (kind) {
	case TG_EV_UNSAFE_NAME:
		return "An unsafe temporary-name function (mktemp, tmpnam, tmpnam_r, tempnam) was called";
	case TG_EV_PREDICTABLE_CREATE:
		return "A file was created in a shared directory without O_EXCL (a predictable or reusable name)";
	case TG_EV_RACE_BLOCKED:
		return "A file that appeared between name generation and creation was refused";
	case TG_EV_HIJACK_BLOCKED:
		return "An attacker-controlled file (symbolic link, foreign owner, hard link) was refused";
	case TG_EV_HIJACK_DETECTED:
		return "The program opened an attacker-controlled file in a shared directory";
	default:
		return "An unsafe temporary-file call was rewritten to a safe one";
	}
}

/* A file:// URI for an absolute path (percent-encoding what RFC 3986 does
 * not allow in a path); a relative path is given as is. */
static void put_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(path);
	char *out = tg_cli_xmalloc(len * 3 + 8), *o = out;
	if (path[0] == '/') {
		memcpy(o, "file://", 7);
		o += 7;
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (is_alnum((char)*p) || strchr("/-._~+,;=@:!$&'()*", *p) != NULL) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	put_json(out);
	free(out);
}

static void report_sarif(const struct stats *st, const struct finding *fs, size_t nf)
{
	(void)st;
	printf("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
	       "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
	       "\"name\":\"tmpguard\",\"version\":\"%s\",\"semanticVersion\":\"%s\","
	       	       "\"rules\":[",
	       PACKAGE_VERSION, PACKAGE_VERSION);
	for (int k = 0; k < TG_EV_COUNT; k++) {
		const char *name = tg_event_kind_name((enum tg_event_kind)k);
		int error = k == TG_EV_HIJACK_BLOCKED || k == TG_EV_HIJACK_DETECTED ||
			    k == TG_EV_RACE_BLOCKED;
		printf("%s{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":",
		       k ? "," : "", name, name);
		put_json(rule_text(k));
		printf("},\"fullDescription\":{\"text\":");
		put_json(rule_text(k));
		printf("},\"defaultConfiguration\":{\"level\":\"%s\"}}",
		       error ? "error" : "warning");
	}
	printf("]}},\"columnKind\":\"utf16CodeUnits\",\"results\":[");
	for (size_t i = 0; i < nf; i++) {
		const struct record *r = fs[i].r;
		int error = r->kind == TG_EV_HIJACK_BLOCKED ||
			    r->kind == TG_EV_HIJACK_DETECTED ||
			    r->kind == TG_EV_RACE_BLOCKED;
		char caller[PATH_MAX + 32];
		caller_string(r, caller, sizeof caller);
		char *exe = tg_cli_printable(r->exe), *pat = tg_cli_printable(r->pattern);
		char *ex = tg_cli_printable(r->path), *cl = tg_cli_printable(caller);
		char *msg = NULL;
		if (asprintf(&msg, "%s: %s in %s on %s (e.g. %s), %s, %lu time%s, called from %s",
			     tg_event_kind_name(r->kind), r->func, exe, pat, ex,
			     strongest_action(&fs[i]), fs[i].count,
			     fs[i].count == 1 ? "" : "s", cl) < 0)
			msg = NULL;
		printf("%s{\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\","
		       "\"message\":{\"text\":",
		       i ? "," : "", tg_event_kind_name(r->kind), r->kind,
		       error ? "error" : "warning");
		put_json(msg != NULL ? msg : "");
		printf("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		struct srcline sl;
		int have_src = source_line(r->module, r->offset, &sl) == 0;
		const char *module = r->module[0] != '\0' ? r->module : r->exe;
		if (have_src) {
			put_uri(sl.file);
			printf("},\"region\":{\"startLine\":%d}", sl.line);
		} else {
			put_uri(module);
			printf("},\"address\":{\"relativeAddress\":%" PRIu64
			       ",\"kind\":\"instruction\",\"fullyQualifiedName\":",
			       r->offset);
			put_json(caller);
			putchar('}');
		}
		printf("},\"logicalLocations\":[{\"fullyQualifiedName\":");
		put_json(caller);
		printf(",\"kind\":\"function\"}]}],\"partialFingerprints\":{\"tmpguardFinding/v1\":");
		char fp[PATH_MAX * 2];
		snprintf(fp, sizeof fp, "%s|%s|%s|%s", tg_event_kind_name(r->kind),
			 r->exe, caller, r->pattern);
		put_json(fp);
		printf("},\"properties\":{\"count\":%lu,\"program\":", fs[i].count);
		put_json(r->exe);
		printf(",\"func\":");
		put_json(r->func);
		printf(",\"pathPattern\":");
		put_json(r->pattern);
		printf(",\"examplePath\":");
		put_json(r->path);
		printf(",\"action\":\"%s\"", strongest_action(&fs[i]));
		if (have_src) {
			printf(",\"module\":");
			put_json(caller);
		}
		printf("}}");
		free(msg);
		free(exe);
		free(pat);
		free(ex);
		free(cl);
	}
	printf("]}]}\n");
}

int tg_cli_report(int argc, char **argv)
{
	int format = 0; /* 0 text, 1 json, 2 sarif */
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
			return TG_EXIT_OK;
		}
		int r = tg_cli_option_value(argc, argv, &i, "format", &value);
		if (r < 0)
			return TG_EXIT_USAGE;
		if (r > 0) {
			if (strcmp(value, "text") == 0)
				format = 0;
			else if (strcmp(value, "json") == 0)
				format = 1;
			else if (strcmp(value, "sarif") == 0)
				format = 2;
			else {
				char *v = tg_cli_printable(value);
				tg_cli_say("report: --format must be text, json or sarif, not '%s'", v);
				free(v);
				return TG_EXIT_USAGE;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			char *v = tg_cli_printable(a);
			tg_cli_say("report: unknown option '%s' (try tmpguard report --help)", v);
			free(v);
			return TG_EXIT_USAGE;
		}
		break;
	}
	if (i >= argc) {
		tg_cli_say("report: no LOG given");
		tg_cli_usage("report", 1);
		return TG_EXIT_USAGE;
	}
	struct stats st = { 0 };
	int unreadable = 0;
	for (; i < argc; i++)
		if (read_log(&st, argv[i]) < 0)
			unreadable = 1;
	size_t nf;
	struct finding *fs = group(&st, &nf);
	if (format == 0)
		report_text(&st, fs, nf);
	else if (format == 1)
		report_json(&st, fs, nf);
	else
		report_sarif(&st, fs, nf);
	free(fs);
	dwarf_cache_free();
	for (size_t k = 0; k < st.n; k++) {
		struct record *r = &st.recs[k];
		free(r->exe), free(r->func), free(r->path), free(r->pattern);
		free(r->module), free(r->detail), free(r->mode);
	}
	free(st.recs);
	if (fflush(stdout) != 0)
		return TG_EXIT_USAGE;
	return unreadable ? TG_EXIT_UNREADABLE : TG_EXIT_OK;
}
