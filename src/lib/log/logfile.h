/* tmpguard — the log file, written through a descriptor kept open between
 * records and verified before each write (keptfd.h). */
#ifndef TG_LOGFILE_H
#define TG_LOGFILE_H

#include <stddef.h>
#include <time.h>

/* Appends line to the log file at path through the kept descriptor,
 * opening (or reopening) it when there is none, when the program closed or
 * reused its number, when the file was deleted, or when it was opened a
 * second or more before now (a rotated log is followed within a second).
 * A log that is not a regular file or character device (a FIFO, a socket),
 * or one for which no high number is free, gets a descriptor for this
 * record only. Returns 0 when written, -1 when the record could not be. */
int tg_logfile_append(const char *path, const char *line, size_t len,
		      time_t now);

#endif
