#!/bin/bash
# attack/reads.sh — reads and execution (contract part 2, items 1 and 3):
# another user's object in a shared directory is data, or code, the
# attacker chose. The victim reads a name back (bash cat, python3 open),
# sources it (bash `source` and `.`, dash `.`), execs its text (python3
# exec), or runs it (bash and python3 running NAME.sh, also through the
# attacker's symlink to its script). The attack works when the victim's
# output shows the attacker's data, or when the attacker's code, run by the
# victim (root), changed the victim's file. Plants in $W (world-writable,
# not sticky: no fs.protected_* sysctl applies).
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
P=$W/app.data
X=$W/app.sh

run_with() {
	local how=$1 path=$2
	shift 2
	ATT_PATH=$path
	att_plant "$ATT_CLASS" "$path" || tap_diag "plant of $ATT_CLASS at $path failed"
	tg_run "$how" "$@"
}
run_cat() { run_with "$1" "$P" bash -c 'cat "$1"' sh "$P"; }
run_pyread() { run_with "$1" "$P" "$PY" -c 'import sys; print(open(sys.argv[1]).read())' "$P"; }
# shellcheck disable=SC2016
run_source() { run_with "$1" "$P" bash -c 'source "$1"; echo sourced' sh "$P"; }
# shellcheck disable=SC2016
run_dot() { run_with "$1" "$P" bash -c '. "$1"; echo sourced' sh "$P"; }
# shellcheck disable=SC2016
run_dash_dot() { run_with "$1" "$P" sh -c '. "$1"; echo sourced' sh "$P"; }
run_pyexec() { run_with "$1" "$P" "$PY" -c 'import sys; exec(open(sys.argv[1]).read())' "$P"; }
# shellcheck disable=SC2016
run_script() { run_with "$1" "$X" bash -c '"$1"; echo "ran: $?"' sh "$X"; }
run_pyrun() { run_with "$1" "$X" "$PY" -c 'import subprocess, sys; subprocess.run([sys.argv[1]], check=True)' "$X"; }

ATT_WORKED=att_worked_read att_case file "bash: cat NAME" run_cat EACCES
att_case filelink "bash: cat NAME" run_cat EACCES
ATT_WORKED=att_worked_read att_case file "python3 open(NAME).read()" run_pyread EACCES
att_case shcode "bash: source NAME" run_source EACCES
att_case shcode "bash: . NAME" run_dot EACCES
att_case shcode "dash: . NAME" run_dash_dot EACCES
att_case pycode "python3 exec(open(NAME).read())" run_pyexec EACCES
att_case shexe "bash: NAME.sh (run)" run_script EACCES
att_case shexe-link "bash: NAME.sh (run)" run_script EACCES
att_case shexe "python3 subprocess.run([NAME.sh])" run_pyrun EACCES

tap_done
exit 0
