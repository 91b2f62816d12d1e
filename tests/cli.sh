#!/bin/bash
# tests/cli.sh — the tmpguard command: dispatch, --libpath, run (exit
# statuses, environment, handshake summary, pre-check warnings, signals) and
# env. TAP; run from the build directory with TG_BUILDDIR and TG_SRCDIR set.
# Self-contained: it does not source tests/lib.sh.
set -u

if [ -z "${TG_BUILDDIR:-}" ] || [ -z "${TG_SRCDIR:-}" ]; then
	echo "Bail out! TG_BUILDDIR and TG_SRCDIR must be set (absolute paths)"
	exit 99
fi

TG=$TG_BUILDDIR/src/tmpguard
LIB=$TG_BUILDDIR/src/.libs/libtmpguard.so
PROBE=$TG_BUILDDIR/tests/helpers/static_probe
TIMEOUT=${TG_TIMEOUT:-30}

# What run puts first in LD_PRELOAD: the library, after the ASan runtime in a
# sanitized build (configure --enable-sanitizers), where uninstrumented
# programs must also leave their own leaks unreported.
WANT_LIB=$(readlink -f "$LIB" 2>/dev/null || echo "$LIB")
if ldd "$LIB" 2>/dev/null | grep -q libasan; then
	WANT_LIB=$(readlink -f "$(ldd "$LIB" | awk '/libasan/ {print $3; exit}')"):$WANT_LIB
	export ASAN_OPTIONS=${ASAN_OPTIONS:-verify_asan_link_order=0:detect_leaks=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi

# Nothing inherited from the caller may change what is tested.
unset TMPGUARD_MODE TMPGUARD_LOG TMPGUARD_FORMAT TMPGUARD_DIRS \
	TMPGUARD_HANDSHAKE TMPGUARD_LIBPATH LD_PRELOAD

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-cli.XXXXXXXX") || {
	echo "Bail out! cannot create a work directory"
	exit 99
}
WORK=$(cd "$WORK" && pwd -P)
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------- TAP ----

n=0
diag() { local l; while IFS= read -r l; do printf '# %s\n' "$l"; done <<<"$*"; }
ok() { n=$((n + 1)); printf 'ok %d - %s\n' "$n" "$1"; }
skip() { n=$((n + 1)); printf 'ok %d - %s # SKIP %s\n' "$n" "$1" "$2"; }
# not_ok DESC [DIAG...]
not_ok() {
	n=$((n + 1))
	printf 'not ok %d - %s\n' "$n" "$1"
	shift
	local d
	for d in "$@"; do diag "$d"; done
}
last_run() { printf 'last run: rc=%s\nstdout: %s\nstderr: %s' "$RC" "$OUT" "$ERR"; }
# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  '$1'" "want: '$2'" "$(last_run)"; fi
}
# like GOT ERE DESC
like() {
	if grep -Eq -- "$2" <<<"$1"; then ok "$3"; else not_ok "$3" "no match for /$2/ in:" "$1" "$(last_run)"; fi
}
# unlike GOT ERE DESC
unlike() {
	if grep -Eq -- "$2" <<<"$1"; then not_ok "$3" "unexpected /$2/ in:" "$1" "$(last_run)"; else ok "$3"; fi
}
# check DESC CMD...: passes when CMD succeeds
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*" "$(last_run)"; fi
}

# run_tg ARG...: runs tmpguard ARG... with a time limit; sets RC, OUT, ERR.
RC=0 OUT= ERR=
run_tg() {
	RC=0
	timeout "$TIMEOUT" "$TG" "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null || RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
}

# Tests that need the preload library say so, and fail, when it is not
# built: a missing library must never pass as a skip.
have_lib() { [ -f "$LIB" ]; }
# lib_test DESC: 0 if the library is there, else records a failure.
lib_test() {
	have_lib && return 0
	not_ok "$1" "$LIB is not built (make src/libtmpguard.la)"
	return 1
}

SUMMARY_RE='^tmpguard: [0-9]+ violations? \([0-9]+ blocked\) in [0-9]+ process(es)?, mode (harden|audit); log: '

version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$TG_BUILDDIR/config.h")

# ------------------------------------------------------ global options ----

run_tg --version
is "$RC:$OUT" "0:tmpguard $version" "--version prints the package version"

run_tg --help
is "$RC" 0 "--help exits 0"
like "$OUT" 'tmpguard run' "--help describes run"
like "$OUT" 'tmpguard env' "--help describes env"

if lib_test "--libpath is the build tree's library"; then
	run_tg --libpath
	is "$RC:$OUT" "0:$(readlink -f "$LIB")" "--libpath is the build tree's library"
fi
run_tg --libpath
like "$OUT" '^/' "--libpath prints an absolute path"
check "--libpath names an existing file" test -f "$OUT"

: >"$WORK/other.so"
RC=0
OUT=$(cd "$WORK" && TMPGUARD_LIBPATH=other.so "$TG" --libpath 2>&1) || RC=$?
ERR=
is "$RC:$OUT" "0:$WORK/other.so" "TMPGUARD_LIBPATH chooses the library, made absolute"
run_tg_env() { local v=$1; shift; RC=0; OUT=$(env "$v" "$TG" "$@" 2>&1) || RC=$?; ERR=; }
run_tg_env TMPGUARD_LIBPATH="$WORK/missing.so" --libpath
is "$RC" 125 "a TMPGUARD_LIBPATH that does not exist is an error (125)"
like "$OUT" 'TMPGUARD_LIBPATH' "... and the message names it"

run_tg
is "$RC" 125 "no arguments: usage, 125"
run_tg frobnicate
is "$RC" 125 "an unknown command exits 125"
like "$ERR" "unknown command 'frobnicate'" "... with a message"
run_tg report
is "$RC" 125 "report without a LOG: usage error (125)"
run_tg --bogus
is "$RC" 125 "an unknown option exits 125"
like "$ERR" "unknown option '--bogus'" "... with a message"
run_tg --version extra
is "$RC" 125 "--version takes no argument (125)"

# ---------------------------------------------------------- run: usage ----

run_tg run --bogus -- true
is "$RC" 125 "run: an unknown option exits 125"
run_tg run
is "$RC" 125 "run: no command exits 125"
run_tg run --mode=harden --
is "$RC" 125 "run: '--' and no command exits 125"
run_tg run --mode=fast -- true
is "$RC" 125 "run: an invalid --mode exits 125"
like "$ERR" "--mode.*'fast'" "... and the message names the option and value"
run_tg run --format=xml -- true
is "$RC" 125 "run: an invalid --format exits 125"
run_tg run --dirs=relative/dir -- true
is "$RC" 125 "run: a relative --dirs entry exits 125"
run_tg run --mode
is "$RC" 125 "run: --mode without a value exits 125"
like "$ERR" 'needs a value' "... with a message"
run_tg run --log="$WORK/no/such/dir/x.log" -- true
is "$RC" 125 "run: a log file in a missing directory exits 125"
ln -s "$WORK/elsewhere" "$WORK/link.log"
run_tg run --log="$WORK/link.log" -- true
is "$RC" 125 "run: a log file that is a symbolic link exits 125"

# --------------------------------------------------- run: exit statuses ----

run_tg run -- sh -c 'exit 7'
is "$RC" 7 "run exits with the command's status"
run_tg run -- sh -c 'kill -TERM $$'
is "$RC" 143 "run exits 128+N when the command is killed by signal N"
run_tg run -- tg-no-such-command-here
is "$RC" 127 "run: command not found exits 127"
like "$ERR" '^tmpguard: tg-no-such-command-here: command not found$' "... with the shell's message"
run_tg run -- "$WORK/missing"
is "$RC" 127 "run: a missing path exits 127"
printf 'echo never\n' >"$WORK/noexec"
chmod 0644 "$WORK/noexec"
run_tg run -- "$WORK/noexec"
is "$RC" 126 "run: a file that is not executable exits 126"
run_tg run -- "$WORK"
is "$RC" 126 "run: a directory exits 126"
mkdir -p "$WORK/bin"
printf 'echo never\n' >"$WORK/bin/tg-noexec"
chmod 0644 "$WORK/bin/tg-noexec"
RC=0
OUT=$(PATH="$WORK/bin:$PATH" "$TG" run -- tg-noexec 2>&1) || RC=$?
is "$RC" 126 "run: a command found in PATH but not executable exits 126"

printf 'echo from-a-script-without-shebang "$1"\n' >"$WORK/plain"
chmod 0755 "$WORK/plain"
run_tg run --quiet -- "$WORK/plain" arg
is "$RC:$OUT" "0:from-a-script-without-shebang arg" "run: a file without #! runs with /bin/sh, as execvp does"
printf '#!%s/no/such/interpreter\n' "$WORK" >"$WORK/badinterp"
chmod 0755 "$WORK/badinterp"
run_tg run -- "$WORK/badinterp"
is "$RC" 127 "run: a script with a missing interpreter exits 127"
like "$ERR" 'bad interpreter' "... and says so"

run_tg run --fail-on-violation -- sh -c 'exit 5'
is "$RC" 5 "run --fail-on-violation keeps a failing command's status"

# ------------------------------------------------- run: the environment ----

if lib_test "run prepends the library to LD_PRELOAD and keeps the old entry"; then
	RC=0
	OUT=$(LD_PRELOAD=/nonexistent/tg-old.so "$TG" run --quiet -- \
		sh -c 'printf "%s\n" "$LD_PRELOAD"' 2>"$WORK/.err") || RC=$?
	ERR=$(cat "$WORK/.err")
	is "$OUT" "$WANT_LIB:/nonexistent/tg-old.so" \
		"run prepends the library to LD_PRELOAD and keeps the old entry"
fi
run_tg run --quiet -- sh -c 'printf "%s\n" "$LD_PRELOAD"'
is "$OUT" "$WANT_LIB" "run sets LD_PRELOAD to the library alone when there was none"

show_env='printf "%s|%s|%s|%s\n" "$TMPGUARD_MODE" "$TMPGUARD_FORMAT" "$TMPGUARD_LOG" "$TMPGUARD_DIRS"'
RC=0
OUT=$(TMPGUARD_DIRS=/inherited "$TG" run --mode=audit --format=json --log=stderr \
	--dirs=/x:/y -- sh -c "$show_env" 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
is "$OUT" "audit|json|stderr|/inherited:/x:/y" "run sets TMPGUARD_* from its options, --dirs after the inherited list"
like "$ERR" "${SUMMARY_RE}stderr\$" "... and the summary shows the mode it set"
like "$ERR" 'mode audit' "... audit"

RC=0
OUT=$(TMPGUARD_MODE=audit TMPGUARD_FORMAT=json "$TG" run -- sh -c "$show_env" 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
is "$OUT" "audit|json||" "run leaves inherited TMPGUARD_* alone when no option is given"
like "$ERR" 'mode audit; log: stderr' "... and the summary reports the inherited mode"

run_tg run --mode harden --format text --quiet -- sh -c "$show_env"
is "$OUT" "harden|text||" "run accepts '--mode VALUE' as well as '--mode=VALUE'"

run_tg run --quiet -- sh -c 'printf "%s\n" "$TMPGUARD_HANDSHAKE"'
like "$OUT" '^[0-9a-f]{32}@tmpguard-[0-9]+-[0-9a-f]{16}$' "run exports TMPGUARD_HANDSHAKE=TOKEN@tmpguard-PID-RANDOM"

RC=0
OUT=$(cd "$WORK" && "$TG" run --log=rel.log -- sh -c 'printf "%s\n" "$TMPGUARD_LOG"' 2>"$WORK/.err") || RC=$?
ERR=$(cat "$WORK/.err")
is "$OUT" "$WORK/rel.log" "run --log=FILE gives the library an absolute path"
check "... and creates the file beforehand" test -f "$WORK/rel.log"
is "$(stat -c %a "$WORK/rel.log" 2>/dev/null)" 600 "... mode 0600"
like "$ERR" "log: $WORK/rel.log\$" "... and the summary names it"

# ------------------------------------------------ run: the handshake ----

if lib_test "run's summary counts the processes that loaded the library"; then
	run_tg run -- true
	like "$ERR" "${SUMMARY_RE}stderr\$" "run's summary counts the processes that loaded the library"
	like "$ERR" '^tmpguard: 0 violations \(0 blocked\) in [1-9][0-9]* process' "... at least one, no violations"
	unlike "$ERR" 'did not load' "... and does not warn"
fi
if lib_test "run --quiet prints nothing for a clean run"; then
	run_tg run --quiet -- true
	is "$RC:$ERR" "0:" "run --quiet prints nothing for a clean run"
fi
if lib_test "run counts processes in a pipeline"; then
	run_tg run -- sh -c 'true | cat >/dev/null; /bin/true'
	like "$ERR" ' in ([2-9]|[1-9][0-9]+) processes' "run counts processes in a pipeline"
fi

SHARED=$(mktemp -d "$WORK/sticky.XXXXXX")
chmod 1777 "$SHARED"
if lib_test "a creation without O_EXCL in a shared directory is one violation"; then
	run_tg run --dirs="$SHARED" -- sh -c "echo x > '$SHARED/f'"
	is "$RC" 0 "a creation without O_EXCL in a shared directory: the command succeeds"
	like "$ERR" '^tmpguard: 1 violation \(0 blocked\) in 1 process, mode harden; log: stderr' \
		"... and the summary counts one violation"
fi
if lib_test "run --fail-on-violation exits 3 after a violation"; then
	run_tg run --fail-on-violation --dirs="$SHARED" -- sh -c "echo x > '$SHARED/g'"
	is "$RC" 3 "run --fail-on-violation exits 3 after a violation"
	like "$ERR" 'violations were recorded' "... and says why"
fi
if lib_test "run counts a blocked hijack"; then
	ln -s "$WORK/target" "$SHARED/planted"
	run_tg run --dirs="$SHARED" -- sh -c "echo x > '$SHARED/planted'"
	like "$ERR" '^tmpguard: [0-9]+ violations? \(1 blocked\)' "run counts a blocked hijack"
	check "... and the symlink's target was not created" test ! -e "$WORK/target"
fi
if lib_test "run --quiet still prints the summary after a violation"; then
	run_tg run --quiet --dirs="$SHARED" -- sh -c "echo x > '$SHARED/q'"
	like "$ERR" "${SUMMARY_RE}" "run --quiet still prints the summary after a violation"
fi

# ------------------------------------------------- run: the pre-check ----

run_tg run -- "$PROBE" "$WORK/probe.out"
is "$RC" 0 "a static program runs and keeps its status"
like "$ERR" "^tmpguard: warning: .*static_probe \\($PROBE\\) is statically linked: the library cannot be interposed there; its temporary files are NOT protected\$" \
	"run warns that a static program cannot be protected"
like "$ERR" '^tmpguard: warning: the library did not load in .*static_probe.*UNPROTECTED$' \
	"run warns that the library did not load"
like "$ERR" ' in 0 processes' "... and the summary says 0 processes"
check "... the program did run" test -s "$WORK/probe.out"
run_tg run --fail-on-violation -- "$PROBE" "$WORK/probe2.out"
is "$RC" 3 "run --fail-on-violation exits 3 when the library loaded nowhere"
like "$ERR" 'the library did not load$' "... and says why"
run_tg run --quiet -- "$PROBE" "$WORK/probe3.out"
like "$ERR" 'did not load' "run --quiet still warns when the library did not load"

printf '#!%s\n' "$PROBE" >"$WORK/static-script"
chmod 0755 "$WORK/static-script"
run_tg run -- "$WORK/static-script"
like "$ERR" "^tmpguard: warning: $WORK/static-script \\(interpreter $PROBE\\) is statically linked" \
	"run inspects a script's interpreter"

printf '#!/usr/bin/env sh\necho via-env\n' >"$WORK/env-script"
chmod 0755 "$WORK/env-script"
run_tg run -- "$WORK/env-script"
unlike "$ERR" 'warning' "a '#!/usr/bin/env sh' script with a dynamic sh gets no warning"

run_tg run -- sh -c true
unlike "$ERR" 'warning' "a dynamic glibc program gets no warning"

if command -v objcopy >/dev/null 2>&1; then
	printf 'go-buildinfo' >"$WORK/blob"
	if objcopy --add-section .go.buildinfo="$WORK/blob" "$(type -P true)" "$WORK/gotrue" 2>/dev/null; then
		run_tg run -- "$WORK/gotrue"
		like "$ERR" "^tmpguard: warning: .*gotrue \\($WORK/gotrue\\) is a Go program" \
			"run warns about a Go program (.go.buildinfo)"
		is "$RC" 0 "... and runs it"
	else
		not_ok "run warns about a Go program (.go.buildinfo)" "objcopy failed"
	fi
else
	skip "run warns about a Go program (.go.buildinfo)" "objcopy is not installed"
fi

# A minimal ELF64 linked against musl: PT_INTERP /lib/ld-musl-*, DT_NEEDED
# libc.musl-*. It cannot run here; the warning comes before the attempt.
make_musl_elf() {
	python3 - "$TG" "$1" <<'EOF'
import struct, sys
machine = struct.unpack_from('<H', open(sys.argv[1], 'rb').read(20), 18)[0]
base = 0x400000
interp = b'/lib/ld-musl-x86_64.so.1\0'
strtab = b'\0libc.musl-x86_64.so.1\0'
phoff, phnum = 64, 3
interp_off = phoff + 56 * phnum
str_off = interp_off + len(interp)
dyn_off = (str_off + len(strtab) + 7) & ~7
dyn = struct.pack('<qQqQqQqQ', 1, 1, 5, base + str_off, 10, len(strtab), 0, 0)
size = dyn_off + len(dyn)
eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + b'\0' * 9,
                 2, machine, 1, base, phoff, 0, 0, 64, 56, phnum, 64, 0, 0)
ph = struct.pack('<IIQQQQQQ', 3, 4, interp_off, base + interp_off, 0, len(interp), len(interp), 1)
ph += struct.pack('<IIQQQQQQ', 1, 5, 0, base, 0, size, size, 0x1000)
ph += struct.pack('<IIQQQQQQ', 2, 6, dyn_off, base + dyn_off, 0, len(dyn), len(dyn), 8)
img = eh + ph + interp + strtab
img += b'\0' * (dyn_off - len(img)) + dyn
open(sys.argv[2], 'wb').write(img)
EOF
}
if command -v python3 >/dev/null 2>&1 && make_musl_elf "$WORK/musl-prog"; then
	chmod 0755 "$WORK/musl-prog"
	run_tg run -- "$WORK/musl-prog"
	like "$ERR" "^tmpguard: warning: .*musl-prog \\($WORK/musl-prog\\) is linked against musl" \
		"run warns about a program linked against musl"
else
	skip "run warns about a program linked against musl" "python3 is not available to build the test file"
fi

# A real musl program: musl's loader stops on a glibc library, so run must
# not preload it (and say so) rather than break it.
if command -v musl-gcc >/dev/null 2>&1 &&
	printf '#include <stdio.h>\nint main(void){puts("musl-ok");return 4;}\n' >"$WORK/m.c" &&
	musl-gcc -o "$WORK/musl-real" "$WORK/m.c" 2>/dev/null; then
	run_tg run -- "$WORK/musl-real"
	is "$RC:$OUT" "4:musl-ok" "a musl program runs under run as without it (status 4, output)"
	like "$ERR" "not preloading the library: musl" "... and run says it did not preload it"
else
	skip "a musl program runs under run as without it" "musl-gcc (musl-tools) is not installed"
	skip "... and run says it did not preload it" "musl-gcc (musl-tools) is not installed"
fi

# ------------------------------------------------------ run: signals ----

"$TG" run --quiet -- sleep 30 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM "$pid" 2>/dev/null
RC=0
wait "$pid" || RC=$?
OUT= ERR=
is "$RC" 143 "run forwards SIGTERM to the command and exits 128+15"

"$TG" run --quiet -- sleep 30 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -INT "$pid" 2>/dev/null
sleep 0.3
if kill -0 "$pid" 2>/dev/null; then ok "run itself ignores SIGINT (the terminal sends it to the command)"; else not_ok "run itself ignores SIGINT (the terminal sends it to the command)"; fi
kill -HUP "$pid" 2>/dev/null
RC=0
wait "$pid" || RC=$?
is "$RC" 129 "run forwards SIGHUP to the command"

# ------------------------------------------------------------------ env ----

want_lib=$WANT_LIB
run_tg env
is "$RC" 0 "env exits 0"
is "$OUT" "LD_PRELOAD=$want_lib
TMPGUARD_MODE=harden
TMPGUARD_FORMAT=text
TMPGUARD_LOG=stderr" "env prints the library and the defaults, no TMPGUARD_DIRS"

RC=0
OUT=$(cd "$WORK" && "$TG" env --mode=audit --format json --log=env.log --dirs=/a:/b 2>&1) || RC=$?
ERR=
is "$OUT" "LD_PRELOAD=$want_lib
TMPGUARD_MODE=audit
TMPGUARD_FORMAT=json
TMPGUARD_LOG=$WORK/env.log
TMPGUARD_DIRS=/a:/b" "env prints the options, the log path made absolute"

run_tg env --systemd --log=journal
is "$RC" 0 "env --systemd exits 0"
is "$(sed -n 1p <<<"$OUT" | grep -c '^#.*/etc/systemd/system/UNIT\.service\.d/tmpguard\.conf')" 1 \
	"env --systemd starts with a comment saying where to install it"
is "$(sed -n '2,$p' <<<"$OUT")" "[Service]
Environment=\"LD_PRELOAD=$want_lib\"
Environment=\"TMPGUARD_MODE=harden\"
Environment=\"TMPGUARD_FORMAT=text\"
Environment=\"TMPGUARD_LOG=journal\"" "env --systemd prints a [Service] section of Environment= lines"

run_tg env --systemd --log="$WORK/a%b\"c\\d.log"
like "$OUT" "^Environment=\"TMPGUARD_LOG=$WORK/a%%b\\\\\"c\\\\\\\\d\\.log\"\$" \
	"env --systemd escapes '%', '\"' and '\\' as systemd reads them"

run_tg env --log="$WORK/it's here.log"
is "$(grep '^TMPGUARD_LOG=' <<<"$OUT")" "TMPGUARD_LOG='$WORK/it'\\''s here.log'" \
	"env quotes a value for the shell when it needs it"

run_tg env --mode=fast
is "$RC" 125 "env: an invalid --mode exits 125"
like "$ERR" "--mode.*'fast'" "... with a message"
run_tg env --bogus
is "$RC" 125 "env: an unknown option exits 125"
run_tg env extra
is "$RC" 125 "env: an argument exits 125"

echo "1..$n"
