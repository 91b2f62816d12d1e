/* tmpguard — run --supervise in the library: the filter goes where the
 * library cannot follow. run exports the filter it made with libseccomp
 * (TMPGUARD_SUPERVISE_FILTER); the library installs it in a process about
 * to exec a program it will not cover (lib/guard/reach.h), in a spawning
 * process whose child it cannot tell, and at start-up in a program that
 * bypasses it (raw system calls, io_uring, Go), then hands the listener
 * to run ("L", core/handshake.h). A process the library covers runs with
 * no filter: any filter slows each of its system calls. */
#ifndef TG_LIB_GUARD_FILTER_H
#define TG_LIB_GUARD_FILTER_H

/* The constructor, under run: value is TMPGUARD_SUPERVISE_FILTER's,
 * envp the process's environment. Malformed: a message, no supervision
 * by the library (run's filter in the command, if any, still holds). */
void tg_filter_setup(const char *value, char *const envp[]);

/* 1 when this process is under run --supervise (a filter to install). */
extern int tg_filter_loaded;
static inline int tg_filter_on(void)
{
	return __builtin_expect(
		__atomic_load_n(&tg_filter_loaded, __ATOMIC_RELAXED), 0);
}

/* Before exec'ing path with envp (NULL: environ): the filter, unless
 * the library covers what will run. Preserves errno; vfork-safe. */
void tg_filter_before_exec(const char *path, char *const envp[]);

/* The filter on this thread now (all threads: the whole process). A
 * process that has it already (EBUSY: the kernel takes one listener in a
 * process's filters) is left as it is. Preserves errno; vfork-safe. */
void tg_filter_install(int all_threads);

#endif
