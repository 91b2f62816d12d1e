#!/bin/bash
# fuzz.sh (heavy) — the libFuzzer targets (fuzz/: policy, event formatter
# and JSON escaping, report's log parser) built with clang
# -fsanitize=fuzzer,address,undefined and run on their seed corpora for
# TMPGUARD_FUZZ_SECONDS each (default 60). Longer: scripts/fuzz run DIR 3600.
. "$TG_SRCDIR/tests/lib.sh"

if [ "${TMPGUARD_HEAVY_TESTS:-}" != 1 ]; then
	tap_skip "fuzzing" "heavy test: set TMPGUARD_HEAVY_TESTS=1"
	tap_done
	exit 0
fi
CC=${TG_FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null; then
	tap_skip "fuzzing" "clang not installed (Debian package clang)"
	tap_done
	exit 0
fi
echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' >"$TG_WORK/probe.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined -o "$TG_WORK/probe" "$TG_WORK/probe.c" 2>/dev/null; then
	tap_skip "fuzzing" "$CC cannot link libFuzzer (Debian package libclang-rt-dev or clang's compiler-rt)"
	tap_done
	exit 0
fi
OUT=$TG_WORK/fuzz
TARGETS="policy event report"
secs=${TMPGUARD_FUZZ_SECONDS:-60}
if CC=$CC "$TG_SRCDIR/scripts/fuzz" build "$TG_BUILDDIR" "$OUT" >"$TG_WORK/build.log" 2>&1; then
	tap_ok "the fuzz targets build"
else
	tap_not_ok "the fuzz targets build" "$(tail -n 30 "$TG_WORK/build.log")"
	for t in $TARGETS; do tap_not_run "the fuzz targets did not build" "fuzz_$t: $secs s clean"; done
	tap_done
	exit 0
fi
for t in $TARGETS; do
	if res=$("$TG_SRCDIR/scripts/fuzz" run "$OUT" "$secs" "$t" 2>&1); then
		tap_ok "fuzz_$t: $secs s clean ($(grep -o 'number_of_executed_units: [0-9]*' <<<"$res"))"
	else
		tap_not_ok "fuzz_$t: $secs s clean" "$res"
	fi
done
tap_done
