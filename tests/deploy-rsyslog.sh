#!/bin/bash
# deploy-rsyslog.sh — TMPGUARD_LOG=syslog as an operator reads it: a real
# rsyslogd, started here with a configuration of its own (its socket, its
# work directory and its files in the test's directory, not /dev/log or
# /var/log: a syslog daemon already running on the machine is not
# disturbed), writing what it receives the way Debian's /var/log/syslog
# does (RSYSLOG_TraditionalFileFormat), plus a file an operator's selector
# for warnings fills. Also the journal -> syslog fallback. The wire format
# itself (what no daemon shows) is checked in deploy-sinks.sh.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

DESCS=("rsyslogd runs here, private" "the programs behave as hardened" "one line per event"
	"the line as /var/log/syslog shows it" "facility user, priority notice or warning"
	"an operator's user.warning selector: the refusal only" "the message is the event line"
	"no control character sent" "text format: the README's line"
	"fallback: journal without a journal socket goes to syslog")
skip_all() {
	local d
	for d in "${DESCS[@]}"; do tap_skip "rsyslogd: $d" "$1"; done
	tap_done
	exit 0
}
RSYSLOGD=$(command -v rsyslogd || ls /usr/sbin/rsyslogd 2>/dev/null)
[ -n "$RSYSLOGD" ] || skip_all "rsyslogd not installed (Debian package rsyslog; scripts/setup check installs it)"

D=$TG_WORK/rsyslog
mkdir -m 0700 "$D" "$D/spool"
SOCK=$D/log.sock
cat >"$D/rsyslog.conf" <<EOF
global(workDirectory="$D/spool")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$SOCK" RateLimit.Interval="0")
template(name="tgprio" type="string"
	string="%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg:::sp-if-no-1st-sp%%msg%\n")
# as in Debian's /etc/rsyslog.conf
*.*;auth,authpriv.none action(type="omfile" file="$D/syslog" template="RSYSLOG_TraditionalFileFormat")
# an operator's selector for what needs attention
user.warning action(type="omfile" file="$D/warnings" template="RSYSLOG_TraditionalFileFormat")
*.* action(type="omfile" file="$D/prio" template="tgprio")
EOF
if ! "$RSYSLOGD" -N1 -f "$D/rsyslog.conf" >"$D/check.out" 2>&1; then
	tap_not_ok "rsyslogd: ${DESCS[0]}" "rsyslogd -N1 refuses the configuration:" "$(cat "$D/check.out")"
	tap_not_run "rsyslogd has no configuration" "${DESCS[@]:1}"
	tap_done
	exit 0
fi
timeout -k 2 120 "$RSYSLOGD" -n -f "$D/rsyslog.conf" -i "$D/rsyslogd.pid" >"$D/rsyslogd.out" 2>&1 &
RPID=$!
# stopped by TERM, which timeout passes on (tg_cleanup's KILL would not)
# shellcheck disable=SC2317 # run by the trap
rsyslog_cleanup() {
	tg_kill_job "$RPID"
	wait "$RPID" 2>/dev/null
	tg_cleanup
}
trap rsyslog_cleanup EXIT
for ((i = 0; i < 200; i++)); do
	[ -S "$SOCK" ] && break
	kill -0 "$RPID" 2>/dev/null || break
	sleep 0.05
done
if [ ! -S "$SOCK" ]; then
	tap_not_ok "rsyslogd: ${DESCS[0]}" "$RSYSLOGD did not create $SOCK:" "$(cat "$D/rsyslogd.out")"
	tap_not_run "rsyslogd did not start" "${DESCS[@]:1}"
	tap_done
	exit 0
fi
tap_ok "rsyslogd: ${DESCS[0]} ($RSYSLOGD, its own socket and files)"

# --- the programs ------------------------------------------------------------
S=$TG_STICKY
TARGET=$TG_WORK/target
printf 'PRECIOUS\n' >"$TARGET"
ln -s "$TARGET" "$S/planted"
tg_foreign "$S/planted" # another user's
EXE=$(readlink -f "$LEGACY")
export TMPGUARD_SYSLOG_SOCKET=$SOCK
TMPGUARD_LOG=syslog tg_run harden "$LEGACY" fopen "$S/plain" w
r1=$(tg_result)
pid1=$(tg_field pid)
TMPGUARD_LOG=syslog tg_run harden "$LEGACY" fopen "$S/planted" w
r2=$(tg_result)
pid2=$(tg_field pid)
# a path with a newline and a tab, in either format: one record, escaped by
# tmpguard (rsyslogd would show a control character it received as #012)
TMPGUARD_LOG=syslog TMPGUARD_FORMAT=text tg_run audit "$LEGACY" fopen "$S/new"$'\n'"line"$'\t'"tab" w
r3=$(tg_result)
pid3=$(tg_field pid)
TMPGUARD_LOG=syslog TMPGUARD_FORMAT=text tg_run harden "$LEGACY" fopen "$S/text" w
r4=$(tg_result)
pid4=$(tg_field pid)
# the journal sink where there is no journal: syslog instead
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$D/no-journal tg_run harden "$LEGACY" fopen "$S/fallback" w
r5=$(tg_result)
pid5=$(tg_field pid)
unset TMPGUARD_SYSLOG_SOCKET
tap_is "$r1 / $r2 / $r3 / $r4 / $r5 / $(tg_content "$TARGET")" "OK / ERR EACCES / OK / OK / OK / PRECIOUS" \
	"rsyslogd: ${DESCS[1]} (created; planted link refused, target untouched; audit works)"

# rsyslogd writes asynchronously: wait for the six lines (1 + 2 + 1 + 1 + 1)
for ((i = 0; i < 100; i++)); do
	[ "$(grep -c . "$D/syslog" 2>/dev/null)" -ge 6 ] && break
	sleep 0.05
done
sleep 0.2 # and for any line too many
SYSLOG=$(cat "$D/syslog" 2>/dev/null)
# what a failed check below shows
_tg_last_run=$(printf '%s:\n%s\n%s:\n%s' "$D/syslog" "${SYSLOG:-(empty)}" "$D/prio" "$(cat "$D/prio" 2>/dev/null)")

tap_is "$(grep -c . <<<"$SYSLOG")" 6 "rsyslogd: ${DESCS[2]} (1 + 2 + 1 + 1 + 1)"
# Debian's file format: "Mmm dd hh:mm:ss HOST TAG: MSG", the tag tmpguard[pid]
want_tags=$(printf 'tmpguard[%s]\n' "$pid1" "$pid2" "$pid2" "$pid3" "$pid4" "$pid5" | sort | tr '\n' ' ')
got_tags=$(sed -nE 's/^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [^ ]+ (tmpguard\[[0-9]+\]): .*/\1/p' <<<"$SYSLOG" |
	sort | tr '\n' ' ')
tap_is "$got_tags" "$want_tags" "rsyslogd: ${DESCS[3]}: date, host, tmpguard[PID of the program]: message"
PRIO=$(cat "$D/prio" 2>/dev/null)
tap_is "$(grep -F "$S/plain\"" <<<"$PRIO" | cut -d' ' -f1) $(grep -F hijack-blocked <<<"$PRIO" | cut -d' ' -f1)" \
	"user.notice user.warning" "rsyslogd: ${DESCS[4]}: notice for unsafe code, warning for an attack"
WARN=$(cat "$D/warnings" 2>/dev/null)
tap_like "$(grep -c . <<<"$WARN") $WARN" "^1 .* tmpguard\[$pid2\]: \{.*\"event\":\"hijack-blocked\".*\"path\":\"$S/planted\"" \
	"rsyslogd: ${DESCS[5]}"
line1=$(grep -F "\"path\":\"$S/plain\"" <<<"$SYSLOG")
tap_like "$line1" "tmpguard\[$pid1\]: \{\"ts\":\"[^\"]+\",\"pid\":$pid1,\"uid\":$(id -u),\"exe\":\"$EXE\",\"event\":\"predictable-create\",\"func\":\"fopen\",\"path\":\"$S/plain\",\"action\":\"hardened\",\"caller\":\"$EXE\+0x[0-9a-f]+\"" \
	"rsyslogd: ${DESCS[6]} (JSON: ts pid uid exe event func path action caller)"
tap_is "$(grep -c '#[0-9][0-9][0-9]' <<<"$SYSLOG") $(grep -cF "path=\"$S/new\\nline\\ttab\"" <<<"$SYSLOG")" "0 1" \
	"rsyslogd: ${DESCS[7]}: a newline and a tab in a path arrive as \\n and \\t"
tap_grep "$SYSLOG" " tmpguard\[$pid4\]: tmpguard: [0-9T:.-]+Z $EXE\[$pid4\] uid=$(id -u) event=predictable-create action=hardened func=fopen path=\"$S/text\" " \
	"rsyslogd: ${DESCS[8]}"
tap_grep "$SYSLOG" " tmpguard\[$pid5\]: \{.*\"event\":\"predictable-create\".*\"path\":\"$S/fallback\"" \
	"rsyslogd: ${DESCS[9]}"

tap_done
exit 0
