#!/bin/bash
# sharing.sh — sharing without an attacker (contract part 2: "Nothing else
# changes", and sharing by intent). Every scenario runs bare, then under
# harden and audit, and must give the same outcome (exit status, output,
# the objects' types, modes, owners, contents) with the documented setting:
#  - a FIFO in a private 0755 directory, `mkfifo F; cat F & echo hi > F`,
#    as typed, and with the writer started once the reader waits in its
#    open and slowed by strace (the issue's reproduction, deterministic):
#    the reader gets "hi", nothing hangs (no object may be opened for I/O
#    merely to look at it);
#  - the caller's own files, FIFOs, symlinks and scripts in shared
#    directories (sticky, world-writable, and a private one for contrast),
#    root's files there used by a user (a root-owned 0666 log appended to),
#    TMPGUARD_TRUST users' files used by root: written, appended, read
#    back, chmod'ed, renamed, truncated, touched, linked, realpath'ed,
#    executed, sourced: as bare, and no hijack event;
#  - two users' jobs flocking one lock file in a shared directory: as bare
#    with TMPGUARD_TRUST naming the other user (or `tmpguard run --trust=`),
#    and only with it;
#  - a config root writes into a shared directory for a service user:
#    readable by that user with TMPGUARD_FILE_MODE=program (or `tmpguard
#    run --file-mode=program`), 0600 by default;
#  - a git push into a shared bare repository (another user's, world-
#    writable): as bare with TMPGUARD_TRUST; the kernel's EEXIST for
#    mkdir(objects/pack) is hijack-detected, action logged, never blocked.
# The second user is tgvictim; what it runs (the library included) is
# staged in the 0755 workspace, so that a 0700 checkout does not matter.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	tap_skip "sharing between users" "needs root and setpriv to act as a second user"
	tap_done
	exit 0
fi
# (useradd can find /etc/passwd locked by a test running in parallel)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	id -u tgvictim >/dev/null 2>&1 && break
	useradd --system --no-create-home --shell /usr/sbin/nologin tgvictim >/dev/null 2>&1 ||
		sleep 1
done
id -u tgvictim >/dev/null 2>&1 || tap_bail "useradd tgvictim failed"
V_UID=$(id -u tgvictim)
V_GID=$(id -g tgvictim)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$TG_PY
PERL=$(command -v perl || echo perl)

S=$TG_STICKY    # sticky, shared (like /tmp)
WW=$TG_WORK/ww  # world-writable without the sticky bit
mkdir -m 0777 "$WW" && chmod 0777 "$WW"
export TMPGUARD_DIRS=$S:$WW
VHOME=$TG_WORK/vhome # tgvictim's own directory
RHOME=$TG_PRIVATE/rhome
mkdir -p "$VHOME/p" "$RHOME" "$TG_PRIVATE/p"
chown -R "$V_UID:$V_GID" "$VHOME"
STAGE=$TG_WORK/stage
mkdir -p "$STAGE"
cp "$TG_LIB" "$STAGE/libtmpguard.so" && cp "$TG_HELPERS/attack_victim" "$STAGE/" ||
	tap_bail "cannot stage the library and helpers in $STAGE"
chmod -R a+rX "$STAGE"
SPRELOAD=${TG_PRELOAD//"$TG_LIB"/"$STAGE/libtmpguard.so"}
VIC=$STAGE/attack_victim
AS_USER=(setpriv --reuid="$V_UID" --regid="$V_GID" --clear-groups --)
EXTRA_ENV=()

# run_as WHO MODE CMD...: WHO root or user (tgvictim), MODE bare, harden or
# audit, with EXTRA_ENV; the working directory is the workspace. Sets RC,
# OUT, ERR. A user's log file is made for it.
run_as() {
	local who=$1 how=$2
	shift 2
	local -a env=("${EXTRA_ENV[@]}")
	case $how in
	harden | audit) env+=("LD_PRELOAD=$SPRELOAD" "TMPGUARD_MODE=$how") ;;
	esac
	if [ "$who" = root ]; then
		tg_run bare env -C "$TG_WORK" "${env[@]}" "$@"
	else
		if [ -n "${TMPGUARD_LOG:-}" ]; then
			: >>"$TMPGUARD_LOG"
			chown "$V_UID:$V_GID" "$TMPGUARD_LOG"
		fi
		tg_run bare "${AS_USER[@]}" env -C "$TG_WORK" "${env[@]}" "$@"
	fi
}
as_owner() { # OWNER CMD...: run CMD bare as root or tgvictim
	local who=$1
	shift
	if [ "$who" = root ]; then "$@"; else "${AS_USER[@]}" "$@"; fi
}
# stderr without the library's own lines (and, in a coverage build, the
# counters' complaints in processes that cannot write them)
no_tmpguard() { grep -Ev '^(tmpguard: |profiling:)' <<<"$1"; }

# ------------------------------------------------------------------ sanity ----

tg_log sanity
rm -f "$S/sanity"
run_as user harden bash -c 'echo x > "$1"' sh "$S/sanity"
tap_log "the staged library loads in tgvictim's processes (a creation in $S is logged)" \
	event=predictable-create "path=$S/sanity" "uid=$V_UID"

# ------------------------------------------------------ FIFO, private dir ----

FD=$TG_PRIVATE/fifo
mkdir -p "$FD"
# as typed at a prompt
# shellcheck disable=SC2016
FIFO_SH='cd "$1" && rm -f F got && mkfifo F || exit 9
cat F > got & r=$!
echo hi > F
wait $r
cat got'
# the issue's reproduction, made deterministic: the writer (a process of
# its own) starts once the reader waits in its open of F, and strace slows
# each of its opens, so that whatever it does to F before its own open
# reaches the reader first (only calls on F are slowed: a coverage build's
# own writes at exit would otherwise take seconds)
# shellcheck disable=SC2016
FIFO_SLOW_SH='cd "$1" && rm -f F got && mkfifo F || exit 9
cat F > got & r=$!
i=0
while [ "$(cat /proc/$r/wchan 2>/dev/null)" != wait_for_partner ] && [ $i -lt 500 ]; do
	sleep 0.01; i=$((i + 1))
done
strace -f -qq -o /dev/null -P "$PWD/F" -e trace=openat -e inject=openat:delay_enter=100000 bash -c "echo hi > F"
wait $r
cat got'
for m in bare harden audit; do
	tg_log "fifo-private-$m"
	TG_TIMEOUT=10 run_as root $m bash -c "$FIFO_SH" sh "$FD"
	tap_is "$RC:$OUT" "0:hi" "$m: mkfifo F; cat F & echo hi > F in a private 0755 directory: the reader gets hi, nothing hangs"
	if command -v strace >/dev/null; then
		TG_TIMEOUT=20 run_as root $m bash -c "$FIFO_SLOW_SH" sh "$FD"
		tap_is "$RC:$OUT" "0:hi" "$m: the same, the writer started once the reader waits and slowed by strace: the reader gets hi, nothing hangs"
	else
		tap_skip "$m: the same, the writer slowed by strace" "strace not installed"
	fi
done

# --------------------------------------------------- nothing else changes ----

# mkobj KIND DIR OWNER: the object O (a file, fifo, link or script) in DIR,
# made bare by OWNER (root or user); a link points to T, OWNER's own file in
# its private directory. PRIV is the caller's (WHO's) private directory.
mkobj() {
	local kind=$1 dir=$2 owner=$3 ohome
	if [ "$owner" = root ]; then ohome=$TG_PRIVATE/p; else ohome=$VHOME/p; fi
	O=$dir/obj.$kind
	T=$ohome/target
	rm -rf -- "$O" "$T" "$PRIV/moved" "$PRIV/linked" "$PRIV/got"
	case $kind in
	file) as_owner "$owner" sh -c 'umask 022; printf "ORIG\n" > "$1"' sh "$O" ;;
	script) as_owner "$owner" sh -c 'umask 022; printf "#!/bin/sh\necho RAN\n" > "$1" && chmod 0755 "$1"' sh "$O" ;;
	fifo) as_owner "$owner" mkfifo -m 0644 "$O" ;;
	link) as_owner "$owner" sh -c 'umask 022; printf "ORIG\n" > "$1" && ln -s "$1" "$2"' sh "$T" "$O" ;;
	esac || tap_bail "cannot make $kind $O as $owner"
	[ -z "${OBJ_MODE:-}" ] || chmod "$OBJ_MODE" "$O"
	touch -h -d @1000000000 "$O"
	[ ! -e "$T" ] || touch -d @1000000000 "$T"
}
# state: what the call left behind, for the comparison
state() {
	local p
	for p in "$O" "$T" "$PRIV/moved" "$PRIV/linked" "$PRIV/got"; do
		printf '%s: ' "${p#"$TG_WORK"/}"
		if [ -L "$p" ]; then
			printf 'symlink to %s, %s\n' "$(readlink "$p")" "$(stat -c %U "$p")"
		elif [ -e "$p" ]; then
			printf '%s\n' "$(stat -c '%F %a %U' "$p") $([ "$(stat -c %Y "$p")" = 1000000000 ] && echo old || echo new)"
			[ ! -f "$p" ] || head -c 200 "$p"
		else
			echo absent
		fi
	done
}
declare -A OPS=(
	[write]='echo data > "$O"'
	[append]='echo data >> "$O"'
	[rdwr]='exec 3<>"$O" && echo data >&3'
	[read]='cat "$O"'
	[chmod]='chmod 640 "$O"'
	[rename]='"$PY" -c "import os, sys; os.rename(sys.argv[1], sys.argv[2])" "$O" "$PRIV/moved"'
	[truncate]='"$PERL" -e "truncate(\$ARGV[0], 0) or die qq(truncate: \$!\n)" "$O"'
	[touch]='touch -c "$O"'
	[link]='ln "$O" "$PRIV/linked"'
	[realpath]='"$VIC" realpath "$O"'
	[exec]='"$O"'
	[source]='. "$O"'
	[fifo-write]='cat "$O" > "$PRIV/got" & r=$!; echo data > "$O"; wait $r'
	[fifo-read]='(echo data > "$O") & cat "$O"; wait'
)
# same_as_bare WHO KIND DIR OWNER OP: the op bare, under harden and audit
same_as_bare() {
	local who=$1 kind=$2 dir=$3 owner=$4 op=$5 m desc i
	local -A res
	if [ "$who" = root ]; then PRIV=$TG_PRIVATE/p; else PRIV=$VHOME/p; fi
	local where=${dir#"$TG_WORK"/}
	local whose=$owner
	[ "$owner" != "$who" ] || whose="its own"
	[ "$owner" != user ] || [ "$who" = user ] || whose="TMPGUARD_TRUST user's"
	[ "$owner" != root ] || [ "$who" = root ] || whose="root's"
	desc="$who, $whose $kind in $where: $op"
	for m in bare harden audit; do
		mkobj "$kind" "$dir" "$owner"
		tg_log "share-$who-$kind-${where//\//_}-$owner-$op-$m"
		TG_TIMEOUT=5 run_as "$who" $m env O="$O" PRIV="$PRIV" VIC="$VIC" PY="$PY" PERL="$PERL" \
			bash -c "${OPS[$op]}"' ; echo "rc=$?"'
		res[$m]="rc=$RC
out: $OUT
err: $(no_tmpguard "$ERR")
$(state)"
	done
	for m in harden audit; do
		i=$(tg_log_count "$TG_LOGDIR/share-$who-$kind-${where//\//_}-$owner-$op-$m.log" 'event~^hijack')
		if [ "${res[$m]}" = "${res[bare]}" ]; then
			tap_ok "$m: $desc as bare"
		else
			tap_not_ok "$m: $desc as bare" "bare:" "${res[bare]}" "$m:" "${res[$m]}"
		fi
		if [ "$i" = 0 ]; then
			tap_ok "$m: $desc: no hijack event"
		else
			tap_not_ok "$m: $desc: no hijack event" "$(_tg_log_diag "$TG_LOGDIR/share-$who-$kind-${where//\//_}-$owner-$op-$m.log")"
		fi
	done
}

FILE_OPS="write append rdwr read chmod rename truncate touch link realpath"
P=$TG_PRIVATE/shared-not # a private directory: no shared directory on the way
mkdir -p "$P"
for op in $FILE_OPS; do same_as_bare root file "$S" root "$op"; done
for op in write append read chmod rename touch; do same_as_bare root file "$WW" root "$op"; done
for op in $FILE_OPS; do same_as_bare root file "$P" root "$op"; done
for op in $FILE_OPS; do same_as_bare user file "$S" user "$op"; done
for op in write append read chmod touch rename realpath; do
	same_as_bare root link "$S" root "$op"
	same_as_bare user link "$S" user "$op"
done
for op in write read; do same_as_bare root link "$WW" root "$op"; done
for op in fifo-write fifo-read chmod rename; do same_as_bare root fifo "$S" root "$op"; done
for op in fifo-write fifo-read; do same_as_bare user fifo "$S" user "$op"; done
same_as_bare root fifo "$WW" root fifo-write
for op in exec source; do
	same_as_bare root script "$S" root "$op"
	same_as_bare user script "$S" user "$op"
	same_as_bare user script "$S" root "$op"
done
# root's 0666 file (a log) used by a user
OBJ_MODE=0666
for op in append write read chmod truncate touch link realpath; do
	same_as_bare user file "$S" root "$op"
done
OBJ_MODE=
# TMPGUARD_TRUST: root uses tgvictim's objects
EXTRA_ENV=(TMPGUARD_TRUST=tgvictim)
for op in $FILE_OPS; do same_as_bare root file "$S" user "$op"; done
for op in exec source; do same_as_bare root script "$S" user "$op"; done
for op in write read; do same_as_bare root link "$S" user "$op"; done
same_as_bare root fifo "$S" user fifo-write
EXTRA_ENV=()

# ------------------------------------------------------------------ flock ----

L=$S/job.lock
FOUT=$TG_WORK/flock.out
REL=$TG_WORK/.flock-release
LOGA=$TG_LOGDIR/flock-job-a.log
# flock_jobs MODE [B-PREFIX...]: tgvictim's job A takes the lock (making the
# lock file) and holds it; root's job B tries it while A holds it (flock
# -n: fails, the lock is one), then after A (succeeds). A runs under MODE;
# B under MODE with EXTRA_ENV, or through B-PREFIX (tmpguard run ...).
# Sets FLOCK (the outcome) and FLOCK_ERR (B's stderr).
flock_jobs() {
	local how=$1 apid i rc_a rc_early err_early
	shift
	rm -f -- "$L" "$REL" "$VHOME/held"
	: >"$FOUT"
	chmod 0666 "$FOUT"
	: >"$LOGA"
	chown "$V_UID:$V_GID" "$LOGA"
	local -a aenv=()
	case $how in
	harden | audit) aenv=("LD_PRELOAD=$SPRELOAD" "TMPGUARD_MODE=$how" "TMPGUARD_LOG=$LOGA") ;;
	esac
	# shellcheck disable=SC2016
	tg_start_bg apid "$TG_WORK/.flock-a" "${AS_USER[@]}" env -C "$TG_WORK" "${aenv[@]}" \
		flock "$L" sh -c 'echo A >> "$1"; touch "$2"; i=0
			while [ ! -e "$3" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done' \
		sh "$FOUT" "$VHOME/held" "$REL"
	for ((i = 0; i < 500; i++)); do
		[ -e "$VHOME/held" ] && break
		sleep 0.02
	done
	flock_b "$how" -n "$@"
	rc_early=$RC err_early=$ERR
	touch "$REL"
	wait "$apid"
	rc_a=$?
	flock_b "$how" "" "$@"
	FLOCK="A=$rc_a B-while-A-holds=$rc_early B-after=$RC out=$(tr '\n' ' ' <"$FOUT")lock-owner=$(tg_owner "$L")"
	FLOCK_ERR="$err_early $ERR"
}
# shellcheck disable=SC2016
flock_b() {
	local how=$1 nb=$2
	shift 2
	local -a opt=()
	[ -z "$nb" ] || opt=("$nb")
	if [ $# -gt 0 ]; then
		tg_run bare env -C "$TG_WORK" "${EXTRA_ENV[@]}" "$@" flock "${opt[@]}" "$L" sh -c 'echo B >> "$1"' sh "$FOUT"
	else
		run_as root "$how" flock "${opt[@]}" "$L" sh -c 'echo B >> "$1"' sh "$FOUT"
	fi
}
tg_log flock-bare
flock_jobs bare
FLOCK_BARE=$FLOCK
tap_is "$FLOCK_BARE" "A=0 B-while-A-holds=1 B-after=0 out=A B lock-owner=tgvictim" \
	"bare: two users' jobs flock one lock file in $S (baseline: one lock, both jobs run)"
EXTRA_ENV=(TMPGUARD_TRUST=tgvictim)
for m in harden audit; do
	tg_log "flock-trust-$m"
	flock_jobs $m
	tap_is "$FLOCK" "$FLOCK_BARE" "$m, TMPGUARD_TRUST=tgvictim: the two jobs flock one lock file as bare"
	tap_log_count 0 "$m, TMPGUARD_TRUST=tgvictim: no hijack event for the lock file" 'event~^hijack'
done
EXTRA_ENV=()
tg_log flock-run-trust
flock_jobs harden "$TG_CMD" run --mode=harden --trust=tgvictim --format=json "--log=$LOG" --
tap_is "$FLOCK" "$FLOCK_BARE" "tmpguard run --mode=harden --trust=tgvictim: the two jobs flock one lock file as bare"
# only with it
tg_log flock-harden
flock_jobs harden
tap_like "$FLOCK_ERR" 'Permission denied.*Permission denied' \
	"harden without TMPGUARD_TRUST: root's job cannot open tgvictim's lock file (EACCES)"
tap_log "harden without TMPGUARD_TRUST: hijack-blocked names the lock file" event=hijack-blocked "path=$L"
tg_log flock-audit
flock_jobs audit
tap_is "$FLOCK" "$FLOCK_BARE" "audit without TMPGUARD_TRUST: the two jobs flock one lock file as bare"
tap_log "audit without TMPGUARD_TRUST: hijack-detected names the lock file" event=hijack-detected "path=$L"

# ---------------------------------------------- a config for a service user ----

CONF=$S/svc.conf
# conf_run MODE [PREFIX...]: root writes CONF (umask 022) under MODE with
# EXTRA_ENV, or through PREFIX; then the service user (tgvictim) reads it
# under MODE. Sets CONF_RES.
conf_run() {
	local how=$1 w
	shift
	rm -f -- "$CONF"
	if [ $# -gt 0 ]; then
		tg_run bare env -C "$TG_WORK" "${EXTRA_ENV[@]}" "$@" bash -c 'umask 022; echo cfg > "$1"' sh "$CONF"
	else
		run_as root "$how" bash -c 'umask 022; echo cfg > "$1"' sh "$CONF"
	fi
	w=$RC
	run_as user "$how" cat "$CONF"
	CONF_RES="write=$w mode=$(tg_mode "$CONF") owner=$(tg_owner "$CONF") user-read=$RC:$OUT"
}
tg_log conf-bare
conf_run bare
CONF_BARE=$CONF_RES
tap_is "$CONF_BARE" "write=0 mode=644 owner=root user-read=0:cfg" \
	"bare: root writes a config into $S, the service user reads it (baseline)"
EXTRA_ENV=(TMPGUARD_FILE_MODE=program)
for m in harden audit; do
	tg_log "conf-program-$m"
	conf_run $m
	tap_is "$CONF_RES" "$CONF_BARE" "$m, TMPGUARD_FILE_MODE=program: the config has the program's mode, the user reads it, as bare"
done
EXTRA_ENV=()
tg_log conf-run-program
conf_run harden "$TG_CMD" run --mode=harden --file-mode=program --format=json "--log=$LOG" --
tap_is "$CONF_RES" "$CONF_BARE" "tmpguard run --mode=harden --file-mode=program: as bare"
tg_log conf-private
conf_run harden
tap_like "$CONF_RES" 'mode=600 owner=root user-read=[1-9]' \
	"harden, TMPGUARD_FILE_MODE unset (private): the config is 0600, the user cannot read it"

# ------------------------------------------------- git push, shared repo ----

GSRV=$TG_WORK/srv # tgvictim's 0755 directory: only the repository is shared
REPO=$GSRV/shared.git
mkdir -p "$GSRV" && chown "$V_UID:$V_GID" "$GSRV"
printf '[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n[user]\n\tname = t\n\temail = t@example.org\n' >"$STAGE/gitconfig"
chmod 0644 "$STAGE/gitconfig"
export GIT_CONFIG_GLOBAL=$STAGE/gitconfig GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_DATE='@1000000000 +0000' GIT_COMMITTER_DATE='@1000000000 +0000'
# git_push MODE: tgvictim makes a bare repository shared with everyone
# (--shared=0777: world-writable directories) and pushes a commit; root
# clones it and pushes another one, under MODE with EXTRA_ENV. Sets GITRES.
git_push() {
	local how=$1
	rm -rf -- "$REPO" "$VHOME/w1" "$TG_PRIVATE/w2"
	"${AS_USER[@]}" env -C "$VHOME" sh -c 'git init -q --bare --shared=0777 "$1" &&
		git init -q w1 && cd w1 && echo a > a && git add a && git commit -qm a &&
		git push -q "$1" HEAD:main' sh "$REPO" >/dev/null 2>&1 ||
		tap_bail "tgvictim cannot make the shared repository $REPO"
	(cd "$TG_PRIVATE" && git clone -q "$REPO" w2 && cd w2 && echo b >b && git add b &&
		git commit -qm b) >/dev/null 2>&1 || tap_bail "root cannot clone $REPO"
	run_as root "$how" git -C "$TG_PRIVATE/w2" push -q origin HEAD:main
	GITRES="push=$RC main=$(git --git-dir="$REPO" rev-parse main 2>&1) fsck=$(git --git-dir="$REPO" fsck --no-progress >/dev/null 2>&1; echo $?)"
}
tg_log git-bare
git_push bare
GIT_BARE=$GITRES
tap_like "$GIT_BARE" '^push=0 main=[0-9a-f]{40} fsck=0$' "bare: root pushes into tgvictim's shared bare repository (baseline)"
EXTRA_ENV=(TMPGUARD_TRUST=tgvictim)
tg_log git-trust-harden
git_push harden
tap_is "$GITRES" "$GIT_BARE" "harden, TMPGUARD_TRUST=tgvictim: the push as bare"
tap_log_count 0 "harden, TMPGUARD_TRUST=tgvictim: nothing logged blocked" action=blocked
EXTRA_ENV=()
tg_log git-audit
git_push audit
tap_is "$GITRES" "$GIT_BARE" "audit: the push as bare"
tap_log "audit: mkdir(objects/pack), EEXIST from the kernel over tgvictim's directory: hijack-detected, action logged" \
	event=hijack-detected action=logged func~^mkdir 'path~objects/pack$'
tap_log_count 0 "audit: nothing logged blocked" action=blocked
tg_log git-harden
git_push harden
tap_diag "harden without TMPGUARD_TRUST: $GITRES"
tap_log_count 0 "harden without TMPGUARD_TRUST: the kernel's EEXIST for a mkdir is never logged blocked" \
	func~^mkdir action=blocked

tap_done
exit 0
