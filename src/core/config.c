/* tmpguard — configuration read from the environment, once per process.
 * Runs in the library's constructor (or in the first hook to need it), so it
 * allocates nothing and uses no stdio. */
#include <config.h>

#include <string.h>

#include "core/config.h"
#include "core/out.h"

/* A value shown in a message is cut to this many bytes. */
#define TG_MSG_VALUE_MAX 160

/* ---- messages ------------------------------------------------------------ */

/* A value from the environment: printable ASCII as is, other bytes as \xHH
 * (a message stays one line), cut at TG_MSG_VALUE_MAX bytes. */
static void line_value(struct tg_out *l, const char *s, size_t len)
{
	size_t show = len > TG_MSG_VALUE_MAX ? TG_MSG_VALUE_MAX : len;
	tg_out_printable(l, s, show, 1);
	if (show < len)
		tg_out_lit(l, "...");
}

struct tg_msgs {
	char *buf;
	size_t len;
	size_t used;
	int count;
};

/* A message line of at most TG_MSG_MAX - 1 bytes. */
#define MSG_LINE(name)               \
	char name##_buf[TG_MSG_MAX]; \
	struct tg_out name = TG_OUT_INIT(name##_buf, sizeof name##_buf)

/* Append one line (with its '\n'); a line that does not fit whole is cut
 * but still ends in '\n'. The buffer always stays NUL-terminated. */
static void msgs_add(struct tg_msgs *m, struct tg_out *l)
{
	m->count++;
	if (m->buf == NULL || m->len == 0)
		return;
	size_t n = l->n < l->len ? l->n : l->len - 1; /* what l holds */
	if (n + 1 >= l->len)
		n = l->len - 2;
	l->buf[n++] = '\n';
	size_t avail = m->used < m->len ? m->len - 1 - m->used : 0;
	size_t take = n < avail ? n : avail;
	if (take > 0) {
		memcpy(m->buf + m->used, l->buf, take);
		m->used += take;
		m->buf[m->used - 1] = '\n';
	}
	m->buf[m->used] = '\0';
}

static void msg_simple(struct tg_msgs *m, const char *text)
{
	MSG_LINE(l);
	tg_out_s(&l, text);
	msgs_add(m, &l);
}

/* "tmpguard: NAME='VALUE' WHAT" */
static void msg_value(struct tg_msgs *m, const char *name, const char *value,
		      const char *what)
{
	MSG_LINE(l);
	tg_out_lit(&l, "tmpguard: ");
	tg_out_s(&l, name);
	tg_out_lit(&l, "='");
	line_value(&l, value, strlen(value));
	tg_out_lit(&l, "' ");
	tg_out_s(&l, what);
	msgs_add(m, &l);
}

/* ---- helpers ------------------------------------------------------------- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int str_ieq(const char *a, const char *b)
{
	while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static const char *get_var(const struct tg_config_env *env, const char *name)
{
	return env->get != NULL ? env->get(name, env->ctx) : NULL;
}

struct tg_dirs_parse {
	struct tg_config *cfg;
	struct tg_msgs *m;
	int overflow;
	size_t names_used;
};

static void dirs_overflow(struct tg_dirs_parse *p)
{
	if (p->overflow)
		return;
	MSG_LINE(l);
	tg_out_lit(&l, "tmpguard: more than ");
	tg_out_u64(&l, TG_MAX_DIRS);
	tg_out_lit(&l, " shared directories (or ");
	tg_out_u64(&l, TG_NAMES_MAX);
	tg_out_lit(&l, " bytes of names); the others in TMPGUARD_DIRS are ignored");
	msgs_add(p->m, &l);
	p->overflow = 1;
}

/* Add a directory's name (absolute, len < PATH_MAX), normalized: doubled
 * and trailing slashes dropped; a name already there is skipped. */
static void dir_add(struct tg_dirs_parse *p, const char *src, size_t len)
{
	char norm[PATH_MAX];
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (!(src[i] == '/' && n > 0 && norm[n - 1] == '/'))
			norm[n++] = src[i];
	while (n > 1 && norm[n - 1] == '/')
		n--;
	norm[n] = '\0';
	struct tg_config *cfg = p->cfg;
	char *names = cfg->names;
	for (const char *q = names; *q; q += strlen(q) + 1)
		if (strcmp(q, norm) == 0)
			return;
	/* the name, its NUL and the list's closing empty name */
	if (cfg->ndirs >= TG_MAX_DIRS || p->names_used + n + 2 > sizeof cfg->names) {
		dirs_overflow(p);
		return;
	}
	memcpy(names + p->names_used, norm, n + 1);
	p->names_used += n + 1;
	names[p->names_used] = '\0';
	cfg->ndirs++;
}

int tg_config_dir_ids(const struct tg_config *cfg,
		      int (*look)(const char *path, struct tg_dir_id *id,
				  void *ctx),
		      void *ctx, struct tg_dir_id ids[TG_MAX_DIRS])
{
	int n = 0;
	for (const char *q = cfg->names; *q && n < TG_MAX_DIRS;
	     q += strlen(q) + 1) {
		struct tg_dir_id id;
		if (look(q, &id, ctx) != 0)
			continue;
		int seen = 0;
		for (int i = 0; i < n && !seen; i++)
			seen = ids[i].dev == id.dev && ids[i].ino == id.ino;
		if (!seen)
			ids[n++] = id;
	}
	return n;
}

/* ---- the variables ------------------------------------------------------- */

static void parse_mode(struct tg_config *cfg, const char *v, int secure,
		       struct tg_msgs *m)
{
	cfg->mode = TG_MODE_HARDEN;
	if (v == NULL || v[0] == '\0' || str_ieq(v, "harden"))
		return;
	if (str_ieq(v, "audit")) {
		if (secure)
			msg_simple(m, "tmpguard: secure-execution process: TMPGUARD_MODE=audit ignored, using harden");
		else
			cfg->mode = TG_MODE_AUDIT;
		return;
	}
	msg_value(m, "TMPGUARD_MODE", v, "is not harden or audit; using harden");
}

static void parse_format(struct tg_config *cfg, const char *v,
			 struct tg_msgs *m)
{
	cfg->format = TG_FORMAT_TEXT;
	if (v == NULL || v[0] == '\0' || str_ieq(v, "text"))
		return;
	if (str_ieq(v, "json")) {
		cfg->format = TG_FORMAT_JSON;
		return;
	}
	msg_value(m, "TMPGUARD_FORMAT", v, "is not text or json; using text");
}

static void parse_log(struct tg_config *cfg, const char *v, int secure,
		      struct tg_msgs *m)
{
	cfg->sink = TG_SINK_STDERR;
	cfg->log_path[0] = '\0';
	if (v == NULL || v[0] == '\0' || strcmp(v, "stderr") == 0)
		return;
	if (strcmp(v, "syslog") == 0) {
		cfg->sink = TG_SINK_SYSLOG;
		return;
	}
	if (strcmp(v, "journal") == 0) {
		cfg->sink = TG_SINK_JOURNAL;
		return;
	}
	if (secure) {
		cfg->sink = TG_SINK_SYSLOG;
		msg_simple(m, "tmpguard: secure-execution process: TMPGUARD_LOG file ignored, logging to syslog");
		return;
	}
	size_t len = strlen(v);
	if (len >= sizeof cfg->log_path) {
		MSG_LINE(l);
		tg_out_lit(&l, "tmpguard: TMPGUARD_LOG='");
		line_value(&l, v, len);
		tg_out_lit(&l, "' is too long (");
		tg_out_u64(&l, len);
		tg_out_lit(&l, " bytes); logging to stderr");
		msgs_add(m, &l);
		return;
	}
	memcpy(cfg->log_path, v, len + 1);
	cfg->sink = TG_SINK_FILE;
}

static void parse_dirs(struct tg_dirs_parse *p, const char *tmpdir,
		       const char *dirs)
{
	static const char *const defaults[] = { "/tmp", "/var/tmp", "/dev/shm" };
	struct tg_msgs *m = p->m;

	p->cfg->ndirs = 0;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		dir_add(p, defaults[i], strlen(defaults[i]));

	if (tmpdir != NULL && tmpdir[0] == '/') {
		size_t len = strlen(tmpdir);
		if (len < PATH_MAX)
			dir_add(p, tmpdir, len);
	}

	if (dirs == NULL)
		return;
	const char *s = dirs;
	for (;;) {
		const char *end = strchr(s, ':');
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
		if (len == 0) {
			/* empty entry: skipped */
		} else if (s[0] != '/') {
			MSG_LINE(l);
			tg_out_lit(&l, "tmpguard: TMPGUARD_DIRS entry '");
			line_value(&l, s, len);
			tg_out_lit(&l, "' is not an absolute path; ignored");
			msgs_add(m, &l);
		} else if (len >= PATH_MAX) {
			MSG_LINE(l);
			tg_out_lit(&l, "tmpguard: TMPGUARD_DIRS entry '");
			line_value(&l, s, len);
			tg_out_lit(&l, "' is too long (");
			tg_out_u64(&l, len);
			tg_out_lit(&l, " bytes); ignored");
			msgs_add(m, &l);
		} else {
			dir_add(p, s, len);
		}
		if (end == NULL)
			break;
		s = end + 1;
	}
}

/* TMPGUARD_TRUST: user names or uids, separated by commas. Ignored in a
 * secure-execution process: the environment would choose whose plants a
 * privileged program trusts. */
static void parse_trust(struct tg_config *cfg, const char *v,
			const struct tg_config_env *env, struct tg_msgs *m)
{
	if (v == NULL || v[0] == '\0')
		return;
	if (env->secure) {
		msg_simple(m, "tmpguard: secure-execution process: TMPGUARD_TRUST ignored");
		return;
	}
	int overflow = 0;
	for (const char *s = v;;) {
		const char *end = strchr(s, ',');
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
		char entry[256];
		uid_t uid = 0;
		int ok = len > 0 && len < sizeof entry;
		if (ok) {
			memcpy(entry, s, len);
			entry[len] = '\0';
			int digits = 1;
			unsigned long long n = 0;
			for (size_t i = 0; i < len && digits; i++) {
				digits = entry[i] >= '0' && entry[i] <= '9';
				n = n * 10 + (unsigned)(entry[i] - '0');
				if (n >= (uid_t)-1)
					digits = 0;
			}
			if (digits)
				uid = (uid_t)n;
			else
				ok = env->look_user != NULL &&
				     env->look_user(entry, &uid, env->ctx) == 0;
		}
		if (len == 0) {
			/* an empty entry: skipped */
		} else if (!ok) {
			MSG_LINE(l);
			tg_out_lit(&l, "tmpguard: TMPGUARD_TRUST entry '");
			line_value(&l, s, len);
			tg_out_lit(&l, "' is not a user name or uid; skipped");
			msgs_add(m, &l);
		} else if (cfg->ntrust < TG_MAX_TRUST) {
			cfg->trust[cfg->ntrust++] = uid;
		} else if (!overflow) {
			MSG_LINE(l);
			tg_out_lit(&l, "tmpguard: more than ");
			tg_out_u64(&l, TG_MAX_TRUST);
			tg_out_lit(&l, " users in TMPGUARD_TRUST; the others are skipped");
			msgs_add(m, &l);
			overflow = 1;
		}
		if (end == NULL)
			break;
		s = end + 1;
	}
}

/* Files shared on purpose (TMPGUARD_TRUST names users) must be usable by
 * those users: with trust and no TMPGUARD_FILE_MODE, new files keep the
 * program's mode. Parsed after TMPGUARD_TRUST. */
static void parse_file_mode(struct tg_config *cfg, const char *v, int secure,
			    struct tg_msgs *m)
{
	cfg->file_mode = TG_FILE_MODE_PRIVATE;
	if (v == NULL || v[0] == '\0') {
		if (cfg->ntrust > 0)
			cfg->file_mode = TG_FILE_MODE_PROGRAM;
		return;
	}
	if (str_ieq(v, "private"))
		return;
	if (str_ieq(v, "program")) {
		if (secure)
			msg_simple(m, "tmpguard: secure-execution process: TMPGUARD_FILE_MODE=program ignored, using private");
		else
			cfg->file_mode = TG_FILE_MODE_PROGRAM;
		return;
	}
	msg_value(m, "TMPGUARD_FILE_MODE", v, "is not private or program; using private");
}

static int is_hex_lower(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int tg_config_handshake(const char *v, struct tg_handshake_addr *addr)
{
	addr->token[0] = '\0';
	addr->name[0] = '\0';
	const char *at = strchr(v, '@');
	size_t tlen = at != NULL ? (size_t)(at - v) : 0;
	int ok = at != NULL && tlen >= 8 && tlen < sizeof addr->token;
	for (size_t i = 0; ok && i < tlen; i++)
		ok = is_hex_lower(v[i]);
	size_t nlen = 0;
	if (ok) {
		const char *name = at + 1;
		while (ok && name[nlen] != '\0') {
			unsigned char c = (unsigned char)name[nlen];
			ok = c > 0x20 && c < 0x7f;
			nlen++;
		}
		ok = ok && nlen >= 1 && nlen <= 100;
	}
	if (!ok)
		return -1;
	memcpy(addr->token, v, tlen);
	addr->token[tlen] = '\0';
	memcpy(addr->name, at + 1, nlen);
	addr->name[nlen] = '\0';
	return 0;
}

static void parse_handshake(struct tg_config *cfg, const char *v,
			    struct tg_msgs *m)
{
	if (v == NULL || v[0] == '\0')
		return;
	if (tg_config_handshake(v, &cfg->handshake) < 0)
		msg_simple(m, "tmpguard: TMPGUARD_HANDSHAKE is not TOKEN@NAME; ignored");
}

static void parse_socket(char *dst, const char *name, const char *def,
			 const char *v, int secure, struct tg_msgs *m)
{
	size_t dlen = strlen(def);
	memcpy(dst, def, dlen + 1);
	if (secure || v == NULL || v[0] == '\0')
		return;
	size_t len = strlen(v);
	if (v[0] != '/' || len >= TG_SOCK_PATH_MAX) {
		MSG_LINE(l);
		tg_out_lit(&l, "tmpguard: ");
		tg_out_s(&l, name);
		tg_out_lit(&l, "='");
		line_value(&l, v, len);
		tg_out_lit(&l, "' is not an absolute path shorter than ");
		tg_out_u64(&l, TG_SOCK_PATH_MAX);
		tg_out_lit(&l, " bytes; using ");
		tg_out_s(&l, def);
		msgs_add(m, &l);
		return;
	}
	memcpy(dst, v, len + 1);
}

/* n lowercase hex digits at v into *out: 0, or -1. */
static int hex_digits(const char *v, size_t n, unsigned long long *out)
{
	unsigned long long x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_hex_lower(v[i]))
			return -1;
		x = x * 16 + (unsigned)(v[i] <= '9' ? v[i] - '0' : v[i] - 'a' + 10);
	}
	*out = x;
	return 0;
}

/* run --supervise's marks, as run writes them: MODE:PATH, 8 and 16
 * lowercase hex digits, the first with no bit outside TG_MARK_BITS, neither
 * zero. A secure-execution process takes none: its creations and path
 * calls are all judged by the supervisor. */
static void parse_supervise(struct tg_config *cfg, const char *v, int secure,
			    struct tg_msgs *m)
{
	if (secure || v == NULL || v[0] == '\0')
		return;
	unsigned long long mark, path_mark;
	if (strlen(v) != 25 || v[8] != ':' || hex_digits(v, 8, &mark) < 0 ||
	    hex_digits(v + 9, 16, &path_mark) < 0 || mark == 0 ||
	    (mark & ~(unsigned long long)TG_MARK_BITS) || path_mark == 0) {
		msg_simple(m, "tmpguard: TMPGUARD_SUPERVISE is not run --supervise's mark; ignored");
		return;
	}
	cfg->supervise_mark = (unsigned)mark;
	cfg->supervise_path_mark = path_mark;
}

int tg_config_parse(struct tg_config *cfg, const struct tg_config_env *env,
		    char *msgs, size_t msgs_len)
{
	struct tg_msgs m = { msgs, msgs_len, 0, 0 };

	if (msgs != NULL && msgs_len > 0)
		msgs[0] = '\0';
	memset(cfg, 0, sizeof *cfg);
	int secure = env->secure != 0;

	parse_mode(cfg, get_var(env, "TMPGUARD_MODE"), secure, &m);
	parse_format(cfg, get_var(env, "TMPGUARD_FORMAT"), &m);
	parse_log(cfg, get_var(env, "TMPGUARD_LOG"), secure, &m);
	struct tg_dirs_parse dirs = { cfg, &m, 0, 0 };
	parse_dirs(&dirs, get_var(env, "TMPDIR"), get_var(env, "TMPGUARD_DIRS"));
	parse_trust(cfg, get_var(env, "TMPGUARD_TRUST"), env, &m);
	parse_file_mode(cfg, get_var(env, "TMPGUARD_FILE_MODE"), secure, &m);
	parse_handshake(cfg, get_var(env, "TMPGUARD_HANDSHAKE"), &m);
	parse_socket(cfg->syslog_socket, "TMPGUARD_SYSLOG_SOCKET", "/dev/log",
		     get_var(env, "TMPGUARD_SYSLOG_SOCKET"), secure, &m);
	parse_socket(cfg->journal_socket, "TMPGUARD_JOURNAL_SOCKET",
		     "/run/systemd/journal/socket",
		     get_var(env, "TMPGUARD_JOURNAL_SOCKET"), secure, &m);
	parse_supervise(cfg, get_var(env, "TMPGUARD_SUPERVISE"), secure, &m);
	return m.count;
}

const char *tg_mode_name(enum tg_mode mode)
{
	return mode == TG_MODE_AUDIT ? "audit" : "harden";
}

size_t tg_config_shared_prefix(const struct tg_config *cfg, const char *path)
{
	size_t best = 0;
	for (const char *n = cfg->names; *n; n += strlen(n) + 1) {
		size_t len = strlen(n);
		if (len == 1) /* "/" */
			return 1;
		if (strncmp(path, n, len) == 0 &&
		    (path[len] == '/' || path[len] == '\0') &&
		    (best == 0 || len < best))
			best = len;
	}
	return best;
}
