#!/bin/bash
# tmpguard report: call sites resolved through libdwfl to the function,
# source file and line, in text, JSON and SARIF, for a PIE and a
# fixed-address program whose debug information was moved out: into a
# build-ID tree (found with --debug-dir, not without it), or beside the
# program under its .gnu_debuglink name (found in the default places); and
# for a shared object.
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

unset DEBUGINFOD_URLS # no debuginfod server: what is found is found here

# need: libdw in the build, the compiler and binutils
need() {
	if ! grep -q '^#define HAVE_LIBDW 1' "$TG_BUILDDIR/config.h" 2>/dev/null; then
		tap_skip "call sites resolved to function, file and line" "built without libdw"
		tap_done
		exit 0
	fi
	local t
	for t in gcc objcopy readelf strip; do
		if ! command -v "$t" >/dev/null; then
			tap_missing "call sites resolved to function, file and line" \
				"$t not installed (Debian packages gcc, binutils)"
			tap_done
			exit 0
		fi
	done
}
need

SRC=$TG_WORK/src
BIN=$TG_WORK/bin
mkdir -p "$SRC" "$BIN" || tap_bail "workspace"
PROG=$SRC/srcline_prog.c
cat >"$PROG" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* a legacy program's temporary file: a generated name, then a creation
 * without O_EXCL (in the program, or in a shared object with SRCLINE_LIB) */
#ifdef SRCLINE_LIB
int make_temp(const char *dir);
int make_temp(const char *dir)
#else
static int make_temp(const char *dir)
#endif
{
	char name[4096];
	snprintf(name, sizeof name, "%s/srcline.XXXXXX", dir);
	if (mktemp(name) == NULL || name[0] == '\0') /* CALL mktemp */
		return 1;
	int fd = open(name, O_WRONLY | O_CREAT, 0600); /* CALL open */
	if (fd < 0)
		return 1;
	close(fd);
	return unlink(name) != 0;
}

#ifndef SRCLINE_LIB
int main(int argc, char **argv)
{
	return make_temp(argc > 1 ? argv[1] : "/tmp");
}
#endif
EOF
FILE=$PROG
L_MKTEMP=$(grep -n 'CALL mktemp' "$PROG" | cut -d: -f1)
L_OPEN=$(grep -n 'CALL open' "$PROG" | cut -d: -f1)

# build NAME CFLAGS...: compiled with -g from the source's directory (a
# relative name in the DWARF, joined to the compilation directory), then run
# under the library in harden mode; its log is $TG_LOGDIR/NAME.log.
build() {
	local name=$1 out
	shift
	if ! out=$(cd "$SRC" && gcc -g -O0 -Wno-deprecated-declarations "$@" \
		-o "$BIN/$name" srcline_prog.c 2>&1) || [ ! -x "$BIN/$name" ]; then
		tap_bail "cannot build $name: $out"
	fi
	tg_log "$name"
	tg_run harden "$BIN/$name" "$TG_STICKY"
	tap_is "$RC:$(tg_log_count "$LOG" "exe=$BIN/$name" "caller~^$BIN/$name\\+0x")" 0:2 \
		"$name: runs under the library; mktemp and open logged with their callers"
}

# report NAME FORMAT [OPTION...]: sets RC, OUT, ERR for report on NAME's log
report() {
	local log=$TG_LOGDIR/$1.log fmt=$2
	shift 2
	timeout -k 2 "$TG_TIMEOUT" "$TG_CMD" report --format="$fmt" "$@" "$log" \
		>"$TG_WORK/.rout" 2>"$TG_WORK/.rerr" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.rout")
	ERR=$(cat "$TG_WORK/.rerr")
	_tg_last_run="report --format=$fmt $* $log -> rc=$RC
stdout: $OUT
stderr: $ERR"
}

# The JSON findings, by func: "FUNC FUNCTION SOURCE LINE" ("-" when absent).
json_sites() {
	printf '%s' "$OUT" | "$TG_PY" -c 'import json, sys
d = json.load(sys.stdin)
print("|".join(sorted("%s %s %s %s" % (f["func"], f.get("function", "-"),
    f.get("source", "-"), f.get("line", "-")) for f in d["findings"])))' 2>&1
}

# The SARIF results, by func: "FUNC URI STARTLINE ADDR NAME", ADDR "addr"
# when physicalLocation.address holds the caller's module and offset.
sarif_sites() {
	printf '%s' "$OUT" | "$TG_PY" -c 'import json, sys, urllib.parse
d = json.load(sys.stdin)
out = []
for x in d["runs"][0]["results"]:
    loc = x["locations"][0]
    pl = loc["physicalLocation"]
    caller = loc["logicalLocations"][0]["fullyQualifiedName"]
    a = pl.get("address", {})
    addr = "addr" if (a.get("fullyQualifiedName") == caller and
                      a.get("relativeAddress") == int(caller.rsplit("+0x", 1)[1], 16)) else "no-addr"
    out.append("%s %s %s %s %s" % (x["properties"]["func"],
        urllib.parse.unquote(pl["artifactLocation"]["uri"]),
        pl.get("region", {}).get("startLine", "-"), addr,
        loc["logicalLocations"][0].get("name", "-")))
print("|".join(sorted(out)))' 2>&1
}

# check NAME WHAT FUNCTION [OPTION...]: the three formats name FUNCTION
# ("-": unknown) and the source file and line of both calls.
check() {
	local name=$1 what=$2 fn=$3
	shift 3
	report "$name" text "$@"
	tap_grep "$OUT" "called from $BIN/$name\\+0x[0-9a-f]+ in $fn \\($FILE:$L_MKTEMP\\)$" \
		"$name, $what: text names function, file and line of the mktemp call"
	tap_grep "$OUT" "called from $BIN/$name\\+0x[0-9a-f]+ in $fn \\($FILE:$L_OPEN\\)$" \
		"$name, $what: text names function, file and line of the open call"
	report "$name" json "$@"
	tap_is "$RC:$(json_sites)" "0:mktemp $fn $FILE $L_MKTEMP|open $fn $FILE $L_OPEN" \
		"$name, $what: JSON findings carry function, source and line"
	report "$name" sarif "$@"
	tap_is "$RC:$(sarif_sites)" \
		"0:mktemp file://$FILE $L_MKTEMP addr $fn|open file://$FILE $L_OPEN addr $fn" \
		"$name, $what: SARIF physicalLocation has the file and region.startLine, the address kept"
}

# check_none NAME WHAT FUNCTION [OPTION...]: no file or line in any format
# (FUNCTION, from the symbol table, may still be known).
check_none() {
	local name=$1 what=$2 fn=$3 want
	shift 3
	report "$name" text "$@"
	tap_unlike "$OUT" "srcline_prog\\.c" "$name, $what: no source file in the text report"
	report "$name" json "$@"
	tap_is "$RC:$(json_sites)" "0:mktemp $fn - -|open $fn - -" \
		"$name, $what: no source or line in JSON"
	report "$name" sarif "$@"
	tap_is "$RC:$(sarif_sites)" \
		"0:mktemp file://$BIN/$name - addr $fn|open file://$BIN/$name - addr $fn" \
		"$name, $what: SARIF locates the module and address, no region"
}

# no_debug_info NAME: the program itself carries no DWARF
no_debug_info() {
	if readelf -S -W "$BIN/$1" | grep -q '\.debug_info'; then
		tap_not_ok "$1: stripped of its debug information" "$(readelf -S -W "$BIN/$1")"
	else
		tap_ok "$1: stripped of its debug information"
	fi
}

# split NAME DIR STRIP...: the debug information of NAME moves to DIR's
# build-ID tree, NAME is stripped with STRIP and gets a .gnu_debuglink
# (whose name alone is nowhere in the default places).
split() {
	local name=$1 dir=$2 id
	shift 2
	id=$(readelf -n "$BIN/$name" | sed -n 's/^ *Build ID: *//p')
	[[ $id =~ ^[0-9a-f]{8,}$ ]] || tap_bail "$name: no build ID ($id)"
	mkdir -p "$dir/.build-id/${id:0:2}"
	local dbg=$dir/.build-id/${id:0:2}/${id:2}.debug
	if ! { objcopy --only-keep-debug "$BIN/$name" "$dbg" &&
		"$@" "$BIN/$name" &&
		objcopy --add-gnu-debuglink="$dbg" "$BIN/$name"; }; then
		tap_bail "$name: cannot split its debug information"
	fi
}

# --- 1. PIE and fixed-address programs, embedded DWARF, then a build-ID tree
DBG=$TG_WORK/debug
build pie -fPIE -pie
build nopie -fno-pie -no-pie
tap_like "$(readelf -h "$BIN/pie" | grep 'Type:')" 'DYN' "pie: a position-independent program"
tap_like "$(readelf -h "$BIN/nopie" | grep 'Type:')" 'EXEC' "nopie: a fixed-address program"

check pie "embedded DWARF" make_temp
check nopie "embedded DWARF" make_temp

# pie keeps its symbol table (strip -g), nopie loses it (strip --strip-all):
# its function too is then known only from the debug file
split pie "$DBG" strip -g
split nopie "$DBG" strip --strip-all
no_debug_info pie
no_debug_info nopie

check_none pie "build-ID tree not searched" make_temp
check_none nopie "build-ID tree not searched" -
check pie "--debug-dir=build-ID tree" make_temp --debug-dir="$DBG"
check nopie "--debug-dir=build-ID tree" make_temp --debug-dir "$DBG"
# repeatable: a directory without the file first, then the right one
mkdir -p "$TG_WORK/empty"
check nopie "--debug-dir twice" make_temp --debug-dir="$TG_WORK/empty" --debug-dir="$DBG"

# --- 2. a shared object, its debug information in a build-ID tree -----------
cat >"$SRC/shlib_main.c" <<'EOF'
int make_temp(const char *dir);
int main(int argc, char **argv)
{
	return make_temp(argc > 1 ? argv[1] : "/tmp");
}
EOF
if ! out=$(cd "$SRC" && gcc -g -O0 -Wno-deprecated-declarations -DSRCLINE_LIB \
	-fPIC -shared -o "$BIN/libsrcline.so" srcline_prog.c 2>&1 &&
	gcc -g -O0 -o "$BIN/shlib" shlib_main.c -L"$BIN" -lsrcline \
		-Wl,-rpath,"$BIN" 2>&1); then
	tap_bail "cannot build the shared object: $out"
fi
tg_log libsrcline.so
tg_run harden "$BIN/shlib" "$TG_STICKY"
tap_is "$RC:$(tg_log_count "$LOG" "exe=$BIN/shlib" "caller~^$BIN/libsrcline\\.so\\+0x")" 0:2 \
	"libsrcline.so: mktemp and open logged with the shared object as caller"
check libsrcline.so "embedded DWARF" make_temp
split libsrcline.so "$DBG" strip -g
no_debug_info libsrcline.so
check_none libsrcline.so "build-ID tree not searched" make_temp
check libsrcline.so "--debug-dir=build-ID tree" make_temp --debug-dir="$DBG"

# --- 3. .gnu_debuglink only (no build ID), beside the program ----------------
build link -fPIE -pie -Wl,--build-id=none
tap_unlike "$(readelf -n "$BIN/link")" 'Build ID' "link: no build ID"
mkdir -p "$BIN/.debug"
if ! { objcopy --only-keep-debug "$BIN/link" "$BIN/.debug/link.debug" &&
	strip --strip-all "$BIN/link" &&
	objcopy --add-gnu-debuglink="$BIN/.debug/link.debug" "$BIN/link"; }; then
	tap_bail "link: cannot split its debug information"
fi
no_debug_info link
check link "debuglink in .debug/" make_temp
# elsewhere, it is found only where --debug-dir says
mkdir -p "$TG_WORK/elsewhere"
mv "$BIN/.debug/link.debug" "$TG_WORK/elsewhere/"
check_none link "debug file moved away" -
check link "--debug-dir=DIR holding the debuglink name" make_temp --debug-dir="$TG_WORK/elsewhere"

# --- 4. usage -------------------------------------------------------------------
report pie text --debug-dir="$TG_WORK/no-such-dir"
tap_is "$RC" 125 "--debug-dir: a missing directory is a usage error (125)"
tap_like "$ERR" 'no-such-dir' "--debug-dir: the missing directory is named"
report pie text --debug-dir="$PROG"
tap_is "$RC" 125 "--debug-dir: a file, not a directory, is a usage error (125)"
tap_like "$("$TG_CMD" report --help 2>&1)" '--debug-dir=DIR' "report --help lists --debug-dir"

tap_done
