/* ctor_lib — a library that calls the hooks itself: from its constructor
 * (when preloaded after libtmpguard.so, its constructor runs before the
 * library's) when TG_CTOR_PATH is set, and through tg_test_lib_open (for
 * dlopen). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((visibility("default"))) int tg_test_lib_open(const char *path);

int tg_test_lib_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fclose(f);
	return 0;
}

__attribute__((constructor)) static void ctor_lib_init(void)
{
	const char *p = getenv("TG_CTOR_PATH");
	if (p && tg_test_lib_open(p) != 0)
		_exit(42);
}
