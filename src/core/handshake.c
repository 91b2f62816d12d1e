/* tmpguard — the `tmpguard run` handshake datagrams, written and read. No
 * libc function the library does not import already: it carries this file
 * too. */
#include <config.h>

#include <string.h>

#include "core/handshake.h"
#include "core/out.h"

size_t tg_handshake_format(const struct tg_handshake_msg *m, const char *token,
			   char *buf, size_t len)
{
	struct tg_out o = TG_OUT_INIT(buf, len);
	tg_out_s(&o, token);
	if (m->type == TG_HANDSHAKE_EVENT) {
		tg_out_lit(&o, " E ");
		tg_out_s(&o, tg_event_kind_name(m->kind));
		tg_out_c(&o, ' ');
		tg_out_s(&o, tg_action_name(m->action));
		tg_out_c(&o, ' ');
	} else {
		tg_out_lit(&o, " H ");
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

enum tg_handshake_type tg_handshake_parse(char *msg, const char *token,
					  struct tg_handshake_msg *m)
{
	char *field[6];
	char *nl = strchr(msg, '\n');
	if (nl != NULL)
		*nl = '\0';
	int n = split(msg, field, 6);
	m->type = TG_HANDSHAKE_NONE;
	if (n < 3 || !token_matches(field[0], token))
		return m->type;
	if (n == 3 && strcmp(field[1], "H") == 0) {
		m->pid = parse_pid(field[2]);
		if (m->pid > 0)
			m->type = TG_HANDSHAKE_HELLO;
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
