/* tmpguard — finding libtmpguard.so for --libpath, run and env. */
#ifndef TG_CLI_LIBPATH_H
#define TG_CLI_LIBPATH_H

/* The absolute path of libtmpguard.so (TMPGUARD_LIBPATH, the build tree
 * next to this executable, or the installed one), malloc'ed; NULL after a
 * message when there is none. */
char *tg_cli_libpath(void);
/* The same, checked to be usable in LD_PRELOAD (which splits on ' ' and
 * ':'); NULL after a message. */
char *tg_cli_preload_path(void);

#endif
