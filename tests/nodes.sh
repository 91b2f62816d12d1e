#!/bin/bash
# nodes.sh — mkdir, mkdirat, mkfifo, mkfifoat, mknod, mknodat: reserved names
# are created private; an EEXIST on another user's object in a shared
# directory is on record (hijack-blocked); everything else is untouched.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
P=$TG_PRIVATE

# node_call CALL DIR NAME: legacy command line for CALL on DIR/NAME.
node_call() {
	case $1 in
	*at) echo "$LEGACY $1 $2 $3" ;;
	*) echo "$LEGACY $1 $2/$3" ;;
	esac
}
want_type() {
	case $1 in mkdir*) echo directory ;; *) echo fifo ;; esac
}

# --- 1. new names: not candidates, created as asked, nothing logged --------
for call in mkdir mkdirat mkfifo mkfifoat mknod mknodat; do
	case $call in mkdir*) want=755 ;; *) want=644 ;; esac
	tg_log "new-$call"
	# shellcheck disable=SC2046
	tg_run harden $(node_call $call "$S" "new.$call")
	tap_is "$(tg_result):$(tg_type "$S/new.$call"):$(tg_mode "$S/new.$call")" \
		"OK:$(want_type $call):$want" "harden $call of a new name in a shared dir: created as asked (umask 022)"
	tap_log_none "harden $call of a new name: nothing logged"
done

# --- 2. reserved names: private and exclusive --------------------------------
for spec in "mktemp-mkdir:directory:700" "mktemp-mkfifo:fifo:600" \
	"mktemp-mknod:fifo:600" "tempnam-mkdir:directory:700" "tmpnam-mkfifo:fifo:600"; do
	IFS=: read -r cmd type want <<<"$spec"
	case $cmd in
	mktemp-*) args=("$S/n.XXXXXX") ;;
	tempnam-*) args=("$S" nd) ;;
	*) args=() ;;
	esac
	tg_log "reserved-$cmd"
	tg_run harden "$LEGACY" "$cmd" "${args[@]}" 0777
	name=$(tg_name)
	[ -n "$name" ] && tg_cleanup_later "$name"
	tap_is "$(tg_result):$(tg_type "$name"):$(tg_mode "$name")" "OK:$type:$want" \
		"harden $cmd (0777 asked): $type with mode $want"
	tap_log "harden $cmd: unsafe-name logged" event=unsafe-name "path=$name"
	tap_log "harden $cmd: rewritten logged" event=rewritten "path=$name"
done

plant_file() { printf 'SQUATTER\n' >"$1"; }
for cmd in mktemp-mkdir mktemp-mkfifo mktemp-mknod; do
	tg_log "race-$cmd"
	tg_race harden plant_file "$LEGACY" "$cmd" "$S/q.XXXXXX"
	tap_is "$(tg_result):$(tg_content "$NAME")" "ERR EEXIST:SQUATTER" \
		"harden $cmd, name squatted: EEXIST, squatter's file untouched"
	tap_log "harden $cmd, name squatted: race-blocked" event=race-blocked "path=$NAME"
	rm -f -- "$NAME"
done

# --- 3. an existing object of our own: the kernel's EEXIST, nothing to say ---
for call in mkdir mkdirat mkfifo mkfifoat mknod mknodat; do
	mkdir -p "$S/own.$call"
	tg_log "own-$call"
	# shellcheck disable=SC2046
	tg_run harden $(node_call $call "$S" "own.$call")
	tap_is "$(tg_result)" "ERR EEXIST" "harden $call on our own directory: EEXIST"
	tap_log_count 0 "harden $call on our own object: no hijack-blocked" event=hijack-blocked
done

# --- 4. another user's object: EEXIST on record -------------------------------
if ! tg_attacker_setup; then
	tap_skip "another user's object in a shared dir" "$TG_ATT_WHY"
else
	for call in mkdir mkdirat mkfifo mkfifoat mknod mknodat; do
		for plant in dir fifo file; do
			n=foreign.$call.$plant
			case $plant in
			dir) tg_as_attacker mkdir "$S/$n" ;;
			fifo) tg_as_attacker mkfifo "$S/$n" ;;
			file) tg_as_attacker sh -c 'echo ATTACKER > "$1"' sh "$S/$n" ;;
			esac
			before=$(stat -c '%F %U %a %i' "$S/$n")
			tg_run bare $(node_call $call "$S" "$n")
			bare=$(tg_result)
			tg_log "foreign-$call-$plant"
			# shellcheck disable=SC2046
			tg_run harden $(node_call $call "$S" "$n")
			t="harden $call over $TG_ATTACKER's $plant:"
			tap_is "$(tg_result)" "ERR EEXIST" "$t the kernel's EEXIST (bare: $bare)"
			tap_is "$(stat -c '%F %U %a %i' "$S/$n")" "$before" "$t object untouched"
			# the kernel refused, not tmpguard: a detection in both modes
			tap_log "$t hijack-detected, action logged" event=hijack-detected "func=$call" action=logged errno!
			tap_log_count 0 "$t no hijack-blocked" event=hijack-blocked
			# audit only saw the kernel refuse: a detection, nothing blocked
			tg_log "foreign-$call-$plant-audit"
			# shellcheck disable=SC2046
			tg_run audit $(node_call $call "$S" "$n")
			t="audit $call over $TG_ATTACKER's $plant:"
			tap_is "$(tg_result)" "ERR EEXIST" "$t the kernel's EEXIST"
			tap_log "$t hijack-detected, action logged" event=hijack-detected "func=$call" action=logged errno!
			tap_log_count 0 "$t no hijack-blocked" event=hijack-blocked
		done
	done
	# In a private directory the same EEXIST is not a hijack.
	mkdir "$P/foreign"
	chown "$TG_ATT_UID:$TG_ATT_GID" "$P/foreign"
	tg_log private-foreign
	tg_run harden "$LEGACY" mkdir "$P/foreign"
	tap_is "$(tg_result)" "ERR EEXIST" "harden mkdir over a foreign dir in a private dir: EEXIST"
	tap_log_none "harden mkdir over a foreign dir in a private dir: nothing logged"
fi

tap_done
exit 0
