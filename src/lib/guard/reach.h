/* tmpguard — run --supervise in the library: which programs the library
 * itself covers, so that the filter goes only where it does not (scan's
 * verdict "protected" gets no filter; see lib/guard/filter.h). No
 * allocation, raw system calls only: the exec check runs between vfork
 * and exec. */
#ifndef TG_LIB_GUARD_REACH_H
#define TG_LIB_GUARD_REACH_H

/* This process's own program, read in memory: a Go program, or one that
 * makes system calls without libc's wrappers (imports syscall, an
 * io_uring_* function, or needs liburing): what scan calls "not" or
 * "partly" protected although the library loaded. */
int tg_reach_self_bypasses(void);

/* The constructor, under run --supervise: the variables a program's
 * environment must carry as this one's does for the library to load into
 * it and supervise it (LD_PRELOAD, TMPGUARD_HANDSHAKE, TMPGUARD_SUPERVISE,
 * TMPGUARD_SUPERVISE_FILTER), and the library's own file. */
void tg_reach_note_env(char *const envp[]);

/* Exec'ing path with envp (NULL: environ) runs a program the library
 * will load into and supervise: ELF of this host's class and machine,
 * linked by glibc's loader, not set-id without no_new_privs, envp carrying
 * what tg_reach_note_env saw, the library readable; a "#!" script by its
 * interpreter (one level). A file that is not there, or that the kernel
 * will not run, is covered (the exec fails, or execvp hands it to sh).
 * Unsure is 0. Preserves errno. */
int tg_reach_exec_covered(const char *path, char *const envp[]);

#endif
