#!/bin/bash
# attack/nstat.sh — iproute2's nstat keeps its history in /tmp/.nstat.u<uid>
# (a name anyone can predict); here the victim is the user tgvictim. It opens it O_RDWR|O_CREAT|O_NOFOLLOW and
# checks the owner itself, so some plants fail without tmpguard too: the
# table says which, and the harden run must still refuse and log each.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
if ! command -v nstat >/dev/null 2>&1; then
	att_row all nstat "not run: nstat missing (Debian package iproute2)" "not run" "not run"
	tap_skip "nstat attacks" "nstat not installed (Debian package iproute2)"
	tap_done
	exit 0
fi
# The victim is a user of its own, tgvictim, so that the predictable name,
# /tmp/.nstat.u<uid>, is not one other tests (or root's own nstat) use.
# (useradd can find /etc/passwd locked by a test running in parallel: retry)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	id -u tgvictim >/dev/null 2>&1 && break
	useradd --system --no-create-home --shell /usr/sbin/nologin tgvictim >/dev/null 2>&1 ||
		sleep 1
done
id -u tgvictim >/dev/null 2>&1 || tap_bail "useradd tgvictim failed"
V_UID=$(id -u tgvictim)
V_GID=$(id -g tgvictim)
HIST=/tmp/.nstat.u$V_UID
tg_cleanup_later "$HIST" "$HIST.att"
unset NSTAT_HISTORY
# precious belongs to the victim
PRECIOUS=$TG_WORK/precious.nstat
att_reset() {
	printf 'PRECIOUS\n' >"$PRECIOUS"
	chmod 0644 "$PRECIOUS"
	chown "$V_UID:$V_GID" "$PRECIOUS"
}
att_reset
AS_VICTIM=(setpriv --reuid="$V_UID" --regid="$V_GID" --clear-groups --)

rm -rf -- "$HIST"
tg_run bare "${AS_VICTIM[@]}" nstat -n
tap_is "$RC:$(tg_owner "$HIST")" "0:tgvictim" "nstat keeps its history in $HIST (no attack)"
rm -rf -- "$HIST"

run_nstat() {
	ATT_PATH=$HIST
	att_plant "$ATT_CLASS" "$HIST" || tap_diag "plant failed"
	# the victim writes the log: the file is made for it
	: >"$LOG"
	chown "$V_UID:$V_GID" "$LOG"
	tg_run "$1" "${AS_VICTIM[@]}" nstat -n
}
att_case symlink nstat run_nstat EACCES "program: O_NOFOLLOW"
att_case fifo nstat run_nstat EACCES "program: owner check"
att_case file nstat run_nstat EACCES "program: owner check"
att_case hardlink nstat run_nstat EACCES "program: owner check"

tap_done
exit 0
