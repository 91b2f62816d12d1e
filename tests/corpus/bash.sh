# program: bash
# package: bash
# requires: bash
# temp: here-documents larger than the pipe buffer go to a temporary file made by bash's own sh_mktmpfd (mkstemp-like, in TMPDIR); redirections create and append to files in TMPDIR and /tmp (predictable names); process substitution; noclobber
set -e
big=$TMPDIR/big.txt
seq 1 20000 >"$big"                       # ~108 KiB
n=$(wc -c <"$big")
echo "input $n bytes"
cat >heredoc.out <<HERE
$(cat "$big")
HERE
cmp heredoc.out "$big" && echo "here-document > 64 KiB intact"
wc -l <<<"$(cat "$big")"
echo one >"$TMPDIR/redir.$$"; echo two >>"$TMPDIR/redir.$$"
cat "$TMPDIR/redir.$$"
echo three >"/tmp/tgcorpus-bash.$$"; cat "/tmp/tgcorpus-bash.$$"; rm -f "/tmp/tgcorpus-bash.$$"
diff <(seq 3) <(seq 3) && echo "process substitution ok"
paste <(seq 2) <(echo a; echo b)
set -o noclobber
if echo x >"$TMPDIR/redir.$$" 2>/dev/null; then echo "noclobber ignored"; else echo "noclobber refused"; fi
echo y >|"$TMPDIR/redir.$$"; cat "$TMPDIR/redir.$$"
exec 3>"$TMPDIR/fd3"; echo via-fd3 >&3; exec 3>&-; cat "$TMPDIR/fd3"
