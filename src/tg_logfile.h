/* tmpguard — the log file, written through a descriptor kept open between
 * records and verified before each write (tg_keptfd.h). */
#ifndef TG_LOGFILE_H
#define TG_LOGFILE_H

#include <stddef.h>
#include <time.h>

/* Appends line to the log file at path through the kept descriptor,
 * opening (or reopening) it when there is none, when the program closed or
 * reused its number, when the file was deleted, or when it was opened a
 * second or more before now (a rotated log is followed within a second).
 * Returns 0 when written, -1 when the record could not be written, 1 when
 * the log is not a regular file or character device (or no high descriptor
 * is free): the caller then writes the record through a descriptor of its
 * own. */
int tg_logfile_append(const char *path, const char *line, size_t len,
		      time_t now);

/* The log at path opened for appending (0600 when created), never through
 * a symlink, never blocking on a FIFO; a descriptor or -1. */
int tg_logfile_open(const char *path);

#endif
