/* tmpguard — an event as a text or JSON line, and back. Formatting makes no
 * system call and never allocates: usable from a signal handler. Reading
 * allocates nothing either, and uses no libc function the library does not
 * import already (the library carries this code too). */
#include <config.h>

#include <string.h>

#include "core/escape.h"
#include "core/line.h"
#include "core/out.h"
#include "core/timestamp.h"

/* ---- formatting ---------------------------------------------------------- */

enum tg_caller_form { TG_CALLER_RAW, TG_CALLER_JSON, TG_CALLER_TEXT };

/* s escaped, or the program's name escaped beforehand when s is it */
static inline void out_escaped(struct tg_out *o, const struct tg_event *ev,
			       const char *s,
			       void (*escape)(struct tg_out *, const char *))
{
	if (ev->exe_escaped != NULL && s == ev->exe)
		tg_out_n(o, ev->exe_escaped, ev->exe_escaped_len);
	else
		escape(o, s);
}

static void out_caller(struct tg_out *o, const struct tg_event *ev,
		       enum tg_caller_form form)
{
	if (ev->caller_module != NULL && ev->caller_module[0] != '\0') {
		if (form == TG_CALLER_JSON)
			out_escaped(o, ev, ev->caller_module, tg_out_json_str);
		else if (form == TG_CALLER_TEXT)
			out_escaped(o, ev, ev->caller_module, tg_out_text_str);
		else
			tg_out_s(o, ev->caller_module);
		tg_out_c(o, '+');
	}
	tg_out_lit(o, "0x");
	tg_out_uhex(o, (uint64_t)ev->caller_offset);
}

size_t tg_event_caller(const struct tg_event *ev, char *out, size_t out_len)
{
	struct tg_out o = TG_OUT_INIT(out, out_len);
	out_caller(&o, ev, TG_CALLER_RAW);
	return tg_out_end(&o);
}

static void out_json_field(struct tg_out *o, const char *key, const char *val)
{
	tg_out_lit(o, ",\"");
	tg_out_s(o, key);
	tg_out_lit(o, "\":\"");
	tg_out_json_str(o, val);
	tg_out_c(o, '"');
}

static void format_json(struct tg_out *o, const struct tg_event *ev)
{
	tg_out_lit(o, "{\"ts\":\"");
	tg_out_time(o, &ev->ts);
	tg_out_lit(o, "\",\"pid\":");
	tg_out_i64(o, (int64_t)ev->pid);
	tg_out_lit(o, ",\"uid\":");
	tg_out_u64(o, (uint64_t)ev->uid);
	tg_out_lit(o, ",\"exe\":\"");
	out_escaped(o, ev, ev->exe, tg_out_json_str);
	tg_out_c(o, '"');
	out_json_field(o, "event", tg_event_kind_name(ev->kind));
	out_json_field(o, "func", ev->func);
	out_json_field(o, "path", ev->path);
	out_json_field(o, "action", tg_action_name(ev->action));
	tg_out_lit(o, ",\"caller\":\"");
	out_caller(o, ev, TG_CALLER_JSON);
	tg_out_c(o, '"');
	out_json_field(o, "mode", tg_mode_name(ev->mode));
	if (ev->action == TG_ACT_BLOCKED) {
		/* an errno without a name gives "error":"" */
		const char *name = tg_errno_name(ev->err);
		tg_out_lit(o, ",\"errno\":");
		tg_out_i64(o, ev->err);
		out_json_field(o, "error", name != NULL ? name : "");
	}
	if (ev->detail != NULL && ev->detail[0] != '\0')
		out_json_field(o, "detail", ev->detail);
	tg_out_lit(o, "}\n");
}

static void format_text(struct tg_out *o, const struct tg_event *ev)
{
	tg_out_lit(o, "tmpguard: ");
	tg_out_time(o, &ev->ts);
	tg_out_c(o, ' ');
	out_escaped(o, ev, ev->exe, tg_out_text_str);
	tg_out_c(o, '[');
	tg_out_i64(o, (int64_t)ev->pid);
	tg_out_lit(o, "] uid=");
	tg_out_u64(o, (uint64_t)ev->uid);
	tg_out_lit(o, " event=");
	tg_out_s(o, tg_event_kind_name(ev->kind));
	tg_out_lit(o, " action=");
	tg_out_s(o, tg_action_name(ev->action));
	tg_out_lit(o, " func=");
	tg_out_text_str(o, ev->func);
	tg_out_lit(o, " path=\"");
	tg_out_text_str(o, ev->path);
	tg_out_lit(o, "\" caller=");
	out_caller(o, ev, TG_CALLER_TEXT);
	tg_out_lit(o, " mode=");
	tg_out_s(o, tg_mode_name(ev->mode));
	if (ev->action == TG_ACT_BLOCKED) {
		/* an errno without a name gives errno=E?(N) */
		const char *name = tg_errno_name(ev->err);
		tg_out_lit(o, " errno=");
		tg_out_s(o, name != NULL ? name : "E?");
		tg_out_c(o, '(');
		tg_out_i64(o, ev->err);
		tg_out_c(o, ')');
	}
	if (ev->detail != NULL && ev->detail[0] != '\0') {
		tg_out_lit(o, " detail=");
		tg_out_text_str(o, ev->detail);
	}
	tg_out_c(o, '\n');
}

size_t tg_event_format(const struct tg_event *ev, enum tg_format fmt,
		       char *buf, size_t len)
{
	struct tg_out o = TG_OUT_INIT(buf, len);
	if (fmt == TG_FORMAT_JSON)
		format_json(&o, ev);
	else
		format_text(&o, ev);
	return tg_out_end(&o);
}

/* ---- reading: small helpers ---------------------------------------------- */

/* Written here rather than taken from libc (strstr, strtod, strtoull ...):
 * the library carries this file, and each libc function it imports costs
 * every process at start-up. C locale, as the command runs. */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_xdigit(char c)
{
	return tg_hex_value(c) >= 0;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* s starts with lit (lowercase), letters of either case */
static int starts_ci(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (lower(*s) != *lit)
			return 0;
	return 1;
}

static int starts(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (*s != *lit)
			return 0;
	return 1;
}

/* the first occurrence of pat in s, or NULL (strstr) */
static const char *find(const char *s, const char *pat)
{
	for (; *s; s++)
		if (starts(s, pat))
			return s;
	return NULL;
}

/* just after the first occurrence of pat in s, or NULL */
static const char *after(const char *s, const char *pat)
{
	s = find(s, pat);
	return s != NULL ? s + strlen(pat) : NULL;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

/* Where strtod would stop reading s: s itself when no number starts it.
 * A JSON value is skipped that far, as `report` always did. */
static const char *number_end(const char *s)
{
	const char *p = s;
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		p++;
	if (starts_ci(p, "inf"))
		return p + (starts_ci(p + 3, "inity") ? 8 : 3);
	if (starts_ci(p, "nan")) {
		const char *q = p + 3;
		if (*q == '(') {
			do
				q++;
			while (is_digit(*q) || (lower(*q) >= 'a' && lower(*q) <= 'z') ||
			       *q == '_');
			if (*q == ')')
				return q + 1;
		}
		return p + 3;
	}
	int hex = p[0] == '0' && lower(p[1]) == 'x' &&
		  (is_xdigit(p[2]) || (p[2] == '.' && is_xdigit(p[3])));
	int (*digit)(char) = hex ? is_xdigit : is_digit;
	if (hex)
		p += 2;
	size_t n = 0;
	for (; digit(*p); p++)
		n++;
	if (*p == '.') {
		const char *q = p + 1;
		for (; digit(*q); q++)
			n++;
		if (n > 0)
			p = q;
	}
	if (n == 0)
		return s;
	if (lower(*p) == (hex ? 'p' : 'e')) {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (is_digit(*q)) {
			while (is_digit(*q))
				q++;
			p = q;
		}
	}
	return p;
}

/* [-]DIGITS spanning [s, end) exactly, within 64 bits; 0 or -1 */
static int decimal(const char *s, const char *end, int64_t *v)
{
	if (s == NULL || end == NULL || end < s)
		return -1;
	int neg = s < end && *s == '-';
	s += neg;
	if (s == end || end - s > 18)
		return -1;
	int64_t x = 0;
	for (; s < end; s++) {
		if (!is_digit(*s))
			return -1;
		x = x * 10 + (*s - '0');
	}
	*v = neg ? -x : x;
	return 0;
}

/* strtoull(s, &end, 16) that reads all of s without overflow (spaces, a
 * sign, a 0x; a minus negates); 0 or -1 */
static int hex_u64(const char *s, uint64_t *v)
{
	while (is_space(*s))
		s++;
	int neg = *s == '-';
	if (*s == '+' || *s == '-')
		s++;
	if (s[0] == '0' && lower(s[1]) == 'x')
		s += 2;
	uint64_t x = 0;
	size_t n = 0;
	int over = 0;
	for (; is_xdigit(*s); s++, n++) {
		over |= x >> 60 != 0;
		x = x << 4 | (uint64_t)tg_hex_value(*s);
	}
	if (n == 0 || *s != '\0' || over)
		return -1;
	*v = neg ? (uint64_t)0 - x : x;
	return 0;
}

/* ---- reading JSON lines -------------------------------------------------- */

/* The fields a line must have. */
enum {
	SEEN_EXE = 1,
	SEEN_EVENT = 2,
	SEEN_FUNC = 4,
	SEEN_PATH = 8,
	SEEN_ACTION = 16,
	SEEN_CALLER = 32,
	SEEN_ALL = 63
};

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

/* The buffer a string value of key goes to; NULL for scratch. */
static char *field_slot(struct tg_parsed_line *p, const char *key, size_t *len,
			unsigned *seen)
{
#define SLOT(name, bit)                              \
	if (strcmp(key, #name) == 0) {               \
		*len = sizeof p->name;               \
		*seen = bit;                         \
		return p->name;                      \
	}
	SLOT(exe, SEEN_EXE) SLOT(event, SEEN_EVENT) SLOT(func, SEEN_FUNC)
	SLOT(path, SEEN_PATH) SLOT(action, SEEN_ACTION) SLOT(caller, SEEN_CALLER)
	SLOT(mode, 0) SLOT(detail, 0)
#undef SLOT
	return NULL;
}

static void json_other(struct tg_parsed_line *p, const char *key)
{
	if (strcmp(key, "ts") != 0)
		return;
	if (tg_parse_time(p->scratch, strlen(p->scratch), &p->ev.ts) == 0)
		p->has |= TG_LINE_HAS_TS;
	else
		p->has &= ~TG_LINE_HAS_TS;
}

/* [-]DIGITS in [s, end) as the number of a field a line may carry */
static void set_number(struct tg_parsed_line *p, unsigned bit, const char *s,
		       const char *end)
{
	int64_t v;
	p->has &= ~bit;
	if (decimal(s, end, &v) < 0)
		return;
	if (bit == TG_LINE_HAS_PID && v >= 0 && v <= 0x7fffffff)
		p->ev.pid = (pid_t)v;
	else if (bit == TG_LINE_HAS_UID && v >= 0 && v <= 0xffffffffLL)
		p->ev.uid = (uid_t)v;
	else if (bit == TG_LINE_HAS_ERRNO && v >= -0x7fffffffLL - 1 && v <= 0x7fffffff)
		p->ev.err = (int)v;
	else
		return;
	p->has |= bit;
}

static void json_number(struct tg_parsed_line *p, const char *key,
			const char *s, const char *end)
{
	if (strcmp(key, "pid") == 0)
		set_number(p, TG_LINE_HAS_PID, s, end);
	else if (strcmp(key, "uid") == 0)
		set_number(p, TG_LINE_HAS_UID, s, end);
	else if (strcmp(key, "errno") == 0)
		set_number(p, TG_LINE_HAS_ERRNO, s, end);
}

/* One flat object: string, number, true, false and null values. */
static int parse_json(const char *s, struct tg_parsed_line *p)
{
	char key[64];
	s = skip_ws(s);
	if (*s++ != '{')
		return 0;
	s = skip_ws(s);
	if (*s == '}')
		return 0;
	for (;;) {
		s = json_string(skip_ws(s), key, sizeof key);
		if (s == NULL)
			return 0;
		s = skip_ws(s);
		if (*s++ != ':')
			return 0;
		s = skip_ws(s);
		if (*s == '"') {
			size_t len;
			unsigned seen = 0;
			char *slot = field_slot(p, key, &len, &seen);
			s = json_string(s, slot != NULL ? slot : p->scratch,
					slot != NULL ? len : sizeof p->scratch);
			if (s == NULL)
				return 0;
			p->seen |= seen;
			if (slot == NULL)
				json_other(p, key);
		} else if (*s == '-' || is_digit(*s)) {
			const char *end = number_end(s);
			if (end == s)
				return 0;
			json_number(p, key, s, end);
			s = end;
		} else if (starts(s, "true") || starts(s, "null")) {
			s += 4;
		} else if (starts(s, "false")) {
			s += 5;
		} else {
			return 0;
		}
		s = skip_ws(s);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s++ != '}')
			return 0;
		s = skip_ws(s);
		return *s == '\0' || *s == '\n';
	}
}

/* ---- reading text lines -------------------------------------------------- */

static int unescape_to(const char *s, const char *end, char *out, size_t len)
{
	return tg_text_unescape(s, (size_t)(end - s), out, len) < 0 ? -1 : 0;
}

static const char *word_end(const char *s)
{
	while (*s != '\0' && *s != ' ' && *s != '\n')
		s++;
	return s;
}

/* the word at v (up to a space or the end) unescaped into out */
static int word_to(const char *v, char *out, size_t len)
{
	return unescape_to(v, word_end(v), out, len);
}

/* The fields a reader may do without: read when they are well-formed. */
static void text_optional(struct tg_parsed_line *p, const char *line,
			  const char *sp, const char *bracket,
			  const char *uid, const char *mode)
{
	const char *ts = line + strlen("tmpguard: ");
	if (tg_parse_time(ts, (size_t)(sp - ts), &p->ev.ts) == 0)
		p->has |= TG_LINE_HAS_TS;
	set_number(p, TG_LINE_HAS_PID, bracket + 1, uid);
	const char *u = uid + strlen("] uid=");
	set_number(p, TG_LINE_HAS_UID, u, word_end(u));
	const char *e = after(mode, " errno="); /* NAME(N) */
	if (e != NULL) {
		const char *end = word_end(e);
		const char *open = e;
		while (open < end && *open != '(')
			open++;
		if (open < end && end[-1] == ')')
			set_number(p, TG_LINE_HAS_ERRNO, open + 1, end - 1);
	}
}

/* "tmpguard: TS EXE[PID] uid=N event=E action=A func=F path="P"
 * caller=MOD+0xOFF mode=M [errno=NAME(N)] [detail=D]" */
static int parse_text(const char *line, struct tg_parsed_line *p)
{
	const char *s = line + strlen("tmpguard: ");
	const char *sp = strchr(s, ' ');
	const char *uid = find(s, "] uid=");
	if (sp == NULL || uid == NULL || uid < sp)
		return 0;
	const char *bracket = uid;
	while (bracket > sp && *bracket != '[')
		bracket--;
	if (bracket <= sp + 1 || unescape_to(sp + 1, bracket, p->exe, sizeof p->exe) < 0)
		return 0;
	const char *v;
	if ((v = after(uid, " event=")) == NULL || word_to(v, p->event, sizeof p->event) < 0)
		return 0;
	if ((v = after(uid, " action=")) == NULL || word_to(v, p->action, sizeof p->action) < 0)
		return 0;
	if ((v = after(uid, " func=")) == NULL || word_to(v, p->func, sizeof p->func) < 0)
		return 0;
	const char *path = after(uid, " path=");
	if (path == NULL || *path != '"')
		return 0;
	const char *q = path + 1;
	while (*q && *q != '"') {
		if (*q == '\\' && q[1] != '\0')
			q++;
		q++;
	}
	if (*q != '"' || unescape_to(path + 1, q, p->path, sizeof p->path) < 0)
		return 0;
	const char *caller = after(q, " caller=");
	const char *mode = caller != NULL ? find(caller, " mode=") : NULL;
	if (caller == NULL || mode == NULL ||
	    unescape_to(caller, mode, p->caller, sizeof p->caller) < 0)
		return 0;
	if (word_to(mode + strlen(" mode="), p->mode, sizeof p->mode) < 0)
		return 0;
	if ((v = after(mode, " detail=")) != NULL &&
	    word_to(v, p->detail, sizeof p->detail) < 0)
		return 0;
	p->seen = SEEN_ALL;
	text_optional(p, line, sp, bracket, uid, mode);
	return 1;
}

/* ---- reading: either form ------------------------------------------------ */

/* "[MODULE+]0xOFF": the caller buffer keeps MODULE */
static int split_caller(struct tg_parsed_line *p)
{
	char *plus = strrchr(p->caller, '+');
	const char *hex = plus != NULL ? plus + 1 : p->caller;
	uint64_t off;
	if (!starts(hex, "0x") || hex[2] == '\0' || hex_u64(hex + 2, &off) < 0)
		return -1;
	p->ev.caller_offset = (uintptr_t)off;
	if (plus != NULL)
		*plus = '\0';
	else
		p->caller[0] = '\0';
	return 0;
}

static int complete(struct tg_parsed_line *p)
{
	int kind = tg_event_kind_parse(p->event);
	int action = tg_action_parse(p->action);
	if (p->seen != SEEN_ALL || kind < 0 || action < 0 || split_caller(p) < 0)
		return 0;
	p->ev.kind = (enum tg_event_kind)kind;
	p->ev.action = (enum tg_action)action;
	p->ev.exe = p->exe;
	p->ev.func = p->func;
	p->ev.path = p->path;
	p->ev.caller_module = p->caller;
	p->ev.detail = p->detail;
	if (strcmp(p->mode, "harden") == 0 || strcmp(p->mode, "audit") == 0) {
		p->ev.mode = p->mode[0] == 'a' ? TG_MODE_AUDIT : TG_MODE_HARDEN;
		p->has |= TG_LINE_HAS_MODE;
	}
	return 1;
}

/* "tmpguard: " and a date: the library's text line */
static int is_text_line(const char *line)
{
	return starts(line, "tmpguard: ") && strnlen(line, 16) == 16 &&
	       is_digit(line[10]) && is_digit(line[13]) && line[14] == '-';
}

enum tg_line_kind tg_line_parse(const char *line, struct tg_parsed_line *p)
{
	memset(&p->ev, 0, sizeof p->ev);
	p->has = p->seen = 0;
	p->exe[0] = p->path[0] = p->caller[0] = p->scratch[0] = '\0';
	p->event[0] = p->func[0] = p->action[0] = p->mode[0] = p->detail[0] = '\0';
	int ok;
	if (*skip_ws(line) == '{')
		ok = parse_json(line, p);
	else if (is_text_line(line))
		ok = parse_text(line, p);
	else
		return TG_LINE_OTHER;
	return ok && complete(p) ? TG_LINE_EVENT : TG_LINE_MALFORMED;
}
