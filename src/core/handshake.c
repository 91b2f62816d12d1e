/* tmpguard — the `tmpguard run` handshake datagrams, written and read. No
 * libc function the library does not import already: it carries this file
 * too. */
#include <config.h>

#include <string.h>

#include "core/handshake.h"
#include "core/out.h"

/* "TOKEN X PID whole PATH\n", or "... cut " and what fits of PATH. */
static size_t format_exec(const struct tg_handshake_msg *m, const char *token,
			  char *buf, size_t len)
{
	struct tg_out o = TG_OUT_INIT(buf, len);
	tg_out_s(&o, token);
	tg_out_lit(&o, " X ");
	tg_out_u64(&o, (unsigned long)m->pid);
	tg_out_c(&o, ' ');
	const char *path = m->path != NULL ? m->path : "";
	size_t head = o.n, plen = strlen(path);
	const size_t cut_head = sizeof "cut " - 1, nl_nul = 2;
	if (plen == 0 || head + sizeof "whole " - 1 + plen + nl_nul <= len ||
	    head + cut_head + 1 + nl_nul > len) {
		tg_out_lit(&o, "whole ");
		tg_out_n(&o, path, plen);
	} else { /* what fits, and never all of it: it is cut */
		tg_out_lit(&o, "cut ");
		size_t room = len - nl_nul - o.n;
		tg_out_n(&o, path, plen - 1 < room ? plen - 1 : room);
	}
	tg_out_c(&o, '\n');
	return tg_out_end(&o);
}

size_t tg_handshake_format(const struct tg_handshake_msg *m, const char *token,
			   char *buf, size_t len)
{
	if (m->type == TG_HANDSHAKE_EXEC)
		return format_exec(m, token, buf, len);
	struct tg_out o = TG_OUT_INIT(buf, len);
	tg_out_s(&o, token);
	if (m->type == TG_HANDSHAKE_EVENT) {
		tg_out_lit(&o, " E ");
		tg_out_s(&o, tg_event_kind_name(m->kind));
		tg_out_c(&o, ' ');
		tg_out_s(&o, tg_action_name(m->action));
		tg_out_c(&o, ' ');
	} else {
		tg_out_s(&o, m->type == TG_HANDSHAKE_LISTENER ? " L " : " H ");
	}
	tg_out_u64(&o, (unsigned long)m->pid);
	tg_out_c(&o, '\n');
	return tg_out_end(&o);
}

/* Token comparison that takes the same time wherever they differ. */
static int token_matches(const char *got, const char *want)
{
	size_t lg = strlen(got), lw = strlen(want);
	unsigned char diff = lg != lw;
	for (size_t i = 0; i < lw && i < lg; i++)
		diff |= (unsigned char)(got[i] ^ want[i]);
	return diff == 0;
}

/* What strtol(s, &end, 10) reads as 1..2^31-1 with all of s read: spaces,
 * a plus sign, digits. 0 for anything else. */
static pid_t parse_pid(const char *s)
{
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+')
		s++;
	long v = 0;
	const char *digits = s;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > 0x7fffffffL)
			return 0;
	}
	if (s == digits || *s != '\0' || v == 0)
		return 0;
	return (pid_t)v;
}

/* Up to max fields of msg separated by runs of spaces (as strtok_r);
 * returns how many. */
static int split(char *msg, char **field, int max)
{
	int n = 0;
	char *s = msg;
	while (n < max) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		field[n++] = s;
		while (*s != '\0' && *s != ' ')
			s++;
		if (*s == '\0')
			break;
		*s++ = '\0';
	}
	return n;
}

/* The field of s that starts at *s after spaces, NUL-terminated in place
 * (*s then points past it), or NULL at the end of s. */
static char *next_field(char **s)
{
	char *p = *s;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return NULL;
	char *field = p;
	while (*p != '\0' && *p != ' ')
		p++;
	if (*p == ' ')
		*p++ = '\0';
	*s = p;
	return field;
}

/* After "TOKEN X ": "PID whole|cut PATH". The path is the rest, after one
 * space, but its last newline. */
static enum tg_handshake_type parse_exec(char *rest, struct tg_handshake_msg *m)
{
	char *pid = next_field(&rest), *state = next_field(&rest);
	if (pid == NULL || state == NULL)
		return TG_HANDSHAKE_NONE;
	m->pid = parse_pid(pid);
	int whole = strcmp(state, "whole") == 0;
	if (m->pid <= 0 || (!whole && strcmp(state, "cut") != 0))
		return TG_HANDSHAKE_NONE;
	size_t len = strlen(rest);
	if (len > 0 && rest[len - 1] == '\n')
		rest[--len] = '\0';
	if (len == 0)
		return TG_HANDSHAKE_NONE;
	m->path = rest;
	m->cut = !whole;
	m->type = TG_HANDSHAKE_EXEC;
	return m->type;
}

enum tg_handshake_type tg_handshake_parse(char *msg, const char *token,
					  struct tg_handshake_msg *m)
{
	m->type = TG_HANDSHAKE_NONE;
	m->path = NULL;
	m->cut = 0;
	/* An exec's path may hold newlines and spaces: its form is told by
	 * its first two fields, before anything is cut. */
	char *tok = msg + strspn(msg, " ");
	size_t tlen = strcspn(tok, " ");
	char *form = tok + tlen + strspn(tok + tlen, " ");
	if (tok[tlen] == ' ' && form[0] == 'X' && form[1] == ' ' &&
	    memchr(tok, '\n', tlen) == NULL) {
		tok[tlen] = '\0';
		if (!token_matches(tok, token))
			return m->type;
		return parse_exec(form + 2, m);
	}

	char *field[6];
	char *nl = strchr(msg, '\n');
	if (nl != NULL)
		*nl = '\0';
	int n = split(msg, field, 6);
	if (n < 3 || !token_matches(field[0], token))
		return m->type;
	int hello = strcmp(field[1], "H") == 0;
	if (n == 3 && (hello || strcmp(field[1], "L") == 0)) {
		m->pid = parse_pid(field[2]);
		if (m->pid > 0)
			m->type = hello ? TG_HANDSHAKE_HELLO
					: TG_HANDSHAKE_LISTENER;
		return m->type;
	}
	if (n != 5 || strcmp(field[1], "E") != 0)
		return m->type;
	int kind = tg_event_kind_parse(field[2]);
	int action = tg_action_parse(field[3]);
	m->pid = parse_pid(field[4]);
	if (kind < 0 || action < 0 || m->pid <= 0)
		return m->type;
	m->kind = (enum tg_event_kind)kind;
	m->action = (enum tg_action)action;
	m->type = TG_HANDSHAKE_EVENT;
	return m->type;
}
