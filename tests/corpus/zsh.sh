# program: zsh
# package: zsh
# requires: zsh
# temp: =(cmd) process substitution and here-documents write temporary files named by gettempname() (mktemp import) in TMPDIR/TMPPREFIX; redirections into /tmp
zsh -f <<'ZSH'
set -e
print -r -- "zsh $ZSH_VERSION" | sed 's/[0-9.]*$//'
f==(print hello; print world)
[[ $f == ${TMPPREFIX:-/tmp/zsh}* ]] && print "=(...) uses TMPPREFIX"
cat =(seq 5)
wc -l < =(seq 1000)
cat <<EOT | wc -c
$(seq 1 20000)
EOT
diff =(seq 3) <(seq 3) && print "=() and <() agree"
print redirected >/tmp/tgcorpus-zsh.$$; cat /tmp/tgcorpus-zsh.$$; rm -f /tmp/tgcorpus-zsh.$$
ZSH
