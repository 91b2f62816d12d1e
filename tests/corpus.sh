#!/bin/bash
# tests/corpus.sh — real Debian programs under harden give the same results
# as bare (heavy: only with TMPGUARD_HEAVY_TESTS=1):
#  - the corpus, tests/corpus/*.sh, each run by scripts/tmpguard-compare
#    (bare twice, then under `tmpguard run --mode=harden`), one test each;
#  - CPython's own tempfile tests (test_tempfile from Debian's
#    libpython3.11-testsuite) bare and under harden: same outcome;
#  - CPython's test_tarfile under umask 000, bare and under harden with
#    --file-mode=program (the modes the program asks for): same outcome;
#  - the builds and test suites of two GNU packages fetched with
#    `apt-get source` (m4, sed): `./configure && make && make check` bare,
#    under `tmpguard run --mode=audit` and `--mode=harden`: the same exit
#    status, test-suite counts and failing tests as bare in both modes.
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

HEAVY="heavy test: set TMPGUARD_HEAVY_TESTS=1"
CORPUS=$TG_SRCDIR/tests/corpus
GNU_PKGS="m4 sed"
T0=$(date +%s)

if [ "${TMPGUARD_HEAVY_TESTS:-}" != 1 ]; then
	tap_skip "corpus of real programs under tmpguard-compare" "$HEAVY"
	tap_skip "CPython test_tempfile under harden" "$HEAVY"
	tap_skip "CPython test_tarfile under umask 000, harden --file-mode=program" "$HEAVY"
	tap_skip "GNU package builds and test suites under audit and harden" "$HEAVY"
	tap_done
	exit 0
fi

unset TMPGUARD_DIRS TMPGUARD_FORMAT # the runs below use the defaults

# ---------------------------------------------------------------- corpus ----

for w in "$CORPUS"/*.sh; do
	n=$(basename "$w" .sh)
	out=$(timeout -k 5 900 "$CORPUS/run" --tmpguard="$TG_CMD" \
		--results="$TG_WORK/corpus" "$n" 2>&1)
	case $out in
	PASS*) tap_ok "corpus: $n under harden as bare ${out#PASS "$n" }" ;;
	SKIP*) tap_skip "corpus: $n" "${out#SKIP "$n": }" ;;
	*) tap_not_ok "corpus: $n under harden as bare" "$out" ;;
	esac
done

# --------------------------------------------------------------- CPython ----

PYT=/usr/bin/python3
PYTEST=$($PYT -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null)/test/test_tempfile.py
# py_tempfile MODE: run test_tempfile (bare or under tmpguard run); sets
# RC, PYSUM (the unittest summary: "Ran N tests" and the OK/FAILED line).
py_tempfile() {
	local pre=() d=$TG_WORK/py-$1
	mkdir -p "$d"
	[ "$1" = bare ] || pre=("$TG_CMD" run --mode="$1" --log="$TG_LOGDIR/py-$1.log" --format=json --)
	(cd "$d" && timeout -k 5 600 "${pre[@]}" "$PYT" -m test -v test_tempfile) \
		>"$d.out" 2>&1 </dev/null
	RC=$?
	PYSUM=$(grep -E '^(Ran [0-9]+ tests|OK|FAILED)' "$d.out" | sed 's/ in [0-9.]*s$//' | tr '\n' ' ')
}
if [ ! -f "$PYTEST" ]; then
	tap_skip "CPython test_tempfile bare" "not installed: $PYTEST (package libpython3.11-testsuite)"
	tap_skip "CPython test_tempfile under harden" "not installed: $PYTEST (package libpython3.11-testsuite)"
else
	py_tempfile bare
	BARE_SUM=$PYSUM
	if [ "$RC" = 0 ]; then
		tap_ok "CPython test_tempfile bare: $BARE_SUM"
	else
		tap_not_ok "CPython test_tempfile bare (rc=$RC)" "$(tail -n 30 "$TG_WORK/py-bare.out")"
	fi
	py_tempfile harden
	if [ "$RC" = 0 ] && [ "$PYSUM" = "$BARE_SUM" ]; then
		tap_ok "CPython test_tempfile under harden: $PYSUM"
	else
		tap_not_ok "CPython test_tempfile under harden (rc=$RC)" "bare:   $BARE_SUM" \
			"harden: $PYSUM" "$(grep -E '^(FAIL|ERROR):' "$TG_WORK/py-harden.out" | head -n 20)" \
			"$(tail -n 30 "$TG_WORK/py-harden.out")"
	fi
	tap_diag "CPython test_tempfile under harden: $(wc -l <"$TG_LOGDIR/py-harden.log" 2>/dev/null || echo 0) violations logged"
fi

# test_tarfile checks the modes of the files it extracts and writes: under
# umask 000 the program's own modes show, and --file-mode=program keeps
# them. It runs as a user who is not root: as root, tarfile gives what it
# extracts to the archive's owners and then changes it, which the rule
# refuses in a shared directory (another user's file; README, Limits).
# py_tarfile NAME [RUN-OPTION...]: bare without options; sets RC, PYSUM,
# PYFAILED (the failing tests).
PYTAR=${PYTEST%/*}/test_tarfile.py
PYTAR_AS=()
if [ "$(id -u)" = 0 ]; then
	if tg_attacker_setup; then
		PYTAR_AS=(setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups --)
	else
		PYTAR_AS=(false) # said below
	fi
fi
py_tarfile() {
	local n=$1 pre=() d=$TG_WORK/pytar-$1
	shift
	mkdir -p "$d"
	[ ${#PYTAR_AS[@]} -eq 0 ] || chown "$TG_ATT_UID:$TG_ATT_GID" "$d"
	[ $# -eq 0 ] || pre=("$TG_CMD" run "$@" --log="$d/run.log" --format=json --)
	(umask 000 && cd "$d" && HOME=$d timeout -k 5 600 "${PYTAR_AS[@]}" "${pre[@]}" "$PYT" -m test -v test_tarfile) \
		>"$d.out" 2>&1 </dev/null
	RC=$?
	PYSUM=$(grep -E '^(Ran [0-9]+ tests|OK|FAILED)' "$d.out" | sed 's/ in [0-9.]*s$//' | tr '\n' ' ')
	PYFAILED=$(grep -E '^(FAIL|ERROR):' "$d.out" | sort | tr '\n' ' ')
}
if [ ! -f "$PYTAR" ]; then
	tap_skip "CPython test_tarfile under umask 000, harden --file-mode=program" "not installed: $PYTAR (package libpython3.11-testsuite)"
elif [ "${PYTAR_AS[0]:-}" = false ]; then
	tap_skip "CPython test_tarfile under umask 000, harden --file-mode=program" "as root, and no second user to run it as: $TG_ATT_WHY"
else
	py_tarfile bare
	TAR_RC=$RC TAR_SUM=$PYSUM TAR_FAILED=$PYFAILED
	tap_diag "CPython test_tarfile under umask 000, bare: rc=$RC $PYSUM $PYFAILED"
	py_tarfile program --mode=harden --file-mode=program
	if [ -n "$PYSUM" ] && [ "$RC:$PYSUM:$PYFAILED" = "$TAR_RC:$TAR_SUM:$TAR_FAILED" ]; then
		tap_ok "CPython test_tarfile under umask 000, harden --file-mode=program as bare: $PYSUM"
	else
		tap_not_ok "CPython test_tarfile under umask 000, harden --file-mode=program as bare (rc=$RC, bare rc=$TAR_RC)" \
			"bare:   $TAR_SUM $TAR_FAILED" "harden: $PYSUM $PYFAILED" "$(tail -n 30 "$TG_WORK/pytar-program.out")"
	fi
fi

# ---------------------------------------------------------- GNU packages ----

# A private apt configuration with a deb-src entry: the system's sources
# are not touched; lists and downloads stay in TG_WORK.
APTD=$TG_WORK/apt
gnu_fetch() {
	command -v dpkg-source >/dev/null || { WHY="dpkg-source not installed (package dpkg-dev)"; return 1; }
	mkdir -p "$APTD/lists/partial" "$APTD/cache/archives/partial" "$TG_WORK/src"
	echo "deb-src http://deb.debian.org/debian bookworm main" >"$APTD/sources.list"
	APTO=(-o "Dir::Etc::SourceList=$APTD/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o "Dir::State::Lists=$APTD/lists" -o "Dir::Cache=$APTD/cache"
		-o APT::Sandbox::User=root)
	timeout 300 apt-get -qq "${APTO[@]}" update >"$TG_WORK/apt.out" 2>&1 ||
		{ WHY="apt-get update with a deb-src entry failed (Debian archive unreachable?): $(tail -n 2 "$TG_WORK/apt.out")"; return 1; }
	# shellcheck disable=SC2086
	(cd "$TG_WORK/src" && timeout 300 apt-get -qq "${APTO[@]}" source --download-only $GNU_PKGS) \
		>>"$TG_WORK/apt.out" 2>&1 ||
		{ WHY="apt-get source $GNU_PKGS failed: $(tail -n 2 "$TG_WORK/apt.out")"; return 1; }
}

# gnu_build PKG MODE: fresh tree from the package's upstream tarball (the
# Debian patches touch the manuals, which would need makeinfo), configure,
# make, make -k check under tmpguard run --mode=MODE; sets RC, SUM (the
# test-suite counts), FAILED (the failing tests), SECS, VIOL.
gnu_build() {
	local pkg=$1 mode=$2 d=$TG_WORK/build-$1-$2 tarball t
	tarball=$(ls "$TG_WORK/src/${pkg}"_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n 1)
	rm -rf "$d"
	mkdir -p "$d/src"
	tar -xf "$tarball" -C "$d/src" --strip-components=1 >"$d.out" 2>&1 || { RC=99 SUM="tar -xf $tarball failed" FAILED= SECS=0 VIOL=0; return; }
	local -a pre=()
	[ "$mode" = bare ] || pre=("$TG_CMD" run --mode="$mode" \
		--log="$TG_LOGDIR/$pkg-$mode.log" --format=json --)
	t=$(date +%s)
	(cd "$d/src" && timeout -k 10 1200 "${pre[@]}" \
		sh -c './configure -q && make -j2 -s && make -k -j2 -s check') >>"$d.out" 2>&1 </dev/null
	RC=$?
	SECS=$(($(date +%s) - t))
	SUM=$(grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' "$d.out" | tr -s ' ' | tr '\n' ' ')
	# automake's FAIL/ERROR/XPASS lines; m4's own checks print
	# "Failed checks were:" and the names on the next line
	FAILED=$({ grep -E '^(FAIL|ERROR|XPASS): ' "$d.out"
		grep -A1 '^Failed checks were:' "$d.out" | grep -v '^Failed checks' | tr -s ' ' '\n' | sed '/^$/d; /^--$/d; s/^/check: /'; } | sort | tr '\n' ' ')
	VIOL=$(wc -l <"$TG_LOGDIR/$pkg-$mode.log" 2>/dev/null || echo 0)
}

if ! gnu_fetch; then
	for p in $GNU_PKGS; do
		tap_skip "$p: configure, make, make check bare" "$WHY"
		tap_skip "$p: configure, make, make check under audit" "$WHY"
		tap_skip "$p: configure, make, make check under harden" "$WHY"
	done
else
	for p in $GNU_PKGS; do
		# The suite must run to its summary; tests that fail bare (as
		# root: sed's panic-tests.sh, a read-only directory does not stop
		# root; m4's 198.sysval, dash reports "Killed") must fail the same
		# way under audit and harden, and nothing else may.
		gnu_build "$p" bare
		B_RC=$RC B_SUM=$SUM B_FAILED=$FAILED
		if [ -n "$SUM" ]; then
			tap_ok "$p: configure, make, make check bare ($SECS s; rc=$RC; $SUM)"
			[ -z "$FAILED" ] || tap_diag "$p bare: $FAILED"
		else
			tap_not_ok "$p: configure, make, make check bare (rc=$RC, no test-suite summary)" \
				"$(tail -n 40 "$TG_WORK/build-$p-bare.out")"
		fi
		for mode in audit harden; do
			gnu_build "$p" $mode
			if [ -n "$SUM" ] && [ "$RC" = "$B_RC" ] && [ "$SUM" = "$B_SUM" ] && [ "$FAILED" = "$B_FAILED" ]; then
				tap_ok "$p: configure, make, make check under $mode as bare ($SECS s, $VIOL violations; rc=$RC; $SUM)"
			else
				tap_not_ok "$p: configure, make, make check under $mode (rc=$RC, bare rc=$B_RC)" \
					"bare:  $B_SUM $B_FAILED" "$mode: $SUM $FAILED" "$(tail -n 40 "$TG_WORK/build-$p-$mode.out")"
			fi
		done
		rm -rf "$TG_WORK/build-$p-bare" "$TG_WORK/build-$p-audit" "$TG_WORK/build-$p-harden"
	done
fi

tap_diag "corpus.sh took $(($(date +%s) - T0)) s"
tap_done
