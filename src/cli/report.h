/* tmpguard report — what its parts share: the records read from the logs
 * (core/line.h reads the lines), their grouping into findings
 * (findings.c), and the outputs (report.c: text and JSON; sarif.c). */
#ifndef TG_CLI_REPORT_H
#define TG_CLI_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/line.h"

/* One event read from a log. */
struct record {
	char *exe, *func, *path, *pattern, *module;
	int kind, action;
	uint64_t offset;
};

/* The events of one program, kind, call site, function and path pattern. */
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

/* Counts by one string: programs or patterns. */
struct tally {
	const char *name;
	unsigned long count;
};

/* ---- findings.c ---------------------------------------------------------- */

/* The path pattern of path (tmpguard(1)); allocated. */
char *tg_report_pattern(const char *path);
/* Records the event of a line tg_line_parse read. */
void tg_report_add(struct stats *st, const struct tg_parsed_line *p);
/* Sorts the records and groups them, the largest groups first; nf of them
 * (allocated). */
struct finding *tg_report_group(struct stats *st, size_t *nf);
/* Records by program (by_exe) or by path pattern, the largest first; nt of
 * them (allocated). */
struct tally *tg_report_tally(const struct stats *st, int by_exe, size_t *nt);
/* The strongest action taken in a finding: "blocked" over "hardened" ... */
const char *tg_report_strongest(const struct finding *f);
void tg_report_free(struct stats *st);

/* ---- report.c and sarif.c ------------------------------------------------ */

/* s as a JSON string, quotes included, on stdout. */
void tg_report_put_json(const char *s);
/* "MODULE+0xOFF" or "0xOFF" */
void tg_report_caller(const struct record *r, char *buf, size_t len);
void tg_report_sarif(const struct finding *fs, size_t nf);

#endif
