#!/bin/bash
# bench/report.awk, the part of `make bench` that turns runs into the table
# and the verdicts, fed known numbers: ratios of the medians, the paired
# per-round ratios and their middle half, the PASS?/FAIL? marks, failed runs,
# the callgrind differences and
# what `tmpguard run` adds per command (W7-run).
# (The benchmark itself is not a test.)
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

REPORT=$TG_SRCDIR/bench/report.awk
RES=$TG_WORK/results
CG=$TG_WORK/cg

# results: WORKLOAD CONFIG ROUND WALL CPU STATUS
{
	# W4: the hardened loop 1.20-1.40x bare mkstemp; the limit (1.3) is
	# above the middle half of the paired ratios (1.21-1.25)
	for r in 1 2 3 4 5; do echo "W4-mkstemp bare $r 1.0 1.0 0"; done
	n=0
	for v in 1.20 1.25 1.22 1.40 1.21; do n=$((n + 1)); echo "W4-mktemp harden $n $v $v 0"; done
	# W5: 0.99-1.05x the floor; 1.02 lies inside the middle half (1.00-1.03)
	n=0
	for v in 0.99 1.01 1.03 1.05 1.00; do n=$((n + 1)); echo "W5-spawn floor $n 1.0 1.0 0"; echo "W5-spawn harden $n $v $v 0"; done
	# W1: the machine slows down threefold after round 2; each round's
	# ratio is 1.05, the ratio of the medians 0.35
	for r in 1 2; do echo "W1 floor $r 1.0 1.0 0"; echo "W1 harden $r 1.05 1.05 0"; done
	for r in 3 4 5; do echo "W1 floor $r 3.0 3.0 0"; done
	echo "W1 harden 3 1.05 1.05 0"
	echo "W1 harden 4 3.15 3.15 0"
	echo "W1 harden 5 3.15 3.15 0"
	# W6-build: one harden run failed: no verdict
	for r in 1 2 3; do echo "W6-build bare $r 10 10 0"; echo "W6-build floor $r 10 10 0"; done
	echo "W6-build harden 1 10 10 0"
	echo "W6-build harden 2 10 10 2"
	echo "W6-build harden 3 10 10 0"
	# W7-run, 100 commands a run: the preload 0.10 s, run 0.24-0.45 s, so
	# 1.4-3.5 ms more per command (one slow round); the previous run 5.3 s
	n=0
	for v in 0.24 0.25 0.26 0.27 0.45; do n=$((n + 1))
		echo "W7-run harden $n 0.10 0.05 0"; echo "W7-run run $n $v $v 0"; echo "W7-run run-old $n 5.3 0.2 0"; done
} > "$RES"
printf '%s\n' "W1 floor 76.0" "W1 harden 88.0" "W1 audit 88.0" \
	"W3-fopen-w floor 878.0" "W3-fopen-w harden 1140.0" \
	"W5-true floor 146245" "W5-true harden 148756" \
	"W8-execve floor 40.0" "W8-execve harden 53.0" \
	"W9-find floor 1000000" "W9-find harden 1010000" \
	"W5-env200 floor 216832" "W5-env200 harden 220603" \
	"W9-rm floor 2000000" "W9-rm harden 2060000" > "$CG"

OUT=$(awk -v cg="$CG" -v w7n=100 -f "$REPORT" "$RES" 2>&1)
RC=$?
_tg_last_run="report ->
$OUT"
tap_is "$RC" 0 "the report runs"
# target LABEL: the target's line, blanks squeezed
target() { grep -F -- "$1" <<<"$OUT" | tr -s ' ' | sed 's/^ //'; }

tap_is "$(target 'W4 wall harden mktemp+open')" \
	"W4 wall harden mktemp+open / bare mkstemp <= 1.3 1.220x PASS (paired 1.220x, middle half 1.210-1.250x)" \
	"W4: ratio of the medians, paired median and middle half; limit outside it: plain PASS"
tap_is "$(target 'W5 wall harden/floor')" \
	"W5 wall harden/floor <= 1.02 1.010x PASS? (paired 1.010x, middle half 1.000-1.030x; floor spread 0%)" \
	"W5: the limit inside the middle half: PASS?"
tap_is "$(target 'W1 wall harden/floor')" \
	"W1 wall harden/floor <= 1.03 0.350x PASS (paired 1.050x, middle half 1.050-1.050x; floor spread 67%)" \
	"W1: a machine that slows down shows in the paired ratio, not in the medians"
tap_is "$(target 'W6-build wall harden/floor')" \
	"W6-build wall harden/floor <= 1.01 - n/a" \
	"W6-build: a failed run gives no verdict"
tap_like "$(grep -E '^W6-build +harden' <<<"$OUT")" '\(1 runs FAILED\)$' \
	"W6-build: the table marks the failed run"
tap_is "$(target 'W1 Ir/call over floor <= 15 (harden)')" \
	"W1 Ir/call over floor <= 15 (harden) +12.0 PASS" \
	"callgrind: W1 over the floor"
tap_is "$(target 'W3 fopen w Ir/call')" \
	"W3 fopen w Ir/call over floor <= 15 (harden) +262.0 FAIL" \
	"callgrind: W3 fopen w over the floor"
tap_is "$(target 'W5 Ir whole')" \
	"W5 Ir whole /bin/true over floor <= 3000 +2511 PASS" \
	"callgrind: a whole /bin/true over the floor"
tap_is "$(target 'W8 execve Ir')" "W8 execve Ir/call over floor <= 15 (harden) +13.0 PASS" \
	"W8: the exec hook's instructions per call over the floor"
tap_is "$(target 'W5 same, 200 variables')" "W5 same, 200 variables +3771 FAIL" \
	"W5: start-up in an environment of 200 variables"
tap_is "$(target 'W5 same, 10 variables')" "W5 same, 10 variables exactly - n/a" \
	"W5: no count for 10 variables, no verdict"
tap_is "$(target 'W9 find Ir')" "W9 find Ir harden/floor <= 1.02 1.0100x PASS" \
	"W9: a whole find's instructions, harden over the floor"
tap_is "$(target 'W9 rm Ir')" "W9 rm Ir harden/floor <= 1.02 1.0300x FAIL" \
	"W9: a whole rm -r's instructions, 3% over the floor: FAIL"
tap_is "$(target 'W9 find wall')" "W9 find wall harden/floor <= 1.02 - n/a" \
	"W9: no timed runs, no wall verdict"
tap_is "$(target 'W7 run over')" \
	"W7 run over LD_PRELOAD, ms per command <= 2 +1.60 ms PASS (paired +1.60 ms, middle half +1.50..+1.70 ms)" \
	"W7: the difference of the medians per command, paired differences and their middle half"
tap_is "$(target 'W7 run-old over')" \
	"W7 run-old over LD_PRELOAD, ms per command <= 2 +52.00 ms FAIL (paired +52.00 ms, middle half +52.00..+52.00 ms)" \
	"W7: the run of another build (BENCH_TMPGUARD_OLD) beside it"
tap_is "$(grep -E '^W7-run +run' <<<"$OUT" | awk '{ print $2, $3, $4 }' | tr '\n' ';')" \
	"run 5 0.260s;run-old 5 5.300s;" \
	"W7: the table has a row for each run"
OUT=$(awk -v cg="$CG" -f "$REPORT" "$RES" 2>&1)
tap_is "$(target 'W7 run over')" \
	"W7 run over LD_PRELOAD, ms per command <= 2 - n/a" \
	"W7: without the number of commands per run, no verdict"

# a FAIL? : W4 at 1.28-1.36x, limit inside the middle half, median above it
{
	for r in 1 2 3 4 5; do echo "W4-mkstemp bare $r 2.0 1.0 0"; done
	n=0
	for v in 2.56 2.58 2.72 2.66 2.80; do n=$((n + 1)); echo "W4-mktemp harden $n $v 1.0 0"; done
} > "$RES"
: > "$CG"
OUT=$(awk -v cg="$CG" -f "$REPORT" "$RES" 2>&1)
tap_is "$(target 'W4 wall harden mktemp+open')" \
	"W4 wall harden mktemp+open / bare mkstemp <= 1.3 1.330x FAIL? (paired 1.330x, middle half 1.290-1.360x)" \
	"W4 at 1.33x with 1.3 inside the middle half (1.29-1.36): FAIL?"
tap_is "$(target 'W4 cpu harden mktemp+open')" \
	"W4 cpu harden mktemp+open / bare mkstemp <= 1.3 1.000x PASS (paired 1.000x, middle half 1.000-1.000x)" \
	"W4 cpu: paired from the CPU column"
tap_is "$(target 'W1 Ir/call over floor <= 15 (harden)')" \
	"W1 Ir/call over floor <= 15 (harden) - n/a" \
	"no callgrind counts: n/a"

# W8 (issue 17): chmod, utimensat and truncate of a private file, over the
# floor in instructions and wall time; a workload not measured: n/a
{
	for r in 1 2 3; do echo "W8-chmod floor $r 1.00 1.00 0"; echo "W8-chmod harden $r 1.01 1.01 0"; done
} >"$RES"
printf '%s\n' "W8-chmod bare 60.0" "W8-chmod floor 80.0" "W8-chmod audit 92.0" "W8-chmod harden 92.0" \
	"W8-truncate floor 80.0" "W8-truncate harden 100.0" >"$CG"
OUT=$(awk -v cg="$CG" -f "$REPORT" "$RES" 2>&1)
tap_is "$(target 'W8 chmod Ir/call')" \
	"W8 chmod Ir/call over floor <= 15 (harden) +12.0 PASS" \
	"W8: chmod's instructions over the floor"
tap_is "$(target 'W8 truncate Ir/call')" \
	"W8 truncate Ir/call over floor <= 15 (harden) +20.0 FAIL" \
	"W8: truncate's instructions over the floor, above the limit"
tap_is "$(target 'W8 utimensat Ir/call')" \
	"W8 utimensat Ir/call over floor <= 15 (harden) - n/a" \
	"W8: utimensat not counted: n/a"
tap_is "$(target 'W8 chmod wall')" \
	"W8 chmod wall harden/floor <= 1.03 1.010x PASS (paired 1.010x, middle half 1.010-1.010x; floor spread 0%)" \
	"W8: chmod's wall time over the floor, paired"
tap_is "$(grep -E '^W8-' <<<"$OUT" | awk '$NF ~ /^[-+][0-9]/ { print $1, $NF }' | tr '\n' ';')" \
	"W8-chmod +12.0;W8-truncate +20.0;" \
	"W8: the callgrind table has a row for each workload counted"

tap_done
