# program: ed
# package: ed
# requires: ed
# temp: keeps its scratch buffer in tmpfile(); writes the edited file
set -e
seq 1 5000 >numbers.txt
ed -s numbers.txt <<'ED'
1,100d
g/7/s//seven/
$a
the end
.
w
q
ED
wc -l numbers.txt; md5sum numbers.txt | cut -c1-32
printf 'H\n1,$p\nq\n' | ed -s numbers.txt | tail -n 2
