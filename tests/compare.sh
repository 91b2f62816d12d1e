#!/bin/bash
# tests/compare.sh — the compatibility harness, scripts/tmpguard-compare:
# usage errors, an identical run despite random temporary names, a real
# difference (a write through a planted symbolic link that harden refuses),
# inputs, stdin, normalization, the JSON result and clean-up. Light: each
# case runs a tiny shell command three times.
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

CMP=$TG_SRCDIR/scripts/tmpguard-compare
SCR=$TG_PRIVATE/scratch
mkdir -p "$SCR"

# cmp_run ARG...: the harness with our tmpguard; sets RC, OUT (stdout+stderr).
cmp_run() {
	OUT=$(timeout -k 2 60 "$TG_PY" "$CMP" --tmpguard="$TG_CMD" \
		--scratch="$SCR" "$@" </dev/null 2>&1)
	RC=$?
	_tg_last_run="tmpguard-compare $* -> rc=$RC
$OUT"
}

# usage
OUT=$(timeout 20 "$TG_PY" "$CMP" --help 2>&1)
RC=$?
tap_is "$RC" 0 "--help exits 0"
tap_like "$OUT" "usage: tmpguard-compare \[OPTIONS\] -- COMMAND" "--help prints the usage"
cmp_run
tap_is "$RC" 125 "no command: exit 125"
cmp_run --no-such-option -- true
tap_is "$RC" 125 "unknown option: exit 125"
OUT=$(timeout 20 "$TG_PY" "$CMP" --tmpguard=/nonexistent/tmpguard -- true 2>&1)
RC=$?
tap_is "$RC" 125 "tmpguard not found: exit 125"
tap_like "$OUT" "tmpguard not found" "... and says so"
cmp_run --input=/nonexistent/input -- true
tap_is "$RC" 125 "missing --input: exit 125"

# identical, although names are random or contain process ids: mktemp in
# TMPDIR, a pid name in /tmp, mkstemp-like names in the working directory
# (printed on stdout), a temporary file left behind in TMPDIR.
# shellcheck disable=SC2016
IDENT='t=$(mktemp); echo "made $t"; echo data >"$t"; cat "$t"
p=/tmp/tgcmp-test.$$; echo one >"$p"; cat "$p"; rm -f "$p"
w=$(mktemp -p . out.XXXXXXXX); echo "work file $w"; seq 3 >"$w"
echo err-line >&2; exit 3'
cmp_run --json="$TG_WORK/ident.json" -- sh -c "$IDENT"
tap_is "$RC" 0 "identical run: exit 0"
tap_like "$OUT" "tmpguard-compare: identical under harden" "identical run: says identical"
tap_like "$OUT" "exit status 3, stdout 4 lines, stderr 1 lines" "identical run: status and outputs counted"
tap_like "$OUT" "violations under harden: [1-9][0-9]* \(predictable-create [1-9]" \
	"identical run: the violations are listed"
tap_like "$OUT" 'predictable-create hardened open[0-9]* /tmp/tgcmp-test\.<N> at /usr/bin/[a-z]+\+0x' \
	"identical run: the pid name is folded in the finding"
J=$("$TG_PY" -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["identical"], o["exit_status"], o["guarded_exit_status"], o["violations"] > 0, o["differences"])' "$TG_WORK/ident.json" 2>&1)
tap_is "$J" "True 3 3 True []" "--json writes the result"
left=$(find "$SCR" -mindepth 1 | head -n 3)
tap_is "$left" "" "the scratch directories are removed"

# different: a symbolic link another user planted in TMPDIR (root hands it
# to an uid no one has); bare writes through it,
# harden refuses (EACCES): status, stderr and the target file differ.
# shellcheck disable=SC2016
DIFF='echo target >target; ln -s "$PWD/target" "$TMPDIR/planted"
chown -h 4242 "$TMPDIR/planted"
echo written >"$TMPDIR/planted" || exit 7; cat target'
cmp_run -- sh -c "$DIFF"
tap_is "$RC" 1 "different run: exit 1"
tap_like "$OUT" "exit status: bare 0, harden 7" "different run: the exit statuses are shown"
tap_like "$OUT" "stdout differs:" "different run: stdout difference shown"
tap_like "$OUT" "file work/target: bare file, 8 bytes" "different run: the changed file is shown"
tap_like "$OUT" "hijack-blocked blocked open[0-9]* \\\$SCRATCH/tmp/planted" \
	"different run: the blocked hijack is listed"
tap_like "$OUT" "DIFFERENT under harden: exit status, stdout, stderr, file work/target" \
	"different run: result line names the differences"

# the same run in audit mode changes nothing
cmp_run --mode=audit -- sh -c "$DIFF"
tap_is "$RC" 0 "--mode=audit: identical (audit changes nothing)"
tap_like "$OUT" "violations under audit: [1-9]" "--mode=audit: violations still listed"

# inputs and stdin
mkdir -p "$TG_WORK/in/sub"
echo hello >"$TG_WORK/in/sub/a.txt"
printf 'b\na\n' >"$TG_WORK/stdin.txt"
cmp_run --input="$TG_WORK/in" --stdin="$TG_WORK/stdin.txt" -- \
	sh -c 'cat in/sub/a.txt; sort -T "$TMPDIR" >sorted; cat sorted'
tap_is "$RC" 0 "--input and --stdin: identical"
tap_like "$OUT" "stdout 3 lines" "--input and --stdin reach the command"

# nondeterminism of the command itself is not held against the library
cmp_run -- sh -c 'date +%N; date +%N >ns'
tap_is "$RC" 0 "nondeterministic output: not a difference"
tap_like "$OUT" "not compared \(differ between two bare runs\): stdout, file work/ns" \
	"nondeterministic output: reported as not compared"
cmp_run --no-baseline --normalize='^[0-9]+$' -- sh -c 'date +%N'
tap_is "$RC" 0 "--normalize folds what the user names"

# exit status of a command killed by a signal
cmp_run -- sh -c 'kill -TERM $$'
tap_is "$RC" 0 "killed by a signal: identical"
tap_like "$OUT" "exit status 143" "killed by a signal: 128+N"

tap_done
