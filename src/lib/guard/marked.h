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

/* The system call nr with the mark in the sixth register, which is
 * cleared after it: a raw system call the program makes next must not
 * find the mark there. The kernel's result, or -1 with errno. */
static inline long tg_marked(long nr, long a1, long a2, long a3, long a4,
			     long a5)
{
	long mark = (long)__atomic_load_n(&tg_path_mark, __ATOMIC_RELAXED);
#if defined(__x86_64__) && !defined(__ILP32__)
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = mark;
	long ret;
	__asm__ volatile("syscall\n\txorl %%r9d, %%r9d"
			 : "=a"(ret), "+r"(r9)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8)
			 : "rcx", "r11", "memory");
	if (__builtin_expect((unsigned long)ret > -4096UL, 0)) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
#else
	return syscall(nr, a1, a2, a3, a4, a5, mark);
#endif
}

#define TG_MARKED_(nr, a1, a2, a3, a4, a5, ...) \
	tg_marked((long)(nr), (long)(a1), (long)(a2), (long)(a3), (long)(a4), \
		  (long)(a5))
/* TG_MARKED(nr, args...): up to five arguments, the rest zero. */
#define TG_MARKED(...) TG_MARKED_(__VA_ARGS__, 0, 0, 0, 0, 0)

#endif
