/* tmpguard scan [--format=text|json] FILE...: can the library protect these
 * programs, and which temporary-file functions do they import? The
 * inspection is elf.c's, the same that `tmpguard run` warns with. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/elf.h"
#include "cli/options.h"
#include "cli/usage.h"
#include "cli/util.h"
#include "core/escape.h"

static const char *kind_name(const struct tg_elf_info *info)
{
	switch (info->kind) {
	case TG_FILE_SCRIPT:
		return "script";
	case TG_FILE_ELF_FOREIGN:
		return "elf-foreign";
	case TG_FILE_ELF_STATIC:
		return "static";
	case TG_FILE_ELF_LIBRARY:
		return "library";
	case TG_FILE_ELF_DYNAMIC:
		return "dynamic";
	default:
		return "not-elf";
	}
}

static const char *libc_name(enum tg_libc l)
{
	return l == TG_LIBC_GLIBC ? "glibc" : l == TG_LIBC_MUSL ? "musl" : "unknown";
}

/* JSON string with the library's own escaping; malloc'ed, with quotes. */
static char *json_str(const char *s)
{
	size_t n = tg_json_escape(s, NULL, 0);
	char *out = tg_cli_xmalloc(n + 3);
	out[0] = '"';
	tg_json_escape(s, out + 1, n + 1);
	out[n + 1] = '"';
	out[n + 2] = '\0';
	return out;
}

static void print_json_syms(const struct tg_elf_info *info, enum tg_sym_class cls)
{
	int first = 1;
	putchar('[');
	for (size_t i = 0; i < tg_elf_nwatched; i++) {
		if (tg_elf_watched[i].cls != cls || !(info->imports & ((uint64_t)1 << i)))
			continue;
		printf("%s\"%s\"", first ? "" : ",", tg_elf_watched[i].name);
		first = 0;
	}
	putchar(']');
}

static int print_text_syms(const struct tg_elf_info *info, enum tg_sym_class cls,
			   const char *label)
{
	int n = 0;
	for (size_t i = 0; i < tg_elf_nwatched; i++) {
		if (tg_elf_watched[i].cls != cls || !(info->imports & ((uint64_t)1 << i)))
			continue;
		printf("%s%s", n == 0 ? label : " ", tg_elf_watched[i].name);
		n++;
	}
	if (n == 0)
		printf("%s-", label);
	putchar('\n');
	return n;
}

/* The verdict on a script is the one on its interpreter (one level: what
 * "#!" names; "#!/usr/bin/env NAME" depends on PATH and is judged on env
 * itself, which is then only as good as NAME). */
static enum tg_verdict judge(const struct tg_elf_info *info, const char **why,
			     char *buf, size_t len)
{
	uint16_t host = tg_elf_host_machine();
	if (info->kind != TG_FILE_SCRIPT)
		return tg_elf_verdict(info, host, buf, len, why);
	struct tg_elf_info *interp = tg_cli_xmalloc(sizeof *interp);
	enum tg_verdict v;
	const char *iwhy;
	char ibuf[TG_ELF_WHY_MAX];
	if (info->script_interp[0] == '\0' ||
	    tg_elf_inspect(info->script_interp, interp) < 0) {
		v = TG_VERDICT_NOT;
		iwhy = "its interpreter cannot be read";
	} else {
		v = interp->kind == TG_FILE_SCRIPT ? TG_VERDICT_NOT
						   : tg_elf_verdict(interp, host, ibuf,
								    sizeof ibuf, &iwhy);
		if (interp->kind == TG_FILE_SCRIPT)
			iwhy = "its interpreter is a script";
	}
	char *shown = tg_cli_printable(info->script_interp);
	snprintf(buf, len, "a script run by %s: %s", shown, iwhy);
	free(shown);
	free(interp);
	*why = buf;
	return v;
}

struct scan_opts {
	int json;
};

/* One file. Returns its verdict, or -1 (after printing) if unreadable. */
static int scan_one(const struct scan_opts *o, const char *path, int first)
{
	struct tg_elf_info *info = tg_cli_xmalloc(sizeof *info);
	int r;
	if (tg_elf_inspect(path, info) < 0) {
		int err = errno;
		char *p = tg_cli_printable(path);
		if (o->json) {
			char *j = json_str(path);
			printf("%s{\"file\":%s,\"error\":\"%s\"}", first ? "" : ",", j,
			       strerror(err));
			free(j);
		} else {
			printf("%s: cannot read: %s\n\n", p, strerror(err));
		}
		tg_cli_say("%s: %s", p, strerror(err));
		free(p);
		free(info);
		return -1;
	}
	char whybuf[PATH_MAX + TG_ELF_WHY_MAX];
	const char *why;
	enum tg_verdict v = judge(info, &why, whybuf, sizeof whybuf);
	int elf = info->kind >= TG_FILE_ELF_FOREIGN;
	if (o->json) {
		char *j = json_str(path), *w = json_str(why);
		printf("%s{\"file\":%s,\"elf\":%s,\"kind\":\"%s\"", first ? "" : ",",
		       j, elf ? "true" : "false", kind_name(info));
		if (elf) {
			char *in = json_str(info->interp);
			printf(",\"bits\":%d,\"machine\":%u,\"interp\":%s,\"libc\":\"%s\","
			       "\"go\":%s,\"raw_syscalls\":%s,\"io_uring\":%s,"
			       "\"unsafe\":", info->bits, info->machine, in,
			       libc_name(info->libc), info->go ? "true" : "false",
			       tg_elf_raw_syscalls(info) ? "true" : "false",
			       info->io_uring[0] != '\0' ? "true" : "false");
			free(in);
			print_json_syms(info, TG_SYM_UNSAFE);
			fputs(",\"safe\":", stdout);
			print_json_syms(info, TG_SYM_SAFE);
			fputs(",\"open\":", stdout);
			print_json_syms(info, TG_SYM_OPEN);
			fputs(",\"other\":", stdout);
			print_json_syms(info, TG_SYM_OTHER);
		}
		if (info->kind == TG_FILE_SCRIPT) {
			char *in = json_str(info->script_interp);
			printf(",\"script_interp\":%s", in);
			free(in);
		}
		printf(",\"setuid\":%s,\"setgid\":%s,\"verdict\":\"%s\",\"reason\":%s}",
		       info->setuid ? "true" : "false", info->setgid ? "true" : "false",
		       tg_verdict_name(v), w);
		free(j);
		free(w);
	} else {
		char *p = tg_cli_printable(path);
		printf("%s: %s\n", p, tg_verdict_name(v));
		free(p);
		printf("  why: %s\n", why);
		printf("  type: %s", kind_name(info));
		if (elf) {
			printf(", %d-bit, machine %u, libc %s%s", info->bits, info->machine,
			       libc_name(info->libc), info->go ? ", Go program" : "");
			if (info->interp[0] != '\0') {
				char *in = tg_cli_printable(info->interp);
				printf(", interpreter %s", in);
				free(in);
			}
		}
		if (info->setuid)
			fputs(", set-user-ID", stdout);
		if (info->setgid)
			fputs(", set-group-ID", stdout);
		putchar('\n');
		if (elf) {
			print_text_syms(info, TG_SYM_UNSAFE, "  unsafe: ");
			print_text_syms(info, TG_SYM_SAFE, "  safe: ");
			print_text_syms(info, TG_SYM_OPEN, "  open: ");
			print_text_syms(info, TG_SYM_OTHER, "  other: ");
		}
		putchar('\n');
	}
	r = (int)v;
	free(info);
	return r;
}

int tg_cli_scan(int argc, char **argv)
{
	struct scan_opts o = { 0 };
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char *value;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			tg_cli_usage("scan", 0);
			return TG_EXIT_OK;
		}
		int r = tg_cli_option_value(argc, argv, &i, "format", &value);
		if (r < 0)
			return TG_EXIT_USAGE;
		if (r > 0) {
			if (strcmp(value, "text") == 0)
				o.json = 0;
			else if (strcmp(value, "json") == 0)
				o.json = 1;
			else {
				char *v = tg_cli_printable(value);
				tg_cli_say("scan: --format must be text or json, not '%s'", v);
				free(v);
				return TG_EXIT_USAGE;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			char *v = tg_cli_printable(a);
			tg_cli_say("scan: unknown option '%s' (try tmpguard scan --help)", v);
			free(v);
			return TG_EXIT_USAGE;
		}
		break;
	}
	if (i >= argc) {
		tg_cli_say("scan: no FILE given");
		tg_cli_usage("scan", 1);
		return TG_EXIT_USAGE;
	}
	int worst = TG_EXIT_OK, unreadable = 0;
	if (o.json)
		putchar('[');
	for (int first = 1; i < argc; i++, first = 0) {
		int v = scan_one(&o, argv[i], first);
		if (v < 0)
			unreadable = 1;
		else if (v != TG_VERDICT_PROTECTED)
			worst = TG_EXIT_FINDINGS;
	}
	if (o.json)
		fputs("]\n", stdout);
	if (fflush(stdout) != 0)
		return TG_EXIT_USAGE;
	return unreadable ? TG_EXIT_UNREADABLE : worst;
}
