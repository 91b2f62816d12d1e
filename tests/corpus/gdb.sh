# program: gdb
# package: gdb
# requires: gdb gcc
# temp: tmpfile() for its own buffers; the debugged program writes a predictable /tmp name
set -e
cat >t.c <<'C'
#include <stdio.h>
#include <unistd.h>
int f(int x) { return x * 2; }
int main(void) {
	char p[64];
	snprintf(p, sizeof p, "/tmp/tgcorpus-gdb.%d", (int)getpid());
	FILE *fp = fopen(p, "w");
	if (!fp) return 1;
	fprintf(fp, "%d\n", f(21));
	fclose(fp);
	unlink(p);
	printf("%d\n", f(21));
	return 0;
}
C
gcc -g -O0 -o t t.c
gdb -nx -batch -ex 'break f' -ex run -ex 'print x' -ex 'finish' -ex 'continue' ./t 2>&1 |
	grep -E '^(\$1|Run till|Value returned|42|\[Inferior 1 .* exited)' | sed 's/ (process [0-9]*)//'
