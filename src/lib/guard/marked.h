/* tmpguard — the path calls the library makes under run --supervise.
 *
 * run's filter traps every truncate, chmod, chown, utime, rename and link
 * system call whose sixth argument register does not hold run's path mark
 * (cli/supervise.c): none of these calls has a sixth argument, so the
 * kernel ignores the register, and seccomp sees it. Under supervision the
 * library makes the path calls it lets through, or acts on what it
 * pinned, itself: each as a system call with the meaning of glibc's
 * wrapper, carrying the mark. A program's own system calls carry none. */
#ifndef TG_LIB_GUARD_MARKED_H
#define TG_LIB_GUARD_MARKED_H

#include "core/syscall.h"

/* run's path mark (TMPGUARD_SUPERVISE), set when the configuration is
 * parsed; 0: not supervised, glibc's wrappers are called as they are. */
extern unsigned long long tg_path_mark;

static inline int tg_path_marking(void)
{
	return __builtin_expect(
		__atomic_load_n(&tg_path_mark, __ATOMIC_RELAXED) != 0, 0);
}

/* The system call nr with the mark in the sixth register (which
 * tg_syscall6 clears after it). The kernel's result, or -1 with errno. */
static inline long tg_marked(long nr, long a1, long a2, long a3, long a4,
			     long a5)
{
	return tg_syscall6(nr, a1, a2, a3, a4, a5,
			   (long)__atomic_load_n(&tg_path_mark,
						 __ATOMIC_RELAXED));
}

#define TG_MARKED_(nr, a1, a2, a3, a4, a5, ...) \
	tg_marked((long)(nr), (long)(a1), (long)(a2), (long)(a3), (long)(a4), \
		  (long)(a5))
/* TG_MARKED(nr, args...): up to five arguments, the rest zero. */
#define TG_MARKED(...) TG_MARKED_(__VA_ARGS__, 0, 0, 0, 0, 0)

#endif
