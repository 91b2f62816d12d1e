#!/bin/bash
# attack/errnos.sh — errno under races (contract part 2, item 8): a plant
# that appears, changes or vanishes in the middle of the library's own
# steps must still give EACCES, never an ENXIO, ELOOP or EAGAIN of the
# library's making. tgattacker cycles the name through a symlink to the
# victim's file, a FIFO, its own 0666 file and nothing, a few milliseconds
# each, while the victim (attack_victim errloop) opens the name N times,
# with O_WRONLY|O_CREAT|O_TRUNC (a shell's `>`) and with O_WRONLY|O_APPEND
# (no O_CREAT). Every file system call of the victim is slowed by strace
# (delay_exit), so that the plant changes between the library's steps
# nearly every time: the race is statistical, as race.sh's is, and the
# assertion is on every outcome (harden: success or EACCES only; audit:
# only what the kernel gives the program's own call). Plants in $W
# (world-writable, not sticky: no fs.protected_* sysctl applies).
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
N=${ATT_ERRNO_N:-100}
DELAY_US=${ATT_ERRNO_DELAY_US:-3000}
P=$W/app.race
STOP=$TG_WORK/.flicker-stop
FLICKER=$(
	cat <<'PY'
import os, sys, time
p, target, stop = sys.argv[1:4]
os.umask(0)
def symlink(): os.symlink(target, p)
def fifo(): os.mkfifo(p, 0o666)
def mine():
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.write(fd, b"ATTACKER\n")
    os.close(fd)
flips = 0
print("READY", flush=True)
while not os.path.exists(stop):
    for make in (symlink, fifo, mine, None):
        try:
            if make:
                make()
        except OSError:
            pass
        time.sleep(0.002)
        try:
            os.unlink(p)
        except OSError:
            pass
        flips += 1
print("FLIPS %d" % flips, flush=True)
PY
)
SLOW=()
if command -v strace >/dev/null; then
	SLOW=(strace -f -qq -o /dev/null -e "trace=%file,%desc" -e "inject=%file,%desc:delay_exit=$DELAY_US")
else
	tap_diag "strace not installed: the victim runs at full speed (fewer plants change between the library's steps)"
fi

# race MODE FLAGS: sets TALLY (the victim's outcome counts), RC, FLIPS
race() {
	local how=$1 flags=$2 apid out=$TG_WORK/.flicker kv
	# under strace, the library goes in through strace -E, so that strace
	# itself is not preloaded
	local -a env=() run=("$how")
	if [ ${#SLOW[@]} -gt 0 ]; then
		mapfile -t env < <(att_env "$how")
		run=(bare "${SLOW[@]}")
		for kv in "${env[@]}"; do run+=(-E "$kv"); done
	fi
	rm -f -- "$STOP" "$P"
	att_reset
	# every system call is slowed, and a nested suite (checkout-0700.sh)
	# may run this beside others on two cores: a generous bound (the
	# victim gives up each open after 100 ms, so it cannot hang)
	TG_TIMEOUT=300 tg_start_bg apid "$out" env -u LD_PRELOAD setpriv \
		--reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups -- \
		"$PY" -c "$FLICKER" "$P" "$PRECIOUS" "$STOP"
	tg_wait_line "$out" '^READY' 10 || tap_bail "the flickering attacker did not start: $(cat "$out.err")"
	TG_TIMEOUT=300 tg_run "${run[@]}" "$VICTIM" errloop "$P" "$N" "$flags"
	touch "$STOP"
	wait "$apid"
	rm -f -- "$P"
	TALLY=$(sed -n 's/^TALLY //p' <<<"$OUT")
	FLIPS=$(sed -n 's/^FLIPS //p' "$out")
	tap_diag "$how $flags: rc=$RC; victim: ${TALLY:-no tally}; attacker: ${FLIPS:-?} changes; precious: $(tg_content "$PRECIOUS" | head -c 40)"
}
# tally_only ALLOWED...: every outcome in TALLY is one of ALLOWED
tally_only() {
	local kv
	[ -n "$TALLY" ] || return 1
	for kv in $TALLY; do
		[[ " $* " == *" ${kv%%=*} "* ]] || return 1
	done
}
tally_has() { [[ " $TALLY " == *" $1="* ]]; }

for flags in 'WRONLY|CREAT|TRUNC' 'WRONLY|APPEND'; do
	case $flags in
	*CREAT*) allowed="OK EACCES" kernel="OK EINTR" ;;
	*) allowed="OK EACCES ENOENT" kernel="OK EINTR ENOENT" ;;
	esac
	vic="C open(NAME, O_${flags//|/\\|O_}) x $N (attack_victim errloop)"
	t="open(NAME, $flags) x $N against a plant that keeps changing:"
	# bare: the plant reached the victim (wrote the victim's file, or hung
	# it on the FIFO until its 100 ms alarm)
	tg_log "errnos-bare"
	race bare "$flags"
	bare_won=0
	if att_precious_touched || tally_has EINTR; then bare_won=1; fi
	if [ "$bare_won" = 1 ]; then
		tap_ok "bare $t the attack works (baseline)"
		cell_bare="attack works"
	else
		tap_skip "bare $t the attack works" "the plants never reached the victim in this run: the harden result below proves less"
		cell_bare="attacker never won here"
	fi
	# harden
	tg_log "errnos-harden"
	race harden "$flags"
	hw=0
	if att_precious_touched; then hw=1; fi
	tap_is "$hw" 0 "harden $t the attack fails (precious untouched)"
	if [ "$RC" != 124 ] && ! tally_has EINTR; then tap_ok "harden $t no hang"; else tap_not_ok "harden $t no hang" "$_tg_last_run"; fi
	if tally_only $allowed; then
		tap_ok "harden $t every refusal is EACCES (outcomes: $TALLY)"
	else
		tap_not_ok "harden $t every refusal is EACCES" "outcomes: ${TALLY:-none}; allowed: $allowed" "$_tg_last_run"
	fi
	nb=$(tg_log_count "$LOG" event=hijack-blocked "path=$P")
	if [[ $nb =~ ^[1-9] ]]; then tap_ok "harden $t hijack-blocked logged for $P"; else tap_not_ok "harden $t hijack-blocked logged for $P" "$(_tg_log_diag "$LOG")"; fi
	if [ "$hw" = 0 ] && tally_only $allowed && [[ $nb =~ ^[1-9] ]]; then
		cell_harden="blocked: EACCES only, hijack-blocked"
	elif [ "$hw" = 0 ]; then
		cell_harden="attack fails; OTHER ERRNO OR NOT LOGGED"
	else
		cell_harden="NOT BLOCKED"
	fi
	# audit
	tg_log "errnos-audit"
	race audit "$flags"
	aw=0
	if att_precious_touched || tally_has EINTR; then aw=1; fi
	if tally_only $kernel; then
		tap_ok "audit $t only the kernel's outcomes (outcomes: $TALLY)"
	else
		tap_not_ok "audit $t only the kernel's outcomes" "outcomes: ${TALLY:-none}; the kernel gives: $kernel" "$_tg_last_run"
	fi
	nd=$(tg_log_count "$LOG" event=hijack-detected "path=$P")
	if [ "$aw" = 1 ]; then
		if [[ $nd =~ ^[1-9] ]]; then tap_ok "audit $t hijack-detected logged for $P"; else tap_not_ok "audit $t hijack-detected logged for $P" "$(_tg_log_diag "$LOG")"; fi
	else
		tap_skip "audit $t hijack-detected logged for $P" "the plants never reached the victim in this run"
	fi
	if tally_only $kernel && [ "$aw" = 1 ] && [[ $nd =~ ^[1-9] ]]; then
		cell_audit="attack works, kernel's errno only, hijack-detected"
	elif tally_only $kernel && [ "$aw" = 0 ]; then
		cell_audit="attacker never won in this run"
	else
		cell_audit="NOT AS BARE OR NOT DETECTED"
	fi
	att_row "plant changing during the call (symlink, FIFO, file, nothing)" "$vic" \
		"$cell_bare" "$cell_audit" "$cell_harden"
done
att_reset

tap_done
exit 0
