/* tmpguard — records for syslog and the journal. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "core/line.h"
#include "core/out.h"
#include "core/record.h"

int tg_record_priority(const struct tg_event *ev)
{
	return tg_event_is_attack(ev->kind) ? 4 : 5;
}

size_t tg_record_syslog_head(const struct tg_event *ev,
			     char head[TG_RECORD_SYSLOG_HEAD])
{
	struct tg_out h = TG_OUT_INIT(head, TG_RECORD_SYSLOG_HEAD);
	tg_out_c(&h, '<');
	tg_out_u64(&h, 8 /* LOG_USER */ + (unsigned long)tg_record_priority(ev));
	tg_out_lit(&h, ">tmpguard[");
	tg_out_u64(&h, (unsigned long)ev->pid);
	tg_out_lit(&h, "]: ");
	return h.n; /* fits: 36 bytes at most */
}

/* The journal's native protocol: "KEY\n" + 64-bit little-endian length +
 * value + "\n", which carries any bytes, newlines included. */
static char *tg_journal_field_n(char *p, const char *key, const char *value,
				size_t vlen)
{
	size_t klen = strlen(key);
	memcpy(p, key, klen);
	p += klen;
	*p++ = '\n';
	uint64_t le = vlen;
	for (int i = 0; i < 8; i++)
		*p++ = (char)((le >> (8 * i)) & 0xff);
	if (vlen)
		memcpy(p, value, vlen);
	p += vlen;
	*p++ = '\n';
	return p;
}

static char *tg_journal_field(char *p, const char *key, const char *value)
{
	return tg_journal_field_n(p, key, value, value ? strlen(value) : 0);
}

static size_t tg_module_len(const struct tg_event *ev)
{
	return ev->caller_module ? strlen(ev->caller_module) : 0;
}

size_t tg_record_journal_max(const struct tg_event *ev, size_t len)
{
	return len + (ev->path ? strlen(ev->path) : 0) +
	       (ev->exe ? strlen(ev->exe) : 0) + 2 * tg_module_len(ev) + 2048;
}

size_t tg_record_journal(const struct tg_event *ev, const char *line,
			 size_t len, char *buf, size_t buf_len)
{
	/* the caller's text at the end of buf, which the fields never reach */
	size_t module_len = tg_module_len(ev);
	char *caller = buf + buf_len - (module_len + 64);
	tg_event_caller(ev, caller, module_len + 64);
	char num[24], prio[2] = { (char)('0' + tg_record_priority(ev)), '\0' };
	if (len > 0 && line[len - 1] == '\n')
		len--;

	char *p = buf;
	p = tg_journal_field_n(p, "MESSAGE", line, len);
	p = tg_journal_field(p, "PRIORITY", prio);
	p = tg_journal_field(p, "SYSLOG_IDENTIFIER", "tmpguard");
	p = tg_journal_field(p, "TMPGUARD_EVENT", tg_event_kind_name(ev->kind));
	p = tg_journal_field(p, "TMPGUARD_ACTION", tg_action_name(ev->action));
	p = tg_journal_field(p, "TMPGUARD_FUNC", ev->func);
	p = tg_journal_field(p, "TMPGUARD_PATH", ev->path);
	p = tg_journal_field(p, "TMPGUARD_EXE", ev->exe);
	p = tg_journal_field(p, "TMPGUARD_MODE", tg_mode_name(ev->mode));
	p = tg_journal_field(p, "TMPGUARD_CALLER", caller);
	if (ev->action == TG_ACT_BLOCKED) {
		tg_format_uint((unsigned long)ev->err, num, sizeof num);
		p = tg_journal_field(p, "TMPGUARD_ERRNO", num);
		const char *name = tg_errno_name(ev->err);
		p = tg_journal_field(p, "TMPGUARD_ERROR", name ? name : "");
	}
	if (ev->detail && ev->detail[0])
		p = tg_journal_field(p, "TMPGUARD_DETAIL", ev->detail);
	return (size_t)(p - buf);
}
