#!/bin/bash
# errno.sh — every hook leaves errno exactly as the real function does: on
# success (a sentinel value survives) and on each failure path (the same
# errno). tests/helpers/errno_table runs the table; bare and preloaded
# outputs must match line for line, in a shared (sticky) directory and in a
# private one, in harden and audit modes.
. "$TG_SRCDIR/tests/lib.sh"

TABLE=$TG_HELPERS/errno_table
[ -x "$TABLE" ] || tap_bail "helper not built: $TABLE"

# run_table HOW DIRKIND: TBL (output of the table in a fresh directory), RC
run_table() {
	local how=$1 kind=$2 d
	d=$(mktemp -d "$TG_WORK/tbl.XXXXXX")
	if [ "$kind" = shared ]; then chmod 1777 "$d"; export TMPGUARD_DIRS=$TG_STICKY:$d; fi
	tg_log "errno-$how-$kind"
	tg_run "$how" "$TABLE" "$d"
	rm -rf -- "$d"
	export TMPGUARD_DIRS=$TG_STICKY
	TBL=$OUT
}

for kind in shared private; do
	run_table bare "$kind"
	want=$TBL
	n=$(grep -c . <<<"$want")
	if [ "$RC" != 0 ] || [ "$n" -lt 60 ]; then
		tap_not_ok "bare table in a $kind directory runs" "$_tg_last_run"
		tap_not_run "no bare table to compare with" "bare: successes leave the sentinel ($kind)" \
			"harden, $kind directory: errno identical to bare" "audit, $kind directory: errno identical to bare"
		[ "$kind" = shared ] &&
			tap_not_run "no bare table" "the shared-directory run logged events (errno kept through logging)"
		continue
	fi
	tap_ok "bare table in a $kind directory: $n cases"
	sentinels=$(grep -c ' ok sentinel$' <<<"$want")
	tap_like "$sentinels" '^[1-9][0-9]+$' "bare: successes leave the sentinel ($kind)"
	for how in harden audit; do
		run_table "$how" "$kind"
		got=$TBL
		if [ "$got" = "$want" ] && [ "$RC" = 0 ]; then
			tap_ok "$how, $kind directory: errno identical to bare in all $n cases"
		else
			tap_not_ok "$how, $kind directory: errno identical to bare" \
				"rc=$RC" "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))"
		fi
	done
	if [ "$kind" = shared ]; then
		# the shared run did log: errno survived the logging too
		tap_log "the shared-directory run logged events (errno kept through logging)" event=predictable-create
	fi
done

# errno survives a sink failure (an unwritable log): same table, same errno
run_table bare shared
want=$TBL
export TMPGUARD_LOG=$TG_WORK/no-such-dir/log
d=$(mktemp -d "$TG_WORK/tbl.XXXXXX"); chmod 1777 "$d"
TMPGUARD_DIRS=$TG_STICKY:$d tg_run harden "$TABLE" "$d"
rm -rf -- "$d"
tap_is "$OUT" "$want" "errno identical to bare while the log cannot be written"
unset TMPGUARD_LOG

tap_done
