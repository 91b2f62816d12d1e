#!/bin/bash
# supervise-paths.sh — tmpguard run --supervise and the path calls of
# contract part 2, item 2 (truncate, chmod, chown, the utime family,
# rename and link), made by a static program no preload reaches
# (supervise_victim): the same outcome and the same events as a dynamic
# program gets under the preload (tests/paths.sh).
#
# The victim is root; the attacker, the second user, plants a symbolic
# link under the name the victim acts on in $W (world-writable, not
# sticky, in TMPGUARD_DIRS: no fs.protected_* sysctl stops the attack
# there), to precious, the victim's own file outside any shared
# directory. Each attack is first shown working without tmpguard; then
# harden refuses it (EACCES, precious unchanged, hijack-blocked with the
# static program's pid and exe) and audit lets it happen and logs
# hijack-detected. Legitimate calls on the victim's own files work as
# without tmpguard, with nothing logged.
set -u
# shellcheck source=tests/supervise-lib.sh
. "$TG_SRCDIR/tests/supervise-lib.sh"
tg_attacker_setup || { tap_skip "run --supervise path calls" "$TG_ATT_WHY"; tap_done; exit 0; }
sv_init

# what a call can change about precious
state() { stat -c '%a %U %s %Y' -- "$PRECIOUS" 2>/dev/null || echo missing; }
reset_state() {
	reset_precious
	chown 0:0 "$PRECIOUS"
	touch -d @1600000000 "$PRECIOUS"
}
# the pid the victim printed
victim_pid() { sed -n 's/.* pid=\([0-9][0-9]*\)$/\1/p' <<<"$OUT" | head -n 1; }

# ------------------------------------------- attacks on precious itself ----

# attack CALL FUNC [ARG]: the victim makes CALL on $W/CALL.name, a link
# the attacker planted to precious; FUNC: the system call that reaches
# the kernel, which the events name
attack() {
	local call=$1 func=$2 p=$W/$1.name before pid
	local -a arg=("${@:3}")
	local what="$call through a planted link"

	reset_state
	before=$(state)
	plant_symlink "$p"
	sv bare "$VICTIM" "$call" "$p" "${arg[@]}"
	if [ "$(state)" != "$before" ]; then tap_ok "bare $what: the attack works (baseline)"
	else tap_not_ok "bare $what: the attack works (baseline)" "precious: $(state)" "$_tg_last_run"; fi

	reset_state
	before=$(state)
	plant_symlink "$p"
	tg_log "harden-$call"
	sv harden "$VICTIM" "$call" "$p" "${arg[@]}"
	tap_like "$OUT" "^ERR errno=13 EACCES " "harden $what: EACCES"
	tap_is "$(state)" "$before" "harden $what: precious unchanged"
	tap_is "$(tg_type "$p")" "symbolic link" "harden $what: the plant is left as it was"
	pid=$(victim_pid)
	tap_log "harden $what: hijack-blocked with the static program's pid and exe" \
		event=hijack-blocked action=blocked "func=$func" "path=$p" errno=13 \
		detail=symlink "exe=$VICTIM" uid=0 "pid=${pid:-none}"
	tap_log "harden $what: the caller is the static program's code" \
		event=hijack-blocked "caller~^$VICTIM\\+0x[0-9a-f]+\$"
	tap_log_count 1 "harden $what: logged once" "path=$p"
	tap_like "$ERR" "1 violation \\(1 blocked\\) in 1 process" "harden $what: run counts the event"

	reset_state
	before=$(state)
	plant_symlink "$p"
	tg_log "audit-$call"
	sv audit "$VICTIM" "$call" "$p" "${arg[@]}"
	tap_like "$OUT" "^DONE " "audit $what: the call succeeds as without tmpguard"
	if [ "$(state)" != "$before" ]; then tap_ok "audit $what: the attack works as without tmpguard"
	else tap_not_ok "audit $what: the attack works as without tmpguard" "precious: $(state)" "$_tg_last_run"; fi
	pid=$(victim_pid)
	tap_log "audit $what: hijack-detected logged" event=hijack-detected action=logged \
		"func=$func" "path=$p" detail=symlink "exe=$VICTIM" "pid=${pid:-none}" errno!
	rm -f -- "$p"
}

attack truncate truncate
attack chmod chmod
attack chown chown "$TG_ATT_UID"
attack utimensat utimensat
attack utime utimensat # glibc's utime(NULL) is utimensat(2)

# --------------------------------- rename and link: the plant moves in ----

# move CALL: the victim renames or links $W/CALL.name to its own private
# name; the attacker's link planted there becomes the victim's file
move() {
	local call=$1 p=$W/$1.name dest=$TG_PRIVATE/$1.dest pid
	local what="$call of a planted link"

	rm -f -- "$dest"
	plant_symlink "$p"
	sv bare "$VICTIM" "$call" "$p" "$dest"
	tap_is "$(tg_type "$dest")" "symbolic link" "bare $what: the attacker's link is the victim's file (baseline)"

	rm -f -- "$dest"
	plant_symlink "$p"
	tg_log "harden-$call"
	sv harden "$VICTIM" "$call" "$p" "$dest"
	tap_like "$OUT" "^ERR errno=13 EACCES " "harden $what: EACCES"
	tap_is "$(tg_type "$dest")" missing "harden $what: nothing under the victim's name"
	tap_is "$(tg_type "$p")" "symbolic link" "harden $what: the plant is left as it was"
	pid=$(victim_pid)
	tap_log "harden $what: hijack-blocked with the static program's pid and exe" \
		event=hijack-blocked action=blocked "func=$call" "path=$p" errno=13 \
		detail=symlink "exe=$VICTIM" "pid=${pid:-none}"

	rm -f -- "$dest"
	plant_symlink "$p"
	tg_log "audit-$call"
	sv audit "$VICTIM" "$call" "$p" "$dest"
	tap_is "$(tg_type "$dest")" "symbolic link" "audit $what: the attack works as without tmpguard"
	tap_log "audit $what: hijack-detected logged" event=hijack-detected action=logged \
		"func=$call" "path=$p" detail=symlink "exe=$VICTIM"
	rm -f -- "$dest" "$p"
}

move rename
move link

# a hard link of precious under a name in $W (made by root, as only a
# user allowed to link it can): renamed or linked, precious itself would
# move; the rule refuses a second link
rm -f -- "$TG_PRIVATE/hl.dest" "$W/hl.name"
ln -- "$PRECIOUS" "$W/hl.name"
tg_log harden-hardlink
sv harden "$VICTIM" rename "$W/hl.name" "$TG_PRIVATE/hl.dest"
tap_like "$OUT" "^ERR errno=13 EACCES " "harden rename of a second link: EACCES"
tap_log "harden rename of a second link: hijack-blocked, multiple-links" \
	event=hijack-blocked "path=$W/hl.name" detail=multiple-links
rm -f -- "$W/hl.name"

# ------------------------------------------------- legitimate use ----

# own CALL DIR: the static victim's calls on its own files in DIR give
# the same outcome bare and under --supervise harden, nothing logged
own() {
	local dir=$1 what=$2 f=$1/own.$$ bare_state got how
	for how in bare harden; do
		rm -f -- "$f" "$f.moved" "$f.linked"
		printf 'OWN-DATA\n' >"$f"
		chmod 0600 "$f"
		touch -d @1600000000 "$f"
		tg_log "own-$how-${dir//\//_}"
		local out=
		sv "$how" "$VICTIM" truncate "$f"; out+="${OUT%% pid=*};"
		sv "$how" "$VICTIM" chmod "$f"; out+="${OUT%% pid=*};"
		sv "$how" "$VICTIM" utimensat "$f"; out+="${OUT%% pid=*};"
		sv "$how" "$VICTIM" chown "$f" 0; out+="${OUT%% pid=*};"
		sv "$how" "$VICTIM" link "$f" "$f.linked"; out+="${OUT%% pid=*};"
		rm -f -- "$f.linked"
		sv "$how" "$VICTIM" rename "$f" "$f.moved"; out+="${OUT%% pid=*};"
		got="$out $(stat -c '%a %U %s %Y' -- "$f.moved" 2>/dev/null) $(tg_type "$f")"
		if [ $how = bare ]; then
			bare_state=$got
		else
			tap_is "$got" "$bare_state" "harden, $what: the victim's own calls as without tmpguard"
			tap_log_none "harden, $what: nothing logged"
		fi
		rm -f -- "$f" "$f.moved" "$f.linked"
	done
	tap_is "$bare_state" "DONE;DONE;DONE;DONE;DONE;DONE; 666 root 3 1000000000 missing" \
		"$what: every call succeeded"
}

own "$TG_PRIVATE" "a private directory"
own "$TG_STICKY" "a sticky shared directory"
own "$W" "a world-writable listed directory"
tg_cleanup_later "/tmp/own.$$" "/tmp/own.$$.moved" "/tmp/own.$$.linked"
own /tmp /tmp

# ------------------------------- a dynamic program with the library ----

# judged by the library as without --supervise: its path calls, and those
# the library makes on what it pinned, reach the kernel through the C
# library's wrappers, are trapped and continue unjudged: one event, not two
CHMOD=$(command -v chmod)
p=$W/dyn.name
for how in harden audit; do
	reset_state
	before=$(state)
	plant_symlink "$p"
	tg_log "dynamic-$how"
	sv $how "$CHMOD" 0666 "$p"
	if [ $how = harden ]; then
		tap_is "$(state)" "$before" "harden, dynamic chmod through a planted link: precious unchanged"
		tap_log_count 1 "harden, dynamic chmod: one hijack-blocked, the library's" \
			event=hijack-blocked func=fchmodat "exe=$CHMOD"
	else
		tap_log_count 1 "audit, dynamic chmod: one hijack-detected, the library's" \
			event=hijack-detected func=fchmodat "exe=$CHMOD"
	fi
	tap_log_count 1 "$how, dynamic chmod: nothing else logged" "path=$p"
done
rm -f -- "$p"
printf 'OWN\n' >"$p"
chmod 0600 "$p"
tg_log dynamic-own
sv harden sh -c "chmod 0640 '$p' && truncate -s 1 '$p' && touch -d @1000000000 '$p' && mv '$p' '$p.moved' && ln '$p.moved' '$p'"
tap_is "$RC $(stat -c '%a %s %Y %h' -- "$p" 2>/dev/null)" "0 640 1 1000000000 2" \
	"harden, a dynamic program's own file in \$W: chmod, truncate, touch, mv, ln as without tmpguard"
tap_log_count 0 "harden, a dynamic program's own file: nothing refused" event=hijack-blocked
rm -f -- "$p" "$p.moved"

# a dynamic program's raw system calls (syscall(3), not a wrapper the
# library interposes) are judged by run: chmod(2), and fchmodat2(2),
# which the C library here does not use yet
for nr in 90:chmod 452:fchmodat2; do
	reset_state
	before=$(state)
	plant_symlink "$p"
	tg_log "raw-${nr#*:}"
	args="${nr%%:*}, b'$p', 0o666"
	[ "${nr#*:}" = fchmodat2 ] && args="${nr%%:*}, -100, b'$p', 0o666, 0"
	sv harden "$TG_PY" -c "import ctypes; l = ctypes.CDLL(None, use_errno=True); r = l.syscall($args); print(r, ctypes.get_errno())"
	if [ "$(uname -m)" != x86_64 ]; then
		tap_skip "harden, raw ${nr#*:}" "system call numbers of x86_64"
		continue
	fi
	tap_is "$OUT $(state)" "-1 13 $before" "harden, a dynamic program's raw ${nr#*:}: EACCES, precious unchanged"
	tap_log_count 1 "harden, raw ${nr#*:}: hijack-blocked logged once" \
		event=hijack-blocked "func=${nr#*:}" "path=$p"
done
rm -f -- "$p"

# a refusal by the kernel stays the kernel's: a missing file
tg_log harden-missing
sv harden "$VICTIM" chmod "$W/absent"
tap_like "$OUT" "^ERR errno=2 ENOENT " "harden, a missing file: the kernel's ENOENT"
tap_log_none "harden, a missing file: nothing logged"

tap_done
