#!/bin/bash
# attack/cobc.sh — GnuCOBOL's cobc (a real Debian program nobody here wrote)
# writes /tmp/cob<pid>_0.cob, /tmp/cob<pid>_0.c, ... with
# O_WRONLY|O_CREAT|O_TRUNC. Its pid is made known before it runs: a wrapper
# shell publishes its pid, waits while tgattacker plants, then execs cobc
# (exec keeps the pid), so the race is deterministic.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
if ! command -v cobc >/dev/null 2>&1; then
	att_row all cobc "not run: cobc missing (Debian package gnucobol3)" "not run" "not run"
	tap_skip "cobc attacks" "cobc not installed (Debian package gnucobol3 or gnucobol)"
	tap_done
	exit 0
fi

CDIR=$TG_PRIVATE/cobc
mkdir -p "$CDIR"
SRC=$CDIR/hello.cob
printf '       IDENTIFICATION DIVISION.\n       PROGRAM-ID. HELLO.\n       PROCEDURE DIVISION.\n           DISPLAY "HELLO".\n           STOP RUN.\n' >"$SRC"

# The victim works at all without an attack.
(cd "$CDIR" && timeout 60 cobc -x -o "$CDIR/hello" "$SRC") >/dev/null 2>&1
tap_is "$("$CDIR/hello" 2>&1)" HELLO "cobc compiles a program (no attack)"

cd "$CDIR" || tap_bail "cd $CDIR"
run_cobc() {
	rm -f "$CDIR/hello"
	att_launch_pid "$1" _att_plant_pid cobc -x -o "$CDIR/hello" "$SRC"
}
# the first file cobc creates: its copy of the source
ATT_PATTERN=/tmp/cob%s_0.cob
att_case symlink cobc run_cobc EACCES
att_case fifo cobc run_cobc EACCES
# the generated C, which cobc then hands to gcc
ATT_PATTERN=/tmp/cob%s_0.c
att_case file cobc run_cobc EACCES
att_case hardlink cobc run_cobc EACCES

tap_done
exit 0
