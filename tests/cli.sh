#!/bin/bash
# tests/cli.sh — the tmpguard command: dispatch, --libpath, run (exit
# statuses, environment, handshake summary, pre-check warnings, signals) and
# env. TAP; run from the build directory with TG_BUILDDIR and TG_SRCDIR set.
set -u
# the command's own runs get more time than a victim's (lib.sh's default)
TIMEOUT=${TG_TIMEOUT:-30}
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

# Nothing set for the other scripts may change what is tested here: run and
# env are checked with TMPGUARD_FORMAT and TMPGUARD_DIRS unset (their
# defaults), and against the library of the build tree.
unset TMPGUARD_FORMAT TMPGUARD_DIRS TMPGUARD_LIBPATH

PROBE=$TG_HELPERS/static_probe
[ -x "$PROBE" ] || tap_bail "helper not built: $PROBE"
# What run puts first in LD_PRELOAD: the library (as --libpath names it),
# after the ASan runtime in a sanitized build. (Once tg_attacker_setup has
# staged the build, the staged library.)
want_lib() { echo "${TG_ASAN_RT:+$TG_ASAN_RT:}$(readlink -f "$TG_LIB")"; }
WANT_LIB=$(want_lib)
# the workspace by its physical path, as the command resolves relative names
WORK=$(cd "$TG_WORK" && pwd -P) || tap_bail "cannot enter $TG_WORK"

# ran: what the failure of the next check shows of the last run
ran() {
	_tg_last_run="last run: rc=$RC
stdout: $OUT
stderr: $ERR"
}

# run_tg ARG...: runs tmpguard ARG... with a time limit; sets RC, OUT, ERR.
RC=0 OUT= ERR=
run_tg() {
	RC=0
	timeout "$TIMEOUT" "$TG_CMD" "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null || RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
	ran
}

SUMMARY_RE='^tmpguard: [0-9]+ violations? \([0-9]+ blocked\) in [0-9]+ process(es)?, mode (harden|audit); log: '

version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$TG_BUILDDIR/config.h")

# ------------------------------------------------------ global options ----

run_tg --version
tap_is "$RC:$OUT" "0:tmpguard $version" "--version prints the package version"

run_tg --help
tap_is "$RC" 0 "--help exits 0"
tap_grep "$OUT" 'tmpguard run' "--help describes run"
tap_grep "$OUT" 'tmpguard env' "--help describes env"

run_tg --libpath
tap_is "$RC:$OUT" "0:$(readlink -f "$TG_LIB")" "--libpath is the build tree's library"
run_tg --libpath
tap_grep "$OUT" '^/' "--libpath prints an absolute path"
tap_check "--libpath names an existing file" test -f "$OUT"

: >"$WORK/other.so"
RC=0
OUT=$(cd "$WORK" && TMPGUARD_LIBPATH=other.so "$TG_CMD" --libpath 2>&1) || RC=$?
ERR=
ran
tap_is "$RC:$OUT" "0:$WORK/other.so" "TMPGUARD_LIBPATH chooses the library, made absolute"
run_tg_env() { local v=$1; shift; RC=0; OUT=$(env "$v" "$TG_CMD" "$@" 2>&1) || RC=$?; ERR=; ran; }
run_tg_env TMPGUARD_LIBPATH="$WORK/missing.so" --libpath
tap_is "$RC" 125 "a TMPGUARD_LIBPATH that does not exist is an error (125)"
tap_grep "$OUT" 'TMPGUARD_LIBPATH' "... and the message names it"

run_tg
tap_is "$RC" 125 "no arguments: usage, 125"
run_tg frobnicate
tap_is "$RC" 125 "an unknown command exits 125"
tap_grep "$ERR" "unknown command 'frobnicate'" "... with a message"
run_tg report
tap_is "$RC" 125 "report without a LOG: usage error (125)"
run_tg --bogus
tap_is "$RC" 125 "an unknown option exits 125"
tap_grep "$ERR" "unknown option '--bogus'" "... with a message"
run_tg --version extra
tap_is "$RC" 125 "--version takes no argument (125)"

# ---------------------------------------------------------- run: usage ----

run_tg run --bogus -- true
tap_is "$RC" 125 "run: an unknown option exits 125"
run_tg run
tap_is "$RC" 125 "run: no command exits 125"
run_tg run --mode=harden --
tap_is "$RC" 125 "run: '--' and no command exits 125"
run_tg run --mode=fast -- true
tap_is "$RC" 125 "run: an invalid --mode exits 125"
tap_grep "$ERR" "--mode.*'fast'" "... and the message names the option and value"
run_tg run --format=xml -- true
tap_is "$RC" 125 "run: an invalid --format exits 125"
run_tg run --dirs=relative/dir -- true
tap_is "$RC" 125 "run: a relative --dirs entry exits 125"
run_tg run --mode
tap_is "$RC" 125 "run: --mode without a value exits 125"
tap_grep "$ERR" 'needs a value' "... with a message"
run_tg run --log="$WORK/no/such/dir/x.log" -- true
tap_is "$RC" 125 "run: a log file in a missing directory exits 125"
ln -s "$WORK/elsewhere" "$WORK/link.log"
run_tg run --log="$WORK/link.log" -- true
tap_is "$RC" 125 "run: a log file that is a symbolic link exits 125"

# --------------------------------------------------- run: exit statuses ----

run_tg run -- sh -c 'exit 7'
tap_is "$RC" 7 "run exits with the command's status"
run_tg run -- sh -c 'kill -TERM $$'
tap_is "$RC" 143 "run exits 128+N when the command is killed by signal N"
run_tg run -- tg-no-such-command-here
tap_is "$RC" 127 "run: command not found exits 127"
tap_grep "$ERR" '^tmpguard: tg-no-such-command-here: command not found$' "... with the shell's message"
run_tg run -- "$WORK/missing"
tap_is "$RC" 127 "run: a missing path exits 127"
printf 'echo never\n' >"$WORK/noexec"
chmod 0644 "$WORK/noexec"
run_tg run -- "$WORK/noexec"
tap_is "$RC" 126 "run: a file that is not executable exits 126"
run_tg run -- "$WORK"
tap_is "$RC" 126 "run: a directory exits 126"
mkdir -p "$WORK/bin"
printf 'echo never\n' >"$WORK/bin/tg-noexec"
chmod 0644 "$WORK/bin/tg-noexec"
RC=0
OUT=$(PATH="$WORK/bin:$PATH" "$TG_CMD" run -- tg-noexec 2>&1) || RC=$?
ERR=
ran
tap_is "$RC" 126 "run: a command found in PATH but not executable exits 126"

printf 'echo from-a-script-without-shebang "$1"\n' >"$WORK/plain"
chmod 0755 "$WORK/plain"
run_tg run --quiet -- "$WORK/plain" arg
tap_is "$RC:$OUT" "0:from-a-script-without-shebang arg" "run: a file without #! runs with /bin/sh, as execvp does"
printf '#!%s/no/such/interpreter\n' "$WORK" >"$WORK/badinterp"
chmod 0755 "$WORK/badinterp"
run_tg run -- "$WORK/badinterp"
tap_is "$RC" 127 "run: a script with a missing interpreter exits 127"
tap_grep "$ERR" 'bad interpreter' "... and says so"

run_tg run --fail-on-violation -- sh -c 'exit 5'
tap_is "$RC" 5 "run --fail-on-violation keeps a failing command's status"

# ------------------------------------------------- run: the environment ----

RC=0
OUT=$(LD_PRELOAD=/nonexistent/tg-old.so "$TG_CMD" run --quiet -- \
	sh -c 'printf "%s\n" "$LD_PRELOAD"' 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
ran
tap_is "$OUT" "$WANT_LIB:/nonexistent/tg-old.so" \
	"run prepends the library to LD_PRELOAD and keeps the old entry"
run_tg run --quiet -- sh -c 'printf "%s\n" "$LD_PRELOAD"'
tap_is "$OUT" "$WANT_LIB" "run sets LD_PRELOAD to the library alone when there was none"

show_env='printf "%s|%s|%s|%s\n" "$TMPGUARD_MODE" "$TMPGUARD_FORMAT" "$TMPGUARD_LOG" "$TMPGUARD_DIRS"'
RC=0
OUT=$(TMPGUARD_DIRS=/inherited "$TG_CMD" run --mode=audit --format=json --log=stderr \
	--dirs=/x:/y -- sh -c "$show_env" 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
ran
tap_is "$OUT" "audit|json|stderr|/inherited:/x:/y" "run sets TMPGUARD_* from its options, --dirs after the inherited list"
tap_grep "$ERR" "${SUMMARY_RE}stderr\$" "... and the summary shows the mode it set"
tap_grep "$ERR" 'mode audit' "... audit"

RC=0
OUT=$(TMPGUARD_MODE=audit TMPGUARD_FORMAT=json "$TG_CMD" run -- sh -c "$show_env" 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
ran
tap_is "$OUT" "audit|json||" "run leaves inherited TMPGUARD_* alone when no option is given"
tap_grep "$ERR" 'mode audit; log: stderr' "... and the summary reports the inherited mode"

run_tg run --mode harden --format text --quiet -- sh -c "$show_env"
tap_is "$OUT" "harden|text||" "run accepts '--mode VALUE' as well as '--mode=VALUE'"

run_tg run --quiet -- sh -c 'printf "%s\n" "$TMPGUARD_HANDSHAKE"'
tap_grep "$OUT" '^[0-9a-f]{32}@tmpguard-[0-9]+-[0-9a-f]{16}$' "run exports TMPGUARD_HANDSHAKE=TOKEN@tmpguard-PID-RANDOM"

RC=0
OUT=$(cd "$WORK" && "$TG_CMD" run --log=rel.log -- sh -c 'printf "%s\n" "$TMPGUARD_LOG"' 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
ran
tap_is "$OUT" "$WORK/rel.log" "run --log=FILE gives the library an absolute path"
tap_check "... and creates the file beforehand" test -f "$WORK/rel.log"
tap_is "$(stat -c %a "$WORK/rel.log" 2>/dev/null)" 600 "... mode 0600"
tap_grep "$ERR" "log: $WORK/rel.log\$" "... and the summary names it"

# ------------------------------------------ run: sharing by intent ----

# A name is exported as its uid (the library reads names from /etc/passwd
# alone; the command asks every user database); a uid stays as it is.
show_share='printf "%s|%s\n" "${TMPGUARD_TRUST-unset}" "${TMPGUARD_FILE_MODE-unset}"'
have_attacker=0
tg_attacker_setup && have_attacker=1
if [ $have_attacker = 1 ]; then
	run_tg run --trust="$TG_ATTACKER" --trust 4242,root --file-mode=program -- sh -c "$show_share"
	tap_is "$OUT" "$TG_ATT_UID,4242,0|program" \
		"run --trust exports user names as uids, keeps uids, adds up repeated lists"
	tap_unlike "$ERR" 'TMPGUARD_TRUST|TMPGUARD_FILE_MODE' "... and the library takes them without a message"
else
	tap_skip "run --trust exports user names as uids, keeps uids, adds up repeated lists" "$TG_ATT_WHY"
	tap_skip "... and the library takes them without a message" "$TG_ATT_WHY"
fi
RC=0
OUT=$(TMPGUARD_TRUST=root,7 "$TG_CMD" run --quiet --trust=root,,4242 -- sh -c "$show_share" 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
ran
tap_is "$OUT" "root,7,0,4242|unset" "run --trust puts an inherited TMPGUARD_TRUST first, as it is, and skips empty entries"
RC=0
OUT=$(TMPGUARD_TRUST=root TMPGUARD_FILE_MODE=program "$TG_CMD" run --quiet -- sh -c "$show_share" 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
ran
tap_is "$OUT" "root|program" "run leaves inherited TMPGUARD_TRUST and TMPGUARD_FILE_MODE alone without the options"
run_tg run --quiet -- sh -c "$show_share"
tap_is "$OUT" "unset|unset" "run exports neither TMPGUARD_TRUST nor TMPGUARD_FILE_MODE when not given"
run_tg run --quiet --file-mode PRIVATE -- sh -c "$show_share"
tap_is "$OUT" "unset|private" "run --file-mode exports the mode as the library names it"

run_tg run --trust=tg-no-such-user -- touch "$WORK/trust-ran"
tap_is "$RC" 125 "run: an unknown --trust user exits 125"
tap_grep "$ERR" "^tmpguard: invalid --trust value 'tg-no-such-user': no such user\$" "... with a message naming it"
tap_check "... and the command does not run" test ! -e "$WORK/trust-ran"
run_tg run --trust=root,tg-no-such-user -- true
tap_grep "$ERR" "invalid --trust value 'root,tg-no-such-user': no such user 'tg-no-such-user'\$" \
	"run: the message names the unknown user within a list"
run_tg run --trust=4294967295 -- true
tap_is "$RC" 125 "run: a uid out of range in --trust exits 125"
run_tg run --trust=, -- true
tap_is "$RC" 125 "run: a --trust that names nobody exits 125"
run_tg run --trust="$(seq -s, 1 10)" --trust="$(seq -s, 11 17)" -- true
tap_is "$RC" 125 "run: more than 16 users in --trust exits 125"
run_tg run --file-mode=0644 -- true
tap_is "$RC" 125 "run: an invalid --file-mode exits 125"
tap_grep "$ERR" "^tmpguard: invalid --file-mode value '0644': expected private or program\$" "... with a message"
run_tg run --file-mode= -- true
tap_is "$RC" 125 "run: an empty --file-mode exits 125"

# ------------------------------------------------ run: the handshake ----

run_tg run -- true
tap_grep "$ERR" "${SUMMARY_RE}stderr\$" "run's summary counts the processes that loaded the library"
tap_grep "$ERR" '^tmpguard: 0 violations \(0 blocked\) in [1-9][0-9]* process' "... at least one, no violations"
tap_unlike "$ERR" 'did not load' "... and does not warn"
run_tg run --quiet -- true
tap_is "$RC:$ERR" "0:" "run --quiet prints nothing for a clean run"
run_tg run -- sh -c 'true | cat >/dev/null; /bin/true'
tap_grep "$ERR" ' in ([2-9]|[1-9][0-9]+) processes' "run counts processes in a pipeline"

SHARED=$(mktemp -d "$WORK/sticky.XXXXXX")
chmod 1777 "$SHARED"
run_tg run --dirs="$SHARED" -- sh -c "echo x > '$SHARED/f'"
tap_is "$RC" 0 "a creation without O_EXCL in a shared directory: the command succeeds"
tap_grep "$ERR" '^tmpguard: 1 violation \(0 blocked\) in 1 process, mode harden; log: stderr' \
	"... and the summary counts one violation"
run_tg run --fail-on-violation --dirs="$SHARED" -- sh -c "echo x > '$SHARED/g'"
tap_is "$RC" 3 "run --fail-on-violation exits 3 after a violation"
tap_grep "$ERR" 'violations were recorded' "... and says why"
ln -s "$WORK/target" "$SHARED/planted"
tg_foreign "$SHARED/planted" # another user's
run_tg run --dirs="$SHARED" -- sh -c "echo x > '$SHARED/planted'"
tap_grep "$ERR" '^tmpguard: [0-9]+ violations? \(1 blocked\)' "run counts a blocked hijack"
tap_check "... and the symlink's target was not created" test ! -e "$WORK/target"
run_tg run --quiet --dirs="$SHARED" -- sh -c "echo x > '$SHARED/q'"
tap_grep "$ERR" "${SUMMARY_RE}" "run --quiet still prints the summary after a violation"

# ------------------------------------------ run: what the command leaves ----
# run is the subreaper of the command's tree: it knows when every
# descendant is gone, and waits for those still alive (within a bound).

run_tg run --dirs="$SHARED" -- sh -c "(sleep 0.2; echo x > '$SHARED/late') &"
tap_is "$RC" 0 "a command that leaves a grandchild behind: run exits with its status"
tap_grep "$ERR" '^tmpguard: 1 violation \(0 blocked\) in [0-9]+ process' \
	"... and counts the violation the grandchild logged after the command's exit"
run_tg run -- sh -c 'echo $PPID > "$1/ppid-run"
	(sleep 0.1; exec cut -d" " -f4 /proc/self/stat > "$1/ppid-orphan") &' sh "$WORK"
tap_is "$(cat "$WORK/ppid-orphan" 2>/dev/null)" "$(cat "$WORK/ppid-run" 2>/dev/null)" \
	"an orphaned descendant's parent is run while run lives"
# An orphan that exits while the command still runs is reaped by run, not
# left a zombie: the command looks for zombies among run's children (up
# to 5 s) and lists those children, "STATE (NAME)", from /proc (not ps,
# which hangs under the ASan runtime of a sanitized build).
run_tg run -- sh -c '(sleep 0 &); i=0
	children() { cat /proc/[0-9]*/stat 2>/dev/null | awk -v p=$PPID "\$4 == p { print \$3, \$2 }"; }
	while [ $i -lt 50 ] && children | grep -q "^Z"; do sleep 0.1; i=$((i + 1)); done
	children'
tap_is "$(grep -c '^Z' <<<"$OUT")" 0 "run reaps the orphans that exit while the command runs"
tap_grep "$OUT" '^[RS] \(sh\)$' "... (the list of its children holds the command)"
# A daemon the command leaves does not hold run past its bound: without the
# bound, run would wait a minute and `timeout` would stop it (status 124).
run_tg run -- sh -c 'sleep 60 >/dev/null 2>&1 </dev/null & echo $! > "$1/daemon.pid"' sh "$WORK"
tap_is "$RC" 0 "a daemon left running does not keep run waiting for it"
kill "$(cat "$WORK/daemon.pid" 2>/dev/null)" 2>/dev/null
# The summary of a command whose tree is gone waits for nothing more: after
# reaping the command (a wait4 that returns its pid) run polls no more.
if command -v strace >/dev/null; then
	TRACE=$WORK/run.trace
	RC=0
	timeout "$TIMEOUT" strace -f -qq -o "$TRACE" -e trace=poll,ppoll,epoll_wait,wait4 \
		"$TG_CMD" run -- /bin/true >"$WORK/.out" 2>"$WORK/.err" </dev/null || RC=$?
	OUT=$(cat "$TRACE") ERR=$(cat "$WORK/.err")
	ran
	tap_grep "$ERR" '^tmpguard: 0 violations \(0 blocked\) in 1 process' \
		"under strace, run /bin/true: summary of one process"
	tap_grep "$OUT" 'wait4\(.*= [1-9][0-9]*$' "... the trace shows the command reaped"
	tap_is "$(awk '/wait4\(.*= [1-9][0-9]*$/ { reaped = 1; next }
		reaped && /poll\(|epoll_wait\(/' "$TRACE")" "" \
		"... and no poll after it: run does not wait when no descendant is left"
else
	tap_skip "under strace, run /bin/true: summary of one process" "strace is not installed"
	tap_skip "... the trace shows the command reaped" "strace is not installed"
	tap_skip "... and no poll after it: run does not wait when no descendant is left" "strace is not installed"
fi

# ------------------------------------------------- run: the pre-check ----

run_tg run -- "$PROBE" "$WORK/probe.out"
tap_is "$RC" 0 "a static program runs and keeps its status"
tap_grep "$ERR" "^tmpguard: warning: .*static_probe \\($PROBE\\) is statically linked: the library cannot be interposed there; its temporary files are NOT protected\$" \
	"run warns that a static program cannot be protected"
tap_grep "$ERR" '^tmpguard: warning: the library did not load in .*static_probe.*UNPROTECTED$' \
	"run warns that the library did not load"
tap_grep "$ERR" ' in 0 processes' "... and the summary says 0 processes"
tap_check "... the program did run" test -s "$WORK/probe.out"
run_tg run --fail-on-violation -- "$PROBE" "$WORK/probe2.out"
tap_is "$RC" 3 "run --fail-on-violation exits 3 when the library loaded nowhere"
tap_grep "$ERR" 'the library did not load$' "... and says why"
run_tg run --quiet -- "$PROBE" "$WORK/probe3.out"
tap_grep "$ERR" 'did not load' "run --quiet still warns when the library did not load"

printf '#!%s\n' "$PROBE" >"$WORK/static-script"
chmod 0755 "$WORK/static-script"
run_tg run -- "$WORK/static-script"
tap_grep "$ERR" "^tmpguard: warning: $WORK/static-script \\(interpreter $PROBE\\) is statically linked" \
	"run inspects a script's interpreter"

printf '#!/usr/bin/env sh\necho via-env\n' >"$WORK/env-script"
chmod 0755 "$WORK/env-script"
run_tg run -- "$WORK/env-script"
tap_unlike "$ERR" 'warning' "a '#!/usr/bin/env sh' script with a dynamic sh gets no warning"

run_tg run -- sh -c true
tap_unlike "$ERR" 'warning' "a dynamic glibc program gets no warning"

# Dynamic programs the library loads into but whose file operations it does
# not see: one warning line, as for scan's `partly`, and they run.
RAW=$TG_HELPERS/raw_open
URING=$TG_HELPERS/uring_open
[ -x "$RAW" ] || tap_bail "helper not built: $RAW"
PARTLY="the library does not see file operations made that way; its temporary files are only partly protected"
RAW_OUT=$(mktemp -u /tmp/tgit-cli-raw.XXXXXX)
URING_OUT=$(mktemp -u /tmp/tgit-cli-uring.XXXXXX)
tg_cleanup_later "$RAW_OUT" "$URING_OUT"
run_tg run -- "$RAW" "$RAW_OUT"
tap_grep "$ERR" "^tmpguard: warning: $RAW \\($(readlink -f "$RAW")\\) makes system calls without libc's wrappers \\(imports syscall\\): $PARTLY$" \
	"run warns about a program that imports syscall"
tap_is "$(grep -c 'warning' <<<"$ERR")" 1 "... in one line"
tap_is "$RC:$(tg_content "$RAW_OUT")" "0:raw_open" "... and runs it (it wrote its file in /tmp)"

printf '#!%s\n' "$RAW" >"$WORK/raw-script"
chmod 0755 "$WORK/raw-script"
run_tg run -- "$WORK/raw-script"
tap_grep "$ERR" "^tmpguard: warning: $WORK/raw-script \\(interpreter $(readlink -f "$RAW")\\) makes system calls without libc's wrappers" \
	"run warns about a script whose interpreter imports syscall"

if [ -x "$URING" ]; then
	run_tg run -- "$URING" "$URING_OUT"
	tap_grep "$ERR" "^tmpguard: warning: $URING \\($(readlink -f "$URING")\\) uses io_uring \\(imports io_uring_queue_init\\): $PARTLY$" \
		"run warns about a program that uses io_uring"
	tap_is "$(grep -c 'warning' <<<"$ERR")" 1 "... in one line"
	if [ "$RC" = 77 ]; then
		tap_skip "... and runs it (it wrote its file in /tmp)" "the kernel refuses io_uring here: $ERR"
	else
		tap_is "$RC:$(tg_content "$URING_OUT")" "0:uring_open" "... and runs it (it wrote its file in /tmp)"
	fi
else
	NO_URING="$URING was not built: liburing-dev is not installed (scripts/setup check installs it)"
	tap_missing "run warns about a program that uses io_uring" "$NO_URING"
	tap_missing "... in one line" "$NO_URING"
	tap_missing "... and runs it (it wrote its file in /tmp)" "$NO_URING"
fi

# A set-user-ID program of another user gets the one warning that the
# library is not loaded at all, not a second one about its system calls.
if [ "$(id -u)" = 0 ]; then
	cp "$RAW" "$WORK/suid-raw" && chown 65534 "$WORK/suid-raw" && chmod 4755 "$WORK/suid-raw"
	run_tg run -- "$WORK/suid-raw" "$WORK/suid-raw.out"
	tap_grep "$ERR" "^tmpguard: warning: .*suid-raw\\) is set-user-ID: " \
		"a set-user-ID program that imports syscall: the set-user-ID warning"
	tap_unlike "$ERR" 'makes system calls' "... and not the one about its system calls"
else
	tap_skip "a set-user-ID program that imports syscall: the set-user-ID warning" \
		"needs root to give the copy another owner"
	tap_skip "... and not the one about its system calls" "needs root to give the copy another owner"
fi

if command -v objcopy >/dev/null 2>&1; then
	printf 'go-buildinfo' >"$WORK/blob"
	if objcopy --add-section .go.buildinfo="$WORK/blob" "$(type -P true)" "$WORK/gotrue" 2>/dev/null; then
		run_tg run -- "$WORK/gotrue"
		tap_grep "$ERR" "^tmpguard: warning: .*gotrue \\($WORK/gotrue\\) is a Go program" \
			"run warns about a Go program (.go.buildinfo)"
		tap_is "$RC" 0 "... and runs it"
	else
		tap_not_ok "run warns about a Go program (.go.buildinfo)" "objcopy failed"
	fi
else
	tap_skip "run warns about a Go program (.go.buildinfo)" "objcopy is not installed"
fi

# A minimal ELF64 linked against musl: PT_INTERP /lib/ld-musl-*, DT_NEEDED
# libc.musl-*. It cannot run here; the warning comes before the attempt.
make_musl_elf() { "$TG_PY" "$TG_SRCDIR/tests/helpers/musl_elf.py" "$TG_CMD" "$1"; }
if command -v "$TG_PY" >/dev/null 2>&1 && make_musl_elf "$WORK/musl-prog"; then
	chmod 0755 "$WORK/musl-prog"
	run_tg run -- "$WORK/musl-prog"
	tap_grep "$ERR" "^tmpguard: warning: .*musl-prog \\($WORK/musl-prog\\) is linked against musl" \
		"run warns about a program linked against musl"
else
	tap_skip "run warns about a program linked against musl" "python3 is not available to build the test file"
fi

# A real musl program: musl's loader stops on a glibc library, so run must
# not preload it (and say so) rather than break it.
if command -v musl-gcc >/dev/null 2>&1 &&
	printf '#include <stdio.h>\nint main(void){puts("musl-ok");return 4;}\n' >"$WORK/m.c" &&
	musl-gcc -o "$WORK/musl-real" "$WORK/m.c" 2>/dev/null; then
	run_tg run -- "$WORK/musl-real"
	tap_is "$RC:$OUT" "4:musl-ok" "a musl program runs under run as without it (status 4, output)"
	tap_grep "$ERR" "not preloading the library: musl" "... and run says it did not preload it"
else
	tap_skip "a musl program runs under run as without it" "musl-gcc (musl-tools) is not installed"
	tap_skip "... and run says it did not preload it" "musl-gcc (musl-tools) is not installed"
fi

# ------------------------------- run: programs the command's tree runs ----
# Every process that loads the library names to run the program it is
# about to execute; run inspects each once and names, in its summary, those
# the library cannot protect, in scan's words, and --fail-on-violation
# counts them.
NOT_PROTECTED="statically linked"
NAMED_RE='^tmpguard: (not|partly) protected: '
mkdir -p "$WORK/tree"
cp "$PROBE" "$WORK/tree/static_probe"
TREE=$WORK/tree
run_tg run -- bash -c "cd '$TREE' && ./static_probe out1"
tap_is "$RC" 0 "run -- bash -c ./static_probe: the command's status"
tap_grep "$ERR" "^tmpguard: not protected: $TREE/static_probe: $NOT_PROTECTED\$" \
	"... the static program bash started is named, with scan's reason"
tap_grep "$ERR" "${SUMMARY_RE}stderr; 1 program the library cannot protect\$" \
	"... and counted in the summary"
run_tg run --fail-on-violation -- bash -c "cd '$TREE' && ./static_probe out2"
tap_is "$RC" 3 "... with --fail-on-violation: exit status 3"
tap_grep "$ERR" '; exit status 3 \(--fail-on-violation\): programs the library cannot protect ran$' \
	"... and says why"
run_tg run --quiet -- bash -c "cd '$TREE' && ./static_probe out3"
tap_grep "$ERR" "^tmpguard: not protected: $TREE/static_probe" "... run --quiet names it too"
run_tg run -- sh -c "cd '$TREE' && ./static_probe out4; ./static_probe out5; '$TREE/static_probe' out6"
tap_is "$(grep -cE "$NAMED_RE" <<<"$ERR")" 1 "a program run three times under two names is named once"

printf 'all:\n\t%s %s\n' "$TREE/static_probe" "$TREE/made" >"$TREE/Makefile"
run_tg run --fail-on-violation -- make -s -C "$TREE"
tap_is "$RC" 3 "run --fail-on-violation -- make, which runs a static program: exit status 3"
tap_grep "$ERR" "^tmpguard: not protected: $TREE/static_probe: $NOT_PROTECTED\$" "... which is named"

RAW_TREE=$(mktemp -u /tmp/tgit-cli-rawtree.XXXXXX)
tg_cleanup_later "$RAW_TREE"
run_tg run --fail-on-violation -- sh -c "'$RAW' '$RAW_TREE'"
tap_is "$RC" 0 "a dynamic program that makes raw system calls, started by a shell: named, not failed for (exit status 0)"
tap_grep "$ERR" "${SUMMARY_RE}stderr; 1 program it protects only partly\$" \
	"... counted in the summary as partly protected"
tap_grep "$ERR" "^tmpguard: partly protected: $(readlink -f "$RAW"): dynamically linked against glibc, but makes system calls without libc's wrappers \\(imports syscall\\): the library does not see file operations made that way\$" \
	"... named partly protected, with scan's reason"
tap_unlike "$ERR" 'warning' "... (no pre-check warning: the command is sh)"

# the command warned about by the pre-check, run again in its tree: named
# once (by the warning), counted once
run_tg run --fail-on-violation -- "$RAW" "$RAW_TREE" "$RAW" "$RAW_TREE"
tap_is "$(grep -c "$RAW" <<<"$ERR")" 1 "the command, run again by its tree, is named once: by the pre-check's warning"
tap_grep "$ERR" "${SUMMARY_RE}stderr; 1 program it protects only partly\$" \
	"... counted once, partly protected: --fail-on-violation does not fail for it ($RC)"
tap_is "$RC" 0 "... exit status 0"
printf '#!%s\n' "$TREE/static_probe" >"$TREE/static-script"
chmod 0755 "$TREE/static-script"
run_tg run -- sh -c "'$TREE/static-script' '$TREE/script-out'"
tap_grep "$ERR" "^tmpguard: not protected: $TREE/static-script \\(interpreter $TREE/static_probe\\): $NOT_PROTECTED\$" \
	"a script run by a static interpreter is named with its interpreter"

if command -v go >/dev/null 2>&1; then
	printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("go-ran") }\n' >"$TREE/hello.go"
	if (cd "$TREE" && GOCACHE=$TREE/gocache GOPATH=$TREE/gopath GO111MODULE=off \
		timeout 300 go build -o gohello hello.go) >"$WORK/go.log" 2>&1; then
		run_tg run --fail-on-violation -- bash -c "'$TREE/gohello'"
		tap_is "$RC:$OUT" "3:go-ran" "a Go program started by bash runs; --fail-on-violation: exit status 3"
		tap_grep "$ERR" "^tmpguard: not protected: $TREE/gohello: a Go program\$" "... and it is named: a Go program"
	else
		tap_not_ok "a Go program started by bash runs; --fail-on-violation: exit status 3" \
			"go build failed: $(tail -n 5 "$WORK/go.log")"
		tap_not_run "go build failed" "... and it is named: a Go program"
	fi
else
	NO_GO="go is not installed (scripts/setup check installs golang-go)"
	tap_missing "a Go program started by bash runs; --fail-on-violation: exit status 3" "$NO_GO"
	tap_missing "... and it is named: a Go program" "$NO_GO"
fi

run_tg run --fail-on-violation -- sh -c 'ls / >/dev/null; printf x | cat | wc -c >/dev/null; env true; bash -c true'
tap_is "$RC" 0 "a tree of ordinary dynamic programs: --fail-on-violation exits 0"
tap_unlike "$ERR" 'protected|cannot protect|inspected' "... and nothing is named"

# Datagrams are TG_HANDSHAKE_MAX (512) bytes: a longer path comes cut,
# run says so and counts it; one that fits is named whole.
long=$TREE
while [ ${#long} -lt 560 ]; do long=$long/$(printf 'd%.0s' $(seq 1 60)); done
mkdir -p "$long" && cp "$(type -P true)" "$long/true"
run_tg run --fail-on-violation -- sh -c "'$long/true'"
tap_is "$RC" 3 "a program whose path is longer than a report carries: --fail-on-violation exits 3"
tap_grep "$ERR" "^tmpguard: not inspected: ${TREE}/dddd[d/]*\\.\\.\\.: its path is longer than a report to run carries \\(512 bytes\\)\$" \
	"... and run says it could not inspect it, with the path's beginning"
fits=$TREE
while [ ${#fits} -lt 340 ]; do fits=$fits/$(printf 'e%.0s' $(seq 1 60)); done
mkdir -p "$fits" && cp "$PROBE" "$fits/static_probe"
run_tg run -- sh -c "'$fits/static_probe' '$TREE/fits-out'"
tap_grep "$ERR" "^tmpguard: not protected: $fits/static_probe: $NOT_PROTECTED\$" \
	"a static program at a ${#fits}-byte path is named whole"

# ------------------------------------------------------ run: signals ----

"$TG_CMD" run --quiet -- sleep 30 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM "$pid" 2>/dev/null
RC=0
wait "$pid" || RC=$?
OUT= ERR=
ran
tap_is "$RC" 143 "run forwards SIGTERM to the command and exits 128+15"

"$TG_CMD" run --quiet -- sleep 30 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -INT "$pid" 2>/dev/null
sleep 0.3
tap_check "run itself ignores SIGINT (the terminal sends it to the command)" kill -0 "$pid"
kill -HUP "$pid" 2>/dev/null
RC=0
wait "$pid" || RC=$?
ran
tap_is "$RC" 129 "run forwards SIGHUP to the command"

# ------------------------------------------------------------------ env ----

want_lib=$(want_lib)
run_tg env
tap_is "$RC" 0 "env exits 0"
tap_is "$OUT" "LD_PRELOAD=$want_lib
TMPGUARD_MODE=harden
TMPGUARD_FORMAT=text
TMPGUARD_LOG=stderr" "env prints the library and the defaults, no TMPGUARD_DIRS"

RC=0
OUT=$(cd "$WORK" && "$TG_CMD" env --mode=audit --format json --log=env.log --dirs=/a:/b 2>&1) || RC=$?
ERR=
ran
tap_is "$OUT" "LD_PRELOAD=$want_lib
TMPGUARD_MODE=audit
TMPGUARD_FORMAT=json
TMPGUARD_LOG=$WORK/env.log
TMPGUARD_DIRS=/a:/b" "env prints the options, the log path made absolute"

run_tg env --systemd --log=journal
tap_is "$RC" 0 "env --systemd exits 0"
tap_is "$(sed -n 1p <<<"$OUT" | grep -c '^#.*/etc/systemd/system/UNIT\.service\.d/tmpguard\.conf')" 1 \
	"env --systemd starts with a comment saying where to install it"
tap_is "$(sed -n '2,$p' <<<"$OUT")" "[Service]
Environment=\"LD_PRELOAD=$want_lib\"
Environment=\"TMPGUARD_MODE=harden\"
Environment=\"TMPGUARD_FORMAT=text\"
Environment=\"TMPGUARD_LOG=journal\"" "env --systemd prints a [Service] section of Environment= lines"

run_tg env --systemd --log="$WORK/a%b\"c\\d.log"
tap_grep "$OUT" "^Environment=\"TMPGUARD_LOG=$WORK/a%%b\\\\\"c\\\\\\\\d\\.log\"\$" \
	"env --systemd escapes '%', '\"' and '\\' as systemd reads them"

run_tg env --log="$WORK/it's here.log"
tap_is "$(grep '^TMPGUARD_LOG=' <<<"$OUT")" "TMPGUARD_LOG='$WORK/it'\\''s here.log'" \
	"env quotes a value for the shell when it needs it"

if [ $have_attacker = 1 ]; then
	run_tg env --trust="$TG_ATTACKER" --file-mode=program --dirs=/a
	tap_is "$OUT" "LD_PRELOAD=$want_lib
TMPGUARD_MODE=harden
TMPGUARD_FORMAT=text
TMPGUARD_LOG=stderr
TMPGUARD_DIRS=/a
TMPGUARD_TRUST=$TG_ATT_UID
TMPGUARD_FILE_MODE=program" "env prints TMPGUARD_TRUST (names as uids) and TMPGUARD_FILE_MODE after the others"
	run_tg env --systemd --log=journal --trust=4242,"$TG_ATTACKER" --file-mode=private
	tap_is "$(sed -n '2,$p' <<<"$OUT")" "[Service]
Environment=\"LD_PRELOAD=$want_lib\"
Environment=\"TMPGUARD_MODE=harden\"
Environment=\"TMPGUARD_FORMAT=text\"
Environment=\"TMPGUARD_LOG=journal\"
Environment=\"TMPGUARD_TRUST=4242,$TG_ATT_UID\"
Environment=\"TMPGUARD_FILE_MODE=private\"" "env --systemd prints them as Environment= lines"
else
	tap_skip "env prints TMPGUARD_TRUST (names as uids) and TMPGUARD_FILE_MODE after the others" "$TG_ATT_WHY"
	tap_skip "env --systemd prints them as Environment= lines" "$TG_ATT_WHY"
fi
RC=0
OUT=$(TMPGUARD_TRUST=4242 "$TG_CMD" env --trust=root --trust=7 2>&1) || RC=$?
ERR=
ran
tap_is "$(grep '^TMPGUARD_TRUST=' <<<"$OUT")" "TMPGUARD_TRUST=0,7" \
	"env --trust prints the options' users alone, not the environment's"
run_tg env --file-mode=PROGRAM
tap_is "$(sed -n '$p' <<<"$OUT")" "TMPGUARD_FILE_MODE=program" "env --file-mode prints the mode as the library names it"
tap_unlike "$OUT" 'TMPGUARD_TRUST' "... and no TMPGUARD_TRUST when --trust is not given"
run_tg env --trust=tg-no-such-user
tap_is "$RC" 125 "env: an unknown --trust user exits 125"
tap_grep "$ERR" "invalid --trust value 'tg-no-such-user': no such user" "... with a message"
tap_is "$OUT" "" "... and prints nothing on stdout"
run_tg env --systemd --file-mode=0644
tap_is "$RC" 125 "env --systemd: an invalid --file-mode exits 125"
tap_grep "$ERR" "invalid --file-mode value '0644'" "... with a message"

run_tg env --mode=fast
tap_is "$RC" 125 "env: an invalid --mode exits 125"
tap_grep "$ERR" "--mode.*'fast'" "... with a message"
run_tg env --bogus
tap_is "$RC" 125 "env: an unknown option exits 125"
run_tg env extra
tap_is "$RC" 125 "env: an argument exits 125"

tap_done
