#!/bin/bash
# attack/supervised.sh — what the preload cannot reach, under `tmpguard run
# --supervise` (contract, part 3): a statically linked C program
# (tests/helpers/supervise_victim), a static Go program, and a dynamic
# program that creates through syscall(2) (tests/helpers/raw_open), each
# creating a predictable name NAME in SHARED with O_CREAT|O_TRUNC and
# without O_EXCL, against the usual plants. bare is the program alone;
# audit and harden are `tmpguard run --supervise --mode=...`: the same
# verdicts and events as the dynamic victims under the preload.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
SV=$TG_HELPERS/supervise_victim
RAW=$TG_HELPERS/raw_open
[ -x "$SV" ] || tap_bail "helper not built: $SV"
[ -x "$RAW" ] || tap_bail "helper not built: $RAW"

# run --supervise needs libseccomp and a kernel that can: else every
# row says why
tg_run bare "$TG_CMD" run --supervise -- true
if [ "$RC" != 0 ]; then
	why=$(head -n 1 <<<"$ERR")
	printf 'all\t%s\tnot run: %s\tnot run\tnot run\n' "$TG_NAME" "$why" >>"$ATT_ROWS"
	tap_skip "run --supervise attacks" "$why"
	tap_done
	exit 0
fi

P=$W/tgsv.out

# run_with MODE CMD...: CMD creates $P, with $ATT_CLASS planted there first
run_with() {
	local how=$1
	shift
	ATT_PATH=$P
	tg_cleanup_later "$P" "$P.att"
	att_plant "$ATT_CLASS" "$P" || tap_diag "plant of $ATT_CLASS at $P failed"
	case $how in
	bare) tg_run bare "$@" ;;
	*) tg_run bare "$TG_CMD" run --supervise --mode="$how" -- "$@" ;;
	esac
}
run_static() { run_with "$1" "$SV" create "$P"; }
run_raw() { run_with "$1" "$RAW" "$P"; }
run_go() { run_with "$1" "$GOPROG" "$P"; }

for cls in symlink hardlink file fifo; do
	att_case $cls "static C program: open(O_CREAT\\|O_TRUNC), run --supervise" run_static EACCES
done
for cls in symlink hardlink file fifo; do
	att_case $cls "dynamic program, syscall(SYS_openat), run --supervise" run_raw EACCES
done

# Go makes its system calls itself; built static (CGO_ENABLED=0)
GO=$(command -v go)
GOPROG=$TG_SHARED/govictim
if [ -n "$GO" ]; then
	if tg_go_build "$GOPROG"; then
		for cls in symlink hardlink file fifo; do
			att_case $cls "static Go program: os.OpenFile(O_CREATE\\|O_TRUNC), run --supervise" run_go EACCES
		done
	else
		tap_not_ok "Go victim built" "$(tail -n 5 "$TG_GO_LOG")"
	fi
	# the same with cgo: a dynamic program, linked with libc, the library
	# loaded in it, and still its own system calls for files
	GOCGO=$TG_SHARED/govictim-cgo
	if tg_go_build "$GOCGO" cgo &&
		readelf -d "$GOCGO" 2>/dev/null | grep -q 'NEEDED.*libc\.so'; then
		run_gocgo() { run_with "$1" "$GOCGO" "$P"; }
		for cls in symlink hardlink file fifo; do
			att_case $cls "cgo Go program (dynamic): os.OpenFile(O_CREATE\\|O_TRUNC), run --supervise" run_gocgo EACCES
		done
	else
		tap_not_ok "cgo Go victim built, linked with libc" "$(tail -n 5 "$TG_GO_LOG")"
	fi
else
	tap_missing "Go victim" "go (golang-go) not installed"
fi

tap_done
exit 0
