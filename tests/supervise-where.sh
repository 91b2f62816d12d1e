#!/bin/bash
# supervise-where.sh — where tmpguard run --supervise puts its filter: only
# on the processes the library does not cover (any filter makes each
# system call of a process dearer). The command gets it when scan would
# not call it protected; the library puts it on a process before it execs
# or spawns a program it will not load into (static, Go, an environment
# without the library), and at start-up on one that bypasses it (raw
# system calls, cgo); --supervise-all puts it on the whole tree. What
# the kernel shows: the Seccomp line of /proc/PID/status (0: no filter,
# 2: filtered), and each planted attack refused where it was filtered.
set -u
# shellcheck source=tests/supervise-lib.sh
. "$TG_SRCDIR/tests/supervise-lib.sh"
tg_attacker_setup || { tap_skip "run --supervise: where the filter goes" "$TG_ATT_WHY"; tap_done; exit 0; }
sv_init
EXEC_CALL=$TG_HELPERS/exec_call
P=$W/where.out

# seccomp_of OUT: the Seccomp values OUT's "Seccomp:" lines show, in order
seccomp_of() { sed -n 's/^Seccomp:[[:space:]]*//p' <<<"$1" | tr '\n' ' ' | sed 's/ $//'; }

# ---------------------------------------------- covered: no filter ----

tg_log where-covered
sv harden bash -c 'grep "^Seccomp:" /proc/self/status; grep "^Seccomp:" /proc/$$/status
cat /proc/self/status | grep "^Seccomp:"
"$1" -c "print(open(\"/proc/self/status\").read())" | grep "^Seccomp:"' sh "$TG_PY"
tap_is "$RC:$(seccomp_of "$OUT")" "0:0 0 0 2" \
	"--supervise: bash, grep and cat (protected) run without a filter, python (imports syscall) with it"
sv_all() { tg_run bare "$TG_CMD" run --supervise-all --mode=harden --log="$LOG" -- "$@"; }
sv_all bash -c 'grep "^Seccomp:" /proc/self/status; grep "^Seccomp:" /proc/$$/status'
tap_is "$RC:$(seccomp_of "$OUT")" "0:2 2" "--supervise-all: the filter on the whole tree"
tg_run bare "$TG_CMD" run --supervise --supervise-all -- true
tap_is "$RC" 0 "--supervise and --supervise-all together: accepted"

# ------------------------- a static program: filtered, its parent not ----

reset_precious
plant_symlink "$P"
tg_log where-static
sv harden bash -c '"$1" create "$2"; grep "^Seccomp:" /proc/$$/status' sh "$VICTIM" "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "static under bash: its creation through the plant refused"
tap_is "$(seccomp_of "$OUT")" 0 "static under bash: bash itself stays without a filter"
if precious_changed; then tap_not_ok "static under bash: precious untouched" "$_tg_last_run"
else tap_ok "static under bash: precious untouched"; fi
tap_log "static under bash: hijack-blocked by the static program" \
	event=hijack-blocked "path=$P" "exe=$VICTIM"
reset_precious
rm -f -- "$P"

# Twenty static programs at once, each filtered by its own bash child:
# twenty listeners, all answered.
rm -f -- "$W"/many.*
tg_log where-many
sv harden bash -c 'for i in $(seq 1 20); do "$1" create "$2.$i" >/dev/null & done; wait' \
	sh "$VICTIM" "$W/many"
tap_is "$(stat -c %a "$W"/many.* 2>/dev/null | sort | uniq -c | sed 's/^ *//')" "20 600" \
	"20 static programs in parallel, each its own filter: all created 0600"
tap_log_count 20 "20 static programs in parallel: one predictable-create each" \
	event=predictable-create "exe=$VICTIM"
rm -f -- "$W"/many.*

# posix_spawn of a static program: the spawning process takes the filter
# (the child inherits it from the spawning thread).
reset_precious
plant_symlink "$P"
tg_log where-spawn
sv harden "$EXEC_CALL" posix_spawn "$VICTIM" create "$P"
tap_like "$OUT" "ERR errno=13 EACCES" "posix_spawn of a static program: its creation refused"
tap_like "$OUT" "OK status=1" "posix_spawn of a static program: the spawner sees it fail"
if precious_changed; then tap_not_ok "posix_spawn of a static program: precious untouched" "$_tg_last_run"
else tap_ok "posix_spawn of a static program: precious untouched"; fi
reset_precious
rm -f -- "$P"

# --------------------- an environment without the library: filtered ----

# env -i runs bash with no LD_PRELOAD: the library is not there to judge
# bash's creation, the filter is. Without tmpguard the attack works.
reset_precious
plant_symlink "$P"
sv bare env -i /bin/bash -c 'echo ATTACKED >"$1"' sh "$P"
if precious_changed; then tap_ok "bare: bash writes through the plant (baseline)"
else tap_not_ok "bare: bash writes through the plant (baseline)" "$_tg_last_run"; fi
reset_precious
plant_symlink "$P"
tg_log where-env-i
sv harden env -i /bin/bash -c 'grep "^Seccomp:" /proc/$$/status; echo ATTACKED >"$1"' sh "$P"
tap_is "$(seccomp_of "$OUT")" 2 "env -i: bash without the library runs filtered"
if precious_changed; then tap_not_ok "env -i: precious untouched" "$_tg_last_run"
else tap_ok "env -i: precious untouched"; fi
tap_log "env -i: hijack-blocked, judged by run" event=hijack-blocked "path=$P" exe=/usr/bin/bash
reset_precious
rm -f -- "$P"

# A set-user-ID program runs in secure-execution mode, where the loader
# ignores LD_PRELOAD, unless no_new_privs is set (it is not here: run's
# command took no filter): it gets the filter before its exec.
cp "$(command -v cat)" "$TG_WORK/where-setuid-cat" && chmod 4755 "$TG_WORK/where-setuid-cat"
tg_log where-setuid
sv harden bash -c '"$1" /proc/self/status | grep "^Seccomp:"; grep "^Seccomp:" /proc/$$/status' \
	sh "$TG_WORK/where-setuid-cat"
tap_is "$(seccomp_of "$OUT")" "2 0" "a set-user-ID program: filtered before its exec, bash not"
rm -f -- "$TG_WORK/where-setuid-cat"

# ------------------- programs that bypass the library: filtered at start ----

# raw_open imports syscall: the library installs the filter in its
# constructor, and what it execs inherits it.
tg_log where-raw
sv harden bash -c '"$1" "$2" "$3" "^Seccomp:" /proc/self/status; grep "^Seccomp:" /proc/$$/status' \
	sh "$RAW" "$W/raw.ok" "$(command -v grep)"
tap_is "$(seccomp_of "$OUT")" "2 0" "raw_open: filtered from its start (grep it became shows 2), bash not"
tap_is "$(tg_mode "$W/raw.ok")" 600 "raw_open: its raw creation judged (0600)"
rm -f -- "$W/raw.ok"

if tg_go_build "$TG_WORK/where-cgo" cgo; then
	reset_precious
	plant_symlink "$P"
	tg_log where-cgo
	sv harden bash -c '"$1" "$2"; true' sh "$TG_WORK/where-cgo" "$P"
	tap_like "$OUT" "ERR" "cgo under bash: the Go runtime's creation refused"
	if precious_changed; then tap_not_ok "cgo under bash: precious untouched" "$_tg_last_run"
	else tap_ok "cgo under bash: precious untouched"; fi
	tap_log "cgo under bash: hijack-blocked" event=hijack-blocked "path=$P" "exe=$TG_WORK/where-cgo"
	reset_precious
	rm -f -- "$P"
else
	tap_skip "cgo under bash" "go build failed: $(tail -n 3 "$TG_GO_LOG")"
fi

# --------------------------------- what scan protects: not filtered ----

# A script run by a protected interpreter is protected; its commands are
# judged one by one.
printf '#!/bin/sh\ngrep "^Seccomp:" /proc/$$/status\n"$1" create "$2"\n' >"$TG_WORK/where.sh"
chmod 755 "$TG_WORK/where.sh"
reset_precious
plant_symlink "$P"
tg_log where-script
sv harden "$TG_WORK/where.sh" "$VICTIM" "$P"
tap_is "$(seccomp_of "$OUT")" 0 "a sh script as the command: no filter"
tap_like "$OUT" "ERR errno=13 EACCES" "a sh script's static program: filtered, refused"
if precious_changed; then tap_not_ok "sh script: precious untouched" "$_tg_last_run"
else tap_ok "sh script: precious untouched"; fi
reset_precious
rm -f -- "$P" "$TG_WORK/where.sh"

tap_done
