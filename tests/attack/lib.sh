# tests/attack/lib.sh — the attack harness, on top of tests/lib.sh.
#
# The victim is root (this test run); the attacker is the second user
# tgattacker (created by tg_attacker_setup); the victim owns "precious", a
# file outside any shared directory. An attack succeeds when precious
# changes, when the victim writes its data into an object the attacker can
# read, or when the victim reads data the attacker planted (or hangs on a
# planted FIFO).
#
# Every script records one row per (attack class, victim) with the observed
# outcome of each mode (att_row); tests/attack/table.sh turns the rows of all
# scripts into the results table (docs/attack-results.md).
#
#   att_init             attacker set up, or the whole script skips
#   att_reset            precious back to "PRECIOUS\n"
#   att_precious_changed precious differs from what att_reset wrote
#   att_launch_pid MODE PLANT CMD...
#                        start CMD with a known pid: a wrapper shell writes
#                        its pid, waits, then execs CMD (exec keeps the pid);
#                        PLANT PID is called in between. Sets RC, OUT, ERR.
#   att_env MODE         the env(1) arguments for MODE (bare|harden|audit)
#   att_row CLASS VICTIM BARE AUDIT HARDEN
#   att_bare_cell WORKED WHY, att_mode_cell ...: the table's cells
#
# The whole life of a temporary file (contract, part 2) adds:
#   att_shared_init      $W, a world-writable directory without the sticky
#                        bit (no fs.protected_* sysctl applies there; in
#                        TMPGUARD_DIRS), $ATT_HOME (the attacker's own
#                        directory), $STAGE/attack_victim (a copy the
#                        attacker can run from a 0700 checkout)
#   att_precious_touched precious differs in content, mode, owner or mtime
#   att_case settings    ATT_WORKED (a function CLASS PATH printing 1/0 in
#                        place of att_worked), ATT_LABEL (the attack's
#                        words in the table), ATT_LOGPATH (the path the
#                        events must name; "~ERE" for a pattern),
#                        ATT_AUDIT_EVENT (hijack-detected unless set),
#                        ATT_LOGFUNC (an ERE the events' func must match:
#                        the call judged, when an earlier one names the
#                        same path)
# shellcheck shell=bash

# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

ATT_RESULTS=$TG_BUILDDIR/tests/attack/results
mkdir -p "$ATT_RESULTS" || tap_bail "cannot create $ATT_RESULTS"
ATT_ROWS=$ATT_RESULTS/$TG_NAME.tsv
: >"$ATT_ROWS"

att_init() {
	local try
	# useradd can find /etc/passwd locked by a test running in parallel
	for try in 1 2 3 4 5 6 7 8 9 10; do
		tg_attacker_setup && break
		[[ $TG_ATT_WHY == useradd* ]] || break
		sleep 1
	done
	if [ -n "$TG_ATT_WHY" ]; then
		printf 'all\t%s\tnot run: %s\tnot run\tnot run\n' "$TG_NAME" "$TG_ATT_WHY" >>"$ATT_ROWS"
		tap_skip "attacks by a second user ($TG_NAME)" "$TG_ATT_WHY"
		tap_done
		exit 0
	fi
	tap_diag "kernel: $(tg_sysctls)"
	PRECIOUS=$TG_WORK/precious
	att_reset
}

att_shared_init() {
	W=$TG_WORK/ww
	mkdir -p "$W" && chmod 0777 "$W" || tap_bail "cannot make $W"
	export TMPGUARD_DIRS=$TG_STICKY:$W
	ATT_HOME=$TG_WORK/att
	mkdir -p "$ATT_HOME" && chown "$TG_ATT_UID:$TG_ATT_GID" "$ATT_HOME" &&
		chmod 0755 "$ATT_HOME" || tap_bail "cannot make $ATT_HOME"
	STAGE=$TG_WORK/stage
	mkdir -p "$STAGE" && cp "$TG_HELPERS/attack_victim" "$STAGE/" &&
		chmod 0755 "$STAGE" "$STAGE/attack_victim" || tap_bail "cannot stage attack_victim"
	tg_as_attacker "$STAGE/attack_victim" >/dev/null 2>&1
	[ $? = 2 ] || tap_bail "$TG_ATTACKER cannot run $STAGE/attack_victim"
	# shellcheck disable=SC2034 # for the scripts
	VICTIM=$TG_HELPERS/attack_victim
	PY=/usr/bin/python3
	[ -x "$PY" ] || PY=$TG_PY
}

att_reset() {
	printf 'PRECIOUS\n' >"$PRECIOUS"
	chmod 0644 "$PRECIOUS"
	chown 0:0 "$PRECIOUS"
	touch -d @1000000000 "$PRECIOUS"
	ATT_STAMP=$(_att_stamp "$PRECIOUS")
}
att_precious_changed() { [ "$(tg_content "$PRECIOUS")" != PRECIOUS ]; }
# what a path call can change: content, mode, owner, times (not the link
# count: a hard link planted to precious is not a change to it)
_att_stamp() { printf '%s %s' "$(stat -c '%a %u %g %s %Y' -- "$1" 2>/dev/null)" "$(tg_content "$1")"; }
att_precious_touched() { [ "$(_att_stamp "$PRECIOUS")" != "$ATT_STAMP" ]; }

att_env() {
	case $1 in
	bare) ;;
	harden | audit) printf '%s\n' "LD_PRELOAD=$TG_PRELOAD" "TMPGUARD_MODE=$1" ;;
	*) tap_bail "att_env: bad mode $1" ;;
	esac
}

# att_launch_pid MODE PLANT CMD...
att_launch_pid() {
	local how=$1 plant=$2
	shift 2
	local rel=$TG_WORK/.att-release pidf=$TG_WORK/.att-pid out=$TG_WORK/.att-out pid i
	local -a env
	mapfile -t env < <(att_env "$how")
	rm -f "$rel" "$pidf"
	# shellcheck disable=SC2016
	tg_start_bg pid "$out" bash -c '
		echo $$ > "$1.tmp" && mv "$1.tmp" "$1"
		i=0; while [ ! -e "$2" ]; do sleep 0.02; i=$((i+1)); [ $i -lt 400 ] || exit 3; done
		shift 2; exec "$@"' wrapper "$pidf" "$rel" env "${env[@]}" "$@"
	VPID=
	for ((i = 0; i < 200; i++)); do
		[ -s "$pidf" ] && break
		sleep 0.05
	done
	VPID=$(cat "$pidf" 2>/dev/null)
	[ -n "$VPID" ] && "$plant" "$VPID"
	touch "$rel"
	wait "$pid"
	RC=$?
	OUT=$(cat "$out")
	ERR=$(cat "$out.err")
	_tg_last_run="[$how, pid $VPID, planted with $plant] $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}

# att_row CLASS VICTIM BARE AUDIT HARDEN
att_row() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ATT_ROWS"
}

# Evaluate and report one mode of one case; appends the cell to CELLS.
# att_check_bare CLASS VICTIM WORKED(0/1) [WHY-NOT]
#   WHY-NOT: what stops the attack without tmpguard ("program: ..." when the
#   program's own code does; else the kernel's sysctls are named).
att_check_bare() {
	local cls=$1 vic=$2 worked=$3 why=${4:-}
	if [ "$worked" = 1 ]; then
		tap_ok "bare $vic, $cls: the attack works (baseline)"
		CELL_BARE="attack works"
	elif [[ $why == program:* ]]; then
		tap_ok "bare $vic, $cls: the program's own code stops it (${why#program: })"
		CELL_BARE="stopped by the program (${why#program: })"
	else
		tap_skip "bare $vic, $cls: baseline" \
			"the kernel blocked the attack without tmpguard ($(tg_sysctls)) [rc=$RC]"
		CELL_BARE="blocked by the kernel ($why)"
	fi
}

# att_check_harden CLASS VICTIM WORKED WANT-ERRNO EVENT LOGPATH
#   WANT-ERRNO: the errno name the victim must report (in its stdout/stderr),
#   or "-" when it only has to continue safely.
att_check_harden() {
	local cls=$1 vic=$2 worked=$3 want=$4 ev=$5 path=$6 t
	t="harden $vic, $cls:"
	if [ "$worked" = 0 ]; then
		tap_ok "$t the attack fails (precious and plant untouched)"
	else
		tap_not_ok "$t the attack fails" "the attack WORKED under harden" "$_tg_last_run"
	fi
	if [ "$RC" != 124 ]; then tap_ok "$t no hang"; else tap_not_ok "$t no hang" "timed out"; fi
	local msg=$OUT$'\n'$ERR errtxt
	case $want in
	-) errtxt="continues" ;;
	EACCES) errtxt="EACCES"
		if [[ $msg =~ (EACCES|Permission\ denied|ermission\ denied) ]]; then
			tap_ok "$t the victim's call fails with EACCES"
		else tap_not_ok "$t the victim's call fails with EACCES" "$_tg_last_run"; fi ;;
	EEXIST) errtxt="EEXIST"
		if [[ $msg =~ (EEXIST|File\ exists) ]]; then
			tap_ok "$t the victim's call fails with EEXIST"
		else tap_not_ok "$t the victim's call fails with EEXIST" "$_tg_last_run"; fi ;;
	*) errtxt=$want
		if [[ $msg == *"$want"* ]]; then tap_ok "$t the victim reports $want"
		else tap_not_ok "$t the victim reports $want" "$_tg_last_run"; fi ;;
	esac
	local n of=${ATT_LOGFUNC:+ by $ATT_LOGFUNC}
	n=$(tg_log_count "$LOG" "event=$ev" "$(_att_path_filter "$path")" ${ATT_LOGFUNC:+"func~$ATT_LOGFUNC"})
	if [[ $n =~ ^[1-9][0-9]*$ ]]; then
		tap_ok "$t $ev logged for $path$of"
	else
		tap_not_ok "$t $ev logged for $path$of" "$(_tg_log_diag "$LOG")"
	fi
	if [ "$worked" = 0 ] && [[ $n =~ ^[1-9] ]]; then
		CELL_HARDEN="blocked: $errtxt, $ev"
	else
		CELL_HARDEN="NOT BLOCKED"
	fi
}

# att_check_audit CLASS VICTIM WORKED BARE-WORKED LOGPATH
att_check_audit() {
	local cls=$1 vic=$2 worked=$3 bare=$4 path=$5 t n
	t="audit $vic, $cls:"
	tap_is "$worked" "$bare" "$t behaves as without tmpguard (attack worked: $worked)"
	local logged=${ATT_AUDIT_EVENT:-hijack-detected} of=${ATT_LOGFUNC:+ by $ATT_LOGFUNC}
	n=$(tg_log_count "$LOG" "event=$logged" "$(_att_path_filter "$path")" ${ATT_LOGFUNC:+"func~$ATT_LOGFUNC"})
	if [[ $n =~ ^[1-9][0-9]*$ ]]; then
		tap_ok "$t $logged logged for $path$of"
	else
		tap_not_ok "$t $logged logged for $path$of" "$(_tg_log_diag "$LOG")"
	fi
	if [ "$worked" = "$bare" ] && [[ $n =~ ^[1-9] ]]; then
		if [ "$worked" = 1 ]; then CELL_AUDIT="attack works, $logged"
		else CELL_AUDIT="as bare, $logged"; fi
	else
		CELL_AUDIT="NOT AS BARE OR NOT DETECTED"
	fi
}

# the log filter for a path: "~ERE" matches a pattern, anything else is
# the path itself
_att_path_filter() {
	if [[ $1 == "~"* ]]; then printf 'path~%s' "${1#"~"}"; else printf 'path=%s' "$1"; fi
}

att_heavy() { [ "${TMPGUARD_HEAVY_TESTS:-0}" = 1 ]; }

# ------------------------------------------------------------ plants ----

# att_plant CLASS PATH: tgattacker plants CLASS at PATH (symlink to precious;
# hardlink to the attacker's own 0666 file; file: the attacker's 0666 file;
# fifo). Returns non-zero when the plant itself failed.
att_plant() {
	local cls=$1 p=$2
	rm -rf -- "$p" "$p.att"
	case $cls in
	symlink) tg_as_attacker ln -s "$PRECIOUS" "$p" ;;
	hardlink) tg_as_attacker sh -c 'umask 0; echo ATTACKER > "$1" && ln "$1" "$2"' sh "$p.att" "$p" ;;
	file)
		# the attacker keeps a descriptor on its file, and reads through it
		# once the victim is done (the victim may unlink the name)
		tg_as_attacker sh -c 'umask 0; echo ATTACKER > "$1"' sh "$p" || return 1
		rm -f "$TG_WORK/.att-done" "$TG_WORK/.att-seen"
		# shellcheck disable=SC2016
		tg_start_bg ATT_HOLDER "$TG_WORK/.att-seen" env -u LD_PRELOAD setpriv \
			--reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups -- \
			bash -c 'exec 3<"$1" || exit 1; i=0
				while [ ! -e "$2" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i+1)); done
				cat <&3' holder "$p" "$TG_WORK/.att-done"
		sleep 0.1 ;;
	fifo) tg_as_attacker mkfifo -m 0666 "$p" ;;
	dir) tg_as_attacker mkdir -m 0777 "$p" ;;
	rootlink)
		# a hard link to the victim's own file: the attacker's where the
		# kernel lets it (fs.protected_hardlinks=0), else made by root,
		# as the attacker could there
		if ! tg_as_attacker ln "$PRECIOUS" "$p" 2>/dev/null; then
			ln "$PRECIOUS" "$p" || return 1
			ATT_BARE_NOTE="planted by root: the kernel refused $TG_ATTACKER's link"
		fi ;;
	shcode) _att_write "$p" 0644 "echo ATTACKER-CODE > '$PRECIOUS'" ;;
	pycode) _att_write "$p" 0644 "open('$PRECIOUS', 'w').write('ATTACKER-CODE\\n')" ;;
	shexe) _att_write "$p" 0755 "#!/bin/sh"$'\n'"echo ATTACKER-CODE > '$PRECIOUS'" ;;
	shexe-link)
		_att_write "$ATT_HOME/run.sh" 0755 "#!/bin/sh"$'\n'"echo ATTACKER-CODE > '$PRECIOUS'" &&
			tg_as_attacker ln -s "$ATT_HOME/run.sh" "$p" ;;
	filelink) _att_write "$ATT_HOME/data" 0644 ATTACKER && tg_as_attacker ln -s "$ATT_HOME/data" "$p" ;;
	pdir) tg_as_attacker sh -c 'mkdir -m 0755 "$1" && ln -s "$2" "$1/out"' sh "$p" "$PRECIOUS" ;;
	pdir-empty) tg_as_attacker mkdir -m 0755 "$p" ;;
	dirlink) tg_as_attacker ln -s "${PRECIOUS%/*}" "$p" ;;
	sock)
		rm -f "$ATT_HOME/got" "$TG_WORK/.att-sock-stop"
		tg_start_bg ATT_LISTENER "$TG_WORK/.att-sock" env -u LD_PRELOAD setpriv \
			--reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" --clear-groups -- \
			"$STAGE/attack_victim" listen "$p" "$ATT_HOME/got" "$TG_WORK/.att-sock-stop"
		tg_wait_line "$TG_WORK/.att-sock" '^(READY|ERR)' 10 && grep -q READY "$TG_WORK/.att-sock" ;;
	sem) tg_as_attacker "$STAGE/attack_victim" sem-plant "/${p#/dev/shm/sem.}" >/dev/null ;;
	*) tap_bail "att_plant: bad class $cls" ;;
	esac
}

# _att_write PATH MODE TEXT: the attacker's own file
_att_write() {
	tg_as_attacker sh -c 'rm -f "$1"; printf "%s\n" "$3" > "$1" && chmod "$2" "$1"' sh "$@"
}

# att_settle CLASS: after the victim ran, in the test's own shell: the file
# attacker reads through the descriptor it kept.
att_settle() {
	if [ "$1" = file ] && [ -n "${ATT_HOLDER:-}" ]; then
		touch "$TG_WORK/.att-done"
		wait "$ATT_HOLDER" 2>/dev/null
		ATT_HOLDER=
	fi
	if [ "$1" = sock ] && [ -n "${ATT_LISTENER:-}" ]; then
		touch "$TG_WORK/.att-sock-stop"
		wait "$ATT_LISTENER" 2>/dev/null
		ATT_LISTENER=
	fi
}

# att_worked CLASS PATH: 1 when the attack of CLASS at PATH worked, else 0.
att_worked() {
	local cls=$1 p=$2 got
	case $cls in
	symlink) att_precious_changed && echo 1 || echo 0 ;;
	hardlink)
		got=$(tg_as_attacker cat "$p.att" 2>/dev/null)
		[ -n "$got" ] && [ "$got" != ATTACKER ] && echo 1 || echo 0 ;;
	file)
		# data out: what the attacker reads through its own descriptor
		got=$(cat "$TG_WORK/.att-seen" 2>/dev/null)
		[ -n "$got" ] && [ "$got" != ATTACKER ] && echo 1 || echo 0 ;;
	fifo) [ "$RC" = 124 ] && echo 1 || echo 0 ;; # the victim hung
	dir | pdir-empty) # the victim went on to write into the attacker's
		# directory, where the attacker reads it
		got=$(tg_as_attacker cat "$p/out" 2>/dev/null)
		[ -n "$got" ] && echo 1 || echo 0 ;;
	rootlink | shcode | pycode | shexe | shexe-link | pdir | dirlink)
		att_precious_touched && echo 1 || echo 0 ;;
	filelink) att_worked_read ;;
	sock) grep -qs VICTIM-DATA "$ATT_HOME/got" && echo 1 || echo 0 ;;
	sem) # the victim posted to the attacker's semaphore
		got=$(tg_as_attacker "$STAGE/attack_victim" sem-value "/${p#/dev/shm/sem.}" 2>/dev/null)
		[[ $got =~ ^VALUE\ [1-9] ]] && echo 1 || echo 0 ;;
	esac
}
# for ATT_WORKED: precious changed in any way; the victim read the
# attacker's data (its output shows it)
att_worked_touched() { att_precious_touched && echo 1 || echo 0; }
att_worked_read() { [[ $OUT == *ATTACKER* ]] && echo 1 || echo 0; }

att_describe() {
	case $1 in
	symlink) echo "symlink to the victim's file" ;;
	hardlink) echo "hard link to the attacker's file" ;;
	file) echo "attacker-owned 0666 file" ;;
	fifo) echo "FIFO" ;;
	dir) echo "directory squatting the name mkdir wants" ;;
	rootlink) echo "hard link to the victim's file" ;;
	shcode) echo "attacker's shell code" ;;
	pycode) echo "attacker's Python code" ;;
	shexe) echo "attacker's script" ;;
	shexe-link) echo "symlink to the attacker's script" ;;
	filelink) echo "symlink to the attacker's file" ;;
	pdir) echo "attacker's 0755 directory, a symlink inside" ;;
	pdir-empty) echo "attacker's 0755 directory" ;;
	dirlink) echo "symlink to the victim's directory" ;;
	sock) echo "attacker's listening Unix socket" ;;
	sem) echo "attacker's 0666 semaphore" ;;
	*) echo "$1" ;;
	esac
}

# att_case CLASS VICTIM RUN WANT-ERRNO [BARE-WHY]
#   RUN MODE: runs the victim in MODE with the plant of class $ATT_CLASS,
#   setting ATT_PATH (the planted path), RC, OUT, ERR.
#   WANT-ERRNO: see att_check_harden. BARE-WHY: "program: REASON" when the
#   victim's own code stops the attack without tmpguard.
att_case() {
	local cls=$1 vic=$2 run=$3 want=$4 why=${5:-} bw w
	ATT_CLASS=$cls
	local label slug
	label=${ATT_LABEL:-$(att_describe "$cls")}
	slug=$(_att_slug "$vic" "$cls")
	# bare
	att_reset
	ATT_PATH=
	ATT_BARE_NOTE=
	tg_log "$slug-bare"
	TG_TIMEOUT=${ATT_TIMEOUT:-3} "$run" bare
	att_settle "$cls"
	bw=$("${ATT_WORKED:-att_worked}" "$cls" "$ATT_PATH")
	[ -n "$why" ] || why=$(tg_sysctls)
	att_check_bare "$label" "$vic" "$bw" "$why"
	[ -z "$ATT_BARE_NOTE" ] || CELL_BARE="$CELL_BARE ($ATT_BARE_NOTE)"
	rm -rf -- "$ATT_PATH" "$ATT_PATH.att"
	# harden
	att_reset
	tg_log "$slug-harden"
	TG_TIMEOUT=${ATT_TIMEOUT:-3} "$run" harden
	att_settle "$cls"
	w=$("${ATT_WORKED:-att_worked}" "$cls" "$ATT_PATH")
	att_check_harden "$label" "$vic" "$w" "$want" "${ATT_EVENT:-hijack-blocked}" "${ATT_LOGPATH:-$ATT_PATH}"
	rm -rf -- "$ATT_PATH" "$ATT_PATH.att"
	# audit
	att_reset
	tg_log "$slug-audit"
	TG_TIMEOUT=${ATT_TIMEOUT:-3} "$run" audit
	att_settle "$cls"
	w=$("${ATT_WORKED:-att_worked}" "$cls" "$ATT_PATH")
	att_check_audit "$label" "$vic" "$w" "$bw" "${ATT_LOGPATH:-$ATT_PATH}"
	rm -rf -- "$ATT_PATH" "$ATT_PATH.att"
	att_row "$label" "$vic" "$CELL_BARE" "$CELL_AUDIT" "$CELL_HARDEN"
	att_reset
}

_att_slug() { printf '%s-%s' "$1" "$2" | tr -c 'A-Za-z0-9._-' '_'; }
# att_case_log VICTIM CLASS MODE: the log of that run of the last att_case,
# for checks of its own
att_case_log() { printf '%s/%s-%s.log' "$TG_LOGDIR" "$(_att_slug "$1" "$2")" "$3"; }

# For victims with a pid-derived name: ATT_PATTERN is a printf format with
# one %s for the pid; _att_plant_pid plants $ATT_CLASS there.
_att_plant_pid() {
	ATT_PATH=$(printf "$ATT_PATTERN" "$1")
	tg_cleanup_later "$ATT_PATH" "$ATT_PATH.att"
	att_plant "$ATT_CLASS" "$ATT_PATH" || tap_diag "plant of $ATT_CLASS at $ATT_PATH failed"
}

# att_launch_name MODE PLANT CMD...: CMD prints "NAME <path>" and then waits
# until the file $ATT_RELEASE exists before creating it (the window between
# naming and creation); PLANT PATH is called in the window.
att_launch_name() {
	local how=$1 plant=$2
	shift 2
	local out=$TG_WORK/.att-out pid
	local -a env
	mapfile -t env < <(att_env "$how")
	export ATT_RELEASE=$TG_WORK/.att-release
	rm -f "$ATT_RELEASE"
	tg_start_bg pid "$out" env "${env[@]}" "$@"
	NAME=
	if tg_wait_line "$out" '^NAME ' 10; then
		NAME=$(sed -n 's/^NAME //p' "$out" | head -n 1)
		"$plant" "$NAME"
	fi
	touch "$ATT_RELEASE"
	wait "$pid"
	RC=$?
	OUT=$(cat "$out")
	ERR=$(cat "$out.err")
	_tg_last_run="[$how, name $NAME, planted with $plant] $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}
_att_plant_name() {
	ATT_PATH=$1
	tg_cleanup_later "$ATT_PATH" "$ATT_PATH.att"
	att_plant "$ATT_CLASS" "$ATT_PATH" || tap_diag "plant of $ATT_CLASS at $ATT_PATH failed"
}
