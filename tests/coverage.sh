#!/bin/bash
# coverage.sh (heavy) — line coverage of the library by the test suite
# (scripts/coverage: gcov over libtmpguard.so's sources, the command's files
# left out) in a private tree made from the distributed sources; at least
# 90%. Heavy: only with TMPGUARD_HEAVY_TESTS=1.
. "$TG_SRCDIR/tests/lib.sh"

if [ "${TMPGUARD_HEAVY_TESTS:-}" != 1 ]; then
	tap_skip "library line coverage at least 90%" "heavy test: set TMPGUARD_HEAVY_TESTS=1"
	tap_done
	exit 0
fi
if ! command -v gcov >/dev/null; then
	tap_skip "library line coverage at least 90%" "gcov not installed (Debian package gcc)"
	tap_done
	exit 0
fi
DIST=$TG_WORK/dist
if ! make -s -C "$TG_BUILDDIR" distdir distdir="$DIST" >"$TG_WORK/distdir.log" 2>&1; then
	tap_not_run "no sources for a coverage build: make distdir failed:
$(tail -n 20 "$TG_WORK/distdir.log")" "library line coverage at least 90%" \
		"the suite passes in the coverage build"
	tap_done
	exit 0
fi
# the whole suite but the heavy tests, as in scripts/coverage's own use
# (a TESTS= or -j given to the outer make must not reach the inner one)
env -u TMPGUARD_HEAVY_TESTS -u TESTS -u MAKEFLAGS -u MFLAGS -u MAKELEVEL timeout -k 10 2400 \
	"$DIST/scripts/coverage" --min 90 "$TG_WORK/cov" >"$TG_WORK/coverage.out" 2>&1
rc=$?
total=$(grep '^TOTAL' "$TG_WORK/coverage.out")
if [ "$rc" = 0 ] && [ -n "$total" ]; then
	tap_ok "library line coverage at least 90%: ${total#TOTAL }"
else
	tap_not_ok "library line coverage at least 90%" "exit $rc" "$(tail -n 40 "$TG_WORK/coverage.out")"
fi
checks=$(grep '^make check:' "$TG_WORK/coverage.out")
passed=$(sed -n 's/.*(\([0-9]*\) pass\/skip lines.*/\1/p' <<<"$checks")
if [[ $checks == *", 0 fail/error;"* ]] && [ "${passed:-0}" -ge 1000 ]; then
	tap_ok "the suite passes in the coverage build (${checks%%;*})"
else
	tap_not_ok "the suite passes in the coverage build" "$checks" \
		"$(grep -E '^(FAIL|ERROR)' "$TG_WORK/cov/check.out" | head -n 40)"
fi
tap_done
