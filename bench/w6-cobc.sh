#!/bin/bash
# W6b: GnuCOBOL compiles of a small program, N times (cobc writes its
# intermediate C and object files under $TMPDIR or /tmp, then runs gcc).
# usage: w6-cobc.sh N SRC.cob OUTDIR
set -eu
n=$1 src=$2 out=$3
for ((i = 0; i < n; i++)); do
	cobc -x -o "$out/hello" "$src"
done
"$out/hello" >/dev/null
