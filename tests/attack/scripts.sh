#!/bin/bash
# attack/scripts.sh — interpreters running scripts the way many scripts are
# written: bash redirections to /tmp/name.$$, python3 open() and perl open()
# of /tmp/name.<pid>, and python3's tempfile.mktemp() followed by open().
# The pid is made known before the victim runs (a wrapper publishes its pid,
# waits while tgattacker plants, then execs the interpreter, keeping the
# pid); tempfile.mktemp's victim waits between naming and opening.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
PERL=$(command -v perl)

# shellcheck disable=SC2016
run_bash() {
	ATT_PATTERN=/tmp/tgattack-sh.%s
	att_launch_pid "$1" _att_plant_pid bash -c 'echo VICTIM-DATA > /tmp/tgattack-sh.$$'
}
# mkdir /tmp/name.$$ (ignoring its failure, as many scripts do), then a file
# in it
# shellcheck disable=SC2016
run_bash_mkdir() {
	ATT_PATTERN=/tmp/tgattack-d.%s
	att_launch_pid "$1" _att_plant_pid bash -c 'd=/tmp/tgattack-d.$$; mkdir "$d"; echo VICTIM-DATA > "$d/out"; exit 0'
}
run_python() {
	ATT_PATTERN=/tmp/tgattack-py.%s
	att_launch_pid "$1" _att_plant_pid "$PY" -c '
import os
with open("/tmp/tgattack-py.%d" % os.getpid(), "w") as f:
    f.write("VICTIM-DATA\n")'
}
# shellcheck disable=SC2016
run_perl() {
	ATT_PATTERN=/tmp/tgattack-pl.%s
	att_launch_pid "$1" _att_plant_pid "$PERL" -e '
open(my $f, ">", "/tmp/tgattack-pl.$$") or die "open: $!\n";
print $f "VICTIM-DATA\n"; close($f) or die "close: $!\n";'
}
run_mktemp() {
	att_launch_name "$1" _att_plant_name "$PY" -c '
import os, sys, tempfile, time
name = tempfile.mktemp(prefix="tgattack-mk.", dir="/tmp")
print("NAME " + name, flush=True)
for _ in range(400):
    if os.path.exists(os.environ["ATT_RELEASE"]): break
    time.sleep(0.02)
with open(name, "w") as f:
    f.write("VICTIM-DATA\n")'
}

for cls in symlink fifo file hardlink; do
	att_case $cls "bash > /tmp/name.\$\$" run_bash EACCES
done
# the kernel refuses the mkdir (EEXIST); tmpguard reports what it saw, and
# the file made in the attacker's directory is created safely there
ATT_EVENT=hijack-detected att_case dir "bash: mkdir /tmp/name.\$\$, then a file in it" run_bash_mkdir EEXIST
if [ -n "$PY" ] && [ -x "$PY" ]; then
	for cls in symlink fifo file hardlink; do
		att_case $cls "python3 open(/tmp/name.pid)" run_python EACCES
	done
	# tempfile.mktemp makes the name in Python (lstat only): the library
	# sees the later open, a predictable creation in /tmp: safe-open.
	for cls in symlink fifo file hardlink; do
		att_case $cls "python3 tempfile.mktemp + open" run_mktemp EACCES
	done
else
	att_row all python3 "not run: python3 missing" "not run" "not run"
	tap_skip "python3 attacks" "python3 not installed"
fi
if [ -n "$PERL" ]; then
	for cls in symlink fifo file hardlink; do
		att_case $cls "perl open(>/tmp/name.\$\$)" run_perl EACCES
	done
else
	att_row all perl "not run: perl missing" "not run" "not run"
	tap_skip "perl attacks" "perl not installed"
fi

tap_done
exit 0
