#!/bin/bash
# sanitizers.sh (heavy) — valgrind memcheck of the command, and the test
# suite on a tree built with `configure --enable-sanitizers` (ASan + UBSan in
# the library, the command, the helpers and the unit tests), in a private
# copy of the distributed sources. Heavy: only with TMPGUARD_HEAVY_TESTS=1.
. "$TG_SRCDIR/tests/lib.sh"

if [ "${TMPGUARD_HEAVY_TESTS:-}" != 1 ]; then
	tap_skip "valgrind memcheck of the command" "heavy test: set TMPGUARD_HEAVY_TESTS=1"
	tap_skip "the test suite under ASan and UBSan" "heavy test: set TMPGUARD_HEAVY_TESTS=1"
	tap_done
	exit 0
fi

# 1. valgrind: no error, no definite or indirect leak, same exit status
if ! command -v valgrind >/dev/null; then
	tap_skip "valgrind memcheck of the command" "valgrind not installed (Debian package valgrind)"
else
	printf 'tmpguard: 2026-11-23T10:52:01.123456Z /usr/bin/cobc[4242] uid=1000 event=hijack-blocked action=blocked func=fopen path="/tmp/cob4242_0.c" caller=/bin/true+0x1a2b mode=harden errno=EACCES(13) detail=symlink\n{"pid":1}\n' \
		>"$TG_WORK/sample.log"
	cmds=(
		"run -- true"
		"run -- sh -c exit\\ 3"
		"run --mode=audit -- $LEGACY open $TG_STICKY/vg-open"
		"env"
		"--libpath"
		"--help"
		"run --bogus"
		"report $TG_WORK/sample.log"
		"report --format=json $TG_WORK/sample.log"
		"report --format=sarif $TG_WORK/sample.log"
		"scan /bin/true"
	)
	for c in "${cmds[@]}"; do
		eval "args=($c)"
		timeout -k 2 60 "$TG_CMD" "${args[@]}" >/dev/null 2>&1 </dev/null
		want=$?
		timeout -k 2 300 valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			--show-leak-kinds=definite,indirect \
			--log-file="$TG_WORK/vg.%p" "$TG_CMD" "${args[@]}" \
			>/dev/null 2>&1 </dev/null
		got=$?
		# valgrind's own notes (--PID--, e.g. an unhandled new system
		# call) are not errors in the program
		rep=$(cat "$TG_WORK"/vg.* 2>/dev/null | grep -v '^--[0-9]*-- ')
		rm -f "$TG_WORK"/vg.*
		if [ "$got" = "$want" ] && [ -z "$rep" ]; then
			tap_ok "valgrind: tmpguard $c: clean (exit $got)"
		else
			tap_not_ok "valgrind: tmpguard $c" "exit $got, without valgrind $want" "${rep:0:3000}"
		fi
	done
fi

# 2. the whole suite, sanitized, in a private tree made from the
# distributed sources (the source tree may be configured in place)
DIST=$TG_WORK/dist
BLD=$TG_WORK/asan
if ! make -s -C "$TG_BUILDDIR" distdir distdir="$DIST" >"$TG_WORK/distdir.log" 2>&1; then
	tap_not_run "no sources for a sanitized build: make distdir failed:
$(tail -n 20 "$TG_WORK/distdir.log")" "configure --enable-sanitizers && make" \
		"the library carries ASan and UBSan" "the test suite passes under ASan and UBSan" \
		"no sanitizer report in any test log"
	tap_done
	exit 0
fi
mkdir -p "$BLD"
(cd "$BLD" && "$DIST/configure" --quiet --enable-sanitizers && make -j2) >"$TG_WORK/asan-build.log" 2>&1
rc=$?
tap_is "$rc" 0 "configure --enable-sanitizers && make"
if [ "$rc" = 0 ]; then
	tap_check "the library carries ASan and UBSan" \
		bash -c "ldd '$BLD/src/.libs/libtmpguard.so' | grep -q libasan && ldd '$BLD/src/.libs/libtmpguard.so' | grep -q libubsan"
	# the whole suite but the heavy tests (this one among them); every
	# program the tests run under the library gets the ASan runtime
	# first in LD_PRELOAD, as `tmpguard run` of this build does
	# (a TESTS= or -j given to the outer make must not reach the inner one)
	(cd "$BLD" && env -u TMPGUARD_HEAVY_TESTS -u ASAN_OPTIONS -u UBSAN_OPTIONS \
		-u TESTS -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		timeout -k 10 2400 make -j2 check) >"$TG_WORK/asan-check.log" 2>&1
	rc=$?
	sum=$(grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$TG_WORK/asan-check.log" | tr '\n' ' ')
	total=$(sed -n 's/^# TOTAL: *//p' "$TG_WORK/asan-check.log")
	if [ "$rc" = 0 ] && [ "${total:-0}" -ge 1000 ]; then
		tap_ok "the test suite passes under ASan and UBSan ($sum)"
	else
		tap_not_ok "the test suite passes under ASan and UBSan" "exit $rc: $sum" \
			"$(grep -E '^(FAIL|ERROR)' "$TG_WORK/asan-check.log" | head -n 40)" \
			"$(cd "$BLD" && grep -l -E 'ERROR: AddressSanitizer|runtime error' tests/*.log tests/*/*.log 2>/dev/null | head)"
	fi
	n=$(cd "$BLD" && grep -l -E 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' tests/*.log tests/*/*.log 2>/dev/null | wc -l)
	tap_is "$n" 0 "no sanitizer report in any test log"
else
	tap_not_run "the sanitized build failed (see above)" "the library carries ASan and UBSan" \
		"the test suite passes under ASan and UBSan" "no sanitizer report in any test log"
fi

tap_done
