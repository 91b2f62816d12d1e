#!/bin/bash
# attack/swaps.sh — swaps after a safe creation (contract part 2: the rule
# holds at every step, not only at creation). A python3 victim creates
# $TMPDIR/tgapp.<pid> (harden makes that creation safe), prints its name
# and waits (the deterministic window); tgattacker, who may remove entries
# there, replaces the file by a symlink to the victim's file or by its own
# 0666 file; then the victim goes on with the name: reopens it ("a" and
# "r+"), chmods it, reads it back, or installs it with the atomic-update
# idiom os.rename(tmp, ~/app/config). Two places where the attacker can
# swap: a world-writable directory without the sticky bit ($W), and an
# attacker-owned TMPDIR.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
ATMP=$ATT_HOME/tmp # the attacker's own directory, as the victim's TMPDIR
tg_as_attacker mkdir -m 0755 "$ATMP" || tap_bail "$TG_ATTACKER cannot make $ATMP"
CONFIG=$TG_PRIVATE/app/config
mkdir -p "${CONFIG%/*}"

STEP_PY=$(
	cat <<'PY'
import os, sys, time
step, rel, config = sys.argv[1:4]
p = os.path.join(os.environ["TMPDIR"], "tgapp.%d" % os.getpid())
with open(p, "w") as f:
    f.write("VICTIM-DATA\n")
print("NAME " + p, flush=True)
for _ in range(500):
    if os.path.exists(rel):
        break
    time.sleep(0.02)
if step == "append":
    with open(p, "a") as f:
        f.write("VICTIM-DATA\n")
elif step == "rplus":
    with open(p, "r+") as f:
        f.write("VICTIM-DATA\n")
elif step == "chmod":
    os.chmod(p, 0o640)
elif step == "read":
    print(open(p).read(), flush=True)
elif step == "rename":
    os.rename(p, config)
print("DONE", flush=True)
PY
)

# the attacker removes the victim's file (it can: no sticky bit, or its
# own directory) and plants in its place
_swap() {
	ATT_PATH=$1
	tg_cleanup_later "$1" "$1.att"
	if ! tg_as_attacker rm -f -- "$1"; then
		tap_diag "$TG_ATTACKER could not remove $1"
		return
	fi
	att_plant "$ATT_CLASS" "$1" || tap_diag "plant of $ATT_CLASS at $1 failed"
}
# run_step MODE: STEP and DIR set by the caller
run_step() {
	# a fresh config of the victim's: the bare run's rename left the
	# attacker's file there
	rm -f -- "$CONFIG"
	printf 'CONFIG\n' >"$CONFIG"
	chmod 0644 "$CONFIG"
	TMPDIR=$DIR att_launch_name "$1" _swap "$PY" -c "$STEP_PY" "$STEP" "$TG_WORK/.att-release" "$CONFIG"
}
# rename: ~/app/config is now the attacker's file
worked_config() {
	[ "$(tg_owner "$CONFIG")" = "$TG_ATTACKER" ] && echo 1 || echo 0
}

for where in ww atmp; do
	case $where in
	ww) DIR=$W where_txt="world-writable dir" ;;
	atmp) DIR=$ATMP where_txt="attacker-owned TMPDIR" ;;
	esac
	STEP=append att_case symlink "python3, $where_txt: create, swap, open(\"a\")" run_step EACCES
	STEP=rplus att_case symlink "python3, $where_txt: create, swap, open(\"r+\")" run_step EACCES
	STEP=chmod ATT_WORKED=att_worked_touched \
		att_case symlink "python3, $where_txt: create, swap, chmod" run_step EACCES
	STEP=read ATT_WORKED=att_worked_read \
		att_case file "python3, $where_txt: create, swap, read back" run_step EACCES
	STEP=rename ATT_WORKED=worked_config \
		att_case file "python3, $where_txt: create, swap, rename(tmp, ~/app/config)" run_step EACCES
done

tap_done
exit 0
