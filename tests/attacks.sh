#!/bin/bash
# attacks.sh — a second user (tgattacker) plants objects in a shared sticky
# directory under the name a root victim is about to create. Without the
# library the attack works (that is the baseline, and it must be shown to
# work here, else the harden result proves nothing); in harden mode it is
# refused and logged; in audit mode it works as without the library, and is
# reported.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

if ! tg_attacker_setup; then
	tap_skip "attacks by a second user" "$TG_ATT_WHY"
	tap_done
	exit 0
fi
tap_diag "kernel: $(tg_sysctls)"
# rows for the results table (tests/attack/table.sh): class, victim, bare,
# audit, harden — what each run observed
ROWS=$TG_BUILDDIR/tests/attack/results/attacks.tsv
mkdir -p "${ROWS%/*}" && : >"$ROWS"
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"; }

S=$TG_STICKY
PRECIOUS=$TG_WORK/precious # root's, outside the shared directory
reset_precious() {
	printf 'PRECIOUS\n' >"$PRECIOUS"
	chmod 0644 "$PRECIOUS"
}
reset_precious
V=$S/victim # the predictable name the victim creates
ATT=$S/attacker.data

# plant KIND: the attacker's object at $V. Returns non-zero when the kernel
# refused the plant itself.
plant() {
	rm -rf -- "$V" "$ATT"
	reset_precious
	case $1 in
	symlink) tg_as_attacker ln -s "$PRECIOUS" "$V" ;;
	hardlink)
		tg_as_attacker sh -c 'umask 0; echo ATTACKER > "$1" && ln "$1" "$2"' sh "$ATT" "$V" ;;
	hardlink-root) tg_as_attacker ln "$PRECIOUS" "$V" 2>/dev/null ;;
	file) tg_as_attacker sh -c 'umask 0; echo ATTACKER > "$1"' sh "$V" ;;
	fifo) tg_as_attacker mkfifo -m 0666 "$V" ;;
	dir) tg_as_attacker mkdir -m 0777 "$V" ;;
	esac
}

# attack_worked KIND: did the last (bare or audit) run fall for the plant?
attack_worked() {
	case $1 in
	symlink | hardlink-root) grep -q VICTIM-DATA "$PRECIOUS" ;;
	hardlink) grep -q VICTIM-DATA "$ATT" ;;
	file) grep -q VICTIM-DATA "$V" && [ "$(tg_owner "$V")" = "$TG_ATTACKER" ] ;;
	fifo) [ "$RC" = 124 ] ;;                      # the victim hung
	dir) [ "$(tg_result)" = "ERR EISDIR" ] ;;    # the victim failed
	esac
}
# untouched KIND: the plant and what it points at are as planted.
untouched() {
	case $1 in
	symlink) [ -L "$V" ] && [ "$(tg_content "$PRECIOUS")" = PRECIOUS ] ;;
	hardlink-root) [ "$(tg_content "$PRECIOUS")" = PRECIOUS ] ;;
	hardlink) [ "$(tg_content "$ATT")" = ATTACKER ] ;;
	file) [ "$(tg_content "$V")" = ATTACKER ] ;;
	fifo) [ -p "$V" ] ;;
	dir) [ -d "$V" ] && [ -z "$(ls -A "$V")" ] ;;
	esac
}
describe() {
	case $1 in
	symlink) echo "symlink to root's file" ;;
	hardlink) echo "hard link to the attacker's own file" ;;
	hardlink-root) echo "hard link to root's file" ;;
	file) echo "attacker-owned 0666 file" ;;
	fifo) echo "FIFO" ;;
	dir) echo "directory" ;;
	esac
}

CALLS=("open $V" "creat $V" "fopen $V w" "fopen $V a" "openat $S victim")
for kind in symlink hardlink hardlink-root file fifo dir; do
	what=$(describe $kind)
	if ! plant $kind; then
		if [ $kind = hardlink-root ]; then
			tap_skip "$TG_ATTACKER plants a hard link to root's file" \
				"the kernel refused it: fs.protected_hardlinks=$(cat /proc/sys/fs/protected_hardlinks)"
			tap_diag "the kernel refused $TG_ATTACKER's hard link to root's file" \
				"(fs.protected_hardlinks=$(cat /proc/sys/fs/protected_hardlinks)); the rest of this case plants it as root, as an attacker could where that sysctl is 0"
			planter=root
		else
			# the test's own setup, not the library, failed
			tap_bail "$TG_ATTACKER cannot plant a $what: no attack to run"
		fi
	else
		planter=$TG_ATTACKER
	fi
	replant() {
		plant "$1" || { rm -rf -- "$V"; reset_precious; ln "$PRECIOUS" "$V"; }
	}
	for call in "${CALLS[@]}"; do
		# shellcheck disable=SC2086
		set -- $call
		c=$1
		[ "$c" = fopen ] && c="fopen-$3"
		# bare: the attack works
		replant $kind
		TG_TIMEOUT=3 tg_run bare "$LEGACY" $call
		if attack_worked $kind; then
			tap_ok "bare $c over a $what (planted by $planter): the attack works (baseline)"
			cb="attack works"
			[ $kind = dir ] && cb="victim fails (EISDIR)"
			[ $planter = root ] && cb="$cb (planted by root: the kernel refused $TG_ATTACKER's link)"
		else
			cb="blocked by the kernel ($(tg_sysctls))"
			tap_skip "bare $c over a $what: baseline" \
				"the kernel blocked the attack without tmpguard ($(tg_result), rc=$RC; $(tg_sysctls))"
		fi
		# harden: refused, nothing touched, logged, no hang
		replant $kind
		tg_log "harden-$kind-$c"
		tg_run harden "$LEGACY" $call
		t="harden $c over a $what:"
		if [ $kind = dir ]; then want="ERR EISDIR"; else want="ERR EACCES"; fi
		tap_is "$(tg_result)" "$want" "$t fails with ${want#ERR }, no hang (rc=$RC)"
		tap_check "$t the planted object and its target untouched" untouched $kind
		# a directory: the kernel refuses the open itself (EISDIR);
		# tmpguard reports what it saw, and blocked nothing
		if [ $kind = dir ]; then ev=hijack-detected; else ev=hijack-blocked; fi
		ch="NOT BLOCKED"
		if [ "$(tg_result)" = "$want" ] && untouched $kind &&
			[[ $(tg_log_count "$LOG" event=$ev) =~ ^[1-9] ]]; then
			ch="blocked: ${want#ERR }, $ev"
		fi
		if [ $kind = dir ]; then
			tap_log "$t hijack-detected (detail directory), action logged" \
				event=hijack-detected action=logged detail=directory
		else
			tap_log "$t hijack-blocked errno=13" event=hijack-blocked action=blocked \
				errno=13 error=EACCES
			case $kind in
			symlink) detail=symlink ;;
			hardlink-root) detail=multiple-links ;;
			file) detail=foreign-owner ;;
			fifo) detail=special ;;
			*) detail= ;; # a foreign file with two links: either reason
			esac
			[ -n "$detail" ] && tap_log "$t detail=$detail" event=hijack-blocked "detail=$detail"
		fi
		# audit: as without the library, and reported
		replant $kind
		tg_log "audit-$kind-$c"
		TG_TIMEOUT=3 tg_run audit "$LEGACY" $call
		t="audit $c over a $what:"
		if [ $kind = dir ]; then
			tap_is "$(tg_result)" "ERR EISDIR" "$t fails with EISDIR as without tmpguard"
			tap_diag "$t logged: $(tr '\n' ' ' <"$LOG" 2>/dev/null)"
			ca="NOT AS BARE"
			if [ "$(tg_result)" = "ERR EISDIR" ]; then
				ca="victim fails (EISDIR) as bare"
				[[ $(tg_log_count "$LOG" event=hijack-detected) =~ ^[1-9] ]] &&
					ca="$ca, hijack-detected"
			fi
		else
			tap_check "$t behaves as without tmpguard (the attack works)" attack_worked $kind
			tap_log "$t hijack-detected logged" event=hijack-detected
			ca="NOT AS BARE OR NOT DETECTED"
			attack_worked $kind && [[ $(tg_log_count "$LOG" event=hijack-detected) =~ ^[1-9] ]] &&
				ca="attack works, hijack-detected"
		fi
		row "$what" "legacy: $c" "$cb" "$ca" "$ch"
	done
done

# The race on a reserved name: the attacker squats the name mktemp gave out.
plant_att_symlink() { tg_as_attacker ln -s "$PRECIOUS" "$1"; }
reset_precious
tg_race bare plant_att_symlink "$LEGACY" mktemp-open "$S/m.XXXXXX"
tap_is "$(tg_content "$PRECIOUS")" VICTIM-DATA "bare mktemp-open, squatted by $TG_ATTACKER: root's file overwritten (baseline)"
race_bare="NOT REPRODUCED"
[ "$(tg_content "$PRECIOUS")" = VICTIM-DATA ] && race_bare="attack works"
reset_precious
tg_log race-harden
tg_race harden plant_att_symlink "$LEGACY" mktemp-open "$S/m.XXXXXX"
tap_is "$(tg_result):$(tg_content "$PRECIOUS")" "ERR EEXIST:PRECIOUS" \
	"harden mktemp-open, squatted by $TG_ATTACKER: EEXIST, root's file untouched"
tap_log "harden mktemp-open, squatted: race-blocked" event=race-blocked
race_harden="NOT BLOCKED"
[ "$(tg_result):$(tg_content "$PRECIOUS")" = "ERR EEXIST:PRECIOUS" ] &&
	[[ $(tg_log_count "$LOG" event=race-blocked) =~ ^[1-9] ]] &&
	race_harden="blocked: EEXIST, race-blocked"
reset_precious
tg_log race-audit
tg_race audit plant_att_symlink "$LEGACY" mktemp-open "$S/m.XXXXXX"
tap_is "$(tg_content "$PRECIOUS")" VICTIM-DATA "audit mktemp-open, squatted: behaves as without tmpguard"
tap_log "audit mktemp-open, squatted: hijack-detected" event=hijack-detected
ca="NOT AS BARE OR NOT DETECTED"
[ "$(tg_content "$PRECIOUS")" = VICTIM-DATA ] &&
	[[ $(tg_log_count "$LOG" event=hijack-detected) =~ ^[1-9] ]] &&
	ca="attack works, hijack-detected"
row "symlink squatting a mktemp name before it is created" "legacy: mktemp, then open" \
	"$race_bare" "$ca" "$race_harden"
reset_precious

# What the attacker can read of a file the victim creates.
rm -rf -- "$V"
tg_run bare "$LEGACY" fopen "$V" w
got=$(tg_as_attacker cat "$V" 2>/dev/null)
tap_is "$got" VICTIM-DATA "bare fopen(\"w\"): $TG_ATTACKER can read the victim's data (baseline, umask 022)"
rm -f -- "$V"
tg_run harden "$LEGACY" fopen "$V" w
got=$(tg_as_attacker cat "$V" 2>/dev/null)
tap_is "${got:-<denied>}" "<denied>" "harden fopen(\"w\"): $TG_ATTACKER cannot read the victim's data"

tap_done
exit 0
