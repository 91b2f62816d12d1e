/* tmpguard — the names that tell whether the library reaches a program:
 * its loader, Go's build-id note, the imports and libraries of raw
 * system calls and io_uring. One rule, read by scan and run from a file
 * (cli/elf.c, libelf) and by the library from its own program in memory
 * or an exec'd file's first page (lib/guard/reach.c). No allocation, no
 * system call. */
#ifndef TG_CORE_ELFNAMES_H
#define TG_CORE_ELFNAMES_H

#include <stdint.h>
#include <string.h>

enum tg_libc { TG_LIBC_UNKNOWN = 0, TG_LIBC_GLIBC, TG_LIBC_MUSL };

/* The libc a dynamic loader (PT_INTERP) belongs to. */
static inline enum tg_libc tg_libc_of_interp(const char *interp)
{
	if (strstr(interp, "musl") != NULL)
		return TG_LIBC_MUSL;
	if (strstr(interp, "/ld-linux") != NULL || strstr(interp, "/ld64.so") != NULL ||
	    strstr(interp, "/ld.so") != NULL)
		return TG_LIBC_GLIBC;
	return TG_LIBC_UNKNOWN;
}

/* Go's build-id note: type 4 (NT_GO_BUILDID in the Go tree), named "Go"
 * (namesz 3) or, as Go's own linker writes it, "Go\0\0" (namesz 4). */
static inline int tg_note_is_go(uint32_t type, uint32_t namesz, const char *name)
{
	return type == 4 && (namesz == 3 || namesz == 4) &&
	       memcmp(name, "Go", 3) == 0 && (namesz == 3 || name[3] == '\0');
}

/* liburing.so.2, liburing-ffi.so.2 (glibc has no io_uring calls) */
static inline int tg_soname_is_liburing(const char *soname)
{
	return strncmp(soname, "liburing", 8) == 0 &&
	       (soname[8] == '.' || soname[8] == '-');
}

/* liburing's functions and the raw wrappers of its newer versions */
static inline int tg_name_is_uring_call(const char *name)
{
	return strncmp(name, "io_uring_", 9) == 0 ||
	       strncmp(name, "__io_uring_", 11) == 0;
}

/* An import through which a program makes file system calls without
 * libc's wrappers: syscall, or an io_uring function. */
static inline int tg_import_bypasses(const char *name)
{
	return strcmp(name, "syscall") == 0 || tg_name_is_uring_call(name);
}

#endif
