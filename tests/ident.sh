#!/bin/bash
# ident.sh — the pid and uid in each event line are the process's own at
# the time of the call: after fork, a raw fork system call, vfork,
# clone(CLONE_VM), and the set*id calls, a raw setresuid system call (which
# no hook sees) included.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

IDENT=$TG_HELPERS/ident
[ -x "$IDENT" ] || tap_bail "helper not built: $IDENT"
S=$TG_STICKY
export TMPGUARD_FORMAT=json

# line_ids NAME: "PID UID" of the event line for $S/NAME in $LOG ("" if none)
line_ids() {
	python3 - "$LOG" "$S/$1" <<'PY'
import json, sys
for l in open(sys.argv[1], errors="replace"):
    try:
        o = json.loads(l)
    except ValueError:
        continue
    if o.get("path") == sys.argv[2]:
        print(o.get("pid"), o.get("uid"))
        break
PY
}

# step_pid NAME: the pid the helper printed for step NAME
step_pid() { awk -v n="$1" '$1 == "STEP" && $2 == n {print $3; exit}' <<<"$OUT"; }

# --- 1. processes ------------------------------------------------------------
# each run: the parent logs first (anything remembered of it would be
# wrong in the child), a child logs, the parent logs again
uid=$(id -u)
for kinds in "fork rawfork" vfork clonevm; do
	tg_log "ident-${kinds// /-}"
	# shellcheck disable=SC2086
	tg_run harden "$IDENT" "$S" procs $kinds
	tap_is "$RC" 0 "procs $kinds: the helper made its children" || tap_diag "$_tg_last_run"
	names="parent0"
	i=0
	for k in $kinds; do i=$((i + 1)); names="$names $k parent$i"; done
	for name in $names; do
		want=$(step_pid "$name")
		tap_is "$(line_ids "$name")" "${want:-?} $uid" \
			"$kinds: $name's line has its own pid (${want:-?}) and uid"
	done
	tap_check "$kinds: the children are other processes (sanity)" \
		test "$(step_pid "${kinds%% *}")" != "$(step_pid parent0)"
	rm -f "$S"/parent* "$S/fork" "$S/rawfork" "$S/vfork" "$S/clonevm"
done

# --- 2. uids -----------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	# to stderr: a log file reopened after a second (rotation) under
	# euid 65534 would be refused, and the line lost
	TMPGUARD_LOG=stderr tg_run harden "$IDENT" "$S" uids
	tap_is "$RC" 0 "the helper changed its uids" || tap_diag "$_tg_last_run"
	LOG=$TG_WORK/uids.log
	printf '%s\n' "$ERR" >"$LOG"
	for pair in root1:0 seteuid:65534 root2:0 setresuid:65534 root3:0 \
		setreuid:65534 root4:0 rawsetresuid:65534 setuid:65534; do
		name=${pair%%:*} want=${pair#*:}
		tap_is "$(line_ids "$name" | awk '{print $2}')" "$want" \
			"after $name: uid=$want in the line"
	done
else
	tap_skip "uids in lines after set*id calls" "not root"
fi

tap_done
