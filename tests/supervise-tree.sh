#!/bin/bash
# supervise-tree.sh — tmpguard run --supervise in a whole process tree
# (issue 18, item 4): threads, fork, vfork, exec, signals, another user's
# process, another mount namespace, a user without root (no_new_privs),
# a kernel without seccomp, another supervisor or filter already there,
# and run dying while the tree runs or while a call waits.
set -u
# shellcheck source=tests/supervise-lib.sh
. "$TG_SRCDIR/tests/supervise-lib.sh"
tg_attacker_setup || { tap_skip "run --supervise attacks" "$TG_ATT_WHY"; tap_done; exit 0; }
sv_init

P=$W/victim.out

# ------------------------------------------------------ threads, fork ----

tg_log static-threads
sv harden "$VICTIM" threads "$W/th" 16
tap_is "$RC" 0 "harden static, 16 threads creating at once: all succeed"
tap_is "$(stat -c %a "$W"/th.* 2>/dev/null | sort -u)" 600 "harden static, threads: every file created 0600"
tap_is "$(cat "$W"/th.* 2>/dev/null | sort -u)" VICTIM-DATA "harden static, threads: each wrote into its own"
tap_log_count 16 "harden static, threads: one predictable-create per path" event=predictable-create
tap_is "$("$TG_PY" -c 'import json,sys; print(sorted({json.loads(l)["pid"] for l in open(sys.argv[1])}))' "$LOG")" \
	"[$(sed -n 's/^PID //p' <<<"$OUT")]" "harden static, threads: the events name the process, as getpid(2) does"
rm -f -- "$W"/th.*
plant_symlink "$P"
tg_log static-fork
sv harden "$VICTIM" fork "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "harden static, a forked child: its creation is judged too"
tap_log "harden static, forked child: hijack-blocked logged" event=hijack-blocked "path=$P"
if precious_changed; then tap_not_ok "harden static, forked child: precious untouched"
else tap_ok "harden static, forked child: precious untouched"; fi
reset_precious
rm -f -- "$P"

# A static program started by a dynamic one (the escape the preload
# cannot see: bash -c), and by a vfork child's exec.
reset_precious
plant_symlink "$P"
tg_log static-under-bash
sv harden bash -c '"$1" create "$2"; echo "bash rc=$?"' sh "$VICTIM" "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "harden, a static program started by bash -c: EACCES"
if precious_changed; then tap_not_ok "harden, static under bash -c: precious untouched"
else tap_ok "harden, static under bash -c: precious untouched"; fi
tap_log "harden, static under bash -c: hijack-blocked logged, the static program's pid and exe" \
	event=hijack-blocked "path=$P" "exe=$VICTIM"
tg_log static-vfork
sv harden "$VICTIM" vfork "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "harden, a vfork child's exec: EACCES"
if precious_changed; then tap_not_ok "harden, vfork child's exec: precious untouched"
else tap_ok "harden, vfork child's exec: precious untouched"; fi
reset_precious
rm -f -- "$P"

# One process, two programs: bash with the library makes a creation the
# library lets through (run remembers where its calls come from), then
# execs, in the same process, a bash without the library, whose creation
# run must judge itself.
reset_precious
plant_symlink "$P"
tg_log exec-drops-library
tg_run bare "$TG_CMD" run --supervise --log="$LOG" -- bash -c \
	'echo one >"$1"; exec env -u LD_PRELOAD bash -c "echo two >\"\$1\"" sh "$2"' \
	sh "$TG_PRIVATE/exec1.out" "$P"
if precious_changed; then tap_not_ok "exec without the library in the same process: precious untouched" "$_tg_last_run"
else tap_ok "exec without the library in the same process: precious untouched"; fi
tap_log "exec without the library in the same process: run judged it (hijack-blocked by the new program)" \
	event=hijack-blocked "path=$P" exe=/usr/bin/bash
rm -f -- "$TG_PRIVATE/exec1.out" "$P"
reset_precious

# Signals while a trapped call waits for run: a handler with SA_RESTART
# has the call restarted, as the kernel restarts a slow call; every
# creation ends with its file and its data.
tg_log static-signals
sv harden "$VICTIM" signals "$W/sig" 300
tap_like "$OUT" "SIGNALS caught=[1-9][0-9]* failed=0" "harden static, 300 creations under a SIGALRM storm: none fails"
bad=0
for f in "$W"/sig.*; do
	[ "$(cat "$f")" = VICTIM-DATA ] && [ "$(tg_mode "$f")" = 600 ] || bad=$((bad + 1))
done
tap_is "$(find "$W" -maxdepth 1 -name 'sig.*' | wc -l) $bad" "300 0" \
	"harden static, signals: 300 files, each 0600 with its data"
rm -f -- "$W"/sig.*

# run is root, the trapped process is not: run acts with the process's
# file system identity. The process follows its own symbolic link (its
# owner is trusted) to root's file, and the kernel refuses it that file
# as it would without tmpguard: run does not write it for the process.
reset_precious
rm -f -- "$P"
tg_as_attacker ln -s "$PRECIOUS" "$P"
tg_log as-other-user
sv harden setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups -- "$VICTIM" create "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "root's run, another user's process: the kernel's EACCES on root's file"
if precious_changed; then tap_not_ok "root's run, another user's process: root's file untouched" "$_tg_last_run"
else tap_ok "root's run, another user's process: root's file untouched"; fi
tap_log_count 0 "root's run, another user's process: its own link is trusted (no hijack event)" event=hijack-blocked
rm -f -- "$P"
sv harden setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups -- "$VICTIM" create "$W/other.out"
tap_is "$(tg_owner "$W/other.out") $(tg_mode "$W/other.out")" "$TG_ATTACKER 600" \
	"root's run, another user's process: its file is its own, 0600"
rm -f -- "$W/other.out"
reset_precious

# A process in another mount namespace resolves paths as run cannot: its
# calls continue unjudged, and run says so (never silently).
if command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	tg_log other-namespace
	sv harden unshare -m "$VICTIM" create "$W/ns.out"
	tap_like "$OUT" "^OK " "another mount namespace: the call continues (the program's own)"
	tap_like "$ERR" "run --supervise: another root directory or mount namespace in process [0-9]+ \\($VICTIM\\): its creations continue unjudged" \
		"another mount namespace: run says its creations continue unjudged"
	rm -f -- "$W/ns.out"
else
	tap_skip "another mount namespace" "unshare -m not available here"
fi

# ---------------------------------------------------- not root: no_new_privs ----

tg_log_att=$TG_WORK/att-run.log
out=$(tg_as_attacker "$TG_CMD" run --supervise --log=stderr -- "$VICTIM" create "$W/att.out" 2>&1)
tap_like "$out" "no_new_privs: set-user-ID and set-group-ID programs" \
	"not root: run says set-user-ID programs lose their privileges"
tap_like "$out" "OK fd=[0-9]+ " "not root: the creation is supervised and succeeds"
tap_is "$(tg_owner "$W/att.out") $(tg_mode "$W/att.out")" "$TG_ATTACKER 600" \
	"not root: the file is the caller's, 0600"
rm -f -- "$W/att.out" "$tg_log_att"

# ------------------------------------- a kernel that cannot supervise ----

# outer_filter none makes seccomp(2) fail as a kernel without seccomp
# filters does, for what it runs: run --supervise says so and exits 125
# without running the command.
OUTER=$TG_HELPERS/outer_filter
if [ -x "$OUTER" ]; then
	tg_run bare "$OUTER" none "$TG_CMD" run --supervise -- touch "$TG_WORK/ran"
	tap_is "$RC" 125 "no seccomp in the kernel: run --supervise exits 125"
	tap_like "$ERR" "--supervise: the kernel .*the command was not run" "no seccomp in the kernel: it says why"
	if [ -e "$TG_WORK/ran" ]; then tap_not_ok "no seccomp in the kernel: the command is not run"
	else tap_ok "no seccomp in the kernel: the command is not run"; fi
else
	tap_skip "a kernel without seccomp" "outer_filter not built"
fi

# Older kernels, made so for run by a filter of its own: without
# SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (before 5.19) run supervises all
# the same; without SECCOMP_IOCTL_NOTIF_ADDFD (before 5.9) it cannot hand
# a descriptor over: it says so and exits 125.
if [ -x "$OUTER" ]; then
	reset_precious
	plant_symlink "$P"
	tg_log old-kernel
	tg_run bare "$OUTER" old "$TG_CMD" run --supervise --log="$LOG" -- "$VICTIM" create "$P"
	tap_like "$OUT" "ERR errno=13 EACCES" "a kernel before 5.19 (no killable wait): supervised all the same"
	if precious_changed; then tap_not_ok "a kernel before 5.19: precious untouched"
	else tap_ok "a kernel before 5.19: precious untouched"; fi
	reset_precious
	rm -f -- "$P"
	tg_run bare "$OUTER" noaddfd "$TG_CMD" run --supervise -- touch "$TG_WORK/ran"
	tap_like "$ERR" "--supervise: the kernel cannot hand a descriptor over .*the command was not run" \
		"a kernel without ADDFD: run says so"
	tap_is "$RC $(tg_type "$TG_WORK/ran")" "125 missing" "a kernel without ADDFD: 125, the command not run"
fi

# The kernel allows one seccomp listener per process: a run --supervise
# inside another (or inside a container runtime's notifying filter) says
# so and exits 125 without running the command; the outer one goes on.
tg_run bare "$TG_CMD" run --supervise -- "$TG_CMD" run --supervise -- touch "$TG_WORK/ran"
tap_like "$ERR" "--supervise: another seccomp supervisor already watches this process" \
	"nested run --supervise: the inner one says why it cannot"
tap_is "$RC $(tg_type "$TG_WORK/ran")" "125 missing" "nested run --supervise: 125, the command not run"

# A filter already there (a container runtime's): filters stack, and
# both apply (163 is acct(2) on x86_64, which the outer filter refuses).
if [ -x "$OUTER" ]; then
	reset_precious
	plant_symlink "$P"
	tg_log stacked
	tg_run bare "$OUTER" other "$TG_CMD" run --supervise --log="$LOG" -- "$VICTIM" create "$P"
	tap_like "$OUT" "ERR errno=13 EACCES" "under another seccomp filter: the creation is judged (EACCES)"
	if precious_changed; then tap_not_ok "under another seccomp filter: precious untouched"
	else tap_ok "under another seccomp filter: precious untouched"; fi
	tap_log "under another seccomp filter: hijack-blocked logged" event=hijack-blocked "path=$P"
	tg_run bare "$OUTER" other "$TG_CMD" run --supervise -- perl -e 'syscall(163, 0) == -1 and print "$!\n"'
	tap_like "$OUT" "Operation not permitted" "under another seccomp filter: its own rule still applies"
	reset_precious
	rm -f -- "$P"
fi

# ----------------------------------------- the supervisor killed mid-run ----

# When run dies, the kernel answers the calls its filter traps with ENOSYS:
# the tree goes on (and fails those calls), it never hangs.
go=$TG_WORK/go
rm -f "$go"
tg_log killed
tg_start_bg runpid "$TG_WORK/killed.out" "$TG_CMD" run --supervise --log="$LOG" -- \
	"$VICTIM" wait "$go" "$W/late.out"
find_victim "$runpid"
if [ -n "$vpid" ] && [ -n "$tpid" ]; then
	kill -KILL "$tpid"
	sleep 0.2
	touch "$go"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$vpid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$vpid" 2>/dev/null; then
		tap_not_ok "supervisor killed: the victim's trapped call does not hang"
		kill -KILL "$vpid"
	else
		tap_ok "supervisor killed: the victim's trapped call does not hang"
	fi
	wait "$runpid" 2>/dev/null
	tap_like "$(cat "$TG_WORK/killed.out")" "ERR errno=38 ENOSYS" \
		"supervisor killed: the trapped call fails with ENOSYS"
	tap_is "$(tg_type "$W/late.out")" missing "supervisor killed: nothing was created"
else
	tap_not_ok "supervisor killed: the processes were found" "victim '$vpid', run '$tpid'"
fi

# A call already waiting for run when it dies: run is stopped (SIGSTOP)
# before the victim's call, then killed while the call waits.
rm -f "$go" "$W/late.out"
tg_log killed-pending
tg_start_bg runpid "$TG_WORK/pending.out" "$TG_CMD" run --supervise --log="$LOG" -- \
	"$VICTIM" wait "$go" "$W/late.out"
find_victim "$runpid"
if [ -n "$vpid" ] && [ -n "$tpid" ]; then
	kill -STOP "$tpid"
	# the stop is the kernel's to finish: every thread of run, the
	# supervisor's included, stopped before the victim may call
	stopped "$tpid" || tap_diag "run ($tpid) not stopped: $(cat /proc/"$tpid"/task/*/stat 2>&1)"
	touch "$go"
	sleep 0.5
	if kill -0 "$vpid" 2>/dev/null && [ ! -s "$TG_WORK/pending.out" ]; then
		tap_ok "supervisor stopped: the victim's call waits for it"
	else
		tap_not_ok "supervisor stopped: the victim's call waits for it" \
			"victim $vpid: $(cat "/proc/$vpid/stat" 2>&1); run $tpid: $(cat /proc/"$tpid"/task/*/stat 2>&1); out: $(cat "$TG_WORK/pending.out")"
	fi
	kill -KILL "$tpid"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$vpid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$vpid" 2>/dev/null; then
		tap_not_ok "supervisor killed while a call waits: the call does not hang"
		kill -KILL "$vpid"
	else
		tap_ok "supervisor killed while a call waits: the call does not hang"
	fi
	wait "$runpid" 2>/dev/null
	tap_like "$(cat "$TG_WORK/pending.out")" "ERR errno=38 ENOSYS" \
		"supervisor killed while a call waits: the call fails with ENOSYS"
else
	tap_not_ok "supervisor stopped: the processes were found" "victim '$vpid', run '$tpid'"
fi

tap_done
