# program: make
# package: make
# requires: make gcc
# temp: a makefile read from stdin (-f -) is copied to a temporary file (tmpfile/mkstemp in TMPDIR); recipes write into /tmp under predictable names
set -e
printf 'all:\n\t@echo "from stdin makefile"\n' | make -s -f -
cat >main.c <<'C'
#include <stdio.h>
int main(void) { puts("built by make"); return 0; }
C
cat >Makefile <<'MK'
OUT := /tmp/tgcorpus-make.$(shell id -u)
all: prog
	./prog > $(OUT).log
	cat $(OUT).log
	rm -f $(OUT).log
prog: main.o
	$(CC) -o $@ $^
MK
make -s -j2
make -s -f - <<'MK2'
include Makefile
x:; @echo included from stdin
MK2
