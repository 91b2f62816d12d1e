#!/bin/bash
# install-prefix.sh — `./configure --prefix=P && make && make install` after
# an earlier build with another prefix (scripts/setup builds in place with
# the default one) installs a command that finds its library in P: the
# library directory reaches the command through config.h, which make
# watches, so the command is rebuilt when it changes. In a copy of the
# sources, built in place, installed into two temporary prefixes.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

SRC=$TG_WORK/src
P1=$TG_WORK/prefix-one
P2=$TG_WORK/prefix-two
BUILDLOG=$TG_WORK/build.log
DESCS=("configure --prefix=P1 && make && make install" "P1/bin/tmpguard --libpath: P1's library"
	"then configure --prefix=P2 && make && make install, in the same tree"
	"P2/bin/tmpguard --libpath: P2's library" "P2/bin/tmpguard env: LD_PRELOAD names P2's library"
	"P2/bin/tmpguard run preloads P2's library")

if ! tg_copy_sources "$SRC"; then
	tap_not_run "no sources: $(tail -n 20 "$TG_WORK/copy.log")" "${DESCS[@]}"
	tap_done
	exit 0
fi

# step PREFIX: configure with PREFIX in the source tree, make, make install
step() {
	echo "=== configure --prefix=$1 && make && make install" >>"$BUILDLOG"
	(cd "$SRC" && ./configure --quiet --prefix="$1" && make -j2 && make install) >>"$BUILDLOG" 2>&1
}

start=$SECONDS
(cd "$SRC" && { [ -x configure ] || { mkdir -p m4 && autoreconf -fi; }; }) >"$BUILDLOG" 2>&1 &&
	step "$P1"
rc=$?
tap_is "$rc" 0 "${DESCS[0]} ($((SECONDS - start)) s)"
if [ "$rc" != 0 ]; then
	tap_not_run "the first build failed: $(tail -n 30 "$BUILDLOG")" "${DESCS[@]:1}"
	tap_done
	exit 0
fi
tap_is "$("$P1/bin/tmpguard" --libpath 2>&1)" "$P1/lib/libtmpguard.so" "${DESCS[1]}"

start=$SECONDS
step "$P2"
rc=$?
tap_is "$rc" 0 "${DESCS[2]} ($((SECONDS - start)) s)"
[ "$rc" = 0 ] || tap_diag "$(tail -n 30 "$BUILDLOG")"
# P1's library stays where it was: a command still built for P1 would find
# it there, and only the path would tell
tap_is "$("$P2/bin/tmpguard" --libpath 2>&1)" "$P2/lib/libtmpguard.so" "${DESCS[3]}"
tap_grep "$("$P2/bin/tmpguard" env 2>&1)" "^LD_PRELOAD='?$P2/lib/libtmpguard.so'?\$" "${DESCS[4]}"
# the command, run with an empty environment, reports the library it preloads
# shellcheck disable=SC2016 # expanded by the shell run under the command
out=$(env -i PATH=/usr/bin:/bin timeout -k 2 "$TG_TIMEOUT" "$P2/bin/tmpguard" run -- \
	/bin/sh -c 'printf "%s\n" "$LD_PRELOAD"' 2>&1)
tap_grep "$out" "^$P2/lib/libtmpguard.so\$" "${DESCS[5]}"

tap_done
exit 0
