/* tmpguard report --format=sarif: the findings as one SARIF 2.1.0 run, a
 * rule per event kind (attacks are errors, unsafe code warnings). */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"
#include "cli/srcline.h"
#include "cli/util.h"
#include "core/out.h"

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
	case TG_EV_UNJUDGED:
		return "The program set up io_uring, whose file operations no one can judge";
	default:
		return "An unsafe temporary-file call was rewritten to a safe one";
	}
}

/* A file:// URI for an absolute path (percent-encoding what RFC 3986 does
 * not allow in a path); a relative path is given as is. */
static void put_uri(const char *path)
{
	static const char keep[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789/-._~+,;=@:!$&'()*";
	size_t len = strlen(path);
	char *out = tg_cli_xmalloc(len * 3 + 8);
	struct tg_out o = TG_OUT_INIT(out, len * 3 + 8);
	if (path[0] == '/')
		tg_out_lit(&o, "file://");
	for (const char *p = path; *p; p++) {
		if (strchr(keep, *p) != NULL) {
			tg_out_c(&o, *p);
		} else {
			tg_out_c(&o, '%');
			tg_out_hex2(&o, (unsigned char)*p, 1);
		}
	}
	tg_out_end(&o);
	tg_report_put_json(out);
	free(out);
}

/* " in FUNCTION (FILE:LINE)", what of it is known, for a result's message;
 * allocated. */
static char *where_text(const struct tg_srcline *sl)
{
	char *fn = tg_cli_printable(sl->func), *src = tg_cli_printable(sl->file);
	char *where = NULL;
	char line[32] = "";
	if (sl->line > 0)
		snprintf(line, sizeof line, ":%d)", sl->line);
	if (asprintf(&where, "%s%s%s%s%s", fn[0] != '\0' ? " in " : "", fn,
		     sl->line > 0 ? " (" : "", sl->line > 0 ? src : "", line) < 0)
		where = NULL;
	free(fn);
	free(src);
	return where != NULL ? where : tg_cli_xstrdup("");
}

void tg_report_sarif(const struct finding *fs, size_t nf)
{
	printf("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
	       "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
	       "\"name\":\"tmpguard\",\"version\":\"%s\",\"semanticVersion\":\"%s\","
	       	       "\"rules\":[",
	       PACKAGE_VERSION, PACKAGE_VERSION);
	for (int k = 0; k < TG_EV_COUNT; k++) {
		const char *name = tg_event_kind_name((enum tg_event_kind)k);
		int error = tg_event_is_attack((enum tg_event_kind)k);
		printf("%s{\"id\":\"%s\",\"name\":\"%s\",\"shortDescription\":{\"text\":",
		       k ? "," : "", name, name);
		tg_report_put_json(rule_text(k));
		printf("},\"fullDescription\":{\"text\":");
		tg_report_put_json(rule_text(k));
		printf("},\"defaultConfiguration\":{\"level\":\"%s\"}}",
		       error ? "error" : "warning");
	}
	printf("]}},\"columnKind\":\"utf16CodeUnits\",\"results\":[");
	for (size_t i = 0; i < nf; i++) {
		const struct record *r = fs[i].r;
		int error = tg_event_is_attack((enum tg_event_kind)r->kind);
		char caller[PATH_MAX + 32];
		tg_report_caller(r, caller, sizeof caller);
		struct tg_srcline sl;
		tg_srcline_find(r->module, r->offset, &sl);
		int have_src = sl.line > 0;
		char *exe = tg_cli_printable(r->exe), *pat = tg_cli_printable(r->pattern);
		char *ex = tg_cli_printable(r->path), *cl = tg_cli_printable(caller);
		char *where = where_text(&sl);
		char *msg = NULL;
		if (asprintf(&msg, "%s: %s in %s on %s (e.g. %s), %s, %lu time%s, called from %s%s",
			     tg_event_kind_name(r->kind), r->func, exe, pat, ex,
			     tg_report_strongest(&fs[i]), fs[i].count,
			     fs[i].count == 1 ? "" : "s", cl, where) < 0)
			msg = NULL;
		printf("%s{\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\","
		       "\"message\":{\"text\":",
		       i ? "," : "", tg_event_kind_name(r->kind), r->kind,
		       error ? "error" : "warning");
		tg_report_put_json(msg != NULL ? msg : "");
		/* the source file and line when known, else the module; the
		 * module and offset as the address either way */
		printf("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		const char *module = r->module[0] != '\0' ? r->module : r->exe;
		put_uri(have_src ? sl.file : module);
		putchar('}');
		if (have_src)
			printf(",\"region\":{\"startLine\":%d}", sl.line);
		printf(",\"address\":{\"relativeAddress\":%" PRIu64
		       ",\"kind\":\"instruction\",\"fullyQualifiedName\":",
		       r->offset);
		tg_report_put_json(caller);
		putchar('}');
		printf("},\"logicalLocations\":[{\"fullyQualifiedName\":");
		tg_report_put_json(caller);
		if (sl.func[0] != '\0') {
			printf(",\"name\":");
			tg_report_put_json(sl.func);
		}
		printf(",\"kind\":\"function\"}]}],\"partialFingerprints\":{\"tmpguardFinding/v1\":");
		char fp[PATH_MAX * 2];
		snprintf(fp, sizeof fp, "%s|%s|%s|%s", tg_event_kind_name(r->kind),
			 r->exe, caller, r->pattern);
		tg_report_put_json(fp);
		printf("},\"properties\":{\"count\":%lu,\"program\":", fs[i].count);
		tg_report_put_json(r->exe);
		printf(",\"func\":");
		tg_report_put_json(r->func);
		printf(",\"pathPattern\":");
		tg_report_put_json(r->pattern);
		printf(",\"examplePath\":");
		tg_report_put_json(r->path);
		printf(",\"action\":\"%s\"", tg_report_strongest(&fs[i]));
		printf(",\"module\":");
		tg_report_put_json(caller);
		if (sl.func[0] != '\0') {
			printf(",\"function\":");
			tg_report_put_json(sl.func);
		}
		printf("}}");
		free(where);
		free(msg);
		free(exe);
		free(pat);
		free(ex);
		free(cl);
	}
	printf("]}]}\n");
}
