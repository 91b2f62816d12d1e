/* tmpguard — the shape of an interposed vfork (x86_64): jump to the address
 * RESOLVER (a C function taking nothing, run in the parent) returns, with
 * the caller's return address still on the stack. A C forwarder cannot be
 * used: the child would return through its frame and the parent resume on
 * a stack the child reused. Shared by the library and the bench's
 * forward-only floor. */
#ifndef TG_VFORK_H
#define TG_VFORK_H

#ifdef __CET__
#define TG_VFORK_ENDBR "	endbr64\n"
#else
#define TG_VFORK_ENDBR ""
#endif

#define TG_VFORK_TRAMPOLINE(resolver)                                        \
	__asm__(".text\n"                                                    \
		".globl vfork\n"                                             \
		".type vfork, @function\n"                                   \
		"vfork:\n" TG_VFORK_ENDBR                                    \
		"	subq $8, %rsp\n" /* a 16-byte aligned stack for the call */ \
		"	call " #resolver "\n"                                 \
		"	addq $8, %rsp\n"                                      \
		"	jmp *%rax\n"                                          \
		".size vfork, .-vfork\n")

#endif
