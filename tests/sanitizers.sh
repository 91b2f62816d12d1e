#!/bin/bash
# sanitizers.sh (heavy) — valgrind memcheck of the command, and the library
# tests on a tree built with `configure --enable-sanitizers` (ASan + UBSan
# in the library, the command and the unit tests), in a private copy of the
# distributed sources. Heavy: only with TMPGUARD_HEAVY_TESTS=1.
. "$TG_SRCDIR/tests/lib.sh"

if [ "${TMPGUARD_HEAVY_TESTS:-}" != 1 ]; then
	tap_skip "valgrind memcheck of the command" "heavy test: set TMPGUARD_HEAVY_TESTS=1"
	tap_skip "the library tests under ASan and UBSan" "heavy test: set TMPGUARD_HEAVY_TESTS=1"
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
	tap_not_ok "the sources for a sanitized build (make distdir)" "$(tail -n 20 "$TG_WORK/distdir.log")"
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
	# the library's behaviour tests; not yet here: cli.sh (does not use
	# lib.sh), strace.sh (ASan's own system calls differ from bare),
	# programs.sh and deploy-*.sh (uninstrumented compilers and services
	# with the ASan runtime late in the link order crash in ASan's early
	# interceptors: they need libasan first in LD_PRELOAD)
	inner="tests/unit.sh tests/open-family.sh tests/names.sh tests/nodes.sh
		tests/stdio.sh tests/attacks.sh tests/audit.sh tests/log.sh
		tests/report.sh tests/scan.sh tests/stress.sh tests/sinks-broken.sh
		tests/errno.sh tests/hostile.sh"
	inner=$(echo $inner)
	# every test, also those not using lib.sh, preloads the sanitized
	# library into uninstrumented programs: the runtime comes after libc
	(cd "$BLD" && env -u TMPGUARD_HEAVY_TESTS \
		ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		timeout -k 10 1800 make -j2 check TESTS="${inner# }") >"$TG_WORK/asan-check.log" 2>&1
	rc=$?
	sum=$(grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$TG_WORK/asan-check.log" | tr '\n' ' ')
	if [ "$rc" = 0 ]; then
		tap_ok "the library tests pass under ASan and UBSan ($sum)"
	else
		tap_not_ok "the library tests pass under ASan and UBSan" "exit $rc: $sum" \
			"$(grep -E '^(FAIL|ERROR)' "$TG_WORK/asan-check.log" | head -n 40)" \
			"$(cd "$BLD" && grep -l -E 'ERROR: AddressSanitizer|runtime error' tests/*.log tests/*/*.log 2>/dev/null | head)"
	fi
	n=$(cd "$BLD" && grep -l -E 'ERROR: AddressSanitizer|runtime error:' tests/*.log tests/unit/*.log 2>/dev/null | wc -l)
	tap_is "$n" 0 "no sanitizer report in any test log"
fi

tap_done
