/* tmpguard — configuration read from the environment, once per process. */
#ifndef TG_CONFIG_H
#define TG_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

enum tg_mode { TG_MODE_HARDEN = 0, TG_MODE_AUDIT = 1 };
enum tg_format { TG_FORMAT_TEXT = 0, TG_FORMAT_JSON = 1 };
enum tg_sink_kind { TG_SINK_STDERR = 0, TG_SINK_FILE, TG_SINK_SYSLOG, TG_SINK_JOURNAL };
/* The mode of files created in shared directories: 0600 (directories
 * 0700), or what the program asked, less its umask. */
enum tg_file_mode { TG_FILE_MODE_PRIVATE = 0, TG_FILE_MODE_PROGRAM };

#define TG_MAX_DIRS 32
#define TG_MAX_TRUST 16
#define TG_NAMES_MAX (2 * PATH_MAX)

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
	/* the shared directories by name (TMPGUARD_DIRS, TMPDIR and the
	 * defaults), to recognize a path under one without a system call;
	 * each normalized (no doubled or trailing '/') and NUL-terminated, an
	 * empty name after the last. Their identities are looked up when
	 * first needed (tg_config_dir_ids), not at the parse. */
	int ndirs;
	char names[TG_NAMES_MAX];
	int ntrust;                       /* TMPGUARD_TRUST, as uids */
	uid_t trust[TG_MAX_TRUST];
	enum tg_file_mode file_mode;
	struct tg_handshake_addr handshake; /* name "" when not set */
	char syslog_socket[TG_SOCK_PATH_MAX];
	char journal_socket[TG_SOCK_PATH_MAX];
	/* TMPGUARD_SUPERVISE: run --supervise's mark (0: none), carried in
	 * the mode of the creating opens the library has judged so that the
	 * filter lets them by (bits the kernel ignores: see TG_MARK_BITS) */
	unsigned supervise_mark;
	/* and its path mark (0: none), in the sixth argument register of the
	 * path calls the library makes, which those calls do not use */
	unsigned long long supervise_path_mark;
};

/* Where a supervise mark lives: bits 16 to 30 of an open's mode, which
 * the kernel drops (umode_t) and which, bit 31 clear, no sign extension
 * of an int mode can reach. */
#define TG_MARK_BITS 0x7fff0000u
#define TG_MARK_MODE_BITS 0xffffu

/* Where the parser gets what it reads; the library, the command and the
 * tests each give their own. */
struct tg_config_env {
	/* a variable's value, or NULL */
	const char *(*get)(const char *name, void *ctx);
	/* a user name's uid: 0, or -1 when there is no such user; NULL: only
	 * uids are understood */
	int (*look_user)(const char *name, uid_t *uid, void *ctx);
	void *ctx;
	/* a secure-execution process (AT_SECURE): nothing from the environment
	 * chooses a file to write or whom to trust */
	int secure;
};

/* Fill cfg from the variables TMPGUARD_MODE, TMPGUARD_LOG, TMPGUARD_FORMAT,
 * TMPGUARD_DIRS, TMPDIR, TMPGUARD_TRUST, TMPGUARD_FILE_MODE,
 * TMPGUARD_HANDSHAKE, TMPGUARD_SYSLOG_SOCKET, TMPGUARD_JOURNAL_SOCKET and
 * TMPGUARD_SUPERVISE.
 * Invalid values fall back to safe defaults; one line per problem
 * ("tmpguard: ...\n") is appended to msgs (NUL-terminated). Returns the
 * number of problems found. Never allocates. */
int tg_config_parse(struct tg_config *cfg, const struct tg_config_env *env,
		    char *msgs, size_t msgs_len);

/* The identities of the directories cfg names that exist, each once (two
 * names of one directory are one), through look: 0, or -1 when there is
 * no such directory. Returns how many. */
int tg_config_dir_ids(const struct tg_config *cfg,
		      int (*look)(const char *path, struct tg_dir_id *id,
				  void *ctx),
		      void *ctx, struct tg_dir_id ids[TG_MAX_DIRS]);

/* The outermost directory cfg names that prefixes the absolute path:
 * its length (1 when "/" is listed), 0 when none does. No system call. */
size_t tg_config_shared_prefix(const struct tg_config *cfg, const char *path);

/* Names for messages and events. */
const char *tg_mode_name(enum tg_mode m);

#endif
