#!/bin/bash
# attack/pathcalls.sh — path calls after a refused open (contract part 2,
# item 2). A script writes NAME (`echo ... > NAME`; harden refuses that
# open when NAME is the attacker's) and carries on, as scripts do, with a
# call on the same name: chmod, chown (the victim is root), truncate(2),
# the utime family (touch -c, perl utime), realpath(3) then open, link (ln,
# python3 os.link), `sed -i --follow-symlinks`. tgattacker planted a
# symlink to the victim's file (every change to that file counts: content,
# mode, owner, times), or, for link, its own file (the attack works when
# the victim's private name ends up the attacker's file). The events must
# come from the path call itself (its func), not only from the refused
# open before it. Plants in $W
# (world-writable, not sticky: no fs.protected_* sysctl applies).
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
PERL=$(command -v perl)
P=$W/app.out
KEEP=$TG_PRIVATE/kept

# run_after MODE CALL...: echo > P (refused in harden), then CALL
run_after() {
	local how=$1
	shift
	ATT_PATH=$P
	rm -f -- "$KEEP"
	att_plant "$ATT_CLASS" "$P" || tap_diag "plant of $ATT_CLASS at $P failed"
	# shellcheck disable=SC2016
	tg_run "$how" bash -c 'echo VICTIM-DATA > "$1"; shift; "$@"' sh "$P" "$@"
}
run_chmod() { run_after "$1" chmod 666 "$P"; }
run_chown() { run_after "$1" chown nobody "$P"; }
run_chown_chmod() { run_after "$1" sh -c 'chown nobody "$1" && chmod 666 "$1"' sh "$P"; }
run_truncate() { run_after "$1" "$PERL" -e 'truncate($ARGV[0], 0) or die "truncate: $!\n"' "$P"; }
run_touch() { run_after "$1" touch -c "$P"; }
run_utime() { run_after "$1" "$PERL" -e 'utime(undef, undef, $ARGV[0]) or die "utime: $!\n"' "$P"; }
run_pyutime() { run_after "$1" "$PY" -c 'import os, sys; os.utime(sys.argv[1])' "$P"; }
run_realpath() { run_after "$1" "$VICTIM" realpath "$P"; }
run_ln() { run_after "$1" ln "$P" "$KEEP"; }
run_pylink() { run_after "$1" "$PY" -c 'import os, sys; os.link(sys.argv[1], sys.argv[2])' "$P" "$KEEP"; }
run_sed() { run_after "$1" sed -i --follow-symlinks s/PRECIOUS/VICTIM-DATA/ "$P"; }

# link: the victim's private name now is the attacker's file
worked_kept() {
	[ "$(tg_owner "$KEEP")" = "$TG_ATTACKER" ] && echo 1 || echo 0
}

ATT_WORKED=att_worked_touched
ATT_LOGFUNC='chmod' att_case symlink "echo > NAME; chmod 666 NAME" run_chmod EACCES
ATT_LOGFUNC='chown' att_case symlink "echo > NAME; chown nobody NAME" run_chown EACCES
ATT_LOGFUNC='chown' att_case symlink "echo > NAME; chown nobody NAME; chmod 666 NAME" run_chown_chmod EACCES
ATT_LOGFUNC=utime att_case symlink "echo > NAME; touch -c NAME (utimensat)" run_touch EACCES
ATT_LOGFUNC=utime att_case symlink "echo > NAME; python3 os.utime(NAME) (utimensat)" run_pyutime EACCES
ATT_LOGFUNC='realpath|canonicalize' att_case symlink "echo > NAME; realpath(3), then open" run_realpath EACCES
ATT_LOGFUNC='^fopen' att_case symlink "echo > NAME; sed -i --follow-symlinks NAME" run_sed EACCES
if [ -n "$PERL" ]; then
	ATT_LOGFUNC=truncate att_case symlink "echo > NAME; perl truncate(NAME, 0)" run_truncate EACCES
	ATT_LOGFUNC=utime att_case symlink "echo > NAME; perl utime (utimes)" run_utime EACCES
else
	att_row all "perl truncate, utime" "not run: perl missing" "not run" "not run"
	tap_skip "perl truncate, utime" "perl not installed"
fi
ATT_WORKED=worked_kept ATT_LOGFUNC=link att_case file "echo > NAME; ln NAME PRIVATE (linkat)" run_ln EACCES
ATT_WORKED=worked_kept ATT_LOGFUNC=link att_case file "echo > NAME; python3 os.link(NAME, PRIVATE)" run_pylink EACCES

tap_done
exit 0
