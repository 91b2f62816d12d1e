/* tmpguard — the system calls tmpguard makes for itself: raw, so that they
 * never reach an interposed symbol (ours or another preload's) and need no
 * libc symbol version newer than the loader checks anyway (every version
 * the library names costs every process at start-up). */
#ifndef TG_CORE_SYS_H
#define TG_CORE_SYS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* A creating tg_sys_openat carries this mark in its mode's high bits,
 * which the kernel drops: the library sets run --supervise's
 * (TMPGUARD_SUPERVISE), so that the filter lets its own creations by;
 * the command, never under the filter, leaves it 0. */
extern unsigned tg_sys_create_mark;
int tg_sys_openat(int dirfd, const char *path, int flags, mode_t mode);
int tg_sys_close(int fd);
int tg_sys_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int tg_sys_fstat(int fd, struct stat *st);
int tg_sys_unlink(const char *path);
int tg_sys_fcntl(int fd, int cmd, long arg);
pid_t tg_sys_getpid(void);
uid_t tg_sys_geteuid(void);

/* All of buf to fd, retrying short writes and EINTR: 0, or -1 with errno. */
int tg_sys_write_all(int fd, const void *buf, size_t len);

/* One datagram on the socket fd to a Unix socket path, or "@name" in the
 * abstract namespace; a busy receiver (EAGAIN) is retried for about 50 ms.
 * 0, or -1 with errno. */
int tg_sys_send_datagram(int fd, const char *where, const void *buf,
			 size_t len);

/* The same, passing the descriptor pass with it (SCM_RIGHTS); a full
 * receiver is waited for, not given up on. */
int tg_sys_send_datagram_fd(int fd, const char *where, const void *buf,
			    size_t len, int pass);

/* What a descriptor is: its device, inode, file type and link count, for
 * checking that a kept descriptor is still what it was. statx asks for no
 * time stamp: an fstat between appends to a log makes every append also
 * store a fine-grained mtime on file systems with multigrain time stamps
 * (ext4, xfs, tmpfs since Linux 6.13). Falls back to fstat. */
struct tg_identity {
	unsigned long long dev; /* major << 32 | minor */
	unsigned long long ino;
	unsigned mode;
	unsigned long nlink; /* 0: deleted, the name now means something else */
};
int tg_sys_identity(int fd, struct tg_identity *id);

/* An anonymous private read-write mapping (MAP_FAILED on failure) and its
 * release, for buffers that must not come from malloc. */
void *tg_sys_map(size_t len);
void tg_sys_unmap(void *p, size_t len);
/* The first len bytes of the file fd, read-only (MAP_FAILED on failure). */
void *tg_sys_map_file(int fd, size_t len);

/* "/proc/self/fd/N": a name for exactly the object fd refers to (the
 * kernel resolves it to the descriptor's file, not to a path). */
#define TG_PROC_FD_PATH_MAX 32
void tg_proc_fd_path(char buf[TG_PROC_FD_PATH_MAX], int fd);

/* One page the kernel wipes to zeros in every child made by fork (a
 * process-private memo: a child starts with an empty one), mapped on first
 * use and published in *slot; NULL where the kernel cannot wipe on fork
 * (before Linux 4.14). *slot holds NULL until the first call, then the page
 * or TG_WIPE_NONE. Lock-free: racing callers get the same page. The page is
 * left out of core dumps. */
#define TG_WIPE_PAGE 4096
#define TG_WIPE_NONE ((void *)1)
void *tg_sys_wipeonfork_page(void **slot);

#endif
