#!/bin/bash
# W6c: a shell script creating thousands of files: N files in a private
# directory and N/2 with predictable names directly in /tmp (what legacy
# scripts do), each written by a redirection, then read back and removed.
# usage: w6-files.sh N PRIVATEDIR
set -eu
n=$1 dir=$2
for ((i = 0; i < n; i++)); do
	echo "line $i" > "$dir/f$i"
done
for ((i = 0; i < n / 2; i++)); do
	echo "line $i" > "/tmp/tgbench-files.$$.$i"
	echo "more" >> "/tmp/tgbench-files.$$.$i"
done
cat "$dir"/f1* > /dev/null
rm -f "$dir"/f* "/tmp/tgbench-files.$$."*
