# program: gcc
# package: gcc
# requires: gcc
# temp: the driver passes intermediate files between cc1, as and collect2 as /tmp/ccXXXXXX.s/.o/.res (mkstemps in TMPDIR)
set -e
cat >a.c <<'C'
#include <stdio.h>
extern int b(void);
int main(void) { printf("%d\n", b()); return 0; }
C
echo 'int b(void) { return 6 * 7; }' >b.c
gcc -O2 -o prog a.c b.c
./prog
gcc -c a.c && gcc -c b.c && gcc -o prog2 a.o b.o && ./prog2
gcc -flto -o prog3 a.c b.c && ./prog3
