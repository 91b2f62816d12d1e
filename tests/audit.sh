#!/bin/bash
# audit.sh — audit mode changes nothing the kernel sees (same calls, same
# flags, same modes, same results as without the library) and logs what
# harden mode would have acted on, with action "logged".
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY

# creating ops on NAME from a trace: only the calls that create (the audit
# checks are fstatat/fstat observations and are left out on purpose).
creating_ops() {
	tg_trace_ops "$1" "$2" | grep -E '^(creat|mkdir|mknod)|O_CREAT' |
		sed -E 's/ [0-9]+$/ FD/' # the descriptor number may differ
}

# --- 1. creating calls: same flags and mode reach the kernel ----------------
CALLS=("open" "openat" "creat" "fopen w" "fopen a" "fopen w+" "freopen w" "spawn-redirect")
for v in legacy legacy_fortify_lfs; do
	for call in "${CALLS[@]}"; do
		# shellcheck disable=SC2086
		set -- $call
		c=${call// /-}
		for mode in bare audit; do
			f=$S/$mode.$v.$c
			case $1 in
			openat) args=(openat "$S" "$(basename "$f")") ;;
			*) args=("$1" "$f" "${@:2}") ;;
			esac
			tg_log "$mode-$v-$c"
			TG_TRACE=$TG_WORK/trace.$mode tg_run $mode "$TG_HELPERS/$v" "${args[@]}"
			eval "res_$mode=\$(tg_result):\$(tg_mode \"\$f\"):\$(tg_content \"\$f\")"
			eval "ops_$mode=\$(creating_ops \"\$TG_WORK/trace.$mode\" \"\$(basename \"\$f\")\")"
		done
		t="audit $v $c:"
		# shellcheck disable=SC2154
		tap_is "$res_audit" "$res_bare" "$t result, file mode and content as without tmpguard"
		# shellcheck disable=SC2154
		if [ -n "$ops_bare" ] && [ "$ops_audit" = "$ops_bare" ]; then
			tap_ok "$t the kernel sees the same creating call ($ops_bare)"
		else
			tap_not_ok "$t the kernel sees the same creating call" "bare:  $ops_bare" "audit: $ops_audit"
		fi
		func=$(tg_sym $v "$1")
		[ "$1" = spawn-redirect ] && func=posix_spawn_file_actions_addopen
		tap_log "$t predictable-create, action logged" event=predictable-create \
			"func=$func" action=logged mode=audit
		tap_log_count 0 "$t nothing hardened or blocked" 'action~hardened|blocked'
	done
done

# own existing file: truncated by the kernel as without tmpguard
printf 'OLD-CONTENT\n' >"$S/own"
TG_TRACE=$TG_WORK/trace tg_run audit "$LEGACY" open "$S/own"
tap_is "$(tg_content "$S/own")" VICTIM-DATA "audit open of our own file: truncated as without tmpguard"
tap_like "$(creating_ops "$TG_WORK/trace" own)" '^openat O_WRONLY\|O_CREAT\|O_TRUNC 0666 FD$' \
	"audit open of our own file: O_TRUNC reaches the kernel with the open"

# --- 2. name generators: logged, not rewritten ------------------------------
tg_log names
tg_run bare "$LEGACY" tmpnam-fopen w
bare_name=$(tg_name)
tg_cleanup_later "$bare_name"
TG_TRACE=$TG_WORK/trace tg_run audit "$LEGACY" tmpnam-fopen w
name=$(tg_name)
tg_cleanup_later "$name"
tap_like "$name" '^/tmp/file[A-Za-z0-9]{6}$' "audit tmpnam: glibc's own name ($name; bare: $bare_name)"
tap_like "$(creating_ops "$TG_WORK/trace" "$(basename "$name")")" '^openat O_WRONLY\|O_CREAT\|O_TRUNC 0666 FD$' \
	"audit tmpnam-fopen: created with the program's flags (no O_EXCL added)"
tap_is "$(tg_mode "$name")" 644 "audit tmpnam-fopen: mode as without tmpguard"
tap_log "audit tmpnam: unsafe-name, action logged" event=unsafe-name func=tmpnam action=logged
for gen in "mktemp $S/a.XXXXXX" "tempnam $S ab" tmpnam_r; do
	# shellcheck disable=SC2086
	set -- $gen
	tg_log "names-$1"
	# shellcheck disable=SC2086
	tg_run audit "$LEGACY" names $1 3 "${@:2}"
	tap_log_count 3 "audit $1: unsafe-name, action logged, once per name" \
		event=unsafe-name "func=$1" action=logged
done

# --- 3. plants the victim falls for, reported ------------------------------
TARGET=$TG_WORK/target
printf 'PRECIOUS\n' >"$TARGET"
ln -s "$TARGET" "$S/link"
tg_foreign "$S/link" # another user's
tg_log symlink
tg_run audit "$LEGACY" fopen "$S/link" w
tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA \
	"audit fopen(\"w\") over a planted symlink: followed as without tmpguard"
tap_log "audit fopen over a planted symlink: hijack-detected (detail symlink)" \
	event=hijack-detected func=fopen detail=symlink

mkfifo "$S/fifo"
tg_foreign "$S/fifo"
tg_log fifo
TG_TIMEOUT=2 tg_run audit "$LEGACY" open "$S/fifo"
tap_is "$RC" 124 "audit open of a planted FIFO: blocks as without tmpguard (killed by timeout)"
tap_log "audit open of a planted FIFO: hijack-detected logged before the call" \
	event=hijack-detected func=open
tg_log fifo-harden
tg_run harden "$LEGACY" open "$S/fifo"
tap_is "$(tg_result)" "ERR EACCES" "harden open of a planted FIFO: EACCES at once (rc=$RC)"

ln "$S/own" "$S/own.link2"
tg_log linked
tg_run audit "$LEGACY" open "$S/own.link2"
tap_is "$(tg_result)" OK "audit open of a file with two links: works as without tmpguard"
tap_log "audit open of a file with two links: hijack-detected" event=hijack-detected func=open

tap_done
exit 0
