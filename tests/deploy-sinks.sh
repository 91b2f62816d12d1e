#!/bin/bash
# deploy-sinks.sh — the syslog and journal sinks on the wire, where no log
# daemon shows a detail: test listeners (tests/helpers/deploy_listen.py) on
# Unix datagram sockets in a private directory decode each datagram (RFC 3164
# for syslog, the journal's native binary-safe protocol), as strictly as the
# protocols are written, where a daemon would accept looser forms. What an
# operator reads from the real daemons (fields, priorities, identifier, the
# journal -> syslog fallback) is checked in deploy-journald.sh and
# deploy-rsyslog.sh; tests/log.sh checks that an event reaches each socket.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
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
tg_foreign "$S/planted" # another user's
TMPGUARD_LOG=syslog TMPGUARD_SYSLOG_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/plain" w
pid1=$(tg_field pid)
TMPGUARD_LOG=syslog TMPGUARD_SYSLOG_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/planted" w
pid2=$(tg_field pid)
stop
# the planted link makes two events: the creation (predictable-create) and
# its refusal (hijack-blocked); rsyslogd would take a datagram without the
# <PRI> as user.notice, or a tag without its colon, and not say so
tap_is "$(q '[(o.get("pri"), o.get("tag"), o.get("error")) for o in m]')" \
	"[(13, 'tmpguard[$pid1]', None), (13, 'tmpguard[$pid2]', None), (12, 'tmpguard[$pid2]', None)]" \
	"syslog: one datagram per event, each exactly RFC 3164 <PRI>tmpguard[PID]: MSG"

# --- 2. journal: native protocol ----------------------------------------------
nl_path="$S/new"$'\n'"line"
listen journal journal.sock
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/plain2" w
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCK tg_run harden "$LEGACY" fopen "$S/planted" w
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCK tg_run audit "$LEGACY" fopen "$nl_path" w
stop
tap_is "$(q 'len(m), [k for o in m for k in ("error", "dup") if k in o]')" "(4, [])" \
	"journal: one datagram per event (1 + 2 + 1), each strictly the native protocol, no field twice"
tap_is "$(q '[o["raw"].startswith("MESSAGE\n") for o in m], ["TMPGUARD_PATH\n" in o["raw"] for o in m]')" \
	"([True, True, True, True], [True, True, True, True])" \
	"journal: MESSAGE and TMPGUARD_PATH are sent in the binary form (newlines in them cannot forge fields)"

# --- 3. no daemon at all: the program is never hurt ---------------------------
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$SOCKDIR/none \
	TMPGUARD_SYSLOG_SOCKET=$SOCKDIR/none2 tg_run harden "$LEGACY" fopen "$S/nodaemon" w
tap_is "$RC $(tg_result)" "0 OK" "no journal and no syslog: the program still works and exits 0"
tap_is "$(tg_mode "$S/nodaemon")" 600 "no journal and no syslog: still hardened (mode 0600)"
tap_like "$ERR" "tmpguard" "no journal and no syslog: the lost record is reported on stderr"

tap_done
exit 0
