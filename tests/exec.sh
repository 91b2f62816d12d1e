#!/bin/bash
# exec.sh — the exec family and posix_spawn (contract part 2, item 3):
# each entry point (execve, execv, execvp, execvpe, execl, execle, execlp,
# posix_spawn, posix_spawnp) run by root on another user's program or
# symbolic link in /tmp: bare runs it (the attack works), harden fails
# with EACCES and logs hijack-blocked, audit runs it and logs
# hijack-detected; the p-variants the same through a PATH that holds /tmp,
# where the search goes on past a refused candidate as past any EACCES.
# The caller's own program, script and symbolic link in /tmp run as bare
# (output, environment, status), a script through execveat; private
# programs make the same system calls as without tmpguard.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

EC=$TG_HELPERS/exec_call
PROBE=$TG_HELPERS/static_probe
[ -x "$EC" ] || tap_bail "helper not built: $EC"
[ -x "$PROBE" ] || tap_bail "helper not built: $PROBE"
ENTRIES="execve execv execvp execvpe execl execle execlp posix_spawn posix_spawnp"
SEARCHING="execvp execvpe execlp posix_spawnp"
# entries that pass the program an environment of their own: it carries
# TG_EXEC_MARK=passed; the others pass the caller's (no mark)
with_env() { case $1 in execve | execvpe | execle | posix_spawn*) echo passed ;; esac; }
# what a run that reached the program printed: "RAN ARG... mark=M fds=N",
# and for the spawns "OK status=7"
ran_like() {
	local like="^RAN $2 mark=$(with_env "$1") fds=[0-9]+"
	case $1 in posix_spawn*) like="$like"$'\n'"OK status=7\$" ;; *) like="$like\$" ;; esac
	printf '%s' "$like"
}

# /tmp itself: the shared directory the attacks of issue 17 use
mkname() { local n; n=$(mktemp -u "/tmp/tgexec-$1.XXXXXX") && tg_cleanup_later "$n" && printf '%s' "$n"; }
# a directory outside shared directories (the build tree, as strace.sh)
case $TG_BUILDDIR/ in
/tmp/* | /var/tmp/* | /dev/shm/*) Q= ;;
*) Q=$(mktemp -d "$TG_BUILDDIR/tests/exec-private.XXXXXX") && tg_cleanup_later "$Q" ;;
esac
[ -n "$Q" ] || Q=$TG_PRIVATE # what can be tested still is, below

# --- 1. another user's program and symbolic link in /tmp -------------------
have_foreign=0
[ "$(id -u)" = 0 ] && have_foreign=1
PLANT=$(mkname plant)
LINK=$(mkname link)
cp "$EC" "$Q/victim-prog" # root's own program, where the link leads
if [ $have_foreign = 1 ]; then
	cp "$EC" "$PLANT" && chmod 0755 "$PLANT" && tg_foreign "$PLANT" ||
		tap_bail "cannot plant $PLANT"
	ln -s "$Q/victim-prog" "$LINK" && tg_foreign "$LINK" || tap_bail "cannot plant $LINK"
fi

# attacked DESC WHAT DETAIL CMD...: bare runs it; harden refuses (EACCES,
# hijack-blocked naming WHAT); audit runs it (hijack-detected). CMD ends
# with the entry point's arguments; $entry is set.
attacked() {
	local desc=$1 what=$2 detail=$3 like
	shift 3
	like=$(ran_like "$entry" planted)
	if [ $have_foreign = 0 ]; then
		for d in "bare: the attack works" "harden: EACCES" "harden: it did not run" \
			"harden: hijack-blocked" "audit: it runs" "audit: hijack-detected"; do
			tap_skip "$desc $d" "needs root to give the plant another owner"
		done
		return
	fi
	tg_run bare "$@"
	tap_like "$OUT" "$like" "$desc bare: the attack works"
	tg_log "$entry-$detail-harden"
	tg_run harden "$@"
	tap_is "$(tg_result)" "ERR EACCES" "$desc harden: EACCES"
	tap_unlike "$OUT" '^RAN' "$desc harden: it did not run"
	tap_log "$desc harden: hijack-blocked" event=hijack-blocked action=blocked \
		"func=$entry" "path=$what" "detail=$detail" errno=13
	tg_log "$entry-$detail-audit"
	tg_run audit "$@"
	tap_like "$OUT" "$like" "$desc audit: it runs"
	tap_log "$desc audit: hijack-detected" event=hijack-detected action=logged \
		"func=$entry" "path=$what" "detail=$detail"
}

for entry in $ENTRIES; do
	attacked "$entry of another user's program in /tmp:" "$PLANT" foreign-owner \
		"$EC" "$entry" "$PLANT" --show planted
	attacked "$entry of another user's symbolic link in /tmp:" "$LINK" symlink \
		"$EC" "$entry" "$LINK" --show planted
done
for entry in $SEARCHING; do
	attacked "$entry, PATH=/tmp:..., of another user's program:" "$PLANT" foreign-owner \
		"PATH=/tmp:$PATH" "$EC" "$entry" "$(basename "$PLANT")" --show planted
done

# The search goes on past a refusal, as past any EACCES: the program of
# the same name later in PATH runs (bare runs the plant).
mkdir "$Q/bin"
printf '#!/bin/sh\necho "PRIVATE $*"\nexit 7\n' >"$Q/bin/$(basename "$PLANT")"
chmod 0755 "$Q/bin/$(basename "$PLANT")"
for entry in $SEARCHING; do
	t="$entry, PATH=/tmp:PRIVATE, the same name in both:"
	if [ $have_foreign = 0 ]; then
		tap_skip "$t harden runs the private one" "needs root"
		tap_skip "$t ... and logs hijack-blocked" "needs root"
		continue
	fi
	tg_log "$entry-goes-on"
	tg_run harden "PATH=/tmp:$Q/bin" "$EC" "$entry" "$(basename "$PLANT")" --show which
	like='^PRIVATE --show which'
	case $entry in posix_spawn*) like="$like"$'\n''OK status=7$' ;; *) like="$like\$" ;; esac
	tap_like "$OUT" "$like" "$t harden runs the private one"
	tap_log "$t ... and logs hijack-blocked" event=hijack-blocked "func=$entry" "path=$PLANT"
done
if [ $have_foreign = 1 ]; then
	tg_run bare strace -f -qq -e trace=execve,execveat -o "$TG_WORK/plant.trace" \
		env "PATH=/tmp:$Q/bin" "$EC" execvp "$(basename "$PLANT")" --show which
	tap_grep "$(cat "$TG_WORK/plant.trace")" "execve\\(\"$PLANT\"" \
		"bare execvp, PATH=/tmp:PRIVATE: the plant in /tmp is what runs"
else
	tap_skip "bare execvp, PATH=/tmp:PRIVATE: the plant in /tmp is what runs" "needs root"
fi

# --- 2. the caller's own program, script and link in /tmp: as bare ---------
OWN=$(mkname own)
SCRIPT=$(mkname script)
OWNLINK=$(mkname ownlink)
cp "$EC" "$OWN"
printf '#!/bin/sh\necho "SCRIPT $* mark=$TG_EXEC_MARK"\necho "zero=$0" >&2\nexit 7\n' >"$SCRIPT"
chmod 0755 "$OWN" "$SCRIPT"
ln -s "$OWN" "$OWNLINK"
# as_bare DESC CMD...: harden and audit print and exit as bare does
as_bare() {
	local desc=$1 mode
	shift
	tg_run bare "$@"
	local want="$RC:$OUT"
	for mode in harden audit; do
		tg_log "own-$mode"
		tg_run $mode "$@"
		tap_is "$RC:$OUT" "$want" "$mode $desc: output, environment and status as bare"
		tap_log_none "$mode $desc: nothing logged"
	done
}
for entry in $ENTRIES; do
	as_bare "$entry of the caller's own program in /tmp" "$EC" "$entry" "$OWN" --show a 'b c'
	as_bare "$entry of the caller's own script in /tmp" "$EC" "$entry" "$SCRIPT" a 'b c'
	as_bare "$entry of the caller's own link in /tmp" "$EC" "$entry" "$OWNLINK" --show a
done
for entry in $SEARCHING; do
	as_bare "$entry, PATH=/tmp:..., of the caller's own program" \
		"PATH=/tmp:$PATH" "$EC" "$entry" "$(basename "$OWN")" --show a
done
tg_run bare "$EC" execve "$OWN" --show
tap_like "$OUT" "^RAN mark=passed fds=[0-9]+$" "the helper counts its descriptors (bare)"
FDS_BARE=$OUT
tg_run harden "$EC" execve "$OWN" --show
tap_is "$OUT" "$FDS_BARE" "harden: a program run through the pin inherits no descriptor of it"

# --- 3. through the pin: execveat, a script's pin kept for its shell ---------
# A program runs through execveat(pin) wherever it is; a script too where
# another user could replace its name (a world-writable directory without
# the sticky bit), which then reads it as /dev/fd/N. In sticky /tmp no one
# else can replace the caller's entries: a script runs by its name there,
# and sees it as its $0, as without tmpguard.
TG_TRACE=$TG_WORK/own.trace tg_run harden "$EC" execve "$OWN" --show p
tap_like "$OUT" "^RAN p mark=passed fds=[0-9]+$" "harden execve of the caller's program in /tmp: it runs"
trace=$(cat "$TG_WORK/own.trace")
tap_grep "$trace" 'execveat\([0-9]+, "", .*AT_EMPTY_PATH\) = 0' \
	"... through execveat(pin, \"\", AT_EMPTY_PATH)"
tap_unlike "$trace" "execve\\(\"$OWN\"" "... never by its name"
tg_run harden "$EC" execve "$SCRIPT" x
tap_grep "$ERR" "^zero=$SCRIPT\$" "harden execve of the caller's script in sticky /tmp: its \$0 is its name"
tg_run harden "$EC" posix_spawn "$SCRIPT" x
tap_grep "$ERR" "^zero=$SCRIPT\$" "harden posix_spawn of the caller's script in sticky /tmp: the same"
WW=$TG_WORK/ww # the caller's, world-writable, not sticky
mkdir "$WW" && chmod 0777 "$WW"
cp "$SCRIPT" "$WW/script"
TG_TRACE=$TG_WORK/script.trace tg_run harden "$EC" execve "$WW/script" x
tap_is "$RC:$OUT" "7:SCRIPT x mark=passed" \
	"harden execve of the caller's script in a world-writable directory: it runs"
trace=$(cat "$TG_WORK/script.trace")
tap_grep "$trace" 'execveat\([0-9]+, "", .*AT_EMPTY_PATH\) = 0' \
	"... through execveat(pin, \"\", AT_EMPTY_PATH)"
tap_unlike "$trace" "execve\\(\"$WW/script\"" "... never by its name"
tap_grep "$ERR" '^zero=/dev/fd/[0-9]+$' "... and the shell reads it as /dev/fd/N (its \$0)"
TG_TRACE=$TG_WORK/spawn.trace tg_run harden "$EC" posix_spawn "$WW/script" y
tap_is "$OUT" "SCRIPT y mark=passed
OK status=7" "harden posix_spawn of the caller's script in a world-writable directory: it runs"
tap_grep "$(cat "$TG_WORK/spawn.trace")" 'execve\("/proc/self/fd/[0-9]+"' \
	"... as /proc/self/fd/N of the pin"
tg_log ww
tg_run bare "$EC" execv "$WW/script" z
want="$RC:$OUT"
tg_run harden "$EC" execv "$WW/script" z
tap_is "$RC:$OUT" "$want" "harden execv (no environment given) of that script: as bare"
tap_log_none "... nothing logged for the caller's own scripts"

# A relative path spawned with a file action that changes the child's
# working directory names a file there, which the parent cannot judge:
# left to the C library (the program of the directory the child is in
# runs, not the one of the shared directory the parent is in).
mkdir "$Q/cd"
printf '#!/bin/sh\necho "PRIVATE $*"\nexit 7\n' >"$Q/cd/prog"
cp "$EC" "$TG_STICKY/prog" # a program: it would run through the pin
chmod 0755 "$Q/cd/prog" "$TG_STICKY/prog"
spawn_cd='cd "$1" && exec "$2" posix_spawn_cd "$3" ./prog x'
tg_run bare sh -c "$spawn_cd" sh "$TG_STICKY" "$EC" "$Q/cd"
want="$RC:$OUT"
tap_is "$want" "0:PRIVATE x
OK status=7" "bare posix_spawn of ./prog with addchdir_np, from a shared directory: the child's ./prog runs"
tg_log spawn-cd
tg_run harden sh -c "$spawn_cd" sh "$TG_STICKY" "$EC" "$Q/cd"
tap_is "$RC:$OUT" "$want" "harden: the same (a relative path with file actions is not judged)"

# --- 4. where the kernel fails the call, its errno stays ----------------------
MISSING=$(mkname missing)
NOEXEC=$(mkname noexec)
printf 'echo never\n' >"$NOEXEC"
chmod 0644 "$NOEXEC"
for entry in execve execvp posix_spawn; do
	for f in "$MISSING" "$NOEXEC" /tmp; do
		tg_run bare "$EC" "$entry" "$f"
		want=$(tg_result)
		tg_log "kernel-$entry"
		tg_run harden "$EC" "$entry" "$f"
		tap_is "$(tg_result)" "$want" "harden $entry of $f: the kernel's $want"
		tap_log_none "... nothing logged"
	done
done

# --- 5. private programs: the same system calls as without tmpguard ------------
NORM=$TG_SRCDIR/tests/helpers/strace_norm.py
cp "$PROBE" "$Q/probe"
case $Q in
/tmp/* | /var/tmp/* | /dev/shm/*) private=0 ;;
*) private=1 ;;
esac
for entry in $ENTRIES; do
	t="harden $entry of a private program:"
	if [ $private = 0 ] || [ -n "$TG_ASAN_RT" ] || [ -n "$TG_COVERAGE_BUILD" ]; then
		tap_skip "$t same system calls as without tmpguard" \
			"the build tree is in a shared directory, or a sanitized or coverage build"
		continue
	fi
	# the p-variants find it in PATH (set for the run alone: the commands
	# that start it are found as before)
	case $entry in
	execvp | execvpe | execlp | posix_spawnp) prog=probe search=$Q:$PATH ;;
	*) prog=$Q/probe search=$PATH ;;
	esac
	rm -f "$Q/out"
	PATH=$search TG_TRACE=$TG_WORK/t.bare tg_run bare "$EC" "$entry" "$prog" "$Q/out"
	bare="$RC:$OUT"
	"$TG_PY" "$NORM" "$TG_LIB" "$TG_WORK/t.bare" "$TG_WORK/r.bare" >"$TG_WORK/n.bare"
	rm -f "$Q/out"
	tg_log "private-$entry"
	PATH=$search TG_TRACE=$TG_WORK/t.harden tg_run harden "$EC" "$entry" "$prog" "$Q/out"
	"$TG_PY" "$NORM" "$TG_LIB" "$TG_WORK/t.harden" "$TG_WORK/r.harden" >"$TG_WORK/n.harden"
	if [ "$RC:$OUT" = "$bare" ] && [ -s "$Q/out" ] &&
		diff -u "$TG_WORK/n.bare" "$TG_WORK/n.harden" >"$TG_WORK/diff"; then
		tap_ok "$t same output and the same $(grep -c . "$TG_WORK/n.bare") system calls as without tmpguard"
	else
		tap_not_ok "$t same system calls as without tmpguard" \
			"rc/out bare: $bare; harden: $RC:$OUT" "$(head -n 30 "$TG_WORK/diff")"
	fi
done

tap_done
