#!/bin/bash
# attack/dirs.sh — directories (contract part 2, items 5 and 9, and the
# rule for intermediate components). The victim runs
# `mkdir -p SHARED/app && echo ... > SHARED/app/out`, or opens "out"
# relative to a descriptor of SHARED/app (openat). tgattacker squatted
# SHARED/app first:
#  - its own 0755 directory with a symlink "out" to the victim's file
#    (mkdir -p succeeds on it, the write goes through the symlink);
#  - its own empty 0755 directory (the victim's new file is made in the
#    attacker's directory, where the attacker reads it unless it is
#    private: a creation below a planted directory is a creation in a
#    shared directory);
#  - a symlink to the victim's own directory (the victim truncates its
#    own file).
# mkdir's EEXIST over the attacker's directory is the kernel's: logged
# hijack-detected, action logged, never "blocked". The victim's file is
# $TG_WORK/vapp/out, outside any shared directory. Plants in $W
# (world-writable, not sticky: no fs.protected_* sysctl applies).
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
mkdir -p "$TG_WORK/vapp" && chmod 0755 "$TG_WORK/vapp"
PRECIOUS=$TG_WORK/vapp/out
att_reset
D=$W/app

run_mkdir_p() {
	ATT_PATH=$D
	att_plant "$ATT_CLASS" "$D" || tap_diag "plant of $ATT_CLASS at $D failed"
	# shellcheck disable=SC2016
	tg_run "$1" bash -c 'mkdir -p "$1" && echo VICTIM-DATA > "$1/out"' sh "$D"
}
run_openat() {
	ATT_PATH=$D
	att_plant "$ATT_CLASS" "$D" || tap_diag "plant of $ATT_CLASS at $D failed"
	tg_run "$1" "$LEGACY" openat "$D" out 'WRONLY|CREAT|TRUNC'
}
run_openat_append() {
	ATT_PATH=$D
	att_plant "$ATT_CLASS" "$D" || tap_diag "plant of $ATT_CLASS at $D failed"
	tg_run "$1" "$LEGACY" openat2 "$D" out 'WRONLY|APPEND'
}

# mkdir_words VICTIM CLASS: in both modes, the mkdir that failed with
# EEXIST over the attacker's directory is hijack-detected, action logged,
# and nothing about it says blocked. (The event has the path as the call
# had it: mkdir -p changes into the parent and makes "app".)
mkdir_words() {
	local m log
	for m in harden audit; do
		log=$(att_case_log "$1" "$2" $m)
		LOG=$log tap_log_count 0 "$m $1, $(att_describe "$2"): no event calls mkdir's EEXIST blocked" \
			func~^mkdir action=blocked
		LOG=$log tap_log "$m $1, $(att_describe "$2"): mkdir's EEXIST over the attacker's directory logged hijack-detected, action logged" \
			event=hijack-detected action=logged func~^mkdir "path~(^|/)${D##*/}\$"
	done
}

V="mkdir -p SHARED/app, echo > SHARED/app/out"
ATT_LOGPATH=$D/out att_case pdir "$V" run_mkdir_p EACCES
mkdir_words "$V" pdir
ATT_LOGPATH=$D/out att_case dirlink "$V" run_mkdir_p EACCES
# nothing planted at the name: harden makes the file private (the attacker
# cannot read it); audit logs the predictable creation, as for /tmp
ATT_LOGPATH=$D/out ATT_EVENT=predictable-create ATT_AUDIT_EVENT=predictable-create \
	att_case pdir-empty "$V" run_mkdir_p -
mkdir_words "$V" pdir-empty

ATT_LOGPATH='~(^|/)out$' att_case pdir "openat(fd of SHARED/app, \"out\", O_CREAT)" run_openat EACCES
ATT_LOGPATH='~(^|/)out$' att_case pdir "openat(fd of SHARED/app, \"out\", O_APPEND)" run_openat_append EACCES

tap_done
exit 0
