#!/bin/bash
# without-libseccomp.sh (heavy) — the build without libseccomp, made from
# the distributed sources: it builds and links no libseccomp, `run
# --supervise` says it is not built in and exits 125 without running the
# command, `run` without it works, and the library in it takes no filter
# (it installs only what run gives it). Heavy: only with
# TMPGUARD_HEAVY_TESTS=1.
. "$TG_SRCDIR/tests/lib.sh"

if [ "${TMPGUARD_HEAVY_TESTS:-}" != 1 ]; then
	tap_skip "the build without libseccomp" "heavy test: set TMPGUARD_HEAVY_TESTS=1"
	tap_done
	exit 0
fi

DIST=$TG_WORK/dist
BLD=$TG_WORK/noseccomp
if ! make -s -C "$TG_BUILDDIR" distdir distdir="$DIST" >"$TG_WORK/distdir.log" 2>&1; then
	tap_not_run "no sources: make distdir failed:
$(tail -n 20 "$TG_WORK/distdir.log")" "configure --without-libseccomp && make"
	tap_done
	exit 0
fi
mkdir -p "$BLD"
(cd "$BLD" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$DIST/configure" --quiet \
	--without-libseccomp && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2) \
	>"$TG_WORK/build.log" 2>&1
rc=$?
tap_is "$rc" 0 "configure --without-libseccomp && make"
if [ "$rc" != 0 ]; then
	tap_diag "$(tail -n 30 "$TG_WORK/build.log")"
	tap_done
	exit 0
fi
CMD=$BLD/src/tmpguard
if ldd "$CMD" | grep -q libseccomp; then
	tap_not_ok "the command does not link libseccomp" "$(ldd "$CMD")"
else
	tap_ok "the command does not link libseccomp"
fi

tg_run bare "$CMD" run --supervise -- touch "$TG_WORK/ran"
tap_is "$RC" 125 "run --supervise exits 125"
tap_like "$ERR" "not built in" "run --supervise says it is not built in"
tap_is "$(tg_type "$TG_WORK/ran")" missing "run --supervise does not run the command"
tg_run bare "$CMD" run --supervise-all -- touch "$TG_WORK/ran"
tap_is "$RC:$(tg_type "$TG_WORK/ran")" "125:missing" "run --supervise-all: the same"

# Without --supervise nothing changes: the library loads, a predictable
# creation in a shared directory is hardened.
LOGF=$TG_WORK/noseccomp.log
tg_run bare "$CMD" run --mode=harden --log="$LOGF" -- "$LEGACY" open "$TG_STICKY/noseccomp"
tap_is "$RC:$(tg_mode "$TG_STICKY/noseccomp")" "0:600" "run without --supervise: the creation hardened (0600)"
tap_like "$(cat "$LOGF" 2>/dev/null)" "predictable-create" "run without --supervise: the event logged"
rm -f -- "$TG_STICKY/noseccomp"
tap_done
