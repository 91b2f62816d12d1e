#!/bin/bash
# log.sh — the event log: fields, text form, caller, deduplication, many
# writers, escaping, and what bad settings do.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
EXE=$(readlink -f "$LEGACY")
TARGET=$TG_WORK/target
printf 'PRECIOUS\n' >"$TARGET"

# --- 1. JSON fields ----------------------------------------------------------
ln -s "$TARGET" "$S/link"
tg_foreign "$S/link" # another user's
tg_log fields
tg_run harden "$LEGACY" open "$S/link"
pid=$(tg_field pid)
tg_run harden "$LEGACY" fopen "$S/plain" w
pid2=$(tg_field pid)
got=$("$TG_PY" "$TG_SRCDIR/tests/helpers/log_fields.py" "$LOG" "$EXE" "$(id -u)" "$pid" "$pid2" 2>&1)
tap_is "$got" fine "JSON lines: keys ts,pid,uid,exe,event,func,path,action,caller,mode in order; types and values right; errno/error only when blocked"
tap_log "JSON hijack-blocked carries detail" event=hijack-blocked detail=symlink "path=$S/link"

# --- 2. text form -------------------------------------------------------------
tg_log text
TMPGUARD_FORMAT=text tg_run harden "$LEGACY" open "$S/link"
line=$(grep hijack-blocked "$LOG")
re='^tmpguard: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z '
re+="$EXE\\[$(tg_field pid)\\] uid=$(id -u) event=hijack-blocked action=blocked func=open "
re+="path=\"$S/link\" caller=$EXE\\+0x[0-9a-f]+ mode=harden errno=EACCES\\(13\\) detail=symlink\$"
tap_like "$line" "$re" "text line has the documented form"
timeout -k 2 "$TG_TIMEOUT" env -u TMPGUARD_FORMAT -u TMPGUARD_LOG LD_PRELOAD="$TG_PRELOAD" \
	"$LEGACY" open "$S/link" >/dev/null 2>"$TG_WORK/stderr.default" </dev/null
tap_like "$(cat "$TG_WORK/stderr.default")" '^tmpguard: .* event=hijack-blocked ' \
	"no TMPGUARD_LOG, no TMPGUARD_FORMAT: a text line on stderr"

# --- 3. caller: module + offset inside the calling function -------------------
# in_function BIN FUNC OFF: OFF (hex) lies inside FUNC according to nm -S.
in_function() {
	local sym
	sym=$(nm -S --defined-only "$1" | awk -v f="$2" '$4 == f {print $1, $2}' | head -n 1)
	[ -n "$sym" ] || { echo "no symbol $2"; return; }
	set -- $sym "$3"
	if (( 16#$3 >= 16#$1 && 16#$3 < 16#$1 + 16#$2 )); then
		echo inside
	else
		echo "0x$3 outside [0x$1, 0x$1+0x$2)"
	fi
}
# first_caller: the caller field of the first line of $LOG
first_caller() {
	"$TG_PY" -c '
import json, sys
for l in open(sys.argv[1]):
    print(json.loads(l)["caller"]); break' "$LOG" 2>/dev/null
}
for v in $TG_VARIANTS; do
	bin=$TG_HELPERS/$v
	for spec in "fopen|cmd_fopen|fopen $S/caller.$v w" "open|cmd_open|open $S/caller2.$v" \
		"creat|cmd_creat|creat $S/caller3.$v" "mktemp|gen_mktemp|names mktemp 1 $S/c.XXXXXX"; do
		IFS='|' read -r call fn cmd <<<"$spec"
		tg_log "caller-$v-$call"
		# shellcheck disable=SC2086
		tg_run harden "$bin" $cmd
		caller=$(first_caller)
		mod=${caller%+0x*}
		off=${caller##*+0x}
		tap_is "$mod" "$(readlink -f "$bin")" "$v $call: caller module is the program's absolute path"
		tap_is "$(in_function "$bin" "$fn" "$off")" inside "$v $call: caller offset 0x$off inside $fn (nm -S)"
	done
done
# a call made inside a shared library names that library
if command -v g++ >/dev/null; then
	printf '#include <fstream>\nint main(int c, char **v) { std::ofstream f(v[1]); f << "VICTIM-DATA\\n"; return !f; }\n' >"$TG_WORK/ofs.cc"
	if g++ -O0 -o "$TG_WORK/ofs" "$TG_WORK/ofs.cc" 2>"$TG_WORK/gxx.err"; then
		tg_log caller-lib
		tg_run harden "$TG_WORK/ofs" "$S/ofstream"
		caller=$(first_caller)
		mod=${caller%+0x*}
		off=${caller##*+0x}
		lib=$(readlink -f "$(g++ -print-file-name=libstdc++.so.6)")
		tap_is "$(readlink -f "$mod")" "$lib" "C++ ofstream: caller module is libstdc++ ($caller)"
		fn=$(nm -D -S --defined-only "$lib" | "$TG_PY" -c '
import sys
off = int(sys.argv[1], 16)
for l in sys.stdin:
    f = l.split()
    if len(f) == 4 and int(f[0], 16) <= off < int(f[0], 16) + int(f[1], 16):
        print(f[3]); break' "$off" | c++filt)
		tap_like "$fn" 'basic_file' "C++ ofstream: caller offset inside __basic_file::open ($fn)"
	else
		tap_skip "C++ ofstream caller" "g++ cannot build a test program: $(head -n 1 "$TG_WORK/gxx.err")"
	fi
else
	tap_skip "C++ ofstream caller" "g++ not installed"
fi

# --- 4. deduplication -----------------------------------------------------
tg_log dedup-one
tg_run harden "$LEGACY" fopen-loop "$S/one" 100
tap_is "$(tg_result)" OK "fopen on one path 100 times works"
tap_log_count 1 "fopen on one path 100 times: one line" event=predictable-create
tg_log dedup-many
tg_run harden "$LEGACY" fopen-many "$S/many" 100
tap_log_count 100 "fopen on 100 paths: 100 lines" event=predictable-create
tap_is "$(tg_log_count "$LOG" event=predictable-create 'path~/many\.99$')" 1 "fopen on 100 paths: each path logged"
tg_log dedup-fork
tg_run harden bash -c 'echo parent >"$1"; /bin/true >"$1"' sh "$S/forked"
tap_log_count 2 "a forked child starts its own record (parent + child: 2 lines)" \
	event=predictable-create "path=$S/forked"

# --- 5. many processes, one log file ------------------------------------------
long=$S
for i in 1 2 3; do
	long=$long/$(printf 'd%.0s' {1..200})$i
	mkdir "$long" && chmod 1777 "$long"
done
tg_log concurrent
pids=()
for i in $(seq 1 20); do
	tg_start_bg p "$TG_WORK/conc.$i" env LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=harden \
		"$LEGACY" fopen-many "$long/p$i" 50
	pids+=("$p")
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
tap_is "$fails" 0 "20 concurrent processes ran"
tap_is "$(wc -l <"$LOG")" 1000 "20 processes x 50 paths: 1000 lines"
tap_is "$(tg_log_count "$LOG")" 1000 "every line is a complete JSON object (no interleaving)"

# --- 6. escaping -----------------------------------------------------------
name=$'we\nird"q\\b\tx\xffy\xc3\xa9z\x01'
tg_log escape-json
tg_run harden "$LEGACY" fopen "$S/$name" w
tap_is "$(tg_result)" OK "fopen of a name with newline, quote, backslash, tab, bad UTF-8, UTF-8, \\x01"
tap_is "$(wc -l <"$LOG")" 1 "JSON: one line per event even with a newline in the path"
want_hex=$(printf '%s' "$S/$name" | od -An -tx1 | tr -d ' \n')
got_hex=$("$TG_PY" -c '
import json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(o["path"].encode("utf-8", "surrogateescape").hex())' "$LOG" 2>&1)
tap_is "$got_hex" "$want_hex" "JSON path round-trips byte for byte (surrogateescape)"
tap_like "$(cat "$LOG")" '\\udcff' "JSON: the invalid byte is written \\udcff"
tap_like "$(cat "$LOG")" $'y\xc3\xa9z' "JSON: valid UTF-8 is kept"
tg_log escape-text
TMPGUARD_FORMAT=text tg_run harden "$LEGACY" fopen "$S/$name" w
tap_is "$(wc -l <"$LOG")" 1 "text: one line per event even with a newline in the path"
want_text=$("$TG_PY" -c '
import sys
b = sys.argv[1].encode("utf-8", "surrogateescape")
m = {0x0a: "\\n", 0x09: "\\t", 0x22: "\\\"", 0x5c: "\\\\"}
print("path=\"" + "".join(m.get(c) or (chr(c) if 0x20 <= c < 0x7f else "\\x%02x" % c) for c in b) + "\"")' "$S/$name")
if grep -qF -- "$want_text" "$LOG"; then
	tap_ok "text: path quoted with C escapes ($want_text)"
else
	tap_not_ok "text: path quoted with C escapes" "want: $want_text" "got:  $(cat "$LOG")"
fi

# --- 7. bad settings ---------------------------------------------------------
tg_log bad-mode
TMPGUARD_MODE=bogus tg_run preload "$LEGACY" fopen-many "$S/badmode" 3
tap_is "$(grep -c . <<<"$ERR")" 1 "TMPGUARD_MODE=bogus: one line on stderr"
tap_like "$ERR" '^tmpguard: ' "TMPGUARD_MODE=bogus: the line says tmpguard"
tap_is "$(tg_result):$(tg_mode "$S/badmode.0")" OK:600 "TMPGUARD_MODE=bogus: harden behaviour (file 0600)"
tap_log_count 3 "TMPGUARD_MODE=bogus: events logged as harden" mode=harden action=hardened

tg_log bad-format
TMPGUARD_FORMAT=xml tg_run harden "$LEGACY" fopen "$S/badformat" w
tap_is "$(grep -c '^tmpguard: ' <<<"$ERR")" 1 "TMPGUARD_FORMAT=xml: one line on stderr"
tap_like "$(cat "$LOG" 2>/dev/null)" '^tmpguard: .*event=predictable-create' "TMPGUARD_FORMAT=xml: text format"

tg_log bad-dirs
TMPGUARD_DIRS=relative/dir tg_run harden "$LEGACY" fopen "$S/baddirs" w
tap_is "$(tg_result):$(grep -c '^tmpguard: ' <<<"$ERR")" OK:1 "TMPGUARD_DIRS=relative/dir: one line on stderr, program works"

# a log path in a shared directory where someone planted a symlink
ln -s "$TARGET" "$S/planted.log"
tg_foreign "$S/planted.log"
TMPGUARD_LOG=$S/planted.log tg_run harden "$LEGACY" fopen "$S/via-planted-log" w
tap_is "$(tg_result):$(tg_content "$TARGET")" OK:PRECIOUS \
	"TMPGUARD_LOG is a planted symlink: not followed, its target untouched, program works"
printf 'x' >"$TG_WORK/notadir"
for dest in "$TG_WORK/notadir/x.log" "$TG_WORK/no/such/dir/x.log" "$TG_WORK"; do
	TMPGUARD_LOG=$dest tg_run harden "$LEGACY" fopen "$S/unwritable" w
	tap_is "$(tg_result):$(tg_mode "$S/unwritable")" OK:600 "TMPGUARD_LOG=$dest (unwritable): program works, still hardened"
	rm -f "$S/unwritable"
done

# --- 8. the program cannot capture the log --------------------------------
tg_log closefds
tg_run harden bash -c 'for fd in 3 4 5 6 7 8 9; do eval "exec $fd>&-"; done
	exec 3>"$1.cap"; echo one >"$1"; echo two >"$1.b"; exec 3>&-' sh "$S/cap"
tap_log_count 3 "a shell closing and reusing fds 3-9: every event still logged" event=predictable-create
tap_is "$(tg_content "$S/cap.cap")" "" "the shell's own fd 3 file received no log lines"

# The log file stays open between records: at a high number (the kernel
# gives a program's own opens the lowest free one), close-on-exec.
tg_log kept
tg_run harden bash -c 'echo one >"$1"; for f in /proc/$$/fd/*; do
		printf "%s %s\n" "${f##*/}" "$(readlink "$f")"; done
	echo "CHILD $(ls /proc/self/fd | tr "\n" " ")"' sh "$S/kept"
kept=$(awk -v lg="$LOG" '$2 == lg { print $1 }' <<<"$OUT")
tap_is "$([ -n "$kept" ] && [ "$kept" -ge 128 ] && echo high)" high \
	"the log's descriptor is kept at a high number (${kept:-none})"
tap_is "$(grep -c " $LOG\$" <<<"$OUT")" 1 "one descriptor on the log file"
tap_is "$(grep "^CHILD" <<<"$OUT" | tr ' ' '\n' | grep -cx "${kept:-none}")" 0 \
	"an exec'd child does not inherit it (close-on-exec)"

# A rotated log (renamed, a new file in its place) is followed: a record
# made a second or more after the descriptor was opened goes to the new file.
tg_log rotate
tg_run harden bash -c 'echo one >"$1.one"; mv "$TMPGUARD_LOG" "$TMPGUARD_LOG.1"
	sleep 1.2; echo two >"$1.two"' sh "$S/rot"
tap_is "$(tg_log_count "$LOG.1" path="$S/rot.one"):$(tg_log_count "$LOG.1" path="$S/rot.two")" 1:0 \
	"rotation: the first record is in the renamed log"
tap_log_count 1 "rotation: the record made after it is in the new log file" path="$S/rot.two"

# --- 9. syslog and journal sinks (test sockets) -------------------------------
cat >"$TG_WORK/recv.py" <<'EOF'
import os, socket, sys, time
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
open(out + ".ready", "w").close()
s.settimeout(0.5)
msgs, end = [], time.time() + 8
while time.time() < end and not os.path.exists(out + ".stop"):
    try:
        msgs.append(s.recv(65536))
    except socket.timeout:
        pass
with open(out, "wb") as f:
    f.write(b"\n--\n".join(msgs))
EOF
for sink in syslog journal; do
	sock=$TG_WORK/$sink.sock
	rm -f "$sock" "$TG_WORK/$sink.msgs"*
	"$TG_PY" "$TG_WORK/recv.py" "$sock" "$TG_WORK/$sink.msgs" &
	rpid=$!
	TG_BG_PIDS+=("$rpid")
	for _ in $(seq 100); do [ -e "$TG_WORK/$sink.msgs.ready" ] && break; sleep 0.05; done
	var=TMPGUARD_SYSLOG_SOCKET
	[ $sink = journal ] && var=TMPGUARD_JOURNAL_SOCKET
	TMPGUARD_LOG=$sink tg_run harden env "$var=$sock" "$LEGACY" fopen "$S/to-$sink" w
	touch "$TG_WORK/$sink.msgs.stop"
	wait "$rpid"
	tap_is "$(tg_result)" OK "TMPGUARD_LOG=$sink: program works"
	if [ $sink = syslog ]; then
		msgs=$(tr -d '\0' <"$TG_WORK/$sink.msgs" 2>/dev/null)
		tap_like "$msgs" "^<[0-9]+>.*predictable-create.*to-syslog" \
			"TMPGUARD_LOG=syslog: a syslog datagram with the event reached the socket"
	else
		# native journal protocol: KEY=VALUE\n, or KEY\n<le64 size><bytes>\n
		msg=$("$TG_PY" -c '
import struct, sys
d = open(sys.argv[1], "rb").read().split(b"\n--\n")[0]
f, i = {}, 0
while i < len(d):
    j = d.index(b"\n", i)
    line = d[i:j]
    if b"=" in line:
        k, v = line.split(b"=", 1); i = j + 1
    else:
        k = line; n = struct.unpack("<Q", d[j + 1:j + 9])[0]
        v = d[j + 9:j + 9 + n]; i = j + 9 + n + 1
    f[k.decode()] = v.decode("utf-8", "replace")
print(f.get("MESSAGE", "<no MESSAGE field: %s>" % sorted(f)))' "$TG_WORK/$sink.msgs" 2>&1)
		tap_like "$msg" "predictable-create.*to-journal" \
			"TMPGUARD_LOG=journal: a native-protocol datagram whose MESSAGE has the event"
	fi
done

# --- 10. an executable with an odd name --------------------------------------
odd=$TG_WORK/bin$'\n'dir
mkdir "$odd"
cp "$LEGACY" "$odd/le\"g"$'\xff'
tg_log odd-exe
tg_run harden "$odd/le\"g"$'\xff' fopen "$S/odd" w
got=$("$TG_PY" -c '
import json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").readline())
exe = o["exe"].encode("utf-8", "surrogateescape")
mod = o["caller"].rsplit("+0x", 1)[0].encode("utf-8", "surrogateescape")
want = sys.argv[2].encode("utf-8", "surrogateescape")
print("exe " + ("ok" if exe == want else repr(exe)), "caller " + ("ok" if mod == want else repr(mod)))' \
	"$LOG" "$odd/le\"g"$'\xff' 2>&1)
tap_is "$got" "exe ok caller ok" "JSON exe and caller module round-trip for a program path with newline, quote, bad UTF-8"

# --- 11. a log file in a shared directory: the rule (contract part 2) -------
# The library's own log is created exclusively there, or used only if a
# trusted owner made it and it has one link; otherwise it is unwritable:
# the one-line message, and the records on stderr.
LOGMSG='cannot write to the configured log'
printf 'ATTACKER-FILE\n' >"$S/foreign.log"
chmod 0666 "$S/foreign.log"
tg_foreign "$S/foreign.log"
printf 'VICTIM-FILE\n' >"$TG_WORK/victim-file"
ln "$TG_WORK/victim-file" "$S/hard.log"
for mode in harden audit; do
	for spec in "foreign|another user's file" "hard|a hard link to the victim's file"; do
		IFS='|' read -r name what <<<"$spec"
		before=$(cat "$S/$name.log")
		TMPGUARD_LOG=$S/$name.log tg_run $mode "$LEGACY" fopen "$S/via-$name-$mode" w
		t="$mode, TMPGUARD_LOG is $what in a shared directory:"
		tap_is "$(tg_result):$(cat "$S/$name.log")" "OK:$before" "$t program works, the file untouched"
		tap_grep "$ERR" "^tmpguard: $LOGMSG" "$t the one-line message on stderr"
		tap_grep "$ERR" "\"event\":\"predictable-create\".*via-$name-$mode" "$t the record on stderr"
	done
done
TMPGUARD_TRUST=4242 TMPGUARD_LOG=$S/foreign.log tg_run harden "$LEGACY" fopen "$S/via-trusted" w
tap_is "$(tg_result):$(grep -c "predictable-create.*via-trusted" "$S/foreign.log")" OK:1 \
	"TMPGUARD_TRUST=4242: the log file 4242 made in a shared directory is used"
# the caller's own, new or existing; one made in a planted directory
printf '' >"$S/own.log"
mkdir "$S/planted-dir"
chmod 0777 "$S/planted-dir"
tg_foreign "$S/planted-dir"
for lg in "$S/own.log" "$S/new.log" "$S/planted-dir/new.log"; do
	TMPGUARD_LOG=$lg TG_TRACE=$TG_WORK/trace tg_run harden "$LEGACY" fopen "$S/via-${lg##*/}" w
	t="harden, TMPGUARD_LOG=$lg:"
	tap_is "$(tg_result):$(tg_log_count "$lg" event=predictable-create):$(grep -c "$LOGMSG" <<<"$ERR")" \
		"OK:1:0" "$t used"
	[ "$lg" = "$S/own.log" ] && continue
	tap_is "$(tg_mode "$lg")" 600 "$t mode 0600"
	tap_is "$(tg_trace_creation "$TG_WORK/trace" "${lg##*/}")" exclusive "$t created with O_EXCL|O_NOFOLLOW"
done
# root's log, for another user (root is trusted); not when linked twice
if tg_attacker_setup; then
	printf '' >"$S/root.log"
	chmod 0666 "$S/root.log"
	timeout -k 2 "$TG_TIMEOUT" setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" \
		--clear-groups -- env LD_PRELOAD="$TG_PRELOAD" TMPGUARD_LOG="$S/root.log" \
		"$LEGACY" fopen "$S/via-root-log" w >"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
	tap_is "$(tg_log_count "$S/root.log" event=predictable-create "uid=$TG_ATT_UID"):$(grep -c "$LOGMSG" "$TG_WORK/.err")" \
		1:0 "$TG_ATTACKER appends to root's 0666 log in a shared directory"
else
	tap_skip "$TG_ATTACKER appends to root's log in a shared directory" "$TG_ATT_WHY"
fi
# tmpguard run refuses a planted log before the command starts
rm -f "$TG_WORK/ran"
timeout -k 2 "$TG_TIMEOUT" "$TG_CMD" run --log="$S/foreign.log" -- touch "$TG_WORK/ran" \
	>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
rc=$?
tap_is "$rc:$([ -e "$TG_WORK/ran" ] && echo ran || echo not-run):$(cat "$S/foreign.log" | head -n 1)" \
	"125:not-run:ATTACKER-FILE" "run --log=another user's file in a shared directory: exit 125, command not run, file untouched"
tap_grep "$(cat "$TG_WORK/.err")" "cannot open the log file .*foreign\.log.*refused.*foreign-owner" \
	"run --log=another user's file: the message says why"
timeout -k 2 "$TG_TIMEOUT" "$TG_CMD" run --log="$S/hard.log" -- touch "$TG_WORK/ran" \
	>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
tap_is "$?:$([ -e "$TG_WORK/ran" ] && echo ran || echo not-run):$(cat "$TG_WORK/victim-file")" \
	"125:not-run:VICTIM-FILE" "run --log=a hard link to the victim's file: exit 125, command not run, file untouched"
timeout -k 2 "$TG_TIMEOUT" "$TG_CMD" run --trust=4242 --log="$S/foreign.log" -- true \
	>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
tap_is "$?" 0 "run --trust=4242 --log=the file 4242 made: accepted"
timeout -k 2 "$TG_TIMEOUT" "$TG_CMD" run --log="$S/run-new.log" -- "$LEGACY" fopen "$S/via-run" w \
	>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
tap_is "$?:$(tg_mode "$S/run-new.log"):$(tg_log_count "$S/run-new.log" event=predictable-create "path=$S/via-run")" \
	0:600:1 "run --log=a new file in a shared directory: created 0600, the records in it"

tap_done
exit 0
