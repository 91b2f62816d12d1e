#!/bin/bash
# attack/ownlog.sh — the library's own log (contract part 2, item 7):
# TMPGUARD_LOG names a file in a shared directory, and tgattacker was there
# first with its own 0666 file (it reads every event the victim logs: which
# programs, which paths, which code), a hard link to the victim's file (the
# library would append its lines to it) or a symlink to it. Without
# tmpguard there is no log; the baseline shows that an append to that name
# (what a log sink does) lands where the attacker wants. With the library,
# in both modes, the log is used only under the rule: otherwise it is
# treated as unwritable (the one-line message, records to stderr), and the
# victim's own work goes on unchanged. Plants in $W (world-writable, not
# sticky: no fs.protected_* sysctl applies).
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
P=$W/app.log
V=$TG_STICKY/victim.out # the victim's own predictable creation: one event

for cls in file rootlink symlink; do
	label=$(att_describe "$cls")
	vic="TMPGUARD_LOG=NAME (the library's own log)"
	ATT_CLASS=$cls ATT_BARE_NOTE=
	# bare: an append to the name
	att_reset
	att_plant "$cls" "$P" || tap_diag "plant of $cls at $P failed"
	# shellcheck disable=SC2016
	tg_run bare bash -c 'echo VICTIM-LOG-LINE >> "$1"' sh "$P"
	att_settle "$cls"
	bw=$(att_worked "$cls" "$P")
	att_check_bare "$label" "$vic" "$bw" "$(tg_sysctls)"
	[ "$bw" != 1 ] || CELL_BARE="attack works (an append to the name)"
	[ -z "$ATT_BARE_NOTE" ] || CELL_BARE="$CELL_BARE ($ATT_BARE_NOTE)"
	rm -rf -- "$P" "$P.att"
	cells=()
	for m in harden audit; do
		att_reset
		rm -f -- "$V"
		att_plant "$cls" "$P" || tap_diag "plant of $cls at $P failed"
		TMPGUARD_LOG=$P TG_TIMEOUT=5 tg_run $m "$LEGACY" fopen "$V" w
		att_settle "$cls"
		w=$(att_worked "$cls" "$P")
		t="$m $vic, $label:"
		tap_is "$w" 0 "$t the library does not write into the plant"
		tap_is "$RC:$(tg_result)" "0:OK" "$t the program's own call is unchanged, no hang"
		tap_grep "$ERR" '^tmpguard: .*log' "$t the one-line message on stderr"
		tap_grep "$ERR" '"event":"predictable-create".*"path":"'"$V"'"' "$t the records go to stderr"
		if [ "$w" = 0 ] && [ "$RC" = 0 ] && grep -q '^tmpguard: .*log' <<<"$ERR" &&
			grep -q '"event":"predictable-create"' <<<"$ERR"; then
			cells+=("log refused, records to stderr")
		elif [ "$w" = 1 ]; then
			cells+=("LOG WRITTEN INTO THE PLANT")
		else
			cells+=("RECORDS LOST OR PROGRAM CHANGED")
		fi
		rm -rf -- "$P" "$P.att"
	done
	hc=${cells[0]}
	[ "$hc" != "log refused, records to stderr" ] || hc="blocked: $hc"
	att_row "$label" "$vic" "$CELL_BARE" "${cells[1]}" "$hc"
done
att_reset

tap_done
exit 0
