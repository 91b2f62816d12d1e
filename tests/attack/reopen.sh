#!/bin/bash
# attack/reopen.sh — opens without O_CREAT (contract part 2, item 1): the
# victim writes to a name it expects to exist, without creating it, and
# tgattacker has planted there a symlink to the victim's file, a hard link
# to its own file, its own 0666 file, or a hard link to the victim's file.
# Victims: C open(O_WRONLY|O_APPEND), open(O_RDWR), fopen "r+", python3
# open "r+", perl open "+<", `cp SRC NAME` onto an existing name (an
# O_WRONLY|O_TRUNC open), `truncate -c` (O_WRONLY, no O_CREAT, then
# ftruncate) and `dd conv=notrunc,nocreat`. The plants are made in $W, a
# world-writable directory without the sticky bit, where no fs.protected_*
# sysctl applies: the bare attack works on any kernel.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
PERL=$(command -v perl)
SRC=$TG_PRIVATE/src
printf 'VICTIM-DATA\n' >"$SRC"
P=$W/app.out # the name each victim writes

# run_with MODE CMD...: plant $ATT_CLASS at $P, then run the victim
run_with() {
	local how=$1
	shift
	ATT_PATH=$P
	att_plant "$ATT_CLASS" "$P" || tap_diag "plant of $ATT_CLASS at $P failed"
	tg_run "$how" "$@"
}
run_c_append() { run_with "$1" "$LEGACY" open2 "$P" 'WRONLY|APPEND'; }
run_c_rdwr() { run_with "$1" "$LEGACY" open2 "$P" RDWR; }
run_c_fopen() { run_with "$1" "$LEGACY" fopen "$P" r+; }
run_py() {
	run_with "$1" "$PY" -c '
import sys
with open(sys.argv[1], "r+") as f:
    f.write("VICTIM-DATA\n")' "$P"
}
# shellcheck disable=SC2016
run_perl() {
	run_with "$1" "$PERL" -e '
open(my $f, "+<", $ARGV[0]) or die "open: $!\n";
print $f "VICTIM-DATA\n"; close($f) or die "close: $!\n";' "$P"
}
run_cp() { run_with "$1" cp "$SRC" "$P"; }
run_truncate() { run_with "$1" truncate -c -s 0 "$P"; }
run_dd() { run_with "$1" dd if="$SRC" of="$P" conv=notrunc,nocreat status=none; }

VICTIMS=(
	"C open(NAME, O_WRONLY\\|O_APPEND)" run_c_append
	"C open(NAME, O_RDWR)" run_c_rdwr
	"C fopen(NAME, \"r+\")" run_c_fopen
	"python3 open(NAME, \"r+\")" run_py
	"perl open(+<NAME)" run_perl
	"cp SRC NAME (NAME exists)" run_cp
	"dd of=NAME conv=notrunc,nocreat" run_dd
)
for ((i = 0; i < ${#VICTIMS[@]}; i += 2)); do
	vic=${VICTIMS[i]} run=${VICTIMS[i + 1]}
	case $run in
	run_py) [ -x "$PY" ] || { att_row all "$vic" "not run: python3 missing" "not run" "not run"; tap_skip "$vic" "python3 missing"; continue; } ;;
	run_perl) [ -n "$PERL" ] || { att_row all "$vic" "not run: perl missing" "not run" "not run"; tap_skip "$vic" "perl missing"; continue; } ;;
	# dd asks aligned_alloc for 512 bytes aligned to 4096, which the ASan
	# runtime (preloaded with a sanitized library) reports and aborts on
	run_dd) [ -z "$TG_ASAN_RT" ] || { att_row all "$vic" "not run: dd aborts under the ASan runtime" "not run" "not run"; tap_skip "$vic" "dd aborts under the ASan runtime (aligned_alloc)"; continue; } ;;
	esac
	for cls in symlink hardlink file rootlink; do
		att_case $cls "$vic" "$run" EACCES
	done
done
# truncation carries no data out: through a symlink or a hard link to the
# victim's file, it destroys the victim's data
ATT_WORKED=att_worked_touched att_case symlink "truncate -c -s 0 NAME" run_truncate EACCES
att_case rootlink "truncate -c -s 0 NAME" run_truncate EACCES

tap_done
exit 0
