/* tmpguard tests — a statically linked program (Makefile.am links it
 * -all-static) that creates argv[1] with fopen("w"), the way legacy code
 * does: no preload library can reach it, and `tmpguard run` must say so. */
#include <config.h>

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: static_probe FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "w");
	if (f == NULL) {
		perror(argv[1]);
		return 1;
	}
	fputs("static_probe\n", f);
	return fclose(f) == 0 ? 0 : 1;
}
