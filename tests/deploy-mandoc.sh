#!/bin/bash
# deploy-mandoc.sh — the man pages: lint-clean for mandoc and man-db, complete
# (every subcommand, option, variable, event and field the contract names),
# and installed by `make install` with the command and the library.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

M1=$TG_SRCDIR/man/tmpguard.1
M7=$TG_SRCDIR/man/tmpguard.7

# --- 1. lint -----------------------------------------------------------------
if command -v mandoc >/dev/null; then
	for m in "$M1" "$M7"; do
		out=$(mandoc -T lint -W warning "$m" 2>&1)
		tap_is "$?:$out" "0:" "mandoc -T lint -W warning: $(basename "$m") is clean"
	done
else
	tap_skip "mandoc -T lint tmpguard.1" "mandoc not installed (Debian package mandoc)"
	tap_skip "mandoc -T lint tmpguard.7" "mandoc not installed (Debian package mandoc)"
fi
if command -v man >/dev/null && man --help 2>&1 | grep -q -- --warnings; then
	for m in "$M1" "$M7"; do
		out=$(MANWIDTH=80 timeout 30 man --warnings -E UTF-8 -l "$m" 2>&1 >/dev/null)
		tap_is "$?:$out" "0:" "man --warnings: $(basename "$m") renders without warnings"
	done
else
	tap_skip "man --warnings tmpguard.1" "man-db not installed (Debian package man-db)"
	tap_skip "man --warnings tmpguard.7" "man-db not installed (Debian package man-db)"
fi

# --- 2. complete --------------------------------------------------------------
# rendered text, hyphenation and adjustment off, so words are whole
render() {
	if command -v mandoc >/dev/null; then
		mandoc -T ascii -O width=200 "$1" | col -b
	else # the source with roff's escapes for - and fonts taken out
		sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$1"
	fi
}
T1=$(render "$M1")
T7=$(render "$M7")
missing=
for w in "tmpguard run" "tmpguard report" "tmpguard scan" "tmpguard env" --libpath --version \
	--help --mode --log --format --dirs --trust --file-mode --fail-on-violation --systemd --debug-dir \
	--supervise \
	sarif json text \
	"EXIT STATUS" ENVIRONMENT EXAMPLES PrivateTmp; do
	grep -qF -- "$w" <<<"$T1" || missing="$missing [$w]"
done
tap_is "${missing:-none}" none "tmpguard(1) documents every subcommand, option and format"
missing=
for w in harden audit TMPGUARD_MODE TMPGUARD_LOG TMPGUARD_FORMAT TMPGUARD_DIRS TMPDIR \
	TMPGUARD_TRUST TMPGUARD_FILE_MODE \
	unsafe-name predictable-create race-blocked hijack-blocked hijack-detected rewritten \
	logged hardened blocked ts pid uid exe event func path action caller errno \
	syslog journal SYSLOG_IDENTIFIER TMPGUARD_EVENT TMPGUARD_CALLER AT_SECURE \
	O_EXCL O_NOFOLLOW EACCES EEXIST /etc/ld.so.preload LIMITS "SYSTEM-WIDE USE" \
	mktemp tmpnam tempnam fopen tmpfile posix_spawn_file_actions_addopen; do
	grep -qwF -- "$w" <<<"$T7" || missing="$missing [$w]"
done
tap_is "${missing:-none}" none "tmpguard(7) documents modes, variables, events, fields, sinks, safe-open, system-wide use, limits"

# --- 3. installed by make install ------------------------------------------------
DEST=$TG_WORK/dest
if out=$(timeout -k 5 300 make -C "$TG_BUILDDIR" install DESTDIR="$DEST" 2>&1); then
	prefix=$(sed -n 's/^prefix = //p' "$TG_BUILDDIR/Makefile")
	mandir=$(sed -n 's/^mandir = //p' "$TG_BUILDDIR/Makefile" | sed "s|\${datarootdir}|$prefix/share|; s|\${prefix}|$prefix|")
	got=
	for f in "$mandir/man1/tmpguard.1" "$mandir/man7/tmpguard.7"; do
		cmp -s "$DEST$f" "$TG_SRCDIR/man/$(basename "$f")" && got="$got ok" || got="$got missing:$f"
	done
	tap_is "$got" " ok ok" "make install DESTDIR=... installs tmpguard.1 and tmpguard.7 under \$mandir"
	libdir=$(sed -n 's/^libdir = //p' "$TG_BUILDDIR/Makefile" | sed "s|\${exec_prefix}|$prefix|; s|\${prefix}|$prefix|")
	tap_is "$(tg_type "$DEST$libdir/libtmpguard.so")" "regular file" "make install puts libtmpguard.so under \$libdir ($libdir)"
	# under DESTDIR the library is not where the command looks (\$libdir
	# itself); the command must name that very directory
	lib=$("$DEST$prefix/bin/tmpguard" --libpath 2>&1)
	tap_like "$lib" "^($libdir/libtmpguard\.so|.*not in $libdir,.*)$" "the installed command looks for the library in \$libdir"
	tap_is "$(find "$DEST" -name '*.la' | wc -l)" 0 "no libtool archive installed (the library is a plug-in)"
else
	tap_not_run "make install DESTDIR=... failed:
$(tail -n 20 <<<"$out")" \
		"make install DESTDIR=... installs tmpguard.1 and tmpguard.7 under \$mandir" \
		"make install puts libtmpguard.so under \$libdir" \
		"the installed command looks for the library in \$libdir" \
		"no libtool archive installed (the library is a plug-in)"
fi

tap_done
exit 0
