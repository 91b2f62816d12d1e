# tests/lib.sh — shared helpers for tmpguard's integration tests.
# Sourced by bash TAP scripts run from the build directory with TG_BUILDDIR
# and TG_SRCDIR set (absolute). Provides:
#   TAP:        tap_ok tap_not_ok tap_check tap_is tap_like tap_unlike
#               tap_grep tap_skip tap_missing tap_not_run tap_diag
#               tap_done (plan at the end) tap_bail (harness error, exit 99)
#   workspace:  $TG_WORK (0755, removed on exit), $TG_STICKY (1777, shared,
#               in TMPGUARD_DIRS), $TG_PRIVATE (0755, not shared)
#   running:    tg_run MODE CMD... (MODE: bare|harden|audit|preload) sets
#               RC, OUT, ERR; with TG_TRACE=FILE the run is under strace -f.
#               tg_race (squat a generated name in the --wait window),
#               tg_held (inspect a held descriptor in /proc), tg_preload.
#               Every run is under `timeout $TG_TIMEOUT` (10 s).
#   results:    tg_result ("OK" / "ERR ENAME"), tg_field KEY, tg_name
#   log:        tg_log NAME (sets and exports TMPGUARD_LOG=$LOG), tg_log_count,
#               tap_log / tap_log_count / tap_log_none (JSON queries)
#   traces:     tg_trace_ops, tg_trace_creation
#   files:      tg_mode tg_ino tg_type tg_owner tg_content
#   sources:    tg_copy_sources DIR (a copy to configure and build apart)
#   attacker:   tg_attacker_setup (stages the build for the second user:
#               tg_stage_shared), tg_as_attacker CMD..., tg_sysctls
#   symbols:    tg_sym VARIANT CALL, tg_imports BIN SYM
# shellcheck shell=bash

set -u

if [ -z "${TG_BUILDDIR:-}" ] || [ -z "${TG_SRCDIR:-}" ]; then
	echo "Bail out! TG_BUILDDIR and TG_SRCDIR must be set (absolute paths)"
	exit 99
fi

TG_LIB=$TG_BUILDDIR/src/.libs/libtmpguard.so
# A sanitized build (configure --enable-sanitizers): the library preloaded
# into uninstrumented programs brings the ASan runtime after libc, which ASan
# refuses unless told; the host programs' own leaks are not ours to report.
# TG_PRELOAD is what LD_PRELOAD gets: the ASan runtime first in such a build
# (as `tmpguard run` does there), the library alone otherwise.
TG_PRELOAD=$TG_LIB
TG_ASAN_RT=
if [ -e "$TG_LIB" ] && ldd "$TG_LIB" 2>/dev/null | grep -q 'libasan'; then
	TG_ASAN_RT=$(readlink -f "$(ldd "$TG_LIB" | awk '/libasan/ {print $3; exit}')")
	TG_PRELOAD=$TG_ASAN_RT:$TG_LIB
	export ASAN_OPTIONS=${ASAN_OPTIONS:-verify_asan_link_order=0:detect_leaks=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
# A coverage build (scripts/coverage): every process writes its counts at
# exit, with system calls of its own.
TG_COVERAGE_BUILD=
if compgen -G "$TG_BUILDDIR/src/lib/.libs/*.gcno" >/dev/null; then TG_COVERAGE_BUILD=1; fi
# for `env -i` (a service's clean environment): the sanitizers' settings in
# such a build, nothing otherwise (unquoted: words without spaces)
TG_SAN_ENV=${TG_ASAN_RT:+ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS}
TG_CMD=$TG_BUILDDIR/src/tmpguard
TG_HELPERS=$TG_BUILDDIR/tests/helpers
LEGACY=$TG_HELPERS/legacy
TG_VARIANTS="legacy legacy_fortify legacy_lfs legacy_fortify_lfs"
TG_TIMEOUT=${TG_TIMEOUT:-10}
TG_ATTACKER=tgattacker
if [ -x /usr/bin/python3 ]; then TG_PY=/usr/bin/python3; else TG_PY=python3; fi

# ---------------------------------------------------------------- TAP ----

_tap_n=0
_tap_failed=0

tap_diag() {
	local line
	while IFS= read -r line; do printf '# %s\n' "$line"; done <<<"$*"
}

# A "#" in a description would start a TAP directive ("# SKIP" in a test
# suite's summary turned passes into skips): escape it as "\#".
_tap_desc() { printf '%s' "${1//#/\\#}"; }

tap_ok() {
	_tap_n=$((_tap_n + 1))
	printf 'ok %d - %s\n' "$_tap_n" "$(_tap_desc "$1")"
}

# tap_not_ok DESC [DIAG...]
tap_not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	printf 'not ok %d - %s\n' "$_tap_n" "$(_tap_desc "$1")"
	shift
	local d
	for d in "$@"; do tap_diag "$d"; done
}

# tap_skip DESC REASON
tap_skip() {
	_tap_n=$((_tap_n + 1))
	printf 'ok %d - %s # SKIP %s\n' "$_tap_n" "$(_tap_desc "$1")" "$2"
}

# tap_missing DESC REASON: what a check needs is not installed: a skip
# here, a failure in CI (CI set, as .ci/run has it), where `scripts/setup
# check` installed every test dependency and a skip would hide a gap.
tap_missing() {
	case ${CI:-} in
	'' | false | 0) tap_skip "$1" "$2" ;;
	*) tap_not_ok "$1" "missing in CI: $2" ;;
	esac
}

# tap_check DESC CMD...: passes when CMD exits 0.
tap_check() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_not_ok "$desc" "failed: $*" "${_tg_last_run:-}"; fi
}

# tap_not_run WHY DESC...: one failing result per DESC, for the checks a
# failed step before them left nothing to check, so that the number of
# results is the same whether that step passes or fails.
tap_not_run() {
	local why=$1 d
	shift
	for d in "$@"; do tap_not_ok "$d" "not run: $why"; done
}

# tap_is GOT WANT DESC
tap_is() {
	if [ "$1" = "$2" ]; then
		tap_ok "$3"
	else
		tap_not_ok "$3" "got:  '$1'" "want: '$2'" "${_tg_last_run:-}"
	fi
}

# tap_like GOT ERE DESC
tap_like() {
	if [[ $1 =~ $2 ]]; then
		tap_ok "$3"
	else
		tap_not_ok "$3" "got:  '$1'" "want match: /$2/" "${_tg_last_run:-}"
	fi
}

# tap_unlike GOT ERE DESC: GOT does not match ERE.
tap_unlike() {
	if [[ $1 =~ $2 ]]; then
		tap_not_ok "$3" "got:  '$1'" "want no match: /$2/" "${_tg_last_run:-}"
	else
		tap_ok "$3"
	fi
}

# tap_grep GOT ERE DESC: a line of GOT matches ERE (grep -E: ^ and $ anchor
# each line), for output of several lines such as a run's stderr.
tap_grep() {
	if grep -Eq -- "$2" <<<"$1"; then
		tap_ok "$3"
	else
		tap_not_ok "$3" "got:  '$1'" "want a line matching: /$2/" "${_tg_last_run:-}"
	fi
}

tap_done() {
	printf '1..%d\n' "$_tap_n"
	[ "$_tap_failed" -eq 0 ] || tap_diag "$_tap_failed of $_tap_n failed"
}

tap_bail() {
	printf 'Bail out! %s\n' "$*"
	exit 99
}

# ---------------------------------------------------------- environment ----

[ -e "$TG_LIB" ] || tap_bail "library not built: $TG_LIB"
[ -x "$LEGACY" ] || tap_bail "helper not built: $LEGACY"

unset LD_PRELOAD TMPGUARD_MODE TMPGUARD_HANDSHAKE TMPGUARD_DIRS TMPDIR \
	TMPGUARD_SYSLOG_SOCKET TMPGUARD_JOURNAL_SOCKET TMPGUARD_LOG
unset MAKEFLAGS MAKELEVEL MFLAGS # under `make check`: programs.sh runs make
export TMPGUARD_FORMAT=json
export LC_ALL=C
umask 022

TG_NAME=$(basename "$0" .sh)
TG_WORK=$(mktemp -d "/tmp/tgit-$TG_NAME.XXXXXX") || tap_bail "mktemp -d failed"
chmod 0755 "$TG_WORK"
TG_STICKY=$TG_WORK/sticky
TG_PRIVATE=$TG_WORK/private
TG_LOGDIR=$TG_WORK/log
mkdir "$TG_STICKY" "$TG_PRIVATE" "$TG_LOGDIR" || tap_bail "workspace"
chmod 1777 "$TG_STICKY"
chmod 0755 "$TG_PRIVATE"
export TMPGUARD_DIRS=$TG_STICKY
TG_CLEANUP_PATHS=()
TG_BG_PIDS=()

# tg_kill_job PID [SIGNAL]: signal a background job of this shell (TERM by
# default), only while bash counts it as running: a pid bash has reaped
# may already be another process's (pids wrap within minutes while the
# suite runs: a concurrent test's, say).
tg_kill_job() {
	local running
	running=" $(jobs -pr | tr '\n' ' ') "
	[[ $running == *" $1 "* ]] && kill -"${2:-TERM}" "$1" 2>/dev/null
	return 0
}

tg_cleanup() {
	local p
	for p in "${TG_BG_PIDS[@]}"; do tg_kill_job "$p" KILL; done
	for p in "${TG_CLEANUP_PATHS[@]}"; do rm -rf -- "$p"; done
	rm -rf -- "$TG_WORK"
}
trap tg_cleanup EXIT
trap 'exit 99' INT TERM

# Remember a path outside TG_WORK (e.g. a tmpnam name in /tmp) for cleanup.
tg_cleanup_later() { TG_CLEANUP_PATHS+=("$@"); }

# ------------------------------------------------------------- running ----

# tg_preload CMD...: CMD with the library preloaded (mode from environment).
tg_preload() {
	timeout -k 2 "$TG_TIMEOUT" env LD_PRELOAD="$TG_PRELOAD" "$@"
}

# tg_run MODE CMD...: run a victim, capture RC, OUT (stdout), ERR (stderr).
#   bare: no library; harden/audit: library with that TMPGUARD_MODE;
#   preload: library, TMPGUARD_MODE as in the environment.
# With TG_TRACE=FILE set, the run is under `strace -f` (file and descriptor
# calls) writing FILE; the library then goes in through strace -E so that
# strace itself is not preloaded.
tg_run() {
	local how=$1
	shift
	local -a pre=() env=()
	case $how in
	bare) ;;
	harden) env=(LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=harden) ;;
	audit) env=(LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=audit) ;;
	preload) env=(LD_PRELOAD="$TG_PRELOAD") ;;
	*) tap_bail "tg_run: bad mode $how" ;;
	esac
	if [ -n "${TG_TRACE:-}" ]; then
		pre=(strace -f -qq -o "$TG_TRACE" -s 512 -e trace=file,desc)
		local kv
		for kv in "${env[@]}"; do pre+=(-E "$kv"); done
	else
		pre=(env "${env[@]}")
	fi
	timeout -k 2 "$TG_TIMEOUT" "${pre[@]}" "$@" \
		>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.out")
	ERR=$(cat "$TG_WORK/.err")
	_tg_last_run="[$how] $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
	return 0
}

# tg_race MODE PLANT CMD...: run CMD (a legacy GEN-USE command) with
# --wait; when it has printed its generated name, call the shell function
# PLANT with that name (to squat it), then release CMD. Sets RC, OUT, ERR
# and NAME.
tg_race() {
	local how=$1 plant=$2
	shift 2
	local rel=$TG_WORK/.release out=$TG_WORK/.race pid
	rm -f "$rel" "$out"
	local -a env=()
	case $how in
	harden) env=(LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=harden) ;;
	audit) env=(LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=audit) ;;
	bare) ;;
	esac
	tg_start_bg pid "$out" env "${env[@]}" "$@" --wait "$rel"
	NAME=
	if tg_wait_line "$out" '^NAME ' 10; then
		NAME=$(sed -n 's/^NAME //p' "$out" | head -n 1)
		"$plant" "$NAME"
	fi
	touch "$rel"
	wait "$pid"
	RC=$?
	OUT=$(cat "$out")
	ERR=$(cat "$out.err")
	_tg_last_run="[$how race, planted with $plant] $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}

# tg_field KEY: the value of KEY=VALUE on the last OK/ERR line of OUT.
tg_field() {
	local line v=
	line=$(grep -E '^(OK|ERR)' <<<"$OUT" | tail -n 1)
	[[ " $line " =~ \ $1=([^ ]*)\  ]] && v=${BASH_REMATCH[1]}
	printf '%s' "$v"
}

# tg_result: "OK" or "ERR <ENAME>" from the last result line of OUT.
tg_result() {
	local line
	line=$(grep -E '^(OK|ERR)' <<<"$OUT" | tail -n 1)
	case $line in
	OK*) printf 'OK' ;;
	ERR\ errno=*) printf 'ERR %s' "$(awk '{print $3}' <<<"$line")" ;;
	ERR\ addopen*) printf 'ERR %s' "$(awk '{print $4}' <<<"$line")" ;;
	*) printf '%s' "${line:-NONE}" ;;
	esac
}

# tg_name: the path of the first NAME line of OUT.
tg_name() { sed -n 's/^NAME //p' <<<"$OUT" | head -n 1; }

# tg_start_bg VAR FILE CMD...: start CMD in the background with stdout to
# FILE (under timeout); the pid goes to VAR. Killed at exit if still alive.
tg_start_bg() {
	local var=$1 file=$2
	shift 2
	rm -f -- "$file" "$file.err" # never let a waiter see an old result
	timeout -k 2 "$TG_TIMEOUT" "$@" >"$file" 2>"$file.err" </dev/null &
	local _bgpid=$!
	TG_BG_PIDS+=("$_bgpid")
	printf -v "$var" '%s' "$_bgpid"
}

# tg_held MODE CMD...: run a legacy CMD with --hold; while it holds its
# descriptor, read the kernel's view of it: FDFLAGS (octal f_flags from
# /proc/PID/fdinfo/FD), FDLINK (/proc/PID/fd/FD) and FDMODE (its mode).
# Sets RC and OUT too.
tg_held() {
	local how=$1
	shift
	local rel=$TG_WORK/.hold out=$TG_WORK/.held pid fd lpid
	local -a env=()
	rm -f "$rel"
	case $how in
	harden | audit) env=(LD_PRELOAD="$TG_PRELOAD" "TMPGUARD_MODE=$how") ;;
	esac
	tg_start_bg pid "$out" env "${env[@]}" "$@" --hold "$rel"
	FDFLAGS=none FDLINK=none FDMODE=none
	if tg_wait_line "$out" '^(OK|ERR)' 10; then
		OUT=$(cat "$out")
		fd=$(tg_field fd)
		lpid=$(tg_field pid)
		if [ -n "$fd" ] && [ -n "$lpid" ]; then
			FDFLAGS=$(awk '/^flags:/ {print $2}' "/proc/$lpid/fdinfo/$fd" 2>/dev/null)
			FDLINK=$(readlink "/proc/$lpid/fd/$fd")
			FDMODE=$(stat -L -c %a "/proc/$lpid/fd/$fd" 2>/dev/null)
		fi
	fi
	touch "$rel"
	wait "$pid"
	RC=$?
	OUT=$(cat "$out")
	_tg_last_run="[$how, held] $* -> rc=$RC
stdout: $OUT"
}

# tg_wait_line FILE ERE [SECONDS]: wait until a line of FILE matches.
tg_wait_line() {
	local i
	for ((i = 0; i < ${3:-10} * 20; i++)); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# tg_copy_sources DIR: the project's sources copied into DIR (which must not
# exist), as a newcomer gets them: when TG_SRCDIR is a git checkout, the
# files git knows of there (committed or being changed, never build
# products), else `make distdir`. TG_COPY_HOW says which; on failure the
# status is non-zero and $TG_WORK/copy.log says why.
tg_copy_sources() {
	local dest=$1
	if git -C "$TG_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
		[ "$(git -C "$TG_SRCDIR" rev-parse --show-toplevel)" = "$(cd "$TG_SRCDIR" && pwd -P)" ]; then
		TG_COPY_HOW="the git checkout's files"
		mkdir "$dest" || return 1
		(cd "$TG_SRCDIR" && git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
			tar --null -T - -cf - | tar -C "$dest" -xf -) >"$TG_WORK/copy.log" 2>&1
	else
		TG_COPY_HOW="make distdir"
		make -s -C "$TG_BUILDDIR" distdir distdir="$dest" >"$TG_WORK/copy.log" 2>&1
	fi || return 1
	[ -f "$dest/configure.ac" ] || { echo "no configure.ac in $dest" >>"$TG_WORK/copy.log"; return 1; }
}

# ---------------------------------------------------------------- files ----

# tg_foreign PATH...: hand PATH (not following a link) to TG_FOREIGN_UID, an
# uid that is neither the caller nor root: what another user planted. Only
# root can; anyone else gets a failing status.
TG_FOREIGN_UID=4242
tg_foreign() { chown -h "$TG_FOREIGN_UID:$TG_FOREIGN_UID" -- "$@" 2>/dev/null; }

tg_mode() { stat -c %a -- "$1" 2>/dev/null || echo missing; }
tg_ino() { stat -c %i -- "$1" 2>/dev/null || echo missing; }
tg_type() { stat -c %F -- "$1" 2>/dev/null || echo missing; }
tg_owner() { stat -c %U -- "$1" 2>/dev/null || echo missing; }
tg_content() { if [ -f "$1" ]; then cat -- "$1"; else echo "<no file>"; fi; }

# ------------------------------------------------------------------ log ----

# tg_log NAME: a fresh per-test log file, exported as TMPGUARD_LOG; $LOG.
tg_log() {
	LOG=$TG_LOGDIR/$1.log
	rm -f -- "$LOG"
	export TMPGUARD_LOG=$LOG
}

# tg_log_count LOGFILE FILTER...: number of matching JSON lines. Each filter
# is KEY=VALUE (equal as text), KEY~ERE (re.search), KEY? (present) or KEY!
# (absent); numbers compare by their JSON text (tests/helpers/logq.py).
tg_log_count() { "$TG_PY" "$TG_SRCDIR/tests/helpers/logq.py" "$@"; }

_tg_log_diag() {
	if [ -s "$1" ]; then
		head -n 12 -- "$1"
	else
		echo "(log $1 is empty or missing)"
	fi
}

# tap_log DESC FILTER...: at least one line of $LOG matches.
tap_log() {
	local desc=$1 n
	shift
	n=$(tg_log_count "$LOG" "$@")
	if [[ $n =~ ^[1-9][0-9]*$ ]]; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "no log line matches: $*" "$(_tg_log_diag "$LOG")"
	fi
}

# tap_log_count N DESC FILTER...: exactly N lines of $LOG match.
tap_log_count() {
	local want=$1 desc=$2 n
	shift 2
	n=$(tg_log_count "$LOG" "$@")
	if [ "$n" = "$want" ]; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "lines matching [$*]: $n, want $want" \
			"$(_tg_log_diag "$LOG")"
	fi
}

# tap_log_none DESC: $LOG is absent or empty.
tap_log_none() {
	if [ -s "$LOG" ]; then
		tap_not_ok "$1" "unexpected log lines:" "$(_tg_log_diag "$LOG")"
	else
		tap_ok "$1"
	fi
}

# ---------------------------------------------------------------- strace ----

# tg_trace_ops TRACE NAME: one line "SYSCALL FLAGS MODE RESULT" per traced
# system call whose path argument is NAME or ends in /NAME (FLAGS: its O_*
# argument, MODE: its octal mode argument, each "-" when absent; RESULT: the
# return value or the errno name), in order. Lines resumed after
# <unfinished ...> are skipped (their first half names the path and flags).
tg_trace_ops() { "$TG_PY" "$TG_SRCDIR/tests/helpers/traceq.py" "$@"; }

# tg_trace_creation TRACE NAME: "exclusive" when every creating call on NAME
# (open/openat with O_CREAT, creat, mkdir, mknod, …) carries O_EXCL and
# O_NOFOLLOW (directories and nodes: exclusive by nature) and there was at
# least one; else a description of the offending calls.
tg_trace_creation() {
	local ops bad=
	ops=$(tg_trace_ops "$1" "$2")
	local creating
	creating=$(grep -E '^(open|openat|openat2|open64|creat|mkdir|mkdirat|mknod|mknodat) ' <<<"$ops" |
		grep -E '^(creat|mkdir|mkdirat|mknod|mknodat) |O_CREAT')
	if [ -z "$creating" ]; then
		echo "no creating call on $2: $(tr '\n' ';' <<<"$ops")"
		return
	fi
	bad=$(awk '/^creat /{print; next} /^open/ && !(/O_EXCL/ && /O_NOFOLLOW/)' <<<"$creating")
	if [ -n "$bad" ]; then
		echo "non-exclusive: $(tr '\n' ';' <<<"$bad")"
	else
		echo exclusive
	fi
}

# --------------------------------------------------------------- symbols ----

# tg_imports BIN SYM: BIN imports SYM (nm -D, undefined).
tg_imports() {
	nm -D --undefined-only -- "$1" | awk '{print $NF}' | sed 's/@.*//' |
		grep -qxF -- "$2"
}

# tg_sym VARIANT CALL: the libc symbol the legacy variant calls for CALL
# (open, open2, openat, openat2, creat, fopen, freopen, tmpfile).
tg_sym() {
	local lfs=0 fort=0
	case $1 in *lfs*) lfs=1 ;; esac
	case $1 in *fortify*) fort=1 ;; esac
	case $2 in
	open | openat | creat | fopen | freopen | tmpfile)
		if [ $lfs = 1 ]; then echo "${2}64"; else echo "$2"; fi ;;
	open2 | openat2)
		local base=${2%2}
		if [ $fort = 1 ]; then
			if [ $lfs = 1 ]; then echo "__${base}64_2"; else echo "__${base}_2"; fi
		elif [ $lfs = 1 ]; then echo "${base}64"; else echo "$base"; fi ;;
	*) echo "$2" ;;
	esac
}

# --------------------------------------------------------------- attacker ----

# tg_attacker_setup: 0 when a second user is usable (we are root); creates
# the system user tgattacker if missing. Sets TG_ATT_UID, TG_ATT_GID;
# otherwise TG_ATT_WHY says why not.
tg_attacker_setup() {
	TG_ATT_WHY=
	if [ "$(id -u)" != 0 ]; then
		TG_ATT_WHY="not root: cannot act as a second user"
		return 1
	fi
	if ! id -u "$TG_ATTACKER" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin \
			"$TG_ATTACKER" >/dev/null 2>&1 ||
			{ TG_ATT_WHY="useradd $TG_ATTACKER failed"; return 1; }
	fi
	TG_ATT_UID=$(id -u "$TG_ATTACKER")
	TG_ATT_GID=$(id -g "$TG_ATTACKER")
	if ! command -v setpriv >/dev/null; then
		TG_ATT_WHY="setpriv not installed"
		return 1
	fi
	tg_stage_shared
	return 0
}

# tg_stage_shared: from here on, the script runs and preloads copies of the
# build products (the library, the command beside it as in a build tree,
# the helper programs) in $TG_WORK/shared, which every user can enter:
# TG_LIB, TG_PRELOAD, TG_CMD, TG_HELPERS and LEGACY point there. The build
# tree may lie where a second user cannot (a clone under /root, a 0700
# build directory), and a test that runs or preloads something as another
# user must work from any checkout. Once per script.
tg_stage_shared() {
	[ -z "${TG_SHARED:-}" ] || return 0
	local dir=$TG_WORK/shared f magic
	if ! { mkdir -p "$dir/src/.libs" "$dir/tests/helpers" &&
		cp -- "$TG_LIB" "$dir/src/.libs/" && cp -- "$TG_CMD" "$dir/src/"; }; then
		tap_bail "cannot stage the build in $dir"
	fi
	for f in "$TG_HELPERS"/*; do
		# programs only: libtool's objects and wrapper scripts stay
		if [ ! -f "$f" ] || [ ! -x "$f" ]; then continue; fi
		magic=$(head -c 4 -- "$f" | tr -d '\0')
		[ "$magic" = $'\177ELF' ] || continue
		cp -- "$f" "$dir/tests/helpers/" || tap_bail "cannot stage $f"
	done
	chmod -R a+rX "$dir"
	TG_SHARED=$dir
	TG_LIB=$dir/src/.libs/libtmpguard.so
	TG_PRELOAD=${TG_ASAN_RT:+$TG_ASAN_RT:}$TG_LIB
	TG_CMD=$dir/src/tmpguard
	TG_HELPERS=$dir/tests/helpers
	LEGACY=$TG_HELPERS/legacy
}

# tg_go_build OUT [cgo]: tests/helpers/go_victim built into OUT, static
# (CGO_ENABLED=0) or with cgo (dynamic, linked with libc), with caches in
# TG_WORK; the build's output in TG_GO_LOG. 0 when built.
tg_go_build() {
	local out=$1 cgo=0 src
	[ "${2:-}" = cgo ] && cgo=1
	src=$TG_WORK/go-src-$cgo
	TG_GO_LOG=$TG_WORK/go-build-$cgo.log
	mkdir -p "$src" && cp -- "$TG_SRCDIR"/tests/helpers/go_victim/*.go "$src/" &&
		(cd "$src" && HOME=$TG_WORK GOCACHE=$TG_WORK/gocache GOPATH=$TG_WORK/gopath \
			GO111MODULE=off CGO_ENABLED=$cgo timeout 300 go build -o "$out" .) >"$TG_GO_LOG" 2>&1
}

# tg_as_attacker CMD...: run CMD as tgattacker, without the library.
tg_as_attacker() {
	timeout -k 2 "$TG_TIMEOUT" env -u LD_PRELOAD setpriv \
		--reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups -- "$@"
}

# tg_sysctls: the fs.protected_* settings, for diagnostics.
tg_sysctls() {
	local k v out=
	for k in protected_symlinks protected_hardlinks protected_regular protected_fifos; do
		v=$(cat "/proc/sys/fs/$k" 2>/dev/null || echo '?')
		out="$out fs.$k=$v"
	done
	echo "${out# }"
}
