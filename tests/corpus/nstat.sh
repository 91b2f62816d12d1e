# program: nstat
# package: iproute2
# requires: nstat
# temp: keeps its counter history in /tmp/.nstat.u<uid> (predictable name in /tmp; here $NSTAT_HISTORY in TMPDIR, then the default /tmp name), rewritten on every run
set -e
export NSTAT_HISTORY=$TMPDIR/.nstat.hist
nstat -n
nstat -s >/dev/null
test -s "$NSTAT_HISTORY" && echo "history written"
unset NSTAT_HISTORY
nstat -n
test -s "/tmp/.nstat.u$(id -u)" && echo "default history written"
nstat -a -s -z 'TcpActiveOpens' | awk 'NR > 1 {print $1}'
