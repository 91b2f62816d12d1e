#!/bin/bash
# deploy-sinks.sh — the syslog and journal sinks as an operator's log daemon
# sees them: real listeners (tests/helpers/deploy_listen.py) on Unix datagram
# sockets in a private directory, the datagrams decoded (RFC 3164 for syslog,
# the journal's native binary-safe protocol), fields, priorities, identifier,
# and the journal → syslog fallback. (tests/log.sh checks only that an event
# reaches each socket.)
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
EXE=$(readlink -f "$LEGACY")
LISTEN=$TG_SRCDIR/tests/helpers/deploy_listen.py
SOCKDIR=$TG_WORK/sock
mkdir -m 0700 "$SOCKDIR"
TARGET=$TG_WORK/target
printf 'PRECIOUS\n' >"$TARGET"

# listen KIND NAME: start a listener on $SOCKDIR/NAME; sets SOCK and MSGS.
listen() {
	SOCK=$SOCKDIR/$2
	MSGS=$TG_WORK/$2.msgs
	rm -f "$MSGS" "$MSGS".*
	timeout -k 2 20 "$TG_PY" "$LISTEN" "$1" "$SOCK" "$MSGS" 15 &
	LPID=$!
	TG_BG_PIDS+=("$LPID")
	local i
	for ((i = 0; i < 200; i++)); do
		[ -e "$MSGS.ready" ] && return 0
		sleep 0.05
	done
	tap_bail "listener on $SOCK did not start"
}
# stop: let the listener drain and write $MSGS.
stop() {
	touch "$MSGS.stop"
	wait "$LPID"
}
# q EXPR: evaluate a Python expression over the datagrams (list m).
q() {
	"$TG_PY" -c '
import json, sys
m = [json.loads(l) for l in open(sys.argv[1])] if __import__("os").path.exists(sys.argv[1]) else []
print(eval(sys.argv[2]))' "$MSGS" "$1" 2>&1
}

# --- 1. syslog: one RFC 3164 datagram per event ------------------------------
listen syslog syslog.sock
ln -s "$TARGET" "$S/planted"
TMPGUARD_LOG=syslog TMPGUARD_SYSLOG_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/plain" w
pid1=$(tg_field pid)
r1=$(tg_result)
TMPGUARD_LOG=syslog TMPGUARD_SYSLOG_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/planted" w
pid2=$(tg_field pid 2>/dev/null)
[ -n "$pid2" ] || pid2=$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$OUT" | head -n 1)
r2=$(tg_result)
stop
tap_is "$r1 / $r2" "OK / ERR EACCES" "syslog: the programs behave as hardened (created; planted link refused)"
tap_is "$(tg_content "$TARGET")" PRECIOUS "syslog: the planted link's target is untouched"
# the planted link makes two events: the creation (predictable-create) and
# its refusal (hijack-blocked)
tap_is "$(q 'len(m)')" 3 "syslog: exactly one datagram per event (1 + 2)"
tap_is "$(q '[o.get("error") for o in m]')" "[None, None, None]" "syslog: every datagram is RFC 3164 <PRI>TAG: MSG"
hb='[o for o in m if "hijack-blocked" in o["raw"]]'
tap_is "$(q "m[0]['pri'], [o['pri'] for o in $hb]")" "(13, [12])" \
	"syslog: facility user, priority notice (13) for unsafe code, warning (12) for an attack"
tap_is "$(q 'm[0]["tag"], m[1]["tag"], m[2]["tag"]')" "('tmpguard[$pid1]', 'tmpguard[$pid2]', 'tmpguard[$pid2]')" \
	"syslog: identifier tmpguard with the pid of the process that made the call"
tap_like "$(q 'm[0]["msg"]')" "predictable-create.*fopen.*$S/plain" "syslog: the message is the event line (predictable-create, fopen, path)"
tap_like "$(q "$hb[0]['msg']")" "hijack-blocked.*$S/planted" "syslog: the refusal is logged as hijack-blocked"
tap_is "$(q 'sum("\n" in o["raw"] for o in m)')" 0 "syslog: no newline inside a datagram"

# --- 2. journal: native protocol, structured fields --------------------------
nl_path="$S/new"$'\n'"line"
listen journal journal.sock
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/plain2" w
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/planted" w
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCK tg_run audit "$LEGACY" fopen "$nl_path" w
r3=$(tg_result)
stop
tap_is "$(q 'len(m)')" 4 "journal: exactly one datagram per event (1 + 2 + 1)"
tap_is "$(q '[k for o in m for k in ("error", "dup") if k in o]')" \
	"[]" "journal: every datagram decodes (native protocol, no field twice)"
tap_is "$(q 'sorted(k for k in m[0]["fields"] if not k.startswith("TMPGUARD_"))')" \
	"['MESSAGE', 'PRIORITY', 'SYSLOG_IDENTIFIER']" "journal: standard fields MESSAGE, PRIORITY, SYSLOG_IDENTIFIER"
f0='m[0]["fields"]'
jb='[o["fields"] for o in m if o["fields"].get("TMPGUARD_EVENT") == "hijack-blocked"]'
tap_is "$(q "$f0[\"SYSLOG_IDENTIFIER\"], $f0[\"PRIORITY\"], [f['PRIORITY'] for f in $jb]")" \
	"('tmpguard', '5', ['4'])" "journal: SYSLOG_IDENTIFIER=tmpguard, PRIORITY 5 (notice) for unsafe code, 4 (warning) for an attack"
tap_is "$(q "[$f0.get(k) for k in ('TMPGUARD_EVENT','TMPGUARD_ACTION','TMPGUARD_FUNC','TMPGUARD_PATH','TMPGUARD_EXE','TMPGUARD_MODE')]")" \
	"['predictable-create', 'hardened', 'fopen', '$S/plain2', '$EXE', 'harden']" \
	"journal: TMPGUARD_EVENT, ACTION, FUNC, PATH, EXE, MODE of a hardened creation"
tap_like "$(q "$f0.get('TMPGUARD_CALLER')")" "^$EXE\+0x[0-9a-f]+$" "journal: TMPGUARD_CALLER names the calling module and offset"
tap_is "$(q "'TMPGUARD_ERRNO' in $f0")" False "journal: no TMPGUARD_ERRNO when nothing was blocked"
tap_like "$(q "$f0['MESSAGE']")" "predictable-create.*$S/plain2" "journal: MESSAGE is the event line"
tap_is "$(q "$f0['MESSAGE'].count(chr(10))")" 0 "journal: MESSAGE has no trailing newline"
f1="$jb[0]"
tap_is "$(q "[$f1.get(k) for k in ('TMPGUARD_EVENT','TMPGUARD_ACTION','TMPGUARD_ERRNO','TMPGUARD_ERROR')]")" \
	"['hijack-blocked', 'blocked', '13', 'EACCES']" "journal: a refusal carries TMPGUARD_ERRNO=13 and TMPGUARD_ERROR=EACCES"
tap_is "$r3" OK "journal, audit mode: the program works"
f2='m[3]["fields"]'
tap_is "$(q "$f2.get('TMPGUARD_PATH') == '$S/new' + chr(10) + 'line'")" True \
	"journal: a path with a newline arrives byte for byte (binary-safe field)"
tap_is "$(q "$f2.get('TMPGUARD_ACTION'), $f2.get('TMPGUARD_MODE')")" "('logged', 'audit')" "journal: audit mode logs action logged, mode audit"
tap_is "$(q "m[3]['raw'].startswith('MESSAGE\n')")" True "journal: MESSAGE is sent in the binary form (newlines in it cannot forge fields)"

# --- 3. journal socket absent: syslog instead ---------------------------------
listen syslog fallback.sock
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCKDIR/no-journal \
	TMPGUARD_SYSLOG_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/fallback" w
r4=$(tg_result)
stop
tap_is "$r4" OK "fallback: the program works without a journal"
tap_is "$(q 'len(m)')" 1 "fallback: TMPGUARD_LOG=journal without a journal socket sends one syslog datagram"
tap_like "$(q 'm[0].get("pri"), m[0].get("tag"), m[0].get("msg")')" \
	"^\(13, 'tmpguard\[[0-9]+\]', '.*predictable-create.*fallback" "fallback: the syslog datagram carries the event"

# --- 4. no daemon at all: the program is never hurt ---------------------------
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCKDIR/none \
	TMPGUARD_SYSLOG_SOCKET=$SOCKDIR/none2 tg_run harden "$LEGACY" fopen "$S/nodaemon" w
tap_is "$RC $(tg_result)" "0 OK" "no journal and no syslog: the program still works and exits 0"
tap_is "$(tg_mode "$S/nodaemon")" 600 "no journal and no syslog: still hardened (mode 0600)"
tap_like "$ERR" "tmpguard" "no journal and no syslog: the lost record is reported on stderr"

tap_done
exit 0
