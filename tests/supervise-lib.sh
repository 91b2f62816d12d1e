# supervise-lib.sh — what tests/supervise.sh and supervise-tree.sh share,
# on top of tests/lib.sh: a build without libseccomp (run --supervise says
# so and exits 125: checked, then the script ends), sv_init: $W (a
# world-writable directory without the sticky bit, in TMPGUARD_DIRS: no
# fs.protected_* sysctl applies there), precious (the victim's own file),
# and sv MODE CMD... (bare, or under run --supervise --mode=MODE with the
# log in $LOG).
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

VICTIM=$TG_HELPERS/supervise_victim
RAW=$TG_HELPERS/raw_open
[ -x "$VICTIM" ] || tap_bail "helper not built: $VICTIM"

# Built without libseccomp: run --supervise says so, exits 125, and does
# not run the command; nothing else to test.
tg_run bare "$TG_CMD" run --supervise -- touch "$TG_WORK/ran"
if [[ $ERR == *"not built in"* ]]; then
	tap_is "$RC" 125 "without libseccomp: run --supervise exits 125"
	tap_ok "without libseccomp: it says so ($ERR)"
	if [ -e "$TG_WORK/ran" ]; then tap_not_ok "without libseccomp: the command is not run"
	else tap_ok "without libseccomp: the command is not run"; fi
	tap_skip "run --supervise" "tmpguard was configured without libseccomp"
	tap_done
	exit 0
fi
rm -f "$TG_WORK/ran"

# sv_init: once the attacker is set up (the script does that first, where
# tests/checkout-0700.sh sees it): the staged helpers, $W, precious.
sv_init() {
	VICTIM=$TG_HELPERS/supervise_victim # staged where the attacker can reach it
	RAW=$TG_HELPERS/raw_open
	tap_diag "kernel: $(uname -r); $(tg_sysctls)"
	W=$TG_WORK/ww
	mkdir -p "$W" && chmod 0777 "$W" || tap_bail "cannot make $W"
	export TMPGUARD_DIRS=$TG_STICKY:$W
	PRECIOUS=$TG_WORK/precious
	reset_precious
}
reset_precious() {
	printf 'PRECIOUS\n' >"$PRECIOUS"
	chmod 0644 "$PRECIOUS"
}
precious_changed() { [ "$(cat "$PRECIOUS")" != PRECIOUS ]; }
plant_symlink() {
	rm -f -- "$1"
	tg_as_attacker ln -s "$PRECIOUS" "$1" || tap_bail "cannot plant $1"
}

# sv MODE CMD...: tmpguard run --supervise in MODE (bare: no tmpguard),
# the log in $LOG (JSON lines)
sv() {
	local how=$1
	shift
	case $how in
	bare) tg_run bare "$@" ;;
	*) tg_run bare "$TG_CMD" run --supervise --mode="$how" --log="$LOG" -- "$@" ;;
	esac
}

# find_victim PID [PROGRAM]: PID is timeout's; its child is run (tpid),
# whose child, once it has exec'd PROGRAM ($VICTIM) (not run's probe, not
# the child before its exec), is vpid. Both empty when not found in 10 s.
find_victim() {
	local i c want
	want=$(readlink -f "${2:-$VICTIM}")
	tpid= vpid=
	for ((i = 0; i < 200; i++)); do
		[ -n "$tpid" ] || tpid=$(pgrep -P "$1" | head -n 1)
		if [ -n "$tpid" ]; then
			for c in $(pgrep -P "$tpid"); do
				if [ "$(readlink "/proc/$c/exe" 2>/dev/null)" = "$want" ]; then
					vpid=$c
					return 0
				fi
			done
		fi
		sleep 0.05
	done
	tpid= vpid=
	return 1
}

# stopped PID: every thread of PID is stopped (state T), within 5 s.
stopped() {
	local i t st all
	for ((i = 0; i < 100; i++)); do
		all=1
		for t in /proc/"$1"/task/*/stat; do
			st=$(sed 's/.*) //' "$t" 2>/dev/null | cut -d' ' -f1)
			[ "$st" = T ] || all=0
		done
		[ "$all" = 1 ] && return 0
		sleep 0.05
	done
	return 1
}
