/* tmpguard run --supervise — what the supervisor learns about a trapped
 * process from /proc/PID: its credentials and umask, a string from its
 * memory, the directory a relative path starts from, its program and the
 * code that made the call. The process may exit and its pid be reused at
 * any moment: the caller checks the notification is still valid after
 * reading (seccomp_notify_id_valid) before trusting any of it. */
#ifndef TG_CLI_TRACEE_H
#define TG_CLI_TRACEE_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#define TG_TRACEE_GROUPS 64

struct tracee {
	pid_t pid;              /* the thread that made the call */
	/* /proc/PID/status */
	pid_t tgid;             /* its process, as getpid(2) names it */
	uid_t euid, fsuid;
	gid_t fsgid;
	mode_t umask;
	int ngroups;            /* -1: more than TG_TRACEE_GROUPS */
	gid_t groups[TG_TRACEE_GROUPS];
	/* /proc/PID/exe ("" when unknown) */
	char exe[PATH_MAX];
	/* the caller, from the trapped instruction pointer and the maps */
	char module[PATH_MAX];  /* "" when not in a file mapping */
	uintptr_t offset;       /* from the module's load bias */
	int preloaded;          /* libtmpguard.so is mapped */
	int libc_wrapper;       /* the call came from libc, not from its
				 * syscall(): a call the library interposes */
	int from_library;       /* the call came from libtmpguard.so itself */
};

/* Credentials and umask. 0, or -1 (the process is gone). */
int tg_tracee_status(struct tracee *t);

/* A NUL-terminated string at addr in the process (at most len bytes with
 * the NUL): 0, or -1 with errno (EFAULT, ENAMETOOLONG, ESRCH ...). */
int tg_tracee_string(pid_t pid, uint64_t addr, char *buf, size_t len);

/* len bytes at addr: 0, or -1 with errno. */
int tg_tracee_read(pid_t pid, uint64_t addr, void *buf, size_t len);

/* An O_PATH descriptor (in run) of the directory a relative path of the
 * process starts from: its working directory (dirfd AT_FDCWD) or its
 * descriptor dirfd. -1 with the errno the kernel would give the call
 * (EBADF, ENOTDIR) or another one when the process is gone. */
int tg_tracee_start_dir(pid_t pid, int dirfd);

/* Does the process resolve absolute paths as run does (same root
 * directory and mount namespace)? */
int tg_tracee_same_view(pid_t pid);

/* The program and the caller of the call trapped at ip. */
void tg_tracee_exe(struct tracee *t);
void tg_tracee_caller(struct tracee *t, uint64_t ip);

#endif
