# program: m4
# package: m4
# requires: m4
# temp: diversions larger than its in-memory limit spill to temporary files (gnulib mkstemp in TMPDIR, m4-XXXXXX)
set -e
{
	echo 'divert(1)dnl'
	seq 1 30000 | sed 's/.*/this is a fairly long line of diverted text number &/'
	echo 'divert(2)two'
	echo 'divert(0)dnl'
	echo 'start'
	echo 'undivert(2)undivert(1)dnl'
	echo 'end'
} >big.m4
timeout 60 m4 big.m4 >out.txt
wc -l <out.txt; head -n 3 out.txt; tail -n 2 out.txt
