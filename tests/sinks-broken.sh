#!/bin/bash
# sinks-broken.sh — the log cannot be written: a full file system, the log
# deleted or replaced by a symlink while the program runs, stderr a pipe
# whose reader is gone, syslog and journal sockets absent, a FIFO without a
# reader. The host's behaviour and exit status never change (no SIGPIPE
# death, no hang); what the configured log did not get goes to stderr with
# one notice per process, and a count at exit:
#   tmpguard: cannot write to the configured log; events from this process go to stderr
#   tmpguard: N events could not be logged
. "$TG_SRCDIR/tests/lib.sh"

STRESS=$TG_HELPERS/stress
[ -x "$STRESS" ] || tap_bail "helper not built: $STRESS"
NOTICE='tmpguard: cannot write to the configured log; events from this process go to stderr'

fresh() { D=$(mktemp -d "$TG_STICKY/s.XXXXXX"); chmod 1777 "$D"; }
nfiles() { find "$1" -mindepth 1 -maxdepth 1 -name 'ev*' | wc -l; }
count_err() { grep -cF -- "$1" <<<"$ERR"; }

# check_lost WHAT N: the run kept exit status 7, made its N files, said the
# notice once, put N event lines on stderr and counted N lost.
check_lost() {
	local what=$1 n=$2
	tap_is "$RC" 7 "$what: exit status unchanged (7)"
	tap_is "$(nfiles "$D")" 5 "$what: the program made its 5 files"
	tap_is "$(count_err "$NOTICE")" 1 "$what: the notice once"
	tap_is "$(grep -c 'event=predictable-create\|"event":"predictable-create"' <<<"$ERR")" "$n" \
		"$what: the $n lost lines on stderr instead"
	tap_is "$(grep -c '^tmpguard: [0-9]* events\? could not be logged$' <<<"$ERR")" 1 \
		"$what: one count at exit"
	tap_like "$ERR" "tmpguard: $n events? could not be logged" "$what: the count is $n"
}

# the reference: bare
fresh
tg_run bare "$STRESS" events "$D" 5 7
tap_is "$RC:$(nfiles "$D"):$ERR" "7:5:" "bare: exit 7, 5 files, no output"

# 1. a full file system
if [ "$(id -u)" != 0 ]; then
	for i in 1 2 3 4 5 6 7; do tap_skip "full file system $i" "not root: cannot mount a tmpfs"; done
else
	FULL=$TG_WORK/full
	mkdir "$FULL"
	if mount -t tmpfs -o size=64k,mode=0755 tg-full "$FULL" 2>/dev/null; then
		trap 'umount -l "$FULL" 2>/dev/null; tg_cleanup' EXIT
		: >"$FULL/log"
		dd if=/dev/zero of="$FULL/filler" bs=4k count=64 2>/dev/null
		fresh
		TMPGUARD_LOG=$FULL/log tg_run harden "$STRESS" events "$D" 5 7
		check_lost "full file system (ENOSPC)" 5
		tap_is "$(stat -c %s "$FULL/log")" 0 "full file system: the log holds no partial line"
		umount "$FULL" || umount -l "$FULL"
		trap tg_cleanup EXIT
	else
		for i in 1 2 3 4 5 6 7; do tap_skip "full file system $i" "mount -t tmpfs failed (no privilege in this container)"; done
	fi
fi

# 2. the log deleted while the program runs: the next record makes it anew
fresh
tg_log deleted
rel=$TG_WORK/.rel-deleted
tg_start_bg pid "$TG_WORK/.bg" env TG_STRESS_PAUSE="$rel" LD_PRELOAD="$TG_PRELOAD" \
	TMPGUARD_MODE=harden "$STRESS" events "$D" 5 7
tg_wait_line "$LOG" 'ev0' 10
rm -f -- "$LOG"
touch "$rel"
wait "$pid"
RC=$?
tap_is "$RC" 7 "log deleted while running: exit status unchanged"
tap_log_count 4 "log deleted while running: the 4 later records are in the new log" event=predictable-create
tap_is "$(tg_mode "$LOG")" 600 "log deleted while running: the new log is 0600"
tap_is "$(cat "$TG_WORK/.bg.err")" "" "log deleted while running: nothing lost, nothing on stderr"

# 3. the log replaced by a symlink while running: refused (O_NOFOLLOW)
fresh
tg_log symlinked
rel=$TG_WORK/.rel-symlink
: >"$TG_WORK/target"
tg_start_bg pid "$TG_WORK/.bg" env TG_STRESS_PAUSE="$rel" LD_PRELOAD="$TG_PRELOAD" \
	TMPGUARD_MODE=harden "$STRESS" events "$D" 5 7
tg_wait_line "$LOG" 'ev0' 10
rm -f -- "$LOG"
ln -s "$TG_WORK/target" "$LOG"
touch "$rel"
wait "$pid"
RC=$?
ERR=$(cat "$TG_WORK/.bg.err")
tap_is "$(tg_content "$TG_WORK/target")" "" "log replaced by a symlink: the symlink is not followed"
check_lost "log replaced by a symlink" 4

# 4. stderr is a pipe whose reader has exited: no SIGPIPE death
pipe_run() { # pipe_run ENV...: the stress run with stderr a reader-less FIFO
	local fifo=$TG_WORK/.fifo
	rm -f "$fifo"
	mkfifo "$fifo"
	exec 3<>"$fifo"
	(
		exec 3<&-
		sleep 0.3
		exec timeout -k 2 "$TG_TIMEOUT" env "$@" "$STRESS" events "$D" 5 7
	) 2>"$fifo" &
	local p=$!
	exec 3<&-
	wait "$p"
	RC=$?
	rm -f "$fifo"
}
fresh
pipe_run LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=harden
tap_is "$RC" 7 "stderr a pipe without reader (stderr log): exit 7, no SIGPIPE (141)"
tap_is "$(nfiles "$D")" 5 "stderr a pipe without reader: the program made its 5 files"
fresh
pipe_run LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=harden TMPGUARD_LOG=syslog \
	TMPGUARD_SYSLOG_SOCKET="$TG_WORK/no-such-socket"
tap_is "$RC" 7 "stderr a pipe without reader, syslog absent too: exit 7"
fresh
pipe_run LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=harden
pipe_run
tap_is "$RC" 7 "and bare: exit 7"

# 5. syslog and journal sockets absent
fresh
TMPGUARD_LOG=syslog TMPGUARD_SYSLOG_SOCKET=$TG_WORK/no-such-socket \
	tg_run harden "$STRESS" events "$D" 5 7
check_lost "syslog socket absent" 5
fresh
TMPGUARD_LOG=journal TMPGUARD_JOURNAL_SOCKET=$TG_WORK/no-journal \
	TMPGUARD_SYSLOG_SOCKET=$TG_WORK/no-such-socket \
	tg_run harden "$STRESS" events "$D" 5 7
check_lost "journal and syslog sockets absent" 5
# a socket path that exists but nobody listens on (a stale socket file)
fresh
"$TG_PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])' \
	"$TG_WORK/stale.sock"
TMPGUARD_LOG=syslog TMPGUARD_SYSLOG_SOCKET=$TG_WORK/stale.sock \
	tg_run harden "$STRESS" events "$D" 5 7
check_lost "stale syslog socket (ECONNREFUSED)" 5

# 6. the log is a FIFO without a reader: no hang
fresh
mkfifo "$TG_WORK/log.fifo"
start=$SECONDS
TMPGUARD_LOG=$TG_WORK/log.fifo tg_run harden "$STRESS" events "$D" 5 7
tap_is "$RC" 7 "log is a FIFO without reader: exit 7, no hang ($((SECONDS - start)) s)"
tap_is "$(count_err "$NOTICE")" 1 "log is a FIFO without reader: the notice once"

# 7. a forked child counts its own losses
fresh
TMPGUARD_LOG=syslog TMPGUARD_SYSLOG_SOCKET=$TG_WORK/no-such-socket \
	tg_run harden "$STRESS" closeall "$D"
tap_is "$RC" 0 "losses in a forked child: exit 0"

tap_done
