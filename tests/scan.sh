#!/bin/bash
# tmpguard scan on real binaries: bash and zsh (import mktemp), a static
# program, a Go program, a set-user-ID copy, programs that create files
# through syscall(SYS_openat, ...) and through io_uring, a script, a non-ELF
# file, a missing file; and `tmpguard run` warning with the same judgement.
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

STATIC=$TG_HELPERS/static_probe
RAW=$TG_HELPERS/raw_open
URING=$TG_HELPERS/uring_open
[ -x "$RAW" ] || tap_bail "helper not built: $RAW"
NO_URING="$URING was not built: liburing-dev is not installed (scripts/setup check installs it)"

# scan ARG...: sets RC, OUT, ERR.
scan() {
	timeout -k 2 "$TG_TIMEOUT" "$TG_CMD" scan "$@" \
		>"$TG_WORK/.sout" 2>"$TG_WORK/.serr" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.sout")
	ERR=$(cat "$TG_WORK/.serr")
	_tg_last_run="scan $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}
# q PYEXPR: d = the JSON array in $OUT.
q() {
	printf '%s' "$OUT" | "$TG_PY" -c 'import json,sys
d=json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1" 2>&1
}

BASH_BIN=$(readlink -f /bin/bash)
scan --format=json "$BASH_BIN"
tap_is "$RC" 0 "bash: exit 0 (protected)"
tap_is "$(q 'd[0]["verdict"]')" protected "bash: protected"
tap_is "$(q 'd[0]["kind"], d[0]["libc"], d[0]["go"]')" "('dynamic', 'glibc', False)" \
	"bash: dynamic, glibc, not Go"
tap_is "$(q '"mktemp" in d[0]["unsafe"]')" True "bash: imports mktemp"
tap_is "$(q '"mkstemp" in d[0]["safe"] and "open" in d[0]["open"]')" True \
	"bash: imports mkstemp and open"
tap_is "$(q 'd[0]["raw_syscalls"], d[0]["io_uring"]')" "(False, False)" \
	"bash: no raw system calls, no io_uring"

if [ -x /usr/bin/zsh ] || [ -x /bin/zsh ]; then
	ZSH=$(readlink -f "$(command -v zsh)")
	scan --format=json "$ZSH"
	tap_is "$(q 'd[0]["verdict"], "mktemp" in d[0]["unsafe"]')" "('protected', True)" \
		"zsh: protected, imports mktemp"
else
	tap_skip "zsh: protected, imports mktemp" "zsh is not installed (apt-get install zsh)"
fi

scan --format=json "$LEGACY" "$TG_HELPERS/legacy_fortify_lfs"
tap_is "$(q 'sorted(d[0]["unsafe"])')" "['mktemp', 'tempnam', 'tmpnam', 'tmpnam_r']" \
	"legacy: all four unsafe functions"
tap_is "$(q 'd[0]["verdict"], d[0]["raw_syscalls"], d[0]["io_uring"]')" \
	"('protected', False, False)" "legacy: a plain program is protected"
tap_is "$(q 'all(s in d[0]["safe"] for s in ("mkstemp","mkdtemp","tmpfile"))')" True \
	"legacy: safe functions mkstemp, mkdtemp, tmpfile"
tap_is "$(q '"__open64_2" in d[1]["open"] and "tmpfile64" in d[1]["safe"]')" True \
	"fortified large-file build: __open64_2 and tmpfile64"
tap_is "$(tg_imports "$TG_HELPERS/legacy_fortify_lfs" __open64_2 && echo yes)" yes \
	"nm agrees on __open64_2"

scan --format=json "$STATIC"
tap_is "$RC" 1 "static program: exit 1"
tap_is "$(q 'd[0]["verdict"], d[0]["kind"], d[0]["reason"]')" \
	"('not', 'static', 'statically linked')" "static program: not protected, why"

# A Go program: built here when Go is installed (no module download needed).
GO_BIN=
if command -v go >/dev/null 2>&1; then
	mkdir -p "$TG_WORK/go"
	printf 'package main\nimport "os"\nfunc main() { f, _ := os.CreateTemp("", "x"); os.Remove(f.Name()) }\n' \
		>"$TG_WORK/go/main.go"
	(cd "$TG_WORK/go" && GOCACHE=$TG_WORK/go/cache GOPATH=$TG_WORK/go/path \
		GOFLAGS= GO111MODULE=off timeout 300 go build -o hello main.go) \
		>"$TG_WORK/go/log" 2>&1 && GO_BIN=$TG_WORK/go/hello
fi
if [ -n "$GO_BIN" ]; then
	scan --format=json "$GO_BIN"
	tap_is "$(q 'd[0]["verdict"], d[0]["go"], d[0]["reason"]')" "('not', True, 'a Go program')" \
		"Go program: not protected, detected as Go"
	timeout 20 "$TG_CMD" run --quiet -- "$GO_BIN" >/dev/null 2>"$TG_WORK/.run"
	tap_like "$(cat "$TG_WORK/.run")" 'is a Go program: the library cannot be interposed' \
		"run warns at start for the Go program"
else
	tap_skip "Go program: not protected, detected as Go" "Go is not installed (apt-get install golang-go)"
	tap_skip "run warns at start for the Go program" "Go is not installed (apt-get install golang-go)"
fi

# A musl program (musl-tools), and a shared library.
if command -v musl-gcc >/dev/null 2>&1 &&
	printf '#include <stdlib.h>\nint main(void) { char t[] = "/tmp/xXXXXXX"; return mkstemp(t) < 0; }\n' \
		>"$TG_WORK/musl.c" &&
	timeout 60 musl-gcc -o "$TG_WORK/musl" "$TG_WORK/musl.c" 2>/dev/null; then
	scan --format=json "$TG_WORK/musl"
	tap_is "$(q 'd[0]["verdict"], d[0]["libc"], d[0]["reason"], d[0]["safe"]')" \
		"('not', 'musl', 'linked against musl', ['mkstemp'])" "musl program: not protected, why"
else
	tap_skip "musl program: not protected, why" "musl-gcc is not installed (apt-get install musl-tools)"
fi
scan --format=json "$TG_LIB"
tap_is "$(q 'd[0]["kind"], d[0]["verdict"]')" "('library', 'protected')" \
	"a shared library: protected where it is loaded"

# set-user-ID copy: partly.
cp "$LEGACY" "$TG_WORK/suid" && chmod 4755 "$TG_WORK/suid"
scan --format=json "$TG_WORK/suid"
tap_is "$RC" 1 "set-user-ID copy: exit 1"
tap_is "$(q 'd[0]["verdict"], d[0]["setuid"]')" "('partly', True)" "set-user-ID copy: partly"
tap_like "$(q 'd[0]["reason"]')" 'secure execution' "set-user-ID copy: says why"

# Dynamic glibc programs that create a file where the library does not see
# it: partly, and why (the exit status is that of any finding).
UNSEEN="the library does not see file operations made that way"
RAW_WHY="dynamically linked against glibc, but makes system calls without libc's wrappers (imports syscall): $UNSEEN"
scan --format=json "$RAW"
tap_is "$RC" 1 "syscall(SYS_openat) program: exit 1"
tap_is "$(q 'd[0]["verdict"], d[0]["raw_syscalls"], d[0]["io_uring"], "syscall" in d[0]["other"]')" \
	"('partly', True, False, True)" "syscall(SYS_openat) program: partly, raw_syscalls in JSON"
tap_is "$(q 'd[0]["reason"]')" "$RAW_WHY" "syscall(SYS_openat) program: the reason names syscall"
scan "$RAW"
tap_is "$RC" 1 "syscall(SYS_openat) program, text: exit 1"
tap_is "$(sed -n 1,2p <<<"$OUT")" "$RAW: partly
  why: $RAW_WHY" "syscall(SYS_openat) program, text: partly, and why"

URING_WHY="dynamically linked against glibc, but uses io_uring (imports io_uring_queue_init): $UNSEEN"
if [ -x "$URING" ]; then
	scan --format=json "$URING"
	tap_is "$RC" 1 "io_uring program: exit 1"
	tap_is "$(q 'd[0]["verdict"], d[0]["raw_syscalls"], d[0]["io_uring"]')" \
		"('partly', False, True)" "io_uring program: partly, io_uring in JSON"
	tap_is "$(q 'd[0]["reason"]')" "$URING_WHY" "io_uring program: the reason names io_uring"
	scan "$URING"
	tap_is "$RC:$(sed -n 1,2p <<<"$OUT")" "1:$URING: partly
  why: $URING_WHY" "io_uring program, text: exit 1, partly, and why"
else
	for d in "io_uring program: exit 1" "io_uring program: partly, io_uring in JSON" \
		"io_uring program: the reason names io_uring" \
		"io_uring program, text: exit 1, partly, and why"; do
		tap_missing "$d" "$NO_URING"
	done
fi

# set-user-ID and raw system calls: partly, for both reasons.
cp "$RAW" "$TG_WORK/suid-raw" && chmod 4755 "$TG_WORK/suid-raw"
scan --format=json "$TG_WORK/suid-raw"
tap_like "$(q 'd[0]["verdict"], d[0]["reason"]')" \
	"^\('partly', \"set-user-ID: .*secure execution.*; it also makes system calls without libc's wrappers \(imports syscall\): $UNSEEN\"\)$" \
	"set-user-ID and syscall: partly, both reasons"

# A script: judged on its interpreter.
printf '#!%s\necho hi\n' "$BASH_BIN" >"$TG_WORK/script" && chmod 755 "$TG_WORK/script"
scan --format=json "$TG_WORK/script"
tap_is "$(q 'd[0]["kind"], d[0]["verdict"]')" "('script', 'protected')" \
	"script: judged on its interpreter"
printf '#!%s\n' "$RAW" >"$TG_WORK/raw-script" && chmod 755 "$TG_WORK/raw-script"
scan --format=json "$TG_WORK/raw-script"
tap_is "$(q 'd[0]["verdict"], d[0]["reason"]')" "('partly', \"a script run by $RAW: $RAW_WHY\")" \
	"a script whose interpreter imports syscall: partly, why"

# Not ELF, missing, text output, mixtures.
printf 'just text\n' >"$TG_WORK/plain"
scan "$TG_WORK/plain"
tap_is "$RC" 1 "non-ELF file: exit 1"
tap_like "$OUT" 'plain: not' "non-ELF file: not"
tap_like "$OUT" 'why: not an ELF file' "non-ELF file: why"
scan "$BASH_BIN" "$TG_WORK/missing"
tap_is "$RC" 2 "missing file: exit 2"
tap_like "$ERR" 'missing: No such file or directory' "missing file: said on stderr"
tap_like "$OUT" 'bash: protected' "missing file: the others still scanned"
scan --format=json "$TG_WORK/missing" "$BASH_BIN"
tap_is "$(q 'd[0]["error"], d[1]["verdict"]')" "('No such file or directory', 'protected')" \
	"missing file in JSON: an error entry"
scan "$BASH_BIN"
tap_like "$OUT" 'unsafe: .*mktemp' "text: lists the unsafe imports"
scan
tap_is "$RC" 125 "no FILE: usage error 125"
scan --format=xml "$BASH_BIN"
tap_is "$RC" 125 "bad --format: usage error 125"

# run's start warning uses the same inspection.
timeout 20 "$TG_CMD" run --quiet -- "$STATIC" >/dev/null 2>"$TG_WORK/.run"
tap_like "$(cat "$TG_WORK/.run")" 'is statically linked: the library cannot be interposed' \
	"run warns at start for the static program"

tap_done
