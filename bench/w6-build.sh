#!/bin/bash
# W6a: building and testing a real C package with gcc: GNU sed from Debian's
# source package.
#   w6-build.sh prepare CACHE   fetch (apt-get source, through a private apt
#                               configuration with a deb-src entry: nothing in
#                               /etc is changed), unpack and configure once;
#                               reused between runs (not measured)
#   w6-build.sh run CACHE       what is measured: make clean, make -j2,
#                               make -j2 check (fails if a test fails)
set -eu
what=$1 cache=$2
pkg=${BENCH_W6_PACKAGE:-sed}
tree=$cache/$pkg-tree
case $what in
prepare)
	if [ -f "$tree/.configured" ]; then exit 0; fi
	command -v dpkg-source >/dev/null || { echo "w6-build: dpkg-dev is not installed" >&2; exit 77; }
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache" "$cache/src"
	echo "deb-src http://deb.debian.org/debian bookworm main" > "$cache/apt/sources.list"
	a=(-o "Dir::Etc::SourceList=$cache/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
	   -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache")
	if ! ls "$cache/src/${pkg}_"*.dsc >/dev/null 2>&1; then
		timeout 300 apt-get "${a[@]}" update -qq >&2 || { echo "w6-build: apt-get update failed" >&2; exit 77; }
		(cd "$cache/src" && timeout 300 apt-get "${a[@]}" source -qq --download-only "$pkg" >&2) ||
			{ echo "w6-build: apt-get source $pkg failed" >&2; exit 77; }
	fi
	rm -rf "$tree"
	dsc=$(ls "$cache/src/${pkg}_"*.dsc | head -n1)
	dpkg-source --no-check -x --skip-patches "$dsc" "$tree" >/dev/null
	(cd "$tree" && ./configure -q >/dev/null 2>&1)
	touch "$tree/.configured"
	;;
run)
	cd "$tree"
	make -s clean >/dev/null 2>&1
	make -s -j2 >/dev/null 2>&1
	# as root, panic-tests.sh cannot make a directory unwritable: expected to fail
	xfail=
	if [ "$pkg" = sed ] && [ "$(id -u)" = 0 ]; then xfail=testsuite/panic-tests.sh; fi
	make -s -j2 check XFAIL_TESTS="$xfail" >/dev/null 2>&1
	;;
esac
