#!/bin/bash
# checkout-0700.sh — the suite from a checkout other users cannot enter, as
# a newcomer's `git clone` under /root (0700) is. The sources (the working
# tree's files git knows of when TG_SRCDIR is a git checkout, else
# `make distdir`) are copied into a 0700 directory, configured as this build
# was and built there, and the scripts that run something as a second user
# (those calling tg_attacker_setup or att_init, and the attack table made
# from them) run in that tree; each script's totals are one result here.
# What a second user runs or preloads must come from copies the suite stages
# where that user can reach them (tg_stage_shared in tests/lib.sh).
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

if ! tg_attacker_setup; then
	tap_skip "the second-user tests from a 0700 checkout" "$TG_ATT_WHY"
	tap_done
	exit 0
fi

PRIV=$TG_WORK/closed
mkdir -m 0700 "$PRIV" || tap_bail "cannot create $PRIV"
SRC=$PRIV/src
BLD=$PRIV/build
mkdir "$BLD" || tap_bail "cannot create $BLD"

# --- 1. the sources, as a newcomer gets them -----------------------------------
if ! tg_copy_sources "$SRC"; then
	tap_not_ok "sources copied into a 0700 directory ($TG_COPY_HOW)" "$(tail -n 20 "$TG_WORK/copy.log")"
	tap_done
	exit 0
fi
tap_ok "sources copied into a 0700 directory ($TG_COPY_HOW)"

# --- 2. configured as this build was, built there --------------------------
# the arguments this build was configured with, but its source directory
cfg=()
eval "cfg=($("$TG_BUILDDIR/config.status" --config 2>/dev/null))"
args=()
for a in "${cfg[@]}"; do
	case $a in --srcdir=* | --cache-file=* | -C | --config-cache) ;; *) args+=("$a") ;; esac
done
start=$SECONDS
(
	cd "$SRC" && { [ -x configure ] || { mkdir -p m4 && autoreconf -fi; }; } &&
		cd "$BLD" && "$SRC/configure" --quiet "${args[@]}" && make -j2
) >"$TG_WORK/build.log" 2>&1
rc=$?
tap_is "$rc" 0 "configure${args[*]:+ ${args[*]}} && make, in the 0700 tree ($((SECONDS - start)) s)"
if [ "$rc" != 0 ]; then
	tap_diag "$(tail -n 30 "$TG_WORK/build.log")"
	tap_done
	exit 0
fi
# the control: what the scripts below would run from the build tree is out
# of the second user's reach
if tg_as_attacker test -r "$BLD/src/.libs/libtmpguard.so"; then
	tap_not_ok "control: tgattacker cannot read the library in the 0700 build tree" \
		"it can: this test proves nothing here"
else
	tap_ok "control: tgattacker cannot read the library in the 0700 build tree"
fi

# --- 3. the second user's scripts, there ------------------------------------
tests=()
while IFS= read -r t; do
	case $t in tests/lib.sh | tests/attack/lib.sh | "tests/$TG_NAME.sh") ;; *) tests+=("$t") ;; esac
done < <(cd "$SRC" && grep -lE '^[^#]*(tg_attacker_setup|att_init)' tests/*.sh tests/attack/*.sh | sort)
# the attack table is made from the attack scripts' rows (the nstat rows too)
[ -f "$SRC/tests/attack/table.sh" ] && tests+=(tests/attack/table.sh)
tap_diag "in $BLD: make check TESTS=\"${tests[*]}\""
start=$SECONDS
(cd "$BLD" && env -u TMPGUARD_HEAVY_TESTS -u TESTS -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	timeout -k 10 900 make -j2 check TESTS="${tests[*]}") >"$TG_WORK/check.log" 2>&1
rc=$?
tap_diag "make check: exit $rc, $((SECONDS - start)) s"
for t in "${tests[@]}"; do
	trs=$BLD/${t%.sh}.trs
	if [ ! -f "$trs" ]; then
		tap_not_ok "$t in the 0700 checkout" "no results ($trs missing)" \
			"$(tail -n 20 "$TG_WORK/check.log")"
		continue
	fi
	read -r pass fail skip < <(awk '$1 == ":test-result:" {
		if ($2 == "PASS" || $2 == "XFAIL") p++; else if ($2 == "SKIP") s++; else f++ }
		END { print p + 0, f + 0, s + 0 }' "$trs")
	if [ "$fail" = 0 ] && [ "$pass" -gt 0 ]; then
		tap_ok "$t in the 0700 checkout: $pass passed, $fail failed, $skip skipped"
	elif [ "$fail" = 0 ] && [ "$pass" = 0 ] && [ "$skip" -gt 0 ]; then
		# a heavy script (corpus.sh): the inner run is not heavy
		tap_skip "$t in the 0700 checkout" "all its $skip tests skipped there"
	else
		tap_not_ok "$t in the 0700 checkout: $pass passed, $fail failed, $skip skipped" \
			"$(grep -E '^(not ok|Bail out)' "$BLD/${t%.sh}.log" | head -n 20)" \
			"$(grep -E '^# +(got|want|stderr|\[)' "$BLD/${t%.sh}.log" | head -n 12)"
	fi
done

tap_done
exit 0
