#!/bin/bash
# symbols.sh — the table of interposed symbols (src/core/symbols.h) and
# everything that lists them agree: the library's exported dynamic symbols
# are exactly the table's hooks, the bench's floor exports exactly the
# library's, tmpguard(7) names every hook and nothing else in its list, and
# `tmpguard scan` watches every hook but the working-directory and exec
# calls, the named IPC objects and the spawn actions' life, and the path
# calls judged under the rule (CHANGE, MOVE, RESOLVE), in the class of its
# family.
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

TABLE_HELPER=$TG_HELPERS/symbols
[ -x "$TABLE_HELPER" ] || tap_bail "helper not built: $TABLE_HELPER"

# The table, one row a line: NAME FAMILY KIND SHAPE.
TABLE=$("$TABLE_HELPER") || tap_bail "$TABLE_HELPER failed"
# sorted names of the rows whose FAMILY and KIND match the two EREs
rows() { awk -v f="^($1)\$" -v k="^($2)\$" '$2 ~ f && $3 ~ k { print $1 }' \
	<<<"$TABLE" | sort; }
EXPORTED='hook|hook-only'
HOOKS=$(rows '.*' "$EXPORTED")
# sorted defined dynamic symbols of a shared object
exports() {
	nm -D --defined-only -- "$1" | awk '{ print $NF }' | sed 's/@.*//' | sort
}
# sorted versions of the symbols a shared object imports
versions() {
	objdump -T -- "$1" | awk '/\*UND\*/ && $(NF-1) ~ /^\(/ { print $(NF-1) }' | sort -u
}
# set differences of two sorted lists, one name a line
lines() { printf '%s\n' "$1" | sed '/^$/d'; }
only_in_first() { comm -23 <(lines "$1") <(lines "$2") | tr '\n' ' '; }

tap_like "$(rows '.*' '.*' | wc -l)" '^[1-9][0-9]+$' "the table has rows"

# --- the library ---------------------------------------------------------
LIB_EXPORTS=$(exports "$TG_LIB")
tap_is "$(only_in_first "$HOOKS" "$LIB_EXPORTS")" "" \
	"the library exports every hook of the table"
tap_is "$(only_in_first "$LIB_EXPORTS" "$HOOKS")" "" \
	"the library exports nothing the table does not list as a hook"

# --- the bench's floor: built here (one small file) ----------------------
FLOOR=$TG_BUILDDIR/bench/.libs/libtgfloor.so
if ${MAKE:-make} -s -C "$TG_BUILDDIR" bench/libtgfloor.la \
	>"$TG_WORK/floor.log" 2>&1; then
	FLOOR_EXPORTS=$(exports "$FLOOR")
	LIB_ONLY=$(only_in_first "$LIB_EXPORTS" "$FLOOR_EXPORTS")
	FLOOR_ONLY=$(only_in_first "$FLOOR_EXPORTS" "$LIB_EXPORTS")
	tap_is "library only: $LIB_ONLY; floor only: $FLOOR_ONLY" \
		"library only: ; floor only: " \
		"the floor exports exactly the library's symbols"
	# the loader checks each version a library needs in every process
	tap_is "$(only_in_first "$(versions "$TG_LIB")" "$(versions "$FLOOR")")" "" \
		"the library needs no symbol version the floor does not (start-up cost)"
else
	tap_not_ok "the floor exports exactly the library's symbols" \
		"make bench/libtgfloor.la failed:" "$(tail -n 20 "$TG_WORK/floor.log")"
	tap_not_run "no floor to compare with" \
		"the library needs no symbol version the floor does not (start-up cost)"
fi

# --- tmpguard(7): the names in bold in INTERPOSED FUNCTIONS --------------
man_names() {
	awk '
	/^\.SH / { on = ($0 ~ /^\.SH "?INTERPOSED FUNCTIONS/); next }
	!on { next }
	/^\.(B|BR|RB) / {
		for (i = 2; i <= NF; i++)
			if ($1 == ".B" || ($1 == ".BR" && i % 2 == 0) ||
			    ($1 == ".RB" && i % 2 == 1))
				print $i
		next
	}
	{
		s = $0
		while (match(s, /\\fB[^\\]*\\f[RP]/)) {
			print substr(s, RSTART + 3, RLENGTH - 6)
			s = substr(s, RSTART + RLENGTH)
		}
	}' "$1" | sed 's/\\[%&]//g' | sort -u
}
MAN_NAMES=$(man_names "$TG_SRCDIR/man/tmpguard.7")
tap_is "$(only_in_first "$HOOKS" "$MAN_NAMES")" "" \
	"tmpguard(7) names every hook of the table"
tap_is "$(only_in_first "$MAN_NAMES" "$HOOKS")" "" \
	"tmpguard(7) lists nothing that is not a hook"

# --- scan: the helper imports every hook ---------------------------------
"$TG_CMD" scan --format=json "$TABLE_HELPER" >"$TG_WORK/scan.json" 2>&1
# the sorted names scan reports under CLASS
scanned() {
	"$TG_PY" -c 'import json, sys
for name in sorted(json.load(open(sys.argv[1]))[0][sys.argv[2]]):
	print(name)' "$TG_WORK/scan.json" "$1" 2>&1
}
SCANNED=$(for c in unsafe safe open other; do scanned $c; done | sort)
UNWATCHED='WORKDIR|EXEC|IPC|SPAWN_ACTIONS|CHANGE|MOVE|RESOLVE'
WATCHED=$(only_in_first "$HOOKS" "$(rows "$UNWATCHED" '.*')" | tr ' ' '\n' | sort)
tap_is "$(only_in_first "$WATCHED" "$SCANNED")" "" \
	"scan watches every hook but the working-directory, exec, IPC, spawn-actions and path calls"
tap_is "$(only_in_first "$SCANNED" "$WATCHED")" "" \
	"scan reports no working-directory, exec, IPC, spawn-actions or path call and nothing that is not a hook"
# one line each, for a short diagnosis
words() { tr '\n' ' '; }
tap_is "$(scanned unsafe | words)" \
	"$(rows NAME_GENERATORS "$EXPORTED" | words)" \
	"scan: the name generators are unsafe"
tap_is "$(scanned safe | words)" \
	"$(rows 'SAFE_CREATORS|TMPFILE' "$EXPORTED" | words)" \
	"scan: the safe creators and tmpfile are safe"
tap_is "$(scanned open | words)" \
	"$(rows 'OPEN|STDIO|NODES|SPAWN|SHM' "$EXPORTED" | words)" \
	"scan: the open family, stdio, nodes, spawn and shm are open"

tap_done
