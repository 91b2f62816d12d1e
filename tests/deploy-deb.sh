#!/bin/bash
# deploy-deb.sh — the Debian package: `dpkg-buildpackage -us -uc -b` on a copy
# of the source tree builds a .deb that installs, works (`tmpguard run` on a
# real program: a shell redirecting into a shared directory), points
# `tmpguard --libpath` at the packaged library, and purges without a trace.
#
# Heavy (a full package build): only with TMPGUARD_HEAVY_TESTS=1. Installs
# into the live system for a few seconds, trap-protected (purged at exit);
# the other tests use $TG_BUILDDIR/src/tmpguard, never /usr/bin/tmpguard.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

N_TESTS=14
skip_all() {
	local i
	for ((i = 0; i < N_TESTS; i++)); do tap_skip "debian package" "$1"; done
	tap_done
	exit 0
}

[ "${TMPGUARD_HEAVY_TESTS:-}" = 1 ] || skip_all "heavy test: set TMPGUARD_HEAVY_TESTS=1"
[ "$(id -u)" = 0 ] || skip_all "not root: cannot install a package"
for t in dpkg-buildpackage dh fakeroot dpkg; do
	command -v "$t" >/dev/null ||
		skip_all "$t not installed (Debian packages dpkg-dev, debhelper, fakeroot)"
done
[ -d "$TG_SRCDIR/debian" ] || skip_all "no debian/ directory in $TG_SRCDIR"
if dpkg-query -W -f='${Status}' tmpguard 2>/dev/null | grep -q 'installed'; then
	skip_all "a tmpguard package is already installed on this machine: not touching it"
fi
for f in /usr/bin/tmpguard /usr/share/man/man1/tmpguard.1.gz; do
	[ -e "$f" ] && skip_all "$f exists but belongs to no package: not overwriting it"
done

# --- 1. build ------------------------------------------------------------------
SRC=$TG_WORK/pkg/tmpguard
mkdir -p "$SRC"
if git -C "$TG_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$TG_SRCDIR" && git ls-files -z --cached --others --exclude-standard |
		tar --null -T - -c) | tar -x -C "$SRC"
else # an unpacked tarball: everything in it is source
	cp -a "$TG_SRCDIR/." "$SRC/"
fi
if ! deps=$(cd "$SRC" && dpkg-checkbuilddeps 2>&1); then
	skip_all "build dependencies missing: ${deps#*: }"
fi
(cd "$SRC" && timeout -k 10 900 env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
	DEB_BUILD_OPTIONS="parallel=2 nocheck" dpkg-buildpackage -us -uc -b) \
	>"$TG_WORK/build.log" 2>&1
brc=$?
DEB=$(ls "$TG_WORK"/pkg/tmpguard_*.deb 2>/dev/null | head -n 1)
if [ "$brc" = 0 ] && [ -n "$DEB" ]; then
	tap_ok "dpkg-buildpackage -us -uc -b builds $(basename "$DEB")"
else
	tap_not_ok "dpkg-buildpackage -us -uc -b builds a .deb" "exit $brc" "$(tail -n 30 "$TG_WORK/build.log")"
	for ((i = 1; i < N_TESTS; i++)); do tap_not_run "no package was built" "debian package"; done
	tap_done
	exit 0
fi
contents=$(dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./|/|')
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
PKGLIB=/usr/lib/$MA/tmpguard/libtmpguard.so
missing=
for f in /usr/bin/tmpguard "$PKGLIB" /usr/share/man/man1/tmpguard.1.gz \
	/usr/share/man/man7/tmpguard.7.gz /usr/share/doc/tmpguard/copyright; do
	grep -qxF "$f" <<<"$contents" || missing="$missing $f"
done
tap_is "${missing:-none}" none "the .deb holds the command, the library under \$libdir, both man pages, the copyright"
tap_is "$(grep -cE '\.(la|a)$' <<<"$contents")" 0 "the .deb holds no libtool archive or static library"
if command -v lintian >/dev/null; then
	lout=$(timeout -k 5 300 lintian --tag-display-limit 0 "$DEB" 2>&1)
	tap_is "$(grep -c '^E:' <<<"$lout")" 0 "lintian: no errors"
	[ -n "$lout" ] && tap_diag "$lout"
else
	tap_skip "lintian: no errors" "lintian not installed (optional)"
fi

# --- 2. install (purged at exit, whatever happens) --------------------------------
INSTALLED=
deb_cleanup() {
	if [ -n "$INSTALLED" ]; then
		dpkg --purge tmpguard >/dev/null 2>&1 ||
			{ sleep 3; dpkg --purge tmpguard >/dev/null 2>&1; }
	fi
	tg_cleanup
}
trap deb_cleanup EXIT
# dpkg_retry ARGS...: dpkg, retried while another dpkg holds the lock (60 s)
dpkg_retry() {
	local i out
	for ((i = 0; i < 30; i++)); do
		out=$(dpkg "$@" 2>&1) && return 0
		grep -q 'lock' <<<"$out" || { echo "$out"; return 1; }
		sleep 2
	done
	echo "$out"
	return 1
}
INSTALLED=1
if out=$(dpkg_retry -i "$DEB"); then
	tap_ok "dpkg -i installs the package"
else
	tap_not_ok "dpkg -i installs the package" "$out"
fi
FILES=$(dpkg -L tmpguard 2>/dev/null)

lib=$(timeout 10 /usr/bin/tmpguard --libpath 2>&1)
tap_is "$lib" "$PKGLIB" "tmpguard --libpath names the packaged library"
tap_is "$(dpkg -S "$lib" 2>/dev/null | cut -d: -f1)" tmpguard "the library belongs to the package"

# smoke test: a real program (the shell) writing into a shared directory
ln -s "$TG_WORK/precious" "$TG_STICKY/planted"
tg_foreign "$TG_STICKY/planted" # another user's link: root's own is trusted
printf 'PRECIOUS\n' >"$TG_WORK/precious"
PLOG=$TG_LOGDIR/pkg.log
timeout -k 2 20 env -i PATH=/usr/bin:/bin /usr/bin/tmpguard run --format=json --log="$PLOG" \
	--dirs="$TG_STICKY" -- /bin/sh -c "echo hello > '$TG_STICKY/out'; echo x > '$TG_STICKY/planted'" \
	>"$TG_WORK/smoke.out" 2>"$TG_WORK/smoke.err"
src=$?
tap_is "$(tg_content "$TG_STICKY/out") $(tg_mode "$TG_STICKY/out")" "hello 600" \
	"smoke: tmpguard run -- sh: the redirection is hardened (mode 0600)"
tap_is "$(tg_content "$TG_WORK/precious")" PRECIOUS "smoke: the planted link is refused (its target untouched)"
tap_is "$src $(tg_log_count "$PLOG" event=predictable-create) $(tg_log_count "$PLOG" event=hijack-blocked)" \
	"2 2 1" "smoke: sh fails on the refused redirection (exit 2); two creations and one refusal logged"
[ "$src" = 2 ] || tap_diag "$(cat "$TG_WORK/smoke.err")"
tap_like "$(man -w tmpguard 2>/dev/null) $(man -w 7 tmpguard 2>/dev/null)" \
	"^/usr/share/man/man1/tmpguard\.1\.gz /usr/share/man/man7/tmpguard\.7\.gz$" "man finds tmpguard(1) and tmpguard(7)"

# --- 3. purge ----------------------------------------------------------------
if out=$(dpkg_retry --purge tmpguard); then
	INSTALLED=
	tap_ok "dpkg --purge removes the package"
else
	tap_not_ok "dpkg --purge removes the package" "$out"
fi
left=
while IFS= read -r f; do
	[ -n "$f" ] || continue
	[ -e "$f" ] || continue
	# directories shared with other packages stay
	[ -d "$f" ] && [ -n "$(dpkg -S "$f" 2>/dev/null)" ] && continue
	[ -d "$f" ] && [ "$f" != "/usr/lib/$MA/tmpguard" ] && [ "$f" != /usr/share/doc/tmpguard ] && continue
	left="$left $f"
done <<<"$FILES"
tap_is "${left:-none}" none "after purge no file of the package is left (library directory and docs gone)"
tap_is "$(dpkg-query -W -f='${db:Status-Abbrev}' tmpguard 2>/dev/null | tr -d ' ')" "" \
	"after purge dpkg no longer knows the package"

tap_done
exit 0
