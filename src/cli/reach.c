/* tmpguard run — the programs the command's tree ran, inspected once each
 * and named when the library cannot protect them. */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/reach.h"
#include "cli/util.h"
#include "core/handshake.h"

struct tg_ran {
	char *path;
	char *shown;       /* its real path, when it has one ("./" and links
			    * resolved: the file that ran) */
	int cut;
	enum tg_verdict verdict;
	char *interpreter; /* a script's, or NULL */
	char *why;         /* NULL when protected */
	struct tg_program_id id; /* the program judged */
	int named;         /* said in the summary */
};

/* ---- distinct paths --------------------------------------------------------- */

static size_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static void rehash(struct tg_reach *r)
{
	size_t n = r->nslots ? 2 * r->nslots : 64;
	size_t *slots = tg_cli_xmalloc(n * sizeof *slots);
	memset(slots, 0, n * sizeof *slots);
	for (size_t i = 0; i < r->n; i++) {
		size_t k = hash_path(r->ran[i].path) & (n - 1);
		while (slots[k] != 0)
			k = (k + 1) & (n - 1);
		slots[k] = i + 1;
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = n;
}

/* The slot of path: its entry's index + 1, or 0 where it would go. */
static size_t *find_slot(const struct tg_reach *r, const char *path)
{
	size_t k = hash_path(path) & (r->nslots - 1);
	while (r->slots[k] != 0 && strcmp(r->ran[r->slots[k] - 1].path, path) != 0)
		k = (k + 1) & (r->nslots - 1);
	return &r->slots[k];
}

/* ---- judging ---------------------------------------------------------------- */

/* Was this program named already: the command's own (warned about before
 * it ran), or one named under another path? */
static int named_before(const struct tg_reach *r, const struct tg_program_id *id)
{
	if (!id->known)
		return 0;
	if (r->warned.known && r->warned.dev == id->dev && r->warned.ino == id->ino)
		return 1;
	for (size_t i = 0; i + 1 < r->n; i++) {
		const struct tg_ran *o = &r->ran[i];
		if (o->named && o->id.known && o->id.dev == id->dev &&
		    o->id.ino == id->ino)
			return 1;
	}
	return 0;
}

static void judge(struct tg_reach *r, struct tg_ran *ran)
{
	ran->verdict = TG_VERDICT_PROTECTED;
	if (ran->cut) { /* cannot be inspected: said, and counted */
		ran->named = 1;
		r->unprotected++;
		return;
	}
	/* only a regular file runs: nothing else is opened to look at it */
	struct stat st;
	if (stat(ran->path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	struct tg_judged j;
	ran->verdict = tg_command_judge(ran->path, &j);
	ran->id = j.program;
	if (ran->verdict == TG_VERDICT_PROTECTED || !j.readable) {
		free(j.interpreter);
		ran->verdict = TG_VERDICT_PROTECTED;
		return;
	}
	ran->interpreter = j.interpreter;
	ran->why = tg_cli_xstrdup(j.why);
	ran->shown = realpath(ran->path, NULL);
	if (!named_before(r, &ran->id)) {
		ran->named = 1;
		if (ran->verdict == TG_VERDICT_PARTLY)
			r->partly++;
		else
			r->unprotected++;
	}
}

void tg_reach_add(struct tg_reach *r, const char *path, int cut)
{
	if ((r->n + 1) * 2 > r->nslots)
		rehash(r);
	size_t *slot = find_slot(r, path);
	if (*slot != 0) /* (two long paths with the same first bytes: one) */
		return;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct tg_ran *bigger = tg_cli_xmalloc(cap * sizeof *bigger);
		if (r->n > 0)
			memcpy(bigger, r->ran, r->n * sizeof *bigger);
		free(r->ran);
		r->ran = bigger;
		r->cap = cap;
	}
	struct tg_ran *ran = &r->ran[r->n];
	memset(ran, 0, sizeof *ran);
	ran->path = tg_cli_xstrdup(path);
	ran->cut = cut;
	*slot = r->n + 1;
	r->n++;
	judge(r, ran);
}

/* ---- the summary ------------------------------------------------------------ */

void tg_reach_say(const struct tg_reach *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct tg_ran *ran = &r->ran[i];
		if (!ran->named)
			continue;
		char *p = tg_cli_printable(ran->shown ? ran->shown : ran->path);
		if (ran->cut) {
			tg_cli_say("not inspected: %s...: its path is longer than "
				   "a report to run carries (%d bytes)",
				   p, TG_HANDSHAKE_MAX);
		} else {
			char *in = ran->interpreter != NULL
					   ? tg_cli_printable(ran->interpreter)
					   : NULL;
			tg_cli_say("%s protected: %s%s%s%s: %s",
				   ran->verdict == TG_VERDICT_PARTLY ? "partly"
								     : "not",
				   p, in ? " (interpreter " : "", in ? in : "",
				   in ? ")" : "", ran->why);
			free(in);
		}
		free(p);
	}
}

void tg_reach_free(struct tg_reach *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->ran[i].path);
		free(r->ran[i].shown);
		free(r->ran[i].interpreter);
		free(r->ran[i].why);
	}
	free(r->ran);
	free(r->slots);
	memset(r, 0, sizeof *r);
}
