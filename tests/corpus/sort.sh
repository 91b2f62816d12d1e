# program: sort
# package: coreutils
# requires: sort seq
# temp: with a small buffer, sort spills runs to temporary files (mkostemp, sortXXXXXX) in the -T directory, then merges them
set -e
seq 1 300000 | awk '{ print ($1 * 7919) % 300007 }' >in.txt
sort -S 256K -T "$TMPDIR" -n in.txt | md5sum
sort -S 256K -T /tmp --parallel=2 -r in.txt >out.txt
wc -l <out.txt; head -n 2 out.txt
