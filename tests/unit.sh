#!/bin/sh
# tmpguard unit tests: runs the Check runner and turns its results into TAP,
# one line per test, for automake's TAP driver. The runner is never run
# under LD_PRELOAD: it tests the pure core, not the hooks.
#
# Environment: TG_BUILDDIR (default: the current directory); Check's own
# variables pass through (CK_RUN_SUITE, CK_RUN_CASE, CK_TIMEOUT_MULTIPLIER).

unset LD_PRELOAD
builddir=${TG_BUILDDIR:-$(pwd)}
runner="$builddir/tests/unit/check_tmpguard"

if [ ! -x "$runner" ]; then
	echo "1..1"
	echo "not ok 1 - $runner is not built (make check builds it)"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-unit.XXXXXXXX") || {
	echo "Bail out! cannot create a temporary directory"
	exit 1
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Check writes its TAP log to a file; the runner's own output (silent
# unless something is wrong) is kept apart and shown as diagnostics.
CK_FORK=yes CK_VERBOSITY=silent CK_TAP_LOG_FILE_NAME="$tmp/tap" \
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-3} \
	"$runner" >"$tmp/out" 2>&1
rc=$?

[ -f "$tmp/tap" ] || : >"$tmp/tap"

# Result lines are passed on (a '#' in a message escaped, so it is never
# read as a TAP directive); any other line (a message that spans lines,
# the runner's output) becomes a diagnostic. The plan is recounted, and a
# runner that failed without saying which test failed adds a failure.
{
	cat "$tmp/tap"
	echo "@@RUNNER-OUTPUT@@"
	cat "$tmp/out"
} | awk -v rc="$rc" '
	BEGIN { n = 0; failed = 0; plan = ""; tail = 0 }
	/^@@RUNNER-OUTPUT@@$/ { tail = 1; next }
	tail { print "# " $0; next }
	/^ok [0-9]/ {
		n++; gsub(/#/, "\\#"); sub(/^ok [0-9]+/, "ok " n); print; next
	}
	/^not ok [0-9]/ {
		n++; failed++; gsub(/#/, "\\#"); sub(/^not ok [0-9]+/, "not ok " n); print; next
	}
	/^1\.\.[0-9]+$/ { plan = substr($0, 4); next }
	{ print "# " $0 }
	END {
		if (plan == "" && rc == 0) {
			n++; failed++
			print "not ok " n " - check_tmpguard wrote no TAP plan"
		} else if (plan != "" && plan + 0 != n) {
			n++; failed++
			print "not ok " n " - check_tmpguard planned " plan " tests, reported " (n - 1)
		}
		if (rc != 0 && failed == 0) {
			n++
			print "not ok " n " - check_tmpguard exited with status " rc
		}
		print "1.." n
	}
'
awk_rc=$?

if [ "$rc" -ne 0 ] || [ "$awk_rc" -ne 0 ]; then
	exit 1
fi
exit 0
