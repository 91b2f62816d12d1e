/* tmpguard — hooks: the working directory. Forwarded untouched; a change
 * makes the library look at the new one before it judges (or not) the
 * next relative path (lib/guard/where.h). */
#include <config.h>

#include <unistd.h>

#include "lib/export.h"
#include "lib/guard/where.h"
#include "lib/real.h"

TG_EXPORT int chdir(const char *path)
{
	int rc = TG_REAL(chdir)(path);
	if (rc == 0)
		tg_where_forget_cwd();
	return rc;
}

TG_EXPORT int fchdir(int fd)
{
	int rc = TG_REAL(fchdir)(fd);
	if (rc == 0)
		tg_where_forget_cwd();
	return rc;
}
