#!/bin/bash
# attack/ipc.sh — IPC names and spawned children (contract part 2, items 4,
# 6 and 9):
#  - connect(2) to a Unix socket the victim expects its own service at:
#    tgattacker listens there and receives the victim's data;
#  - sem_open(NAME, O_CREAT) of the attacker's semaphore: the victim posts
#    to it; shm_open of the attacker's /dev/shm object, with and without
#    O_CREAT: the victim writes into it;
#  - mkfifo NAME failing with EEXIST (ignored, as scripts do), then
#    open(NAME, O_WRONLY): the victim writes into the attacker's file or
#    through its symlink; the kernel's EEXIST is logged hijack-detected,
#    action logged, never "blocked";
#  - a posix_spawn file action (stdout to NAME, O_WRONLY|O_CREAT|O_TRUNC)
#    registered, then the attacker plants, then the spawn (the window is
#    deterministic: the victim waits between the two). harden creates the
#    file at registration and hands the child the descriptor that pins it:
#    the spawn goes on, into the victim's own file, whatever is planted
#    under the name afterwards; the creation is logged predictable-create.
# Plants in $W (world-writable, not sticky) and /dev/shm.
set -u
# shellcheck source=tests/attack/lib.sh
. "$TG_SRCDIR/tests/attack/lib.sh"

att_init
att_shared_init
P=$W/app.sock
F=$W/app.fifo
S=$W/app.spawn
SEM=tgattack-sem.$$
SHM=tgattack-shm.$$
tg_cleanup_later "/dev/shm/sem.$SEM" "/dev/shm/$SHM" "/dev/shm/$SHM.att"

plant_and_run() {
	local how=$1 path=$2
	shift 2
	ATT_PATH=$path
	att_plant "$ATT_CLASS" "$path" || tap_diag "plant of $ATT_CLASS at $path failed"
	tg_run "$how" "$@"
}
run_connect() { plant_and_run "$1" "$P" "$VICTIM" connect "$P"; }
run_sem() { plant_and_run "$1" "/dev/shm/sem.$SEM" "$VICTIM" sem "/$SEM"; }
run_shm_creat() { plant_and_run "$1" "/dev/shm/$SHM" "$VICTIM" shm "/$SHM" 'RDWR|CREAT'; }
run_shm() { plant_and_run "$1" "/dev/shm/$SHM" "$VICTIM" shm "/$SHM" RDWR; }
run_fifo() { plant_and_run "$1" "$F" "$VICTIM" fifo-write "$F"; }
run_spawn() {
	rm -f -- "$S"
	att_launch_name "$1" _att_plant_name "$VICTIM" spawn "$S" "$TG_WORK/.att-release"
}

att_case sock "C connect(NAME) (Unix socket)" run_connect EACCES
ATT_LOGPATH="~$SEM\$" att_case sem "C sem_open(NAME, O_CREAT), sem_post" run_sem EACCES
ATT_LOGPATH="~$SHM\$" att_case file "C shm_open(NAME, O_RDWR\\|O_CREAT), write" run_shm_creat EACCES
ATT_LOGPATH="~$SHM\$" att_case file "C shm_open(NAME, O_RDWR), write" run_shm EACCES

# mkfifo's EEXIST, then the open
fifo_words() {
	local m log
	for m in harden audit; do
		log=$(att_case_log "$1" "$2" $m)
		LOG=$log tap_log_count 0 "$m $1, $(att_describe "$2"): no event calls mkfifo's EEXIST blocked" \
			func~^mkfifo action=blocked
		LOG=$log tap_log "$m $1, $(att_describe "$2"): mkfifo's EEXIST logged hijack-detected, action logged" \
			event=hijack-detected action=logged func~^mkfifo "path=$F"
	done
}
V="C mkfifo(NAME) fails EEXIST, open(NAME, O_WRONLY)"
for cls in file symlink; do
	ATT_LOGFUNC='^open' att_case $cls "$V" run_fifo EACCES
	fifo_words "$V" $cls
done

for cls in symlink file hardlink; do
	ATT_EVENT=predictable-create \
		att_case $cls "C posix_spawn, stdout to NAME (file action), plant after registration" run_spawn -
done

tap_done
exit 0
