#!/bin/bash
# deploy-journald.sh — TMPGUARD_LOG=journal as an operator reads it: a real
# systemd-journald, started here, and the README's own
# `journalctl SYSLOG_IDENTIFIER=tmpguard -o json`. The whole script runs in a
# private mount namespace with a tmpfs over /run (the journal's sockets and
# volatile storage) and over /var/log/journal, so the library's default
# socket, /run/systemd/journal/socket, is this journald's, and a journal
# already running on the machine is neither seen nor disturbed. The wire
# format itself (what no daemon shows) is checked in deploy-sinks.sh.
set -u

# once, before anything else: into the private mount namespace (for a user
# other than root, in a user namespace where it is root)
if [ -z "${TG_JOURNALD_NS:-}" ]; then
	ns=(unshare --mount --propagation private)
	[ "$(id -u)" = 0 ] || ns=(unshare --user --map-root-user --mount --propagation private)
	if "${ns[@]}" true 2>/dev/null; then
		TG_JOURNALD_NS=1 exec "${ns[@]}" "$BASH" "$0" "$@"
	fi
fi

# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

DESCS=("journald runs here, private" "the programs behave as hardened and audited"
	"one entry per event" "fields: every one once" "fields: the standard ones"
	"SYSLOG_IDENTIFIER and PRIORITY" "TMPGUARD_* of a hardened creation" "TMPGUARD_CALLER"
	"no TMPGUARD_ERRNO when nothing was blocked" "MESSAGE: the JSON event line, agreeing with the fields"
	"MESSAGE without a trailing newline" "a refusal: TMPGUARD_ERRNO, ERROR, DETAIL"
	"_PID: the process that made the call" "a path with newlines: byte for byte, nothing forged"
	"audit: action logged, mode audit" "MESSAGE in text format"
	"operator's filters: TMPGUARD_EVENT=, -p warning")
skip_all() {
	local d
	for d in "${DESCS[@]}"; do tap_skip "journald: $d" "$1"; done
	tap_done
	exit 0
}

JOURNALD=
for p in /usr/lib/systemd/systemd-journald /lib/systemd/systemd-journald; do
	[ -x "$p" ] && { JOURNALD=$p; break; }
done
[ -n "$JOURNALD" ] || skip_all "systemd-journald not installed (Debian package systemd; scripts/setup check installs it)"
command -v journalctl >/dev/null || skip_all "journalctl not installed (Debian package systemd)"
[ -n "${TG_JOURNALD_NS:-}" ] || skip_all "no private mount namespace: unshare --mount refused"

# --- the private journal -------------------------------------------------------
# tmpfs over /run (sockets, volatile storage, a drop-in of ours) and over the
# persistent storage, so that journalctl reads this journal only
mount -t tmpfs -o mode=0755 tmpfs /run || tap_bail "cannot mount a tmpfs over /run"
if [ -d /var/log/journal ]; then
	mount -t tmpfs -o mode=2755 tmpfs /var/log/journal || tap_bail "cannot mount a tmpfs over /var/log/journal"
fi
mkdir -p /run/systemd/journald.conf.d
cat >/run/systemd/journald.conf.d/zz-tmpguard-test.conf <<'EOF'
[Journal]
Storage=volatile
ReadKMsg=no
ForwardToSyslog=no
ForwardToWall=no
ForwardToConsole=no
RateLimitBurst=0
EOF
JLOG=$TG_WORK/journald.out
# its own messages to its stderr, not to the kernel's log (/dev/kmsg),
# which the machine's journal may read
SYSTEMD_LOG_TARGET=console timeout -k 2 120 "$JOURNALD" >"$JLOG" 2>&1 &
JPID=$!
# stopped by TERM, which timeout passes on (tg_cleanup's KILL would not)
# shellcheck disable=SC2317 # run by the trap
journald_cleanup() {
	tg_kill_job "$JPID"
	wait "$JPID" 2>/dev/null
	tg_cleanup
}
trap journald_cleanup EXIT
for ((i = 0; i < 200; i++)); do
	[ -S /run/systemd/journal/socket ] && break
	kill -0 "$JPID" 2>/dev/null || break
	sleep 0.05
done
if [ ! -S /run/systemd/journal/socket ]; then
	tap_not_ok "journald: ${DESCS[0]}" "$JOURNALD did not create /run/systemd/journal/socket:" \
		"$(cat "$JLOG")"
	tap_not_run "journald did not start" "${DESCS[@]:1}"
	tap_done
	exit 0
fi
tap_ok "journald: ${DESCS[0]} ($JOURNALD, sockets and storage on a private tmpfs)"

# --- the programs ------------------------------------------------------------
S=$TG_STICKY
TARGET=$TG_WORK/target
printf 'PRECIOUS\n' >"$TARGET"
ln -s "$TARGET" "$S/planted"
tg_foreign "$S/planted" # another user's
EXE=$(readlink -f "$LEGACY")
# 1. through the command, as README's `tmpguard run --log=journal`
tg_run bare "$TG_CMD" run --log=journal -- "$LEGACY" fopen "$S/plain" w
r1="$RC $(tg_result)"
pid1=$(tg_field pid)
# 2. as a service with README's drop-in (`tmpguard env --systemd
# --log=journal`): a clean environment plus the drop-in's; a planted link,
# two events
"$TG_CMD" env --systemd --log=journal --format=json --dirs="$S" >"$TG_WORK/journal.conf"
mapfile -d '' -t JENV < <("$TG_PY" "$TG_SRCDIR/tests/helpers/dropin_env.py" "$TG_WORK/journal.conf")
# shellcheck disable=SC2086 # TG_SAN_ENV: words without spaces, or none
tg_run bare env -i PATH=/usr/bin:/bin $TG_SAN_ENV "${JENV[@]}" "$LEGACY" fopen "$S/planted" w
r2=$(tg_result)
pid2=$(tg_field pid)
# 3. a path whose newlines would forge fields in a journal line protocol
nl_path="$S/new"$'\n'"TMPGUARD_EVENT=forged"$'\n'"PRIORITY=0"
TMPGUARD_LOG=journal tg_run audit "$LEGACY" fopen "$nl_path" w
r3=$(tg_result)
# 4. the text format
TMPGUARD_LOG=journal TMPGUARD_FORMAT=text tg_run harden "$LEGACY" fopen "$S/text" w
r4=$(tg_result)
tap_is "$r1 / $r2 / $r3 / $r4 / $(tg_content "$TARGET") ${#JENV[@]}" "0 OK / ERR EACCES / OK / OK / PRECIOUS 5" \
	"journald: ${DESCS[1]} (tmpguard run: created; a service with the drop-in's 5 variables: planted link refused, target untouched; audit works)"

# --- what journalctl shows ------------------------------------------------------
J=$TG_WORK/journal.json
# journalctl SYSLOG_IDENTIFIER=tmpguard -o json [FILTER...] into $J, once
# journald has written what it received
jq_read() {
	timeout -k 2 "$TG_TIMEOUT" journalctl --sync >/dev/null 2>&1
	timeout -k 2 "$TG_TIMEOUT" journalctl --no-pager SYSLOG_IDENTIFIER=tmpguard -o json "$@" >"$J" 2>"$J.err"
}
for ((i = 0; i < 50; i++)); do
	jq_read
	[ "$(grep -c . "$J")" -ge 5 ] && break
	sleep 0.1
done
# q EXPR: a Python expression over the entries m (journalctl's JSON: a value
# that is not text comes as a list of bytes, a field given twice as a list of
# values; here bytes are text again, and only a repeated field is a list)
q() {
	"$TG_PY" -c '
import json, sys
def val(v):
    if isinstance(v, list) and all(isinstance(x, int) for x in v):
        return bytes(v).decode("utf-8", "surrogateescape")
    if isinstance(v, list):
        return [val(x) for x in v]
    return v
m = [{k: val(v) for k, v in json.loads(l).items()} for l in open(sys.argv[1]) if l.strip()]
ev = lambda e, path=None: [o for o in m if o.get("TMPGUARD_EVENT") == e and (path is None or o.get("TMPGUARD_PATH") == path)]
print(eval(sys.argv[2]))' "$J" "$1" 2>&1
}
# what a failed check below shows
_tg_last_run=$(printf 'journalctl SYSLOG_IDENTIFIER=tmpguard -o json:\n%s\n%s' "$(head -c 4000 "$J")" "$(cat "$J.err")")

tap_is "$(q 'len(m)')" 5 "journald: ${DESCS[2]} (1 + 2 + 1 + 1)"
tap_is "$(q 'sorted(set(k for o in m for k, v in o.items() if isinstance(v, list)))')" "[]" \
	"journald: ${DESCS[3]} (no field given twice)"
tap_is "$(q 'sorted(set(k for o in m for k in o if not k.startswith(("_", "TMPGUARD_"))))')" \
	"['MESSAGE', 'PRIORITY', 'SYSLOG_IDENTIFIER']" "journald: ${DESCS[4]}: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER"
f1="ev('predictable-create', '$S/plain')[0]"
hb="ev('hijack-blocked')"
tap_is "$(q "${f1}['SYSLOG_IDENTIFIER'], ${f1}['PRIORITY'], [o['PRIORITY'] for o in $hb]")" \
	"('tmpguard', '5', ['4'])" "journald: ${DESCS[5]}: tmpguard, 5 (notice) for unsafe code, 4 (warning) for an attack"
tap_is "$(q "[$f1.get(k) for k in ('TMPGUARD_EVENT','TMPGUARD_ACTION','TMPGUARD_FUNC','TMPGUARD_PATH','TMPGUARD_EXE','TMPGUARD_MODE')]")" \
	"['predictable-create', 'hardened', 'fopen', '$S/plain', '$EXE', 'harden']" \
	"journald: ${DESCS[6]}: EVENT, ACTION, FUNC, PATH, EXE, MODE"
tap_like "$(q "$f1.get('TMPGUARD_CALLER')")" "^$EXE\+0x[0-9a-f]+$" \
	"journald: ${DESCS[7]} names the calling module and offset"
tap_is "$(q "[k for k in ('TMPGUARD_ERRNO', 'TMPGUARD_ERROR') if k in $f1]")" "[]" "journald: ${DESCS[8]}"
# the contract's fields, in the JSON line, agree with the journal's own
# (_PID and _UID are the kernel's, as journald received them)
tap_is "$(q "(lambda o, e: ([k for k in ('ts','pid','uid','exe','event','func','path','action','caller') if k not in e],
	e['pid'] == int(o['_PID']), e['uid'] == int(o['_UID']), e['exe'] == o['TMPGUARD_EXE'], e['event'] == o['TMPGUARD_EVENT'],
	e['func'] == o['TMPGUARD_FUNC'], e['path'] == o['TMPGUARD_PATH'], e['action'] == o['TMPGUARD_ACTION'],
	e['caller'] == o['TMPGUARD_CALLER']))($f1, json.loads(${f1}['MESSAGE']))")" \
	"([], True, True, True, True, True, True, True, True)" \
	"journald: ${DESCS[9]} (ts pid uid exe event func path action caller)"
tap_is "$(q "[o['MESSAGE'].endswith(chr(10)) for o in m]")" "[False, False, False, False, False]" \
	"journald: ${DESCS[10]}"
f2="${hb}[0]"
tap_is "$(q "[$f2.get(k) for k in ('TMPGUARD_ACTION','TMPGUARD_ERRNO','TMPGUARD_ERROR','TMPGUARD_DETAIL','TMPGUARD_PATH')] + [json.loads(${f2}['MESSAGE']).get('errno')]")" \
	"['blocked', '13', 'EACCES', 'symlink', '$S/planted', 13]" \
	"journald: ${DESCS[11]} (blocked, 13, EACCES, symlink; errno in MESSAGE)"
tap_is "$(q "[o['_PID'] for o in ev('predictable-create', '$S/plain')], sorted(set(o['_PID'] for o in ev('predictable-create', '$S/planted') + $hb))")" \
	"(['$pid1'], ['$pid2'])" "journald: ${DESCS[12]} (the program, not the command that ran it)"
f3="ev('predictable-create', '$S/new' + chr(10) + 'TMPGUARD_EVENT=forged' + chr(10) + 'PRIORITY=0')"
tap_is "$(q "len($f3), [o['PRIORITY'] for o in $f3], [o['MESSAGE'] for o in m if 'forged' in str(o.get('TMPGUARD_EVENT')) or o.get('PRIORITY') not in ('4', '5')]")" \
	"(1, ['5'], [])" "journald: ${DESCS[13]}"
tap_is "$(q "${f3}[0]['TMPGUARD_ACTION'], ${f3}[0]['TMPGUARD_MODE']")" "('logged', 'audit')" "journald: ${DESCS[14]}"
tap_like "$(q "ev('predictable-create', '$S/text')[0]['MESSAGE']")" \
	"^tmpguard: [0-9T:.-]+Z $EXE\[[0-9]+\] uid=$(id -u) event=predictable-create action=hardened func=fopen path=\"$S/text\" " \
	"journald: ${DESCS[15]}: the README's line"

# the operator's selections, as docs/deployment.md gives them
jq_read TMPGUARD_EVENT=hijack-blocked
a=$(q "[o['TMPGUARD_PATH'] for o in m]")
jq_read -p warning
b=$(q "[o['TMPGUARD_EVENT'] for o in m]")
tap_is "$a | $b" "['$S/planted'] | ['hijack-blocked']" "journald: ${DESCS[16]} select the refusal only"

tap_done
exit 0
