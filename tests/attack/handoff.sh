#!/bin/bash
# attack/handoff.sh — names squatted between naming and creation.
# First, a name handed from a parent to a child that creates it:
# the parent names it with mktemp(3), then (after the deterministic window in
# which tgattacker squats the name) a child creates it.
#   fork: a forked child (no exec) fopen(w)s it. The child inherits the
#         parent's reservation: harden makes the creation exclusive, so a
#         squat fails with EEXIST and race-blocked.
#   exec: the child execs /bin/sh, whose redirection creates it. The new
#         program knows nothing of the reservation: its creation is a
#         predictable one in a shared directory, safe-open: EACCES and
#         hijack-blocked.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
VICTIM=$TG_HELPERS/attack_victim
[ -x "$VICTIM" ] || tap_bail "helper not built: $VICTIM"

run_fork() {
	att_launch_name "$1" _att_plant_name "$VICTIM" handoff fork /tmp/tgattack-ho.XXXXXX "$TG_WORK/.att-release"
}
run_exec() {
	att_launch_name "$1" _att_plant_name "$VICTIM" handoff exec /tmp/tgattack-ho.XXXXXX "$TG_WORK/.att-release"
}

# (att_launch_name exports ATT_RELEASE=$TG_WORK/.att-release, the same file)
for cls in symlink fifo file hardlink; do
	ATT_EVENT=race-blocked att_case $cls "mktemp in parent, fopen in forked child" run_fork EEXIST
done
for cls in symlink fifo file hardlink; do
	att_case $cls "mktemp in parent, sh redirection in exec'd child" run_exec EACCES
done

# The window between a name generator and the creation, in one process (the
# project's legacy program waits in it): tmpnam, tmpnam_r and tempnam. The
# name is reserved: harden creates it exclusively, EEXIST and race-blocked.
run_gen() {
	# shellcheck disable=SC2086
	att_launch_name "$1" _att_plant_name "$LEGACY" $GEN --wait "$TG_WORK/.att-release"
}
for GEN in "tmpnam-open" "tmpnam_r-creat" "tempnam-fopen /tmp tga w"; do
	for cls in symlink fifo file hardlink; do
		use=${GEN#*-}
		ATT_EVENT=race-blocked att_case $cls "legacy: ${GEN%%-*}, then ${use%% *}" run_gen EEXIST
	done
done

tap_done
exit 0
