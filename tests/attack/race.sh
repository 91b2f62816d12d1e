#!/bin/bash
# attack/race.sh — the statistical race: an inotify-driven attacker
# (tgattacker, tests/attack/inotify_attacker.py) against N (1000) iterations
# of a mktemp-then-open victim (attack_victim loop: mktemp, open
# O_CREAT|O_TRUNC, write, close, 1 ms of work, reopen with fopen "a"). The
# directory is world-writable without the sticky bit, so the attacker can
# replace the victim's file by a symlink to precious between the two opens;
# no fs.protected_* sysctl applies to it.
# Zero successes are required under harden; the bare count is reported (a
# race: it must have worked at least once to prove the harness, else the test
# says so and skips that check); audit must behave as bare and log.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
VICTIM=$TG_HELPERS/attack_victim
[ -x "$VICTIM" ] || tap_bail "helper not built: $VICTIM"
N=${ATT_RACE_N:-1000}
DELAY_US=${ATT_RACE_DELAY_US:-1000}
RDIR=$TG_WORK/race
ATTACKER_PY=$(cat "$TG_SRCDIR/tests/attack/inotify_attacker.py")

# race MODE: sets WON (victim data lines in precious), PLANTED, DONE.
race() {
	local how=$1 apid vpid stop=$TG_WORK/.race-stop out=$TG_WORK/.race-att
	local -a env
	mapfile -t env < <(att_env "$how")
	rm -rf -- "$RDIR" "$stop"
	mkdir -m 0777 "$RDIR" && chmod 0777 "$RDIR"
	att_reset
	TG_TIMEOUT=120 tg_start_bg apid "$out" env -u LD_PRELOAD setpriv \
		--reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups -- \
		"$TG_PY" -c "$ATTACKER_PY" "$RDIR" r. "$PRECIOUS" "$stop"
	if ! tg_wait_line "$out" '^(READY|ERR)' 10 || ! grep -q READY "$out"; then
		touch "$stop"
		wait "$apid"
		tap_bail "inotify attacker did not start: $(cat "$out" "$out.err")"
	fi
	TG_TIMEOUT=120 tg_start_bg vpid "$TG_WORK/.race-victim" env "${env[@]}" \
		"$VICTIM" loop "$RDIR/r.XXXXXX" "$N" "$DELAY_US"
	wait "$vpid"
	RC=$?
	touch "$stop"
	wait "$apid"
	PLANTED=$(sed -n 's/^PLANTED //p' "$out")
	DONE=$(sed -n 's/^DONE //p' "$TG_WORK/.race-victim")
	WON=$(grep -c VICTIM-DATA "$PRECIOUS")
	tap_diag "$how: victim rc=$RC, $DONE iterations completed; attacker planted ${PLANTED:-?} symlinks; $WON writes reached precious"
}

start=$SECONDS
race bare
BARE_WON=$WON
if [ "$BARE_WON" -gt 0 ]; then
	tap_ok "bare: $BARE_WON of $N iterations fell to the inotify attacker (baseline)"
	cell_bare="attack works ($BARE_WON of $N here)"
else
	tap_skip "bare: the inotify attacker won at least once" \
		"it did not win in $N iterations on this machine (planted ${PLANTED:-0}); the harden result below proves less"
	cell_bare="attacker never won here (0 of $N)"
fi

tg_log race-harden
race harden
tap_is "$RC:$WON" "0:0" "harden: zero of $N iterations hijacked (precious untouched), the victim ran to the end"
tap_is "$(tg_content "$PRECIOUS")" PRECIOUS "harden: precious unchanged"
nb=$(tg_log_count "$LOG" event=hijack-blocked detail=symlink)
nh=$(tg_log_count "$LOG" event=hijack-detected)
tap_diag "harden: $nb hijack-blocked (symlink) events logged"
if [ "${PLANTED:-0}" -gt 0 ]; then
	if [[ $nb =~ ^[1-9][0-9]*$ ]]; then
		tap_ok "harden: the planted symlinks the victim met are refused and logged (hijack-blocked: $nb)"
	else
		tap_not_ok "harden: hijack-blocked logged for the plants" "planted $PLANTED, logged $nb"
	fi
else
	tap_skip "harden: hijack-blocked logged" "the attacker planted nothing in time"
fi
tap_is "$nh" 0 "harden: no hijack-detected (nothing got through)"
cell_harden="blocked: 0 of $N, EACCES, hijack-blocked"
[ "$WON" = 0 ] || cell_harden="NOT BLOCKED ($WON of $N)"

tg_log race-audit
race audit
AUDIT_WON=$WON
nd=$(tg_log_count "$LOG" event=hijack-detected)
tap_diag "audit: $AUDIT_WON of $N hijacked, $nd hijack-detected events"
if [ "$AUDIT_WON" -gt 0 ]; then
	if [[ $nd =~ ^[1-9][0-9]*$ ]]; then
		tap_ok "audit: the attack works as without tmpguard ($AUDIT_WON of $N) and is logged (hijack-detected: $nd)"
		cell_audit="attack works ($AUDIT_WON of $N here), hijack-detected"
	else
		tap_not_ok "audit: hijacks logged as hijack-detected" "$AUDIT_WON won, $nd logged"
		cell_audit="NOT DETECTED"
	fi
elif [ "$BARE_WON" -gt 0 ] && [ "${PLANTED:-0}" -gt 0 ]; then
	tap_skip "audit: the attack works as without tmpguard" \
		"the attacker did not win in this run (planted $PLANTED); a race"
	cell_audit="attacker never won in this run"
else
	tap_skip "audit: the attack works as without tmpguard" "the attacker never won"
	cell_audit="attacker never won in this run"
fi
att_row "symlink swapped in between two opens (inotify, $N iterations)" \
	"mktemp, open, close, fopen(a) (attack_victim loop)" "$cell_bare" "$cell_audit" "$cell_harden"
tap_diag "race.sh took $((SECONDS - start)) s"

tap_done
exit 0
