# program: cobc
# package: gnucobol3
# requires: cobc gcc
# temp: writes its intermediate C files as $TMPDIR/cob<pid>_<n>.c/.h/.c.l.h with fopen("w"), compiles them with gcc, removes them
set -e
cat >hello.cob <<'COB'
       IDENTIFICATION DIVISION.
       PROGRAM-ID. HELLO.
       PROCEDURE DIVISION.
           DISPLAY "Hello from COBOL".
           STOP RUN.
COB
cobc -x -o hello hello.cob
./hello
cobc -m -o hello.so hello.cob
ls
