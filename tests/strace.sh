#!/bin/bash
# strace.sh — a program that only reads files outside shared directories
# makes exactly the same file and descriptor system calls with the library
# preloaded as without it, apart from the dynamic loader loading
# libtmpguard.so itself; in a shared directory its reads are judged (part 2
# of the contract): each file is pinned with O_PATH, judged, and read
# through /proc/self/fd, never opened for I/O by its name.
#
# What is filtered, and why: ld.so maps the preload before anything else:
#   openat(AT_FDCWD, ".../libtmpguard.so", O_RDONLY|O_CLOEXEC) = N
#   read(N, "\177ELF"...), newfstatat(N, "", ...), mmap(..., N, ...) x4,
#   mmap(..., MAP_ANONYMOUS, -1, 0) (its .bss), close(N)
# We drop the lines from that openat through the close(N) that ends it, and
# check that they are only openat/read/pread64/newfstatat/fstat/mmap/close
# (so nothing of the library's own hides in the block). Everything else is
# compared line by line after normalising what legitimately differs between
# two runs: the pid prefix, addresses (ASLR), the environment size that
# strace prints for execve ("/* 38 vars */": LD_PRELOAD is one more), and the
# length of anonymous mmaps (fd -1: memory, not a file; ld.so sizes its TLS
# and link-map blocks by the set of loaded objects). The programs' output is
# compared too; the pid the legacy helper prints is removed from both.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

# the ASan runtime (its maps, its shadow memory) and gcov's counters
# (written at exit) make system calls of their own: the comparison means
# nothing in a sanitized or coverage build
if [ -n "$TG_ASAN_RT" ] || [ -n "$TG_COVERAGE_BUILD" ]; then
	tap_skip "same system calls with the library as without" \
		"${TG_ASAN_RT:+sanitized}${TG_COVERAGE_BUILD:+coverage} build: its runtime makes system calls of its own"
	tap_done
	exit 0
fi

S=$TG_STICKY
for i in 1 2 3; do printf 'line %s\n' "$i" >"$S/in$i"; done
# Files outside every shared directory: TG_WORK is in /tmp, so they live
# in the build tree, unless that is in a shared directory too.
case $TG_BUILDDIR/ in
/tmp/* | /var/tmp/* | /dev/shm/*) Q= ;;
*) Q=$(mktemp -d "$TG_BUILDDIR/tests/strace-private.XXXXXX") && tg_cleanup_later "$Q" ;;
esac
if [ -n "$Q" ]; then
	for i in 1 2 3 4; do printf 'line %s\n' "$i" >"$Q/in$i"; done
fi
tg_log strace # set, so a library that opened its log early would show it
NORM=$TG_SRCDIR/tests/helpers/strace_norm.py

# compare_run DESC CMD...: trace CMD bare and preloaded (harden and audit).
compare_run() {
	local desc=$1 mode
	shift
	TG_TRACE=$TG_WORK/t.bare tg_run bare "$@"
	local bare_out=${OUT//pid=[0-9]*/pid=N} bare_rc=$RC
	"$TG_PY" "$NORM" "$TG_LIB" "$TG_WORK/t.bare" "$TG_WORK/r.bare" >"$TG_WORK/n.bare"
	for mode in harden audit; do
		TG_TRACE=$TG_WORK/t.$mode tg_run $mode "$@"
		"$TG_PY" "$NORM" "$TG_LIB" "$TG_WORK/t.$mode" "$TG_WORK/r.$mode" >"$TG_WORK/n.$mode"
		local removed bad
		removed=$(cat "$TG_WORK/r.$mode")
		bad=$(grep -vE '^(openat|read|pread64|newfstatat|fstat|mmap|close)\(' <<<"$removed")
		if [ "$(grep -c 'libtmpguard\.so' <<<"$removed")" = 1 ] && [ -z "$bad" ] &&
			[[ $(tail -n 1 <<<"$removed") == close\(* ]]; then
			tap_ok "$mode $desc: the filtered loader block is one open..close of libtmpguard.so ($(grep -c . <<<"$removed") lines)"
		else
			tap_not_ok "$mode $desc: the filtered loader block is one open..close of libtmpguard.so" "$removed"
		fi
		OUT=${OUT//pid=[0-9]*/pid=N}
		if [ "$RC:$OUT" = "$bare_rc:$bare_out" ] &&
			diff -u "$TG_WORK/n.bare" "$TG_WORK/n.$mode" >"$TG_WORK/diff"; then
			tap_ok "$mode $desc: same output and the same $(grep -c . "$TG_WORK/n.bare") system calls as without tmpguard"
		else
			tap_not_ok "$mode $desc: same system calls as without tmpguard" \
				"rc/out bare: $bare_rc/$bare_out; $mode: $RC/$OUT" "$(head -n 40 "$TG_WORK/diff")"
		fi
	done
}

# --- 1. outside shared directories: exactly the same system calls --------
private_run() {
	if [ -n "$Q" ]; then
		compare_run "$@"
	else
		local mode
		for mode in harden audit; do
			tap_skip "$mode $1: the loader block" "the build tree is in a shared directory"
			tap_skip "$mode $1: same system calls" "the build tree is in a shared directory"
		done
	fi
}
private_run "cat of three files" cat "$Q/in1" "$Q/in2" "$Q/in3"
private_run "legacy read (open O_RDONLY)" "$LEGACY" read "$Q/in1" "$Q/in2" "$Q/in4"
private_run "legacy_fortify open2 (__open_2, O_RDONLY)" "$TG_HELPERS/legacy_fortify" open2 "$Q/in1" RDONLY
private_run "legacy_fortify_lfs openat2 (__openat64_2, O_RDONLY)" "$TG_HELPERS/legacy_fortify_lfs" openat2 "$Q" in2 RDONLY
private_run "legacy fopen(\"r\")" "$LEGACY" fopen "$Q/in3" r
private_run "ls -l of a directory" ls -l "$Q"
private_run "bash reading with <" bash -c 'read -r x <"$1"; echo "$x"' sh "$Q/in1"
tap_log_none "nothing logged by read-only programs"

# --- 2. in a shared directory: pinned, judged, read through the pin ---------
# judged_run DESC FILES CMD...: each of FILES (names in $S) is opened only
# with O_PATH by name, and read through /proc/self/fd; output as bare.
judged_run() {
	local desc=$1 files=$2 mode f ops
	shift 2
	tg_run bare "$@"
	local bare_out=${OUT//pid=[0-9]*/pid=N} bare_rc=$RC
	for mode in harden audit; do
		TG_TRACE=$TG_WORK/t.$mode tg_run $mode "$@"
		OUT=${OUT//pid=[0-9]*/pid=N}
		tap_is "$RC:$OUT" "$bare_rc:$bare_out" "$mode $desc: same output as without tmpguard"
		[ $mode = audit ] && continue # audit changes nothing: the program's own opens
		local bad=
		for f in $files; do
			ops=$(tg_trace_ops "$TG_WORK/t.$mode" "$f")
			if [ -z "$ops" ] || grep -qv 'O_PATH' <<<"$ops"; then
				bad="$bad $f: $(tr '\n' ';' <<<"$ops")"
			fi
		done
		local reads
		reads=$(grep -cE 'open(at)?\(AT_FDCWD, "/proc/self/fd/[0-9]+", O_RDONLY' "$TG_WORK/t.$mode")
		if [ -z "$bad" ] && [ "$reads" -ge "$(wc -w <<<"$files")" ]; then
			tap_ok "$mode $desc: each file pinned with O_PATH, read through /proc/self/fd ($reads)"
		else
			tap_not_ok "$mode $desc: each file pinned with O_PATH, read through /proc/self/fd" \
				"opened by name for I/O:$bad" "reads through /proc/self/fd: $reads"
		fi
	done
}
judged_run "cat of three files in a shared dir" "in1 in2 in3" cat "$S/in1" "$S/in2" "$S/in3"
judged_run "legacy read (open O_RDONLY) in a shared dir" "in1 in2" "$LEGACY" read "$S/in1" "$S/in2"
judged_run "legacy fopen(\"r\") in a shared dir" "in3" "$LEGACY" fopen "$S/in3" r
judged_run "bash reading with < in a shared dir" "in1" bash -c 'read -r x <"$1"; echo "$x"' sh "$S/in1"
tap_log_none "nothing logged for the caller's own files"

# --- 3. directly in the outermost listed directory (/tmp/NAME) ----------------
# A regular file the rule accepts is looked at with one lstat, opened by
# its name without following or blocking, and kept only if it is the file
# looked at; never pinned. Anything else (here the caller's own FIFO) goes
# through the walk: pinned, and opened only through /proc/self/fd.
T=/tmp/tgit-shallow.$$
tg_cleanup_later "$T.in" "$T.fifo" "$T.new"
printf 'SHALLOW\n' >"$T.in"
tg_run bare cat "$T.in"
bare_out=$OUT
TG_TRACE=$TG_WORK/t.shallow tg_run harden cat "$T.in"
tap_is "$RC:$OUT" "0:$bare_out" "harden cat of the caller's file in /tmp: as without tmpguard"
ops=$(tg_trace_ops "$TG_WORK/t.shallow" "${T##*/}.in" | tr '\n' ';')
tap_like "$ops" '^newfstatat - - 0;openat O_RDONLY\|O_NONBLOCK\|O_NOFOLLOW - [0-9]+;$' \
	"harden cat of the caller's file in /tmp: one lstat, opened by name not following, not blocking"
TG_TRACE=$TG_WORK/t.shallow-new tg_run harden "$LEGACY" fopen "$T.new" w
ops=$(tg_trace_ops "$TG_WORK/t.shallow-new" "${T##*/}.new" | tr '\n' ';')
tap_like "$ops" '^newfstatat - - ENOENT;openat O_WRONLY\|O_CREAT\|O_EXCL\|O_TRUNC\|O_NOFOLLOW 0600 [0-9]+;$' \
	"harden fopen(\"w\") of a new name in /tmp: one lstat, created exclusively 0600"
mkfifo -m 0600 "$T.fifo"
( exec 3<>"$T.fifo"; sleep 5 ) & # keeps the FIFO open for reading and writing
holder=$!
TG_TRACE=$TG_WORK/t.shallow-fifo tg_run harden "$LEGACY" fopen "$T.fifo" a
tg_kill_job "$holder"; wait "$holder" 2>/dev/null
ops=$(tg_trace_ops "$TG_WORK/t.shallow-fifo" "${T##*/}.fifo")
if [ -n "$ops" ] && ! grep -v '^newfstatat ' <<<"$ops" | grep -qv 'O_PATH'; then
	tap_ok "harden open of the caller's FIFO in /tmp: pinned, never opened by name"
else
	tap_not_ok "harden open of the caller's FIFO in /tmp: pinned, never opened by name" "$ops"
fi

tap_done
exit 0
