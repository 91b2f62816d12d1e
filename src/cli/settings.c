/* tmpguard — the settings that become TMPGUARD_* variables, validated by
 * the library's own parser (so the command accepts exactly what the
 * library does), and the effective configuration of an environment. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/settings.h"
#include "cli/util.h"
#include "core/config.h"
#include "core/policy.h"
#include "core/safeopen.h"
#include "core/walk.h"

/* ---- the library's view of a value ---------------------------------------- */

struct one_variable {
	const char *name;
	const char *value;
};

static const char *one_variable_get(const char *name, void *ctx)
{
	const struct one_variable *v = ctx;
	return strcmp(name, v->name) == 0 ? v->value : NULL;
}

static const char *environment_get(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

/* A user as the system knows it (NSS: local files, LDAP ...). */
static int user_id(const char *name, uid_t *uid, void *ctx)
{
	(void)ctx;
	struct passwd *pw = getpwnam(name);
	if (pw == NULL)
		return -1;
	*uid = pw->pw_uid;
	return 0;
}

/* Parses an environment of NAME=VALUE alone, as the library would; returns
 * the number of problems the library finds. cfg is large: heap, not stack. */
static int library_parse(const char *name, const char *value,
			 struct tg_config *cfg)
{
	struct one_variable v = { name, value };
	char msgs[TG_MSG_MAX];
	struct tg_config_env env = { .get = one_variable_get, .look_user = user_id,
				     .ctx = &v };
	return tg_config_parse(cfg, &env, msgs, sizeof msgs);
}

static void say_invalid(const char *option, const char *value,
			const char *expected)
{
	char *shown = tg_cli_printable(value);
	tg_cli_say("invalid --%s value '%s': %s", option, shown, expected);
	free(shown);
}

/* ---- each setting ------------------------------------------------------- */

static int set_mode(struct tg_settings *s, const char *v, struct tg_config *cfg)
{
	if (v[0] == '\0' || library_parse("TMPGUARD_MODE", v, cfg) != 0) {
		say_invalid("mode", v, "expected harden or audit");
		return -1;
	}
	s->mode = tg_mode_name(cfg->mode);
	return 1;
}

static int set_format(struct tg_settings *s, const char *v,
		      struct tg_config *cfg)
{
	if (v[0] == '\0' || library_parse("TMPGUARD_FORMAT", v, cfg) != 0) {
		say_invalid("format", v, "expected text or json");
		return -1;
	}
	s->format = cfg->format == TG_FORMAT_JSON ? "json" : "text";
	return 1;
}

static int is_log_keyword(const char *v)
{
	return strcmp(v, "stderr") == 0 || strcmp(v, "syslog") == 0 ||
	       strcmp(v, "journal") == 0;
}

/* The directory part of path ("." when there is none), malloc'ed. */
static char *directory_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return tg_cli_xstrdup(".");
	size_t len = slash == path ? 1 : (size_t)(slash - path);
	char *dir = tg_cli_xmalloc(len + 1);
	memcpy(dir, path, len);
	dir[len] = '\0';
	return dir;
}

/* A file path made absolute: the real path of its directory (which must
 * exist) plus its last component. The file itself need not exist, and a
 * symbolic link as the last component is kept as is (never followed). */
static char *absolute_file_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	if (name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		say_invalid("log", path, "a directory, not a file");
		return NULL;
	}
	char *dir = directory_of(path);
	char *real = realpath(dir, NULL);
	if (real == NULL) {
		char *shown = tg_cli_printable(dir);
		tg_cli_say("invalid --log value: directory '%s': %s", shown,
			   strerror(errno));
		free(shown);
		free(dir);
		return NULL;
	}
	free(dir);
	char *abs = NULL;
	int root = strcmp(real, "/") == 0;
	if (asprintf(&abs, "%s/%s", root ? "" : real, name) < 0) {
		tg_cli_say("out of memory");
		exit(TG_EXIT_USAGE);
	}
	free(real);
	return abs;
}

static int set_log(struct tg_settings *s, const char *v, struct tg_config *cfg)
{
	if (v[0] == '\0') {
		say_invalid("log", v,
			    "expected stderr, syslog, journal or a file path");
		return -1;
	}
	char *value = is_log_keyword(v) ? tg_cli_xstrdup(v)
					: absolute_file_path(v);
	if (value == NULL)
		return -1;
	if (library_parse("TMPGUARD_LOG", value, cfg) != 0) {
		say_invalid("log", value, "the path is too long");
		free(value);
		return -1;
	}
	free(s->log);
	s->log = value;
	return 1;
}

/* --dirs may be repeated: the lists add up. */
static int set_dirs(struct tg_settings *s, const char *v, struct tg_config *cfg)
{
	char *all = tg_cli_join(s->dirs, ':', v);
	if (v[0] == '\0' || library_parse("TMPGUARD_DIRS", all, cfg) != 0) {
		char buf[64];
		snprintf(buf, sizeof buf, "%d", TG_MAX_DIRS);
		char *expected = tg_cli_join(
			"expected absolute directories separated by ':', at most",
			' ', buf);
		say_invalid("dirs", v, expected);
		free(expected);
		free(all);
		return -1;
	}
	free(s->dirs);
	s->dirs = all;
	return 1;
}

static int all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* One --trust entry as the uid the library will get: a name is looked up
 * here, through every user database the system has (NSS), because the
 * library reads names from /etc/passwd alone; a uid stays that uid. 0, or
 * -1 after a message. */
static int trust_entry(const char *value, const char *entry, uid_t *uid,
		       struct tg_config *cfg)
{
	if (library_parse("TMPGUARD_TRUST", entry, cfg) == 0 &&
	    cfg->ntrust == 1) {
		*uid = cfg->trust[0];
		return 0;
	}
	int uid_like = all_digits(entry);
	if (strcmp(entry, value) == 0) {
		say_invalid("trust", value,
			    uid_like ? "not a valid uid" : "no such user");
		return -1;
	}
	char *shown = tg_cli_printable(entry);
	char *why = NULL;
	if (asprintf(&why, uid_like ? "'%s' is not a valid uid"
				    : "no such user '%s'",
		     shown) < 0) {
		tg_cli_say("out of memory");
		exit(TG_EXIT_USAGE);
	}
	say_invalid("trust", value, why);
	free(why);
	free(shown);
	return -1;
}

/* --trust may be repeated: the lists add up, as uids separated by ','.
 * Empty entries are skipped, as the library skips them. */
static int set_trust(struct tg_settings *s, const char *v,
		     struct tg_config *cfg)
{
	char *entries = tg_cli_xstrdup(v);
	char *all = s->trust != NULL ? tg_cli_xstrdup(s->trust) : NULL;
	int added = 0, bad = 0;
	for (char *p = entries, *end; p != NULL; p = end) {
		end = strchr(p, ',');
		if (end != NULL)
			*end++ = '\0';
		if (p[0] == '\0')
			continue;
		uid_t uid;
		if (trust_entry(v, p, &uid, cfg) < 0) {
			bad = 1;
			break;
		}
		char num[24];
		snprintf(num, sizeof num, "%lu", (unsigned long)uid);
		char *longer = tg_cli_join(all, ',', num);
		free(all);
		all = longer;
		added++;
	}
	free(entries);
	if (!bad && added == 0) {
		say_invalid("trust", v,
			    "expected user names or uids separated by ','");
		bad = 1;
	}
	if (!bad && library_parse("TMPGUARD_TRUST", all, cfg) != 0) {
		char buf[64];
		snprintf(buf, sizeof buf, "at most %d users in all",
			 TG_MAX_TRUST);
		say_invalid("trust", v, buf);
		bad = 1;
	}
	if (bad) {
		free(all);
		return -1;
	}
	free(s->trust);
	s->trust = all;
	return 1;
}

static int set_file_mode(struct tg_settings *s, const char *v,
			 struct tg_config *cfg)
{
	if (v[0] == '\0' || library_parse("TMPGUARD_FILE_MODE", v, cfg) != 0) {
		say_invalid("file-mode", v, "expected private or program");
		return -1;
	}
	s->file_mode = cfg->file_mode == TG_FILE_MODE_PROGRAM ? "program"
							      : "private";
	return 1;
}

int tg_settings_option(struct tg_settings *s, int argc, char **argv, int *i)
{
	static const struct {
		const char *name;
		int (*set)(struct tg_settings *, const char *,
			   struct tg_config *);
	} options[] = {
		{ "mode", set_mode },
		{ "format", set_format },
		{ "log", set_log },
		{ "dirs", set_dirs },
		{ "trust", set_trust },
		{ "file-mode", set_file_mode },
	};
	for (size_t k = 0; k < sizeof options / sizeof options[0]; k++) {
		const char *value;
		int rc = tg_cli_option_value(argc, argv, i, options[k].name,
					     &value);
		if (rc <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		struct tg_config *cfg = tg_cli_xmalloc(sizeof *cfg);
		rc = options[k].set(s, value, cfg);
		free(cfg);
		return rc;
	}
	return 0;
}

void tg_settings_release(struct tg_settings *s)
{
	free(s->log);
	free(s->dirs);
	free(s->trust);
	s->log = s->dirs = s->trust = NULL;
}

/* The environment the library will get from run: the settings' lists
 * added to the inherited ones, as run exports them. */
struct run_environment {
	char *dirs;
	char *trust;
};

static const char *run_environment_get(const char *name, void *ctx)
{
	const struct run_environment *r = ctx;
	if (strcmp(name, "TMPGUARD_DIRS") == 0 && r->dirs != NULL)
		return r->dirs;
	if (strcmp(name, "TMPGUARD_TRUST") == 0 && r->trust != NULL)
		return r->trust;
	return getenv(name);
}

static int directory_id(const char *path, struct tg_dir_id *id, void *ctx)
{
	(void)ctx;
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return -1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

/* The log opened as the library will open it: under the rule for shared
 * directories, with the trust and shared directories the library will
 * have (a planted log is refused now, before the command starts). */
static int open_log_as_library(const struct tg_settings *s,
			       enum tg_object_verdict *refused)
{
	struct run_environment r = {
		.dirs = s->dirs ? tg_cli_join(getenv("TMPGUARD_DIRS"), ':', s->dirs)
				: NULL,
		.trust = s->trust ? tg_cli_join(getenv("TMPGUARD_TRUST"), ',',
						s->trust)
				  : NULL,
	};
	struct tg_config *cfg = tg_cli_xmalloc(sizeof *cfg);
	char msgs[TG_MSG_MAX]; /* the library says these itself */
	struct tg_config_env env = { .get = run_environment_get,
				     .look_user = user_id, .ctx = &r };
	tg_config_parse(cfg, &env, msgs, sizeof msgs);
	struct tg_dir_id ids[TG_MAX_DIRS];
	int nids = tg_config_dir_ids(cfg, directory_id, NULL, ids);
	struct tg_trust trust = { geteuid(), cfg->ntrust, cfg->trust };
	struct tg_walk w = { .dirfd = AT_FDCWD, .path = s->log, .pfd = -1,
			     .fd = -1, .trust = &trust, .ids = ids,
			     .nids = nids };
	int fd = tg_ruled_open_log(&w);
	int err = errno;
	*refused = w.refused;
	tg_walk_done(&w);
	free(cfg);
	free(r.dirs);
	free(r.trust);
	errno = err;
	return fd;
}

int tg_settings_touch_log(const struct tg_settings *s)
{
	if (s->log == NULL || is_log_keyword(s->log))
		return 0;
	enum tg_object_verdict refused;
	int fd = open_log_as_library(s, &refused);
	if (fd < 0) {
		int err = errno;
		char *shown = tg_cli_printable(s->log);
		if (refused != TG_OBJ_OK)
			tg_cli_say("cannot open the log file '%s': refused in a "
				   "shared directory (%s), as the library would",
				   shown, tg_object_verdict_name(refused));
		else
			tg_cli_say("cannot open the log file '%s': %s", shown,
				   err == ELOOP ? "it is a symbolic link"
						: strerror(err));
		free(shown);
		return -1;
	}
	close(fd);
	return 0;
}

/* ---- what the library will do ------------------------------------------ */

static char *absolute_from_cwd(const char *path)
{
	if (path[0] == '/')
		return tg_cli_xstrdup(path);
	char *cwd = getcwd(NULL, 0);
	if (cwd == NULL)
		return tg_cli_xstrdup(path);
	char *abs = tg_cli_join(cwd, '/', path);
	free(cwd);
	return abs;
}

void tg_settings_parse_environment(struct tg_config *cfg)
{
	char msgs[TG_MSG_MAX]; /* the library says these itself */
	struct tg_config_env env = { .get = environment_get, .look_user = user_id };
	tg_config_parse(cfg, &env, msgs, sizeof msgs);
}

void tg_settings_effective(struct tg_effective *eff)
{
	struct tg_config *cfg = tg_cli_xmalloc(sizeof *cfg);
	tg_settings_parse_environment(cfg);
	eff->mode = tg_mode_name(cfg->mode);
	switch (cfg->sink) {
	case TG_SINK_SYSLOG:
		eff->log = tg_cli_xstrdup("syslog");
		break;
	case TG_SINK_JOURNAL:
		eff->log = tg_cli_xstrdup("journal");
		break;
	case TG_SINK_FILE:
		eff->log = absolute_from_cwd(cfg->log_path);
		break;
	default:
		eff->log = tg_cli_xstrdup("stderr");
		break;
	}
	free(cfg);
}
