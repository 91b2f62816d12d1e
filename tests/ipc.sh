#!/bin/bash
# ipc.sh — named IPC objects and spawn file actions under the rule
# (contract part 2, items 4, 5 and 6): connect to a Unix socket path,
# sem_open and shm_open of an existing name, and the open a posix_spawn
# file action makes in the child. Another user's object (planted by the
# real second user, tgattacker) is refused in harden (EACCES,
# hijack-blocked), used and reported in audit (hijack-detected), used
# without tmpguard; trusted owners' objects work as without tmpguard, and
# paths through no shared directory are not judged at all.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
P=$TG_PRIVATE
H=$TG_HELPERS/ipc
[ -x "$H" ] || tap_bail "helper not built: $H"

if ! tg_attacker_setup; then
	tap_skip "named IPC objects and spawn file actions" "$TG_ATT_WHY"
	tap_done
	exit 0
fi
H=$TG_HELPERS/ipc # the staged copy, which the attacker can run
ATT=$TG_WORK/att # the attacker's own directory (not shared)
mkdir "$ATT" && chown "$TG_ATT_UID:$TG_ATT_GID" "$ATT" || tap_bail "attacker's directory"
TARGET=$TG_WORK/target # a file of the victim's outside shared directories
# a world-writable directory that is not sticky: anyone may rename or
# remove its entries (only a listed directory's name is recognized)
W=$S/ww
mkdir -m 0777 "$W" && chmod 0777 "$W"

# att CMD...: CMD as tgattacker, without the library.
att() { tg_as_attacker "$@"; }

# tg_run_as_attacker MODE CMD...: the victim is tgattacker (a user to whom
# root's objects are trusted ones), with the library; its log is $LOG,
# which must be in a directory it may write.
tg_run_as_attacker() {
	local how=$1
	shift
	timeout -k 2 "$TG_TIMEOUT" setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" \
		--clear-groups -- env LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE="$how" \
		TMPGUARD_LOG="$LOG" "$@" >"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.out")
	ERR=$(cat "$TG_WORK/.err")
	_tg_last_run="[$how as $TG_ATTACKER] $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}

# --- a listening Unix socket, as the attacker or as root ---------------------
SRV=$TG_WORK/srv.py
cat >"$SRV" <<'EOF'
import os, socket, sys, time
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
os.chmod(path, 0o777)
s.listen(4)
open(out + ".ready", "w").close()
s.settimeout(0.1)
got, end = b"", time.time() + 20
while time.time() < end and not os.path.exists(out + ".stop"):
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.settimeout(2)
    try:
        got += c.recv(100)
    except OSError:
        pass
    c.close()
with open(out, "wb") as f:
    f.write(got or b"NOTHING")
EOF
SRV_N=0
# listen WHO PATH: a server (WHO: attacker or root) listening on PATH.
listen() {
	SRV_N=$((SRV_N + 1))
	SRV_OUT=$ATT/heard.$SRV_N
	local -a pre=()
	[ "$1" = attacker ] && pre=(env -u LD_PRELOAD setpriv --reuid="$TG_ATT_UID" \
		--regid="$TG_ATT_GID" --clear-groups --)
	rm -f "$2"
	timeout -k 2 30 "${pre[@]}" "$TG_PY" "$SRV" "$2" "$SRV_OUT" </dev/null &
	SRV_PID=$!
	TG_BG_PIDS+=("$SRV_PID")
	for _ in $(seq 200); do [ -e "$SRV_OUT.ready" ] && return; sleep 0.05; done
	tap_diag "server on $2 did not start"
}
# heard: stop the server; what it received in $got ("NOTHING": no
# connection sent anything). Not in a subshell: it waits for the server.
heard() {
	touch "$SRV_OUT.stop"
	wait "$SRV_PID" 2>/dev/null
	got=$(cat "$SRV_OUT" 2>/dev/null || echo NONE)
}

# traced_connect PATH: a harden connect to PATH under strace (its connect
# calls in $TG_WORK/trace); sets RC, OUT.
traced_connect() {
	timeout -k 2 "$TG_TIMEOUT" strace -f -qq -o "$TG_WORK/trace" -e trace=connect \
		-E LD_PRELOAD="$TG_PRELOAD" -E TMPGUARD_MODE=harden "$H" connect "$1" \
		>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.out")
	_tg_last_run="[harden, strace] connect $1 -> rc=$RC
stdout: $OUT
stderr: $(cat "$TG_WORK/.err")
trace: $(cat "$TG_WORK/trace" 2>/dev/null)"
}
HAVE_STRACE=
command -v strace >/dev/null && HAVE_STRACE=1

# --- 1. connect ---------------------------------------------------------------
# another user's listening socket where the victim expects its server
for mode in bare harden audit; do
	tg_log "connect-planted-$mode"
	listen attacker "$S/planted.sock"
	tg_run $mode "$H" connect "$S/planted.sock"
	heard
	t="$mode connect to $TG_ATTACKER's socket in a shared directory:"
	case $mode in
	bare)
		tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "$t connects, the attacker reads the secret (the attack works)" ;;
	harden)
		tap_is "$(tg_result):$got" "ERR EACCES:NOTHING" "$t EACCES, nothing reaches the attacker"
		tap_log "$t hijack-blocked names the path, detail special" event=hijack-blocked \
			func=connect "path=$S/planted.sock" action=blocked errno=13 detail=special ;;
	audit)
		tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "$t connects as without tmpguard"
		tap_log "$t hijack-detected names the path" event=hijack-detected \
			func=connect "path=$S/planted.sock" action=logged detail=special
		tap_log_count 0 "$t nothing blocked" action=blocked ;;
	esac
done

# the attacker's symbolic link to a socket of its own elsewhere, and the
# victim's own link to the attacker's socket in the shared directory
att ln -s "$ATT/far.sock" "$S/att-link.sock"
ln -s "$S/planted2.sock" "$S/own-link.sock"
for spec in "att-link|$ATT/far.sock|symlink" "own-link|$S/planted2.sock|special"; do
	IFS='|' read -r name sock detail <<<"$spec"
	for mode in bare harden audit; do
		tg_log "connect-$name-$mode"
		listen attacker "$sock"
		tg_run $mode "$H" connect "$S/$name.sock"
		heard
		t="$mode connect through $name.sock ($detail):"
		case $mode in
		bare) tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "$t the attacker reads the secret" ;;
		harden)
			tap_is "$(tg_result):$got" "ERR EACCES:NOTHING" "$t EACCES, nothing reaches the attacker"
			tap_log "$t hijack-blocked, detail $detail" event=hijack-blocked func=connect \
				"path=$S/$name.sock" "detail=$detail" errno=13 ;;
		audit)
			tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "$t connects as without tmpguard"
			tap_log "$t hijack-detected, detail $detail" event=hijack-detected func=connect \
				"path=$S/$name.sock" "detail=$detail" ;;
		esac
	done
done

# the caller's own socket in the shared directory: connected to through
# the descriptor that pinned it
tg_log connect-own
listen root "$S/own.sock"
tg_run harden "$H" connect "$S/own.sock"
heard
tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "harden connect to the caller's own socket in a shared directory: works"
tap_log_none "harden connect to the caller's own socket: nothing logged"
if [ -n "$HAVE_STRACE" ]; then
	listen root "$S/own.sock"
	traced_connect "$S/own.sock"
	heard
	tap_check "harden connect to the caller's own socket: made on the pin (/proc/self/fd/N)" \
		grep -qE 'connect\([0-9]+, \{sa_family=AF_UNIX, sun_path="/proc/self/fd/[0-9]+"\}, [0-9]+\) = 0' \
		"$TG_WORK/trace"
else
	tap_missing "harden connect to the caller's own socket: made on the pin" "strace not installed"
fi

# root's socket, for another user; a TMPGUARD_TRUST user's socket
LOG=$ATT/connect-root.log
listen root "$S/root.sock"
tg_run_as_attacker harden "$H" connect "$S/root.sock"
heard
tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "harden connect by $TG_ATTACKER to root's socket: works (root is trusted)"
tap_log_none "harden connect by $TG_ATTACKER to root's socket: nothing logged"
tg_log connect-trust
listen attacker "$S/trusted.sock"
TMPGUARD_TRUST=$TG_ATTACKER tg_run harden "$H" connect "$S/trusted.sock"
heard
tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "harden connect with TMPGUARD_TRUST=$TG_ATTACKER to its socket: works"
tap_log_none "harden connect to a TRUST user's socket: nothing logged"

# errno as without tmpguard where the kernel fails the call anyway
att sh -c 'echo ATTACKER >"$1"' sh "$S/notasock"
for spec in "missing|$S/nosuch.sock" "not a socket|$S/notasock" "missing directory|$S/nodir/x.sock"; do
	IFS='|' read -r what path <<<"$spec"
	tg_run bare "$H" connect "$path"
	bare=$(tg_result)
	tg_log "connect-errno-${what// /-}"
	tg_run harden "$H" connect "$path"
	tap_is "$(tg_result)" "$bare" "harden connect, $what: the kernel's errno ($bare)"
	tap_log_none "harden connect, $what: nothing logged"
done

# below a planted directory (item 5): its entries are judged too
att mkdir -m 0755 "$S/adir"
tg_log connect-planted-dir
listen attacker "$S/adir/a.sock"
tg_run harden "$H" connect "$S/adir/a.sock"
heard
tap_is "$(tg_result):$got" "ERR EACCES:NOTHING" "harden connect to $TG_ATTACKER's socket in its directory in a shared one: EACCES"
tap_log "harden connect below a planted directory: hijack-blocked" event=hijack-blocked \
	func=connect "path=$S/adir/a.sock" detail=special

# a path through no shared directory is not judged (the workspace is in
# /tmp; the build directory may be closed to the attacker: this one is in
# /run, which the tests with an attacker, run as root, may write)
OPEN=$(mktemp -d /run/tgit-ipc-open.XXXXXX) || tap_bail "cannot make a directory in /run"
tg_cleanup_later "$OPEN"
chmod 0755 "$OPEN" && chown "$TG_ATT_UID" "$OPEN" || tap_bail "cannot hand $OPEN to $TG_ATTACKER"
tg_log connect-private
listen attacker "$OPEN/p.sock"
tg_run harden "$H" connect "$OPEN/p.sock"
heard
tap_is "$(tg_result):$got" "OK:VICTIM-SECRET" "harden connect to $TG_ATTACKER's socket in a directory that is not shared: as without tmpguard"
tap_log_none "harden connect through no shared directory: nothing logged"
if [ -n "$HAVE_STRACE" ]; then
	listen attacker "$OPEN/p.sock"
	traced_connect "$OPEN/p.sock"
	heard
	tap_check "harden connect through no shared directory: by its name" \
		grep -qF "sun_path=\"$OPEN/p.sock\"}" "$TG_WORK/trace"
else
	tap_missing "harden connect through no shared directory: by its name" "strace not installed"
fi

# --- 2. sem_open and shm_open of an existing name -----------------------------
SEM=tgipc$$
tg_cleanup_later "/dev/shm/sem.$SEM.att" "/dev/shm/sem.$SEM.own" "/dev/shm/sem.$SEM.root" \
	"/dev/shm/$SEM.att" "/dev/shm/$SEM.own"
att "$H" sem-open "/$SEM.att" CREAT >/dev/null
att "$H" shm-open "/$SEM.att" "CREAT|RDWR" >/dev/null
tap_is "$(tg_owner "/dev/shm/sem.$SEM.att"):$(tg_owner "/dev/shm/$SEM.att")" \
	"$TG_ATTACKER:$TG_ATTACKER" "$TG_ATTACKER made a semaphore and a shared memory object"
for call in "sem-open;sem_open;sem.;0" "sem-open;sem_open;sem.;CREAT" \
	"shm-open;shm_open;;RDONLY" "shm-open;shm_open;;CREAT|RDWR"; do
	IFS=';' read -r cmd func prefix flags <<<"$call"
	path=/dev/shm/$prefix$SEM.att
	for mode in bare harden audit; do
		tg_log "$cmd-${flags//|/-}-$mode"
		tg_run $mode "$H" $cmd "/$SEM.att" "$flags"
		t="$mode $func($flags) of $TG_ATTACKER's object:"
		case $mode in
		bare) tap_is "$(tg_result)" OK "$t used (the attack works)" ;;
		harden)
			tap_is "$(tg_result)" "ERR EACCES" "$t EACCES"
			tap_log "$t hijack-blocked names the file" event=hijack-blocked "func=$func" \
				"path=$path" detail=foreign-owner errno=13 ;;
		audit)
			tap_is "$(tg_result)" OK "$t used as without tmpguard"
			tap_log "$t hijack-detected names the file" event=hijack-detected "func=$func" \
				"path=$path" detail=foreign-owner
			tap_log_count 0 "$t nothing blocked" action=blocked ;;
		esac
	done
done

# the caller's own, root's for another user, exclusive creation, missing
tg_log sem-own
tg_run harden "$H" sem-open "/$SEM.own" CREAT
tap_is "$(tg_result):$(tg_mode "/dev/shm/sem.$SEM.own")" OK:600 \
	"harden sem_open(O_CREAT) of a new name: created, mode 0600"
tap_log "harden sem_open(O_CREAT) without O_EXCL: predictable-create" event=predictable-create \
	func=sem_open "path=/dev/shm/sem.$SEM.own" action=hardened
tg_log sem-own-again
tg_run harden "$H" sem-open "/$SEM.own" 0
tap_is "$(tg_result):$(grep VALUE <<<"$OUT")" "OK:VALUE 2" "harden sem_open of the caller's own semaphore: used"
tap_log_none "harden sem_open of the caller's own semaphore: nothing logged"
tg_run harden "$H" shm-open "/$SEM.own" "CREAT|RDWR"
tg_run harden "$H" shm-open "/$SEM.own" RDONLY
tap_is "$(tg_result)" OK "harden shm_open of the caller's own object: used"
"$H" sem-open "/$SEM.root" CREAT >/dev/null
chmod 0666 "/dev/shm/sem.$SEM.root"
LOG=$ATT/sem-root.log
tg_run_as_attacker harden "$H" sem-open "/$SEM.root" 0
tap_is "$(tg_result)" OK "harden sem_open by $TG_ATTACKER of root's semaphore: used (root is trusted)"
tap_log_none "harden sem_open of root's semaphore: nothing logged"
tg_log sem-trust
TMPGUARD_TRUST=$TG_ATT_UID tg_run harden "$H" sem-open "/$SEM.att" 0
tap_is "$(tg_result)" OK "harden sem_open with TMPGUARD_TRUST=$TG_ATT_UID of its semaphore: used"
for spec in "sem-open;/$SEM.att;CREAT|EXCL" "sem-open;/$SEM.none;0" \
	"shm-open;/$SEM.att;CREAT|EXCL|RDWR" "shm-open;/$SEM.none;RDONLY"; do
	IFS=';' read -r cmd name flags <<<"$spec"
	tg_run bare "$H" $cmd "$name" "$flags"
	bare=$(tg_result)
	tg_log "ipc-errno-$cmd-${flags//|/-}"
	tg_run harden "$H" $cmd "$name" "$flags"
	tap_is "$(tg_result)" "$bare" "harden $cmd $name $flags: the kernel's errno ($bare)"
	tap_log_count 0 "harden $cmd $name $flags: nothing blocked" action=blocked
done

# --- 3. spawn file actions: a plant made after registration -------------------
# spawn_late MODE PATH FLAGS PLANT...: register an open of PATH on the
# child's stdout, run the shell command PLANT (as the attacker), then spawn
# echo through the action.
spawn_late() {
	local how=$1 path=$2 flags=$3 pid out=$TG_WORK/.late
	shift 3
	rm -f "$TG_WORK/.ready" "$TG_WORK/.go"
	local -a env=()
	case $how in
	harden | audit) env=(LD_PRELOAD="$TG_PRELOAD" "TMPGUARD_MODE=$how") ;;
	esac
	tg_start_bg pid "$out" env "${env[@]}" "$H" spawn-late "$path" "$flags" \
		"$TG_WORK/.ready" "$TG_WORK/.go"
	tg_wait_line "$out" '^REGISTERED' 10
	for _ in $(seq 100); do [ -e "$TG_WORK/.ready" ] && break; sleep 0.05; done
	att sh -c "$1" sh "$path" "$TARGET" 2>/dev/null
	touch "$TG_WORK/.go"
	wait "$pid"
	RC=$?
	OUT=$(cat "$out")
	ERR=$(cat "$out.err")
	_tg_last_run="[$how spawn-late] $path $flags, planted with: $1 -> rc=$RC
stdout: $OUT
stderr: $ERR"
}
# a new file in a sticky directory; the plant: a symlink to the target
for mode in bare harden audit; do
	printf 'PRECIOUS\n' >"$TARGET"
	rm -f "$S/late"
	tg_log "spawn-late-new-$mode"
	spawn_late $mode "$S/late" "WRONLY|CREAT|TRUNC" 'ln -s "$2" "$1"'
	t="$mode spawn, output to a new $S/late, $TG_ATTACKER's symlink planted after registration:"
	case $mode in
	bare)
		tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA "$t the child writes into the target (the attack works)" ;;
	harden)
		tap_is "$(tg_result):$(tg_content "$TARGET")" OK:PRECIOUS "$t the target untouched"
		tap_is "$(tg_type "$S/late"):$(tg_owner "$S/late"):$(tg_mode "$S/late"):$(tg_content "$S/late")" \
			"regular file:root:600:VICTIM-DATA" "$t the output is in the file made at registration (0600)"
		tap_log "$t predictable-create at registration" event=predictable-create \
			func=posix_spawn_file_actions_addopen "path=$S/late" action=hardened ;;
	audit)
		tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA "$t as without tmpguard"
		tap_log "$t hijack-detected when the actions are destroyed" event=hijack-detected \
			func=posix_spawn_file_actions_addopen "path=$S/late" detail=symlink action=logged ;;
	esac
done
# the caller's own file in a world-writable directory that is not sticky,
# registered without O_CREAT: the attacker moves it aside and plants a link
for mode in bare harden audit; do
	printf 'PRECIOUS\n' >"$TARGET"
	rm -f "$W/own" "$W/own.old"
	printf 'OLD\n' >"$W/own"
	tg_log "spawn-late-own-$mode"
	spawn_late $mode "$W/own" "WRONLY|TRUNC" 'mv "$1" "$1.old" && ln -s "$2" "$1"'
	t="$mode spawn, output to the caller's own $W/own, swapped for a symlink after registration:"
	case $mode in
	bare)
		tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA "$t the child writes into the target (the attack works)" ;;
	harden)
		tap_is "$(tg_result):$(tg_content "$TARGET"):$(tg_content "$W/own.old")" OK:PRECIOUS:VICTIM-DATA \
			"$t the target untouched, the output in the file judged at registration"
		tap_log_count 0 "$t nothing blocked" action=blocked ;;
	audit)
		tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA "$t as without tmpguard"
		tap_log "$t hijack-detected" event=hijack-detected \
			func=posix_spawn_file_actions_addopen "path=$W/own" detail=symlink ;;
	esac
done
# a plant there already at registration
printf 'PRECIOUS\n' >"$TARGET"
att ln -s "$TARGET" "$S/pre"
for mode in bare harden audit; do
	tg_log "spawn-pre-$mode"
	spawn_late $mode "$S/pre" "WRONLY|CREAT|TRUNC" 'true'
	t="$mode spawn, output to $TG_ATTACKER's symlink planted before registration:"
	case $mode in
	bare)
		tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA "$t the child writes into the target (the attack works)" ;;
	harden)
		tap_is "$(grep ^REGISTERED <<<"$OUT"):$(tg_result):$(tg_content "$TARGET")" \
			"REGISTERED 13:ERR EACCES:PRECIOUS" "$t registration fails with EACCES, target untouched"
		tap_log "$t hijack-blocked" event=hijack-blocked func=posix_spawn_file_actions_addopen \
			"path=$S/pre" detail=symlink errno=13 ;;
	audit)
		tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA "$t as without tmpguard"
		tap_log "$t hijack-detected at registration" event=hijack-detected \
			func=posix_spawn_file_actions_addopen "path=$S/pre" detail=symlink ;;
	esac
	printf 'PRECIOUS\n' >"$TARGET"
done
# errno as without tmpguard where the child's open fails anyway
printf 'OLD\n' >"$S/exists"
for spec in "missing, no O_CREAT;$S/absent;WRONLY" \
	"exclusive over an existing file;$S/exists;WRONLY|CREAT|EXCL" \
	"missing directory;$S/nodir/x;WRONLY|CREAT|TRUNC"; do
	IFS=';' read -r what path flags <<<"$spec"
	spawn_late bare "$path" "$flags" 'true'
	bare=$(tg_result)
	tg_log "spawn-errno-${what// /-}"
	spawn_late harden "$path" "$flags" 'true'
	tap_is "$(tg_result)" "$bare" "harden spawn, $what: the child's open fails as without tmpguard ($bare)"
	tap_log_count 0 "harden spawn, $what: nothing blocked" action=blocked
done
# below a planted directory (item 5): a creation there is a creation in a
# shared directory
att mkdir -m 0755 "$S/adir2"
tg_log spawn-planted-dir
spawn_late harden "$S/adir2/out" "WRONLY|CREAT|TRUNC" 'true'
tap_is "$(tg_result):$(tg_mode "$S/adir2/out"):$(tg_content "$S/adir2/out")" OK:600:VICTIM-DATA \
	"harden spawn, output below $TG_ATTACKER's directory: created exclusively (0600) at registration"
tap_log "harden spawn below a planted directory: predictable-create" event=predictable-create \
	func=posix_spawn_file_actions_addopen "path=$S/adir2/out" action=hardened
# the pins go with the actions: destroyed, or initialized again (events
# to stderr: no log file kept open)
for how in destroy reinit; do
	tg_run bare "$H" spawn-loop "$S/loop" "WRONLY|CREAT|TRUNC" 50 $how
	bare=$(grep ^FDS <<<"$OUT")
	TMPGUARD_LOG=stderr tg_run harden "$H" spawn-loop "$S/loop" "WRONLY|CREAT|TRUNC" 50 $how
	tap_is "$(tg_result):$(grep ^FDS <<<"$OUT")" "OK:$bare" \
		"harden, 50 spawns with their actions ${how}ed: no descriptor left open ($bare)"
done
# a path through no shared directory: the child opens the name itself
tg_log spawn-private
spawn_late harden "$P/out" "WRONLY|CREAT|TRUNC" 'true'
tap_is "$(tg_result):$(tg_mode "$P/out"):$(tg_content "$P/out")" OK:644:VICTIM-DATA \
	"harden spawn to a private directory: as without tmpguard"
tap_log_none "harden spawn to a private directory: nothing logged"

tap_done
exit 0
