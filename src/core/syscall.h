/* tmpguard — a system call made in place.
 *
 * glibc's syscall() is a function of its own: its call, its shuffle of six
 * argument registers and its errno path cost about as many instructions as
 * the rest of a hook's fast decision, on every system call the library
 * makes for itself (up to eight per logged event). On x86_64 the
 * instruction is issued here instead; elsewhere syscall() is used as is.
 *
 * TG_SYSCALL(nr, args...) behaves like syscall(nr, args...): the kernel's
 * result, or -1 with errno set. Arguments are passed as longs (pointers and
 * ints are converted; unused ones are zero, which the kernel ignores). */
#ifndef TG_SYSCALL_H
#define TG_SYSCALL_H

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__) && !defined(__ILP32__)
static inline long tg_syscall6(long nr, long a1, long a2, long a3, long a4,
			       long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;
	/* r9 cleared after the call: run --supervise's path mark passes
	 * there (lib/guard/marked.h), and a raw system call the program
	 * makes next must not find it */
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
}
#else
static inline long tg_syscall6(long nr, long a1, long a2, long a3, long a4,
			       long a5, long a6)
{
	return syscall(nr, a1, a2, a3, a4, a5, a6);
}
#endif

#define TG_SYSCALL_(nr, a1, a2, a3, a4, a5, a6, ...) \
	tg_syscall6((long)(nr), (long)(a1), (long)(a2), (long)(a3), \
		    (long)(a4), (long)(a5), (long)(a6))
#define TG_SYSCALL(...) TG_SYSCALL_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)

#endif
