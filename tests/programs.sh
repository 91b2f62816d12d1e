#!/bin/bash
# programs.sh — real programs run unchanged under the library, in both modes:
# same exit status and output as without it. Each works in a shared sticky
# directory of its own (also its TMPDIR), so its temporary files are
# candidates. Runs through `tmpguard run` when the command is built, else
# with LD_PRELOAD directly.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

TG_TIMEOUT=60 # compilers
if [ -x "$TG_CMD" ]; then
	tap_diag "running through $TG_CMD run"
else
	tap_diag "$TG_CMD not built: running with LD_PRELOAD directly"
fi

# prog_run MODE DIR CMD...: CMD in DIR (cwd and TMPDIR), sets RC, OUT, ERR.
prog_run() {
	local how=$1 dir=$2
	shift 2
	if [ "$how" = bare ]; then
		(cd "$dir" && tg_run bare env TMPDIR="$dir" "$@"; printf '%s\n%s' "$RC" "$OUT" >"$TG_WORK/.prog")
	elif [ -x "$TG_CMD" ]; then
		(cd "$dir" && tg_run bare "$TG_CMD" run --mode="$how" --log="$LOG" --format=json \
			--dirs="$dir" -- env TMPDIR="$dir" "$@"
		printf '%s\n%s' "$RC" "$OUT" >"$TG_WORK/.prog")
	else
		(cd "$dir" && tg_run "$how" env TMPDIR="$dir" "$@"; printf '%s\n%s' "$RC" "$OUT" >"$TG_WORK/.prog")
	fi
	RC=$(head -n 1 "$TG_WORK/.prog")
	OUT=$(tail -n +2 "$TG_WORK/.prog")
}

# check_program NAME WANT_OUT CMD...: bare, harden and audit agree; the bare
# output is WANT_OUT. {} in CMD is replaced by the run's directory.
check_program() {
	local name=$1 want=$2 how dir
	shift 2
	local bare_rc bare_out
	for how in bare harden audit; do
		dir=$TG_STICKY/$name.$how
		mkdir -p "$dir" && chmod 1777 "$dir"
		local -a cmd=("${@//\{\}/$dir}")
		tg_log "$name-$how"
		prog_run $how "$dir" "${cmd[@]}"
		if [ $how = bare ]; then
			bare_rc=$RC bare_out=$OUT
			tap_is "$RC:$OUT" "0:$want" "$name without tmpguard: works (baseline)"
		else
			tap_is "$RC:$OUT" "$bare_rc:$bare_out" "$name under $how: same exit status and output"
		fi
	done
}

# --- bash -----------------------------------------------------------------
check_program bash $'hello\n2' bash -c 'cd "$1" && echo hello >b.out && cat b.out &&
	echo more >>b.out && wc -l <b.out && cat <<<"here" >/dev/null' sh {}
LOG=$TG_LOGDIR/bash-harden.log
tap_log "bash under harden: its redirection logged (predictable-create, func open)" \
	event=predictable-create func=open action=hardened
tap_is "$(tg_mode "$TG_STICKY/bash.harden/b.out"):$(tg_mode "$TG_STICKY/bash.bare/b.out")" 600:644 \
	"bash under harden: its output file is 0600 (0644 without tmpguard)"

# --- python3 ----------------------------------------------------------------
if command -v python3 >/dev/null; then
	check_program python3 $'hi\n1\nTrue\nTrue' python3 -c '
import os, sys, tempfile
d = sys.argv[1]
with open(os.path.join(d, "p.out"), "w") as f: f.write("hi")
print(open(os.path.join(d, "p.out")).read())
with tempfile.NamedTemporaryFile(dir=d) as t:
    t.write(b"x"); t.flush(); print(os.path.getsize(t.name))
print(tempfile.TemporaryFile().fileno() > 2)
print(os.path.isdir(tempfile.mkdtemp()))' {}
	LOG=$TG_LOGDIR/python3-harden.log
	tap_log "python3 under harden: open(\"w\") logged" event=predictable-create 'path~/p\.out$'
else
	tap_skip "python3" "python3 not installed"
fi

# --- perl -------------------------------------------------------------------
if command -v perl >/dev/null; then
	check_program perl $'hi\n1' perl -e '
use File::Temp qw(tempfile);
my $d = $ARGV[0];
open(my $o, ">", "$d/pl.out") or die "open: $!"; print $o "hi\n"; close $o;
open(my $i, "<", "$d/pl.out") or die; print <$i>; close $i;
my ($fh, $fn) = tempfile(DIR => $d); print $fh "x"; close $fh; print -s $fn, "\n";' {}
	LOG=$TG_LOGDIR/perl-harden.log
	tap_log "perl under harden: open(\">\") logged" event=predictable-create 'path~/pl\.out$'
else
	tap_skip "perl" "perl not installed"
fi

# --- gcc: compile and run hello ------------------------------------------
if command -v gcc >/dev/null; then
	printf '#include <stdio.h>\nint main(void) { puts("hello from C"); return 0; }\n' >"$TG_WORK/hello.c"
	check_program gcc "hello from C" sh -c 'gcc -O0 -o "$1/hello" "$2" && "$1/hello"' sh {} "$TG_WORK/hello.c"
else
	tap_skip "gcc" "gcc not installed"
fi

# --- make -----------------------------------------------------------------
if command -v make >/dev/null; then
	printf 'all: made\n\tcat made\nmade: src\n\techo made > $@ && cat src >> $@\nsrc:\n\techo source > $@\n' \
		>"$TG_WORK/Makefile"
	check_program make $'made\nsource' make -s --no-print-directory -f "$TG_WORK/Makefile"
else
	tap_skip "make" "make not installed"
fi

# --- GnuCOBOL -----------------------------------------------------------------
if command -v cobc >/dev/null; then
	printf '%s\n' '       IDENTIFICATION DIVISION.' '       PROGRAM-ID. HELLO.' \
		'       PROCEDURE DIVISION.' '           DISPLAY "HELLO FROM COBOL".' \
		'           STOP RUN.' >"$TG_WORK/hello.cob"
	check_program cobc "HELLO FROM COBOL" sh -c 'cobc -x -o "$1/hello" "$2" && "$1/hello"' \
		sh {} "$TG_WORK/hello.cob"
	LOG=$TG_LOGDIR/cobc-harden.log
	tap_log "cobc under harden: its predictable temp files logged (fopen, cob<pid>_<n>.*)" \
		event=predictable-create func=fopen action=hardened 'path~/cob[0-9]+_[0-9]+\.'
	LOG=$TG_LOGDIR/cobc-audit.log
	tap_log "cobc under audit: the same temp files logged, action logged" \
		event=predictable-create func=fopen action=logged 'path~/cob[0-9]+_[0-9]+\.'
else
	tap_skip "GnuCOBOL cobc" "cobc not installed"
fi

tap_done
exit 0
