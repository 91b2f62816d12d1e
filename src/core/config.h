/* tmpguard — configuration read from the environment, once per process. */
#ifndef TG_CONFIG_H
#define TG_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

enum tg_mode { TG_MODE_HARDEN = 0, TG_MODE_AUDIT = 1 };
enum tg_format { TG_FORMAT_TEXT = 0, TG_FORMAT_JSON = 1 };
enum tg_sink_kind { TG_SINK_STDERR = 0, TG_SINK_FILE, TG_SINK_SYSLOG, TG_SINK_JOURNAL };

#define TG_MAX_DIRS 32

/* A directory, by identity: what the configuration keeps of a name. */
struct tg_dir_id {
	dev_t dev;
	ino_t ino;
};
#define TG_SOCK_PATH_MAX 108 /* sizeof(sun_path) */
#define TG_MSG_MAX 1024

/* Where `tmpguard run` listens: TMPGUARD_HANDSHAKE="TOKEN@NAME", NAME an
 * abstract socket name, TOKEN the lowercase hex it wants in every message. */
struct tg_handshake_addr {
	char token[64];
	char name[TG_SOCK_PATH_MAX];
};

/* Reads a TMPGUARD_HANDSHAKE value into addr: 0, or -1 (addr emptied)
 * when it is not TOKEN@NAME with a token of 8 to 63 hex digits and a name
 * of 1 to 100 printable bytes. The library's constructor reads it with
 * this alone, without parsing the rest of the configuration. */
int tg_config_handshake(const char *value, struct tg_handshake_addr *addr);

struct tg_config {
	enum tg_mode mode;
	enum tg_format format;
	enum tg_sink_kind sink;
	char log_path[PATH_MAX];          /* TG_SINK_FILE only, absolute or as given */
	int ndirs;                        /* shared directories that exist */
	struct tg_dir_id dirs[TG_MAX_DIRS];
	struct tg_handshake_addr handshake; /* name "" when not set */
	char syslog_socket[TG_SOCK_PATH_MAX];
	char journal_socket[TG_SOCK_PATH_MAX];
};

/* Environment lookup used by the parser; tests pass their own. */
typedef const char *(*tg_getenv_fn)(const char *name, void *ctx);
/* A directory's identity: 0, or -1 when there is no such directory (it is
 * then not shared). The library stats; tests pass their own. */
typedef int (*tg_dir_lookup_fn)(const char *path, struct tg_dir_id *id,
				void *ctx);

/* Fill cfg from the variables TMPGUARD_MODE, TMPGUARD_LOG, TMPGUARD_FORMAT,
 * TMPGUARD_DIRS, TMPDIR, TMPGUARD_HANDSHAKE, TMPGUARD_SYSLOG_SOCKET and
 * TMPGUARD_JOURNAL_SOCKET, through get and look (both given ctx). In a
 * secure-execution process (secure) nothing from the environment chooses a
 * file to write. Invalid values fall back to safe defaults; one line per
 * problem ("tmpguard: ...\n") is appended to msgs (NUL-terminated).
 * Returns the number of problems found. Never allocates. */
int tg_config_parse(struct tg_config *cfg, tg_getenv_fn get,
		    tg_dir_lookup_fn look, void *ctx, int secure, char *msgs,
		    size_t msgs_len);

/* Names for messages and events. */
const char *tg_mode_name(enum tg_mode m);

#endif
