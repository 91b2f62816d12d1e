#!/bin/bash
# supervise.sh — tmpguard run --supervise (DESIGN.md, part 3): what the
# preload cannot reach, judged by a seccomp user-notification supervisor:
# outcomes, descriptors and events. supervise-tree.sh has the process tree.
#
# The victim is root; the attacker is the second user (tg_attacker_setup);
# precious is the victim's own file outside any shared directory. $W is
# world-writable without the sticky bit and in TMPGUARD_DIRS, so no
# fs.protected_* sysctl stops the attack there: every attack is first
# shown working without tmpguard.
#
# Victims: supervise_victim, statically linked (no preload reaches it);
# a static Go program; raw_open, dynamic but creating through syscall(2);
# bash, dynamic, with the library preloaded (it must behave as without
# --supervise).
set -u
# shellcheck source=tests/supervise-lib.sh
. "$TG_SRCDIR/tests/supervise-lib.sh"
tg_attacker_setup || { tap_skip "run --supervise attacks" "$TG_ATT_WHY"; tap_done; exit 0; }
sv_init

# ------------------------------------------------- a static program ----

# The attack: a symbolic link planted under the name the victim creates
# with open(O_WRONLY|O_CREAT|O_TRUNC), to the victim's own file.
P=$W/victim.out
reset_precious
plant_symlink "$P"
tg_log static-bare
sv bare "$VICTIM" create "$P"
if precious_changed; then
	tap_ok "bare static: the attack works (baseline)"
else
	tap_not_ok "bare static: the attack works (baseline)" "$_tg_last_run"
fi

reset_precious
plant_symlink "$P"
tg_log static-harden
sv harden "$VICTIM" create "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "harden static: the creation fails with EACCES"
if precious_changed; then tap_not_ok "harden static: precious untouched" "$_tg_last_run"
else tap_ok "harden static: precious untouched"; fi
tap_is "$(tg_type "$P")" "symbolic link" "harden static: the plant is left as it was"
tap_log "harden static: hijack-blocked logged" event=hijack-blocked action=blocked \
	"path=$P" func=openat errno=13 detail=symlink "exe=$VICTIM" uid=0 pid~'^[0-9]+$'
tap_log "harden static: caller is the static program's code" event=hijack-blocked \
	"caller~^$VICTIM\\+0x[0-9a-f]+\$"
tap_log "harden static: predictable-create hardened logged" event=predictable-create \
	action=hardened "path=$P"
tap_like "$ERR" "2 violations \\(1 blocked\\) in 1 process" "harden static: run counts the events"
tap_like "$ERR" "statically linked: the library cannot be interposed there; only the creations and path calls --supervise traps are protected" \
	"harden static: run's warning says what --supervise protects"

reset_precious
plant_symlink "$P"
tg_log static-audit
sv audit "$VICTIM" create "$P"
if precious_changed; then tap_ok "audit static: behaves as without tmpguard (the attack works)"
else tap_not_ok "audit static: behaves as without tmpguard (the attack works)" "$_tg_last_run"; fi
tap_log "audit static: hijack-detected logged" event=hijack-detected action=logged \
	"path=$P" detail=symlink errno!
tap_log "audit static: predictable-create logged" event=predictable-create action=logged "path=$P"
reset_precious

# Sharing by intent: --trust makes the attacker's link one to follow, as
# the library does (TMPGUARD_TRUST reaches the supervisor as it reaches
# the library).
reset_precious
plant_symlink "$P"
tg_log static-trust
tg_run bare "$TG_CMD" run --supervise --trust="$TG_ATTACKER" --log="$LOG" -- "$VICTIM" create "$P"
if precious_changed; then tap_ok "harden static, --trust=$TG_ATTACKER: the trusted link is followed"
else tap_not_ok "harden static, --trust=$TG_ATTACKER: the trusted link is followed" "$_tg_last_run"; fi
tap_log_count 0 "harden static, --trust: nothing refused" event=hijack-blocked
reset_precious

# creat(2): the same judgement
plant_symlink "$P"
tg_log static-creat
sv harden "$VICTIM" creat "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "harden static creat: EACCES"
if precious_changed; then tap_not_ok "harden static creat: precious untouched" "$_tg_last_run"
else tap_ok "harden static creat: precious untouched"; fi
tap_log "harden static creat: hijack-blocked logged" event=hijack-blocked "path=$P"
reset_precious
rm -f -- "$P"

# No plant: the file is created by the supervisor (0600, the victim's
# owner) and handed over: the program writes into it.
N=$W/new.out
tg_log static-new
sv harden "$VICTIM" create "$N"
tap_like "$OUT" "^OK fd=[0-9]+ free=[0-9]+ lowest=1 " "harden static, no plant: the creation succeeds (the lowest free descriptor)"
tap_is "$(tg_mode "$N") $(tg_owner "$N")" "600 root" "harden static, no plant: the file is 0600, the caller's"
tap_is "$(cat "$N" 2>/dev/null)" VICTIM-DATA "harden static, no plant: the program wrote into the descriptor it got"
tap_log_count 1 "harden static, no plant: one predictable-create, hardened" \
	event=predictable-create action=hardened "path=$N"
tap_log_count 0 "harden static, no plant: nothing refused" event=hijack-blocked
rm -f -- "$N"
sv harden "$VICTIM" lowest "$N"
tap_like "$OUT" "^OK fd=0 free=0 " "harden static: descriptor 0 free: the file gets 0, as open(2) gives"
rm -f -- "$N"
sv harden "$VICTIM" cloexec "$N"
tap_like "$OUT" "^OK fd=[0-9]+ free=[0-9]+ lowest=1 .*cloexec=1" "harden static: O_CLOEXEC reaches the descriptor handed over"
rm -f -- "$N"
sv harden "$VICTIM" create "$N"
tap_like "$OUT" "^OK fd=[0-9]+ free=[0-9]+ lowest=1 .*cloexec=0" "harden static: without O_CLOEXEC, none"
echo OLD-CONTENT-LONGER-THAN-THE-NEW >"$N"
sv harden "$VICTIM" create "$N"
tap_is "$(cat "$N")" VICTIM-DATA "harden static: the caller's own file is reused, O_TRUNC applied"
rm -f -- "$N"
# a relative path: from the caller's working directory
tg_log static-relative
(cd "$W" && sv harden "$VICTIM" create rel.out)
tap_is "$(tg_mode "$W/rel.out")" 600 "harden static, relative path: created in the caller's directory"
tap_log "harden static, relative path: logged as the program named it" \
	event=predictable-create path=rel.out
rm -f -- "$W/rel.out"
# outside shared directories: nothing to log, the program's own outcome
tg_log static-private
sv harden "$VICTIM" create "$TG_PRIVATE/p.out"
tap_like "$OUT" "^OK fd=[0-9]+ free=[0-9]+ lowest=1 " "harden static, private directory: created"
tap_is "$(tg_mode "$TG_PRIVATE/p.out")" 644 "harden static, private directory: the program's mode less its umask"
tap_log_none "harden static, private directory: nothing logged"

# A FIFO or a device the rule accepts is opened by the program itself
# (opening it may wait, or act): the caller's own FIFO waits for its
# reader as without tmpguard; /dev/null works.
mkfifo "$W/own.fifo"
( sleep 0.5; cat "$W/own.fifo" >"$TG_WORK/fifo.read" ) &
reader=$!
sv harden "$VICTIM" create "$W/own.fifo"
wait "$reader"
tap_is "$(tg_result) $(cat "$TG_WORK/fifo.read")" "OK VICTIM-DATA" \
	"harden static, the caller's own FIFO: it waits for the reader and writes, as without tmpguard"
rm -f -- "$W/own.fifo"
sv harden "$VICTIM" create /dev/null
tap_is "$(tg_result)" OK "harden static, /dev/null with O_CREAT: opened as without tmpguard"

# Calls that are not candidates never reach the supervisor: a read, an
# exclusive creation. (A trapped call judged here would be logged.)
echo DATA >"$W/mine"
plant_symlink "$W/planted-read"
tg_log static-nontrapped
sv harden "$VICTIM" read "$W/mine"
tap_like "$OUT" "READ DATA" "harden static, O_RDONLY: the program's own read"
sv harden "$VICTIM" excl "$W/excl.out"
tap_like "$OUT" "^OK fd=[0-9]+ free=[0-9]+ lowest=1 " "harden static, O_CREAT|O_EXCL: the program's own creation"
tap_is "$(tg_mode "$W/excl.out")" 644 "harden static, O_CREAT|O_EXCL: its mode is the program's (not trapped)"
tap_log_none "harden static: reads and exclusive creations are not trapped (nothing logged)"
rm -f -- "$W/mine" "$W/planted-read" "$W/excl.out"

# --------------------------------- a dynamic program's raw system calls ----

if [ -x "$RAW" ]; then
	reset_precious
	plant_symlink "$P"
	tg_log raw-preload
	tg_run bare "$TG_CMD" run --log="$LOG" -- "$RAW" "$P"
	if precious_changed; then tap_ok "raw syscall, preload only: the attack works (the library cannot see it)"
	else tap_not_ok "raw syscall, preload only: the attack works (the library cannot see it)" "$_tg_last_run"; fi
	reset_precious
	plant_symlink "$P"
	tg_log raw-harden
	sv harden "$RAW" "$P"
	if precious_changed; then tap_not_ok "raw syscall, --supervise harden: precious untouched" "$_tg_last_run"
	else tap_ok "raw syscall, --supervise harden: precious untouched"; fi
	tap_like "$ERR" "Permission denied" "raw syscall, --supervise harden: EACCES"
	tap_log_count 1 "raw syscall, --supervise harden: hijack-blocked logged once" \
		event=hijack-blocked "path=$P" func=openat
	reset_precious
	rm -f -- "$P"
else
	tap_skip "raw syscall victim" "raw_open not built"
fi

# ------------------------------------------------------- a Go program ----

# Go makes its system calls itself; built static (CGO_ENABLED=0).
GO=$(command -v go)
if [ -n "$GO" ]; then
	GOPROG=$TG_WORK/shared/govictim
	if tg_go_build "$GOPROG"; then
		reset_precious
		plant_symlink "$P"
		tg_run bare "$GOPROG" "$P"
		if precious_changed; then tap_ok "bare Go: the attack works (baseline)"
		else tap_not_ok "bare Go: the attack works (baseline)" "$_tg_last_run"; fi
		reset_precious
		plant_symlink "$P"
		tg_log go-harden
		sv harden "$GOPROG" "$P"
		tap_like "$OUT" "permission denied" "harden Go: the creation fails with EACCES"
		if precious_changed; then tap_not_ok "harden Go: precious untouched" "$_tg_last_run"
		else tap_ok "harden Go: precious untouched"; fi
		tap_log "harden Go: hijack-blocked logged" event=hijack-blocked "path=$P" "exe=$GOPROG"
		reset_precious
		plant_symlink "$P"
		tg_log go-audit
		sv audit "$GOPROG" "$P"
		if precious_changed; then tap_ok "audit Go: the attack works, as without tmpguard"
		else tap_not_ok "audit Go: the attack works, as without tmpguard" "$_tg_last_run"; fi
		tap_log "audit Go: hijack-detected logged" event=hijack-detected "path=$P"
		rm -f -- "$P"
		tg_log go-new
		sv harden "$GOPROG" "$W/go.out"
		tap_is "$OUT $(tg_mode "$W/go.out") $(cat "$W/go.out" 2>/dev/null)" "OK 600 VICTIM-DATA" \
			"harden Go, no plant: created 0600 and written"
		rm -f -- "$W/go.out"
		reset_precious
	else
		tap_not_ok "Go victim built" "$(tail -n 5 "$TG_GO_LOG")"
	fi
else
	tap_missing "Go victim" "go (golang-go) not installed"
fi

# ------------------------------------ a dynamic program with the library ----

# The library still loads and judges; its safe forms (O_EXCL|O_NOFOLLOW)
# are not trapped, and what it lets through libc's wrappers (having judged
# it) is answered CONTINUE: the same outcome and the same events as
# without --supervise, never two lines for one call.
dyn() { # dyn MODE [--supervise]: bash creates $W/dyn.out, $P, a private file
	tg_log "dyn-$1${2:-}"
	tg_run bare "$TG_CMD" run --mode="$1" ${2:+"$2"} --log="$LOG" -- bash -c \
		'echo one >"$1"; echo two >"$2"; echo three >"$3"' sh "$W/dyn.out" "$P" "$TG_PRIVATE/dyn.out"
	DYN_OUT=$(tg_mode "$W/dyn.out"):$(cat "$W/dyn.out" 2>/dev/null):$(tg_mode "$TG_PRIVATE/dyn.out"):$(cat "$PRECIOUS")
	DYN_EVENTS=$("$TG_PY" -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l); print(e["event"], e["action"], e["func"], e["path"], e["caller"], e.get("detail",""))' "$LOG" | sort)
	rm -f -- "$W/dyn.out" "$TG_PRIVATE/dyn.out"
}
for mode in harden audit; do
	reset_precious
	plant_symlink "$P"
	dyn $mode
	plain_out=$DYN_OUT plain_events=$DYN_EVENTS plain_err=$ERR
	reset_precious
	plant_symlink "$P"
	dyn $mode --supervise
	tap_is "$DYN_OUT" "$plain_out" "dynamic program, $mode: the same outcome with and without --supervise"
	tap_is "$DYN_EVENTS" "$plain_events" "dynamic program, $mode: the same events with and without --supervise"
	tap_is "$(grep -o '[0-9]* violations.*in [0-9]* process' <<<"$ERR")" \
		"$(grep -o '[0-9]* violations.*in [0-9]* process' <<<"$plain_err")" \
		"dynamic program, $mode: run counts the same"
done
reset_precious
rm -f -- "$P"

# run keeps its log open between events, as the library does: a log
# deleted between two events is made again for the second.
tg_log static-log-deleted
sv harden bash -c '"$1" create "$2"; rm -f -- "$4"; "$1" create "$3"' sh \
	"$VICTIM" "$W/kept.1" "$W/kept.2" "$LOG"
tap_is "$(tg_log_count "$LOG" event=predictable-create "path=$W/kept.1") $(tg_log_count "$LOG" event=predictable-create "path=$W/kept.2")" \
	"0 1" "a log deleted between two events: the second is in a new log"
rm -f -- "$W"/kept.*

# What the library judges needs no run: with run stopped (nobody to
# answer a trapped call), bash's creations (through libc's open, and
# through the library's own walk in a private directory under a shared
# one), a C program's fopen("/dev/null", "w") and the path calls of
# coreutils (by a name relative to a private working directory, which the
# library lets through) complete: these programs run without a filter.
# python imports syscall: the library puts the filter on it at its start
# and hands run the listener, so python waits for run, as raw_open's
# syscall(2) creation does; both go on once run does, python's open "w"
# and its os.truncate under /tmp judged by the library (carrying run's
# marks past the filter), raw_open's creation by run.
go=$TG_WORK/go-marked
rm -f -- "$go" "$TG_PRIVATE"/marked.*
tg_start_bg runpid "$TG_WORK/marked.out" "$TG_CMD" run --supervise --log="$LOG" -- \
	bash -c 'until [ -e "$1" ]; do sleep 0.02; done
echo a >/dev/null; echo b >"$2"; "$7" fopen /dev/null w >/dev/null
(cd "${2%/*}" && chmod 600 marked.sh && touch marked.sh &&
	mv marked.sh marked.mv && ln marked.mv marked.sh) && echo judged-done
"$5" -c "import sys; open(sys.argv[1], \"w\").write(\"c\")" "$3" &&
	"$5" -c "import os, sys; os.truncate(sys.argv[1], 1)" "$2" && echo python-done
"$6" "$4" && echo raw-done' sh "$go" "$TG_PRIVATE/marked.sh" "$TG_PRIVATE/marked.py" \
	"$TG_PRIVATE/marked.raw" "$TG_PY" "$RAW" "$LEGACY"
if find_victim "$runpid" "$(command -v bash)"; then
	kill -STOP "$tpid"
	stopped "$tpid" || tap_diag "run ($tpid) not stopped"
	touch "$go"
	tg_wait_line "$TG_WORK/marked.out" '^judged-done' 10
	sleep 0.3
	tap_is "$(cat "$TG_WORK/marked.out")" judged-done \
		"run stopped: what the library judged completes; python and the raw creation wait"
	tap_is "$(cat "$TG_PRIVATE/marked.sh") $(tg_type "$TG_PRIVATE/marked.py") $(tg_type "$TG_PRIVATE/marked.raw")" \
		"b missing missing" "run stopped: bash's file written, python's and raw_open's not yet made"
	tap_is "$(stat -c '%a %h %s' "$TG_PRIVATE/marked.sh" 2>&1)" "600 2 2" \
		"run stopped: chmod, touch, mv and ln by coreutils done"
	kill -CONT "$tpid"
	wait "$runpid"
	tap_is "$?:$(tr '\n' ' ' <"$TG_WORK/marked.out")" "0:judged-done python-done raw-done " \
		"run going on: python and raw_open go on"
	tap_is "$(cat "$TG_PRIVATE/marked.py") $(stat -c %s "$TG_PRIVATE/marked.sh") $(cat "$TG_PRIVATE/marked.raw" 2>&1)" \
		"c 1 raw_open" "run going on: python's file written and truncate done, the raw creation answered"
else
	tap_not_ok "run stopped: the processes were found" "run '$tpid', bash '$vpid'"
fi
rm -f -- "$go" "$TG_PRIVATE"/marked.*

# openat2 keeps its flags in memory the filter cannot read: ENOSYS in
# harden (programs fall back to openat), judged in audit. io_uring_setup:
# ENOSYS in harden, as it is without tmpguard in audit, and logged there
# (unjudged: its file operations no one sees).
reset_precious
plant_symlink "$P"
sv bare "$VICTIM" openat2 "$P"
if precious_changed; then tap_ok "bare static openat2: the attack works (baseline)"
else tap_not_ok "bare static openat2: the attack works (baseline)" "$_tg_last_run"; fi
reset_precious
plant_symlink "$P"
tg_log static-openat2
sv harden "$VICTIM" openat2 "$P"
tap_like "$OUT" "ERR errno=38 ENOSYS" "harden static openat2: ENOSYS"
if precious_changed; then tap_not_ok "harden static openat2: precious untouched"
else tap_ok "harden static openat2: precious untouched"; fi
reset_precious
plant_symlink "$P"
tg_log static-openat2-audit
sv audit "$VICTIM" openat2 "$P"
if precious_changed; then tap_ok "audit static openat2: behaves as without tmpguard"
else tap_not_ok "audit static openat2: behaves as without tmpguard" "$_tg_last_run"; fi
tap_log "audit static openat2: hijack-detected logged" event=hijack-detected func=openat2 "path=$P"
reset_precious
rm -f -- "$P"
sv bare "$VICTIM" uring x
bare_uring=$OUT
sv harden "$VICTIM" uring x
tap_is "$OUT" "URING errno=38 ENOSYS" "harden: io_uring_setup fails with ENOSYS"
tg_log static-uring-audit
sv audit "$VICTIM" uring x
tap_is "$OUT" "$bare_uring" "audit: io_uring_setup as without tmpguard"
tap_log "audit: io_uring_setup logged (unjudged)" event=unjudged action=logged \
	func=io_uring_setup detail=io_uring "exe=$VICTIM" "caller~^$VICTIM\\+0x"
tap_like "$ERR" "1 violation \\(0 blocked\\) in 1 process" "audit: run counts the io_uring program"

# ----------------------------------------------------- syslog, journal ----

# The events of supervised processes reach the log daemons as the
# library's do: the same records (core/record.c), to the same sockets.
LISTEN=$TG_SRCDIR/tests/helpers/deploy_listen.py
listen() { # listen journal|syslog: a stand-in daemon on $SOCK, datagrams in $MSGS
	SOCK=$TG_WORK/$1.sock MSGS=$TG_WORK/$1.msgs
	rm -f "$MSGS" "$MSGS".*
	timeout -k 2 20 "$TG_PY" "$LISTEN" "$1" "$SOCK" "$MSGS" 15 &
	LPID=$!
	TG_BG_PIDS+=("$LPID")
	for ((i = 0; i < 200; i++)); do
		[ -e "$MSGS.ready" ] && return 0
		sleep 0.05
	done
	tap_bail "listener on $SOCK did not start"
}
stop_listen() { # the listener drains and writes $MSGS
	touch "$MSGS.stop"
	wait "$LPID"
}
q() { # q EXPR [ARG]: a Python expression over the datagrams (list m)
	"$TG_PY" -c '
import json, sys
m = [json.loads(l) for l in open(sys.argv[1])]
print(eval(sys.argv[2]))' "$MSGS" "$@" 2>&1
}
reset_precious
plant_symlink "$P"
listen syslog
tg_run bare env TMPGUARD_SYSLOG_SOCKET="$SOCK" "$TG_CMD" run --supervise --log=syslog -- "$VICTIM" create "$P"
stop_listen
tap_is "$(q "sorted(set((d['pri'], d['tag'].split('[')[0], d['tag'].split('[')[1].rstrip(']').isdigit(), 'hijack-blocked' in d['msg']) for d in m))")" \
	"[(12, 'tmpguard', True, True), (13, 'tmpguard', True, False)]" \
	"syslog: predictable-create (notice) and hijack-blocked (warning) as tmpguard[PID]"
plant_symlink "$P"
listen journal
tg_run bare env TMPGUARD_JOURNAL_SOCKET="$SOCK" "$TG_CMD" run --supervise --log=journal -- "$VICTIM" create "$P"
stop_listen
tap_is "$(q "sorted((f['TMPGUARD_EVENT'], f['TMPGUARD_ACTION'], f['TMPGUARD_FUNC'], f['TMPGUARD_EXE'] == sys.argv[3], f['TMPGUARD_CALLER'].startswith(sys.argv[3] + '+0x'), f.get('TMPGUARD_ERROR', '-'), f['PRIORITY'], f['SYSLOG_IDENTIFIER']) for f in (d['fields'] for d in m))" "$VICTIM")" \
	"[('hijack-blocked', 'blocked', 'openat', True, True, 'EACCES', '4', 'tmpguard'), ('predictable-create', 'hardened', 'openat', True, True, '-', '5', 'tmpguard')]" \
	"journal: the library's fields, with the static program's exe and caller"
if precious_changed; then tap_not_ok "syslog, journal: precious untouched"
else tap_ok "syslog, journal: precious untouched"; fi
reset_precious
rm -f -- "$P"

tap_done
