#!/bin/bash
# open-family.sh — the open family (open, open64, openat, openat64, creat,
# creat64, the fortified __open_2 … names) and fopen/freopen, through each of
# the four legacy builds: what reaches the kernel and what is logged.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
P=$TG_PRIVATE
TARGET=$TG_WORK/target # a file outside the shared directory
printf 'PRECIOUS\n' >"$TARGET"

# --- 1. each build imports the symbol we claim to exercise ----------------
for v in $TG_VARIANTS; do
	missing=
	syms=
	for call in open open2 openat openat2 creat fopen freopen tmpfile; do
		sym=$(tg_sym "$v" "$call")
		syms="$syms $sym"
		tg_imports "$TG_HELPERS/$v" "$sym" || missing="$missing $sym"
	done
	if [ -z "$missing" ]; then
		tap_ok "$v imports$syms"
	else
		tap_not_ok "$v imports$syms" "missing:$missing" \
			"$(nm -D --undefined-only "$TG_HELPERS/$v")"
	fi
done

# legacy_call VARIANT CALL PATH: the legacy command line making CALL on PATH.
legacy_call() {
	local bin=$TG_HELPERS/$1
	case $2 in
	open) echo "$bin open $3" ;;
	openat) echo "$bin openat $(dirname "$3") $(basename "$3")" ;;
	creat) echo "$bin creat $3" ;;
	fopen-w) echo "$bin fopen $3 w" ;;
	fopen-a) echo "$bin fopen $3 a" ;;
	freopen-w) echo "$bin freopen $3 w" ;;
	esac
}
# call_func VARIANT CALL: the func name the log must carry.
call_func() {
	local c=${2%-*}
	tg_sym "$1" "$c"
}
CALLS="open openat creat fopen-w fopen-a freopen-w"

# --- 2. a new file in the shared directory: exclusive, 0600, logged ---------
for v in $TG_VARIANTS; do
	for c in $CALLS; do
		f=$S/new.$v.$c
		func=$(call_func "$v" "$c")
		tg_log "new-$v-$c"
		# shellcheck disable=SC2046
		TG_TRACE=$TG_WORK/trace tg_run harden $(legacy_call "$v" "$c" "$f")
		t="harden $v $c (new file):"
		tap_is "$(tg_result)" OK "$t call succeeds"
		tap_is "$(tg_mode "$f")" 600 "$t mode 0600 although 0666 was asked (umask 022)"
		tap_is "$(tg_content "$f")" VICTIM-DATA "$t data written"
		tap_is "$(tg_field errno)" 0 "$t errno untouched on success"
		tap_is "$(tg_trace_creation "$TG_WORK/trace" "$(basename "$f")")" exclusive \
			"$t created with O_EXCL|O_NOFOLLOW"
		tap_log "$t predictable-create func=$func action=hardened" \
			event=predictable-create "func=$func" action=hardened "path~(^|/)new\\.$v\\.$c\$"
	done
done

# --- 3. an existing file of the victim's own: reused, truncated only then ---
for v in $TG_VARIANTS; do
	for c in $CALLS; do
		f=$S/own.$v.$c
		printf 'OLD-CONTENT\n' >"$f"
		chmod 0640 "$f"
		ino=$(tg_ino "$f")
		tg_log "own-$v-$c"
		# shellcheck disable=SC2046
		TG_TRACE=$TG_WORK/trace tg_run harden $(legacy_call "$v" "$c" "$f")
		t="harden $v $c (own existing file):"
		tap_is "$(tg_result)" OK "$t call succeeds"
		tap_is "$(tg_field errno)" 0 "$t errno untouched on success (the probe's EEXIST is not leaked)"
		if [ "$c" = fopen-a ]; then
			want=$'OLD-CONTENT\nVICTIM-DATA'
		else
			want=VICTIM-DATA
		fi
		tap_is "$(tg_content "$f")" "$want" "$t content (truncated only when asked)"
		tap_is "$(tg_ino "$f"):$(tg_mode "$f")" "$ino:640" "$t same inode, mode kept"
		ops=$(tg_trace_ops "$TG_WORK/trace" "$(basename "$f")")
		if grep -q 'O_TRUNC' <<<"$ops" || grep -q '^creat ' <<<"$ops"; then
			tap_not_ok "$t no O_TRUNC/creat reaches the kernel before the check" "$ops"
		else
			tap_ok "$t no O_TRUNC/creat reaches the kernel before the check"
		fi
		# pinned (O_PATH) first, judged, then opened through the pin:
		# the truncation is the second open's, after the check
		if [ "$c" != fopen-a ]; then
			tap_check "$t truncated through the pinned descriptor, after the check" \
				grep -qE 'open(at)?\(AT_FDCWD, "/proc/self/fd/[0-9]+", [^)]*O_TRUNC' "$TG_WORK/trace"
		fi
	done
done

# --- 4. another user's symlink in the shared directory is never followed ----
# (root may hand any object to an uid no one has; the caller's own symlink
# is followed, as without tmpguard: tests/sharing.sh)
for v in $TG_VARIANTS; do
	for c in $CALLS; do
		f=$S/link.$v.$c
		t="harden $v $c (planted symlink):"
		ln -s "$TARGET" "$f"
		if ! chown -h 4242 "$f" 2>/dev/null; then
			for r in "refused with EACCES" "target untouched" "hijack-blocked errno=13"; do
				tap_skip "$t $r" "not root: cannot plant as another user"
			done
			continue
		fi
		tg_log "link-$v-$c"
		# shellcheck disable=SC2046
		tg_run harden $(legacy_call "$v" "$c" "$f")
		tap_is "$(tg_result)" "ERR EACCES" "$t refused with EACCES"
		tap_is "$(tg_content "$TARGET")" PRECIOUS "$t target untouched"
		tap_log "$t hijack-blocked errno=13" event=hijack-blocked \
			"func=$(call_func "$v" "$c")" action=blocked errno=13 detail=symlink
	done
done

# --- 5. outside shared directories nothing changes ---------------------------
for v in $TG_VARIANTS; do
	for c in $CALLS; do
		f=$P/new.$v.$c
		tg_log "private-$v-$c"
		# shellcheck disable=SC2046
		TG_TRACE=$TG_WORK/trace tg_run harden $(legacy_call "$v" "$c" "$f")
		t="harden $v $c (private 0755 dir):"
		tap_is "$(tg_result):$(tg_mode "$f")" OK:644 "$t created 0644 as without tmpguard"
		# The creating call is the program's own (harden may first probe
		# the name without O_CREAT to verify an existing object).
		ops=$(tg_trace_ops "$TG_WORK/trace" "$(basename "$f")" |
			grep -E '^creat |O_CREAT')
		if [ -z "$ops" ] || grep -q 'O_EXCL\|O_NOFOLLOW' <<<"$ops"; then
			tap_not_ok "$t creating call unchanged" "$ops"
		else
			tap_ok "$t creating call unchanged"
		fi
		tap_log_none "$t nothing logged"
	done
done
# a symlink in a private directory is followed as always
ln -s "$TARGET" "$P/link"
tg_log private-link
tg_run harden "$LEGACY" open "$P/link"
tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA \
	"harden: symlink in a private directory followed as without tmpguard"
tap_log_none "harden: private symlink, nothing logged"
printf 'PRECIOUS\n' >"$TARGET"

# --- 6. errno stays the kernel's -------------------------------------------
mkdir "$S/adir"
long_name=$(printf 'n%.0s' {1..300})
long_path=$S$(printf '/x%.0s' {1..2100})
for v in $TG_VARIANTS; do
	for case in "EISDIR:$S/adir" "ENOENT:$S/missing/file" \
		"ENAMETOOLONG:$S/$long_name" "ENAMETOOLONG:$long_path"; do
		want=${case%%:*}
		f=${case#*:}
		what=$want
		[ "${#f}" -gt 4096 ] && what="$want (path > PATH_MAX)"
		for c in open fopen-w creat; do
			tg_log "errno-$v-$c"
			# shellcheck disable=SC2046
			tg_run bare $(legacy_call "$v" "$c" "$f")
			bare=$(tg_result)
			# shellcheck disable=SC2046
			tg_run harden $(legacy_call "$v" "$c" "$f")
			tap_is "$(tg_result)" "ERR $want" "harden $v $c: $what kept (bare: $bare)"
		done
	done
done

# --- 7. two-argument open/openat (fortified: __open_2 …) -----------------
printf 'MINE\n' >"$S/readme"
for v in $TG_VARIANTS; do
	for c in open2 openat2; do
		sym=$(tg_sym "$v" "$c")
		tg_log "plain-$v-$c"
		if [ $c = open2 ]; then
			tg_run harden "$TG_HELPERS/$v" open2 "$S/readme" RDONLY
		else
			tg_run harden "$TG_HELPERS/$v" openat2 "$S" readme RDONLY
		fi
		tap_is "$(tg_result)" OK "harden $v $sym: read-only open of a file works"
		tap_log_none "harden $v $sym: read-only open, nothing logged"

		# A reserved name (from mktemp) opened without O_CREAT through the
		# 2-argument form: a symlink planted in the window is refused.
		plant_symlink() { ln -s "$TARGET" "$1"; }
		tg_log "reserved-$v-$c"
		tg_race harden plant_symlink "$TG_HELPERS/$v" "mktemp-$c" "$S/r2.XXXXXX" RDONLY
		tap_is "$(tg_result)" "ERR EACCES" \
			"harden $v $sym: reserved name squatted by a symlink is refused"
		tap_log "harden $v $sym: hijack-blocked func=$sym" \
			event=hijack-blocked "func=$sym" action=blocked errno=13
		rm -f "$NAME"
	done
done

# --- 8. posix_spawn_file_actions_addopen ----------------------------------
tg_log spawn-new
TG_TRACE=$TG_WORK/trace tg_run harden "$LEGACY" spawn-redirect "$S/spawned"
tap_is "$(tg_result):$(tg_content "$S/spawned"):$(tg_mode "$S/spawned")" OK:VICTIM-DATA:600 \
	"harden spawn-redirect: the child's output reaches the file, created 0600"
# created at registration, exclusively; the child opens what was made
tap_is "$(tg_trace_creation "$TG_WORK/trace" spawned)" exclusive \
	"harden spawn-redirect: the file is created with O_EXCL|O_NOFOLLOW"
tap_check "harden spawn-redirect: the child opens the pinned file (/proc/self/fd/N)" \
	grep -qE '^[0-9]+ +open(at)?\((AT_FDCWD, )?"/proc/self/fd/[0-9]+", O_WRONLY\|O_TRUNC\) = 1$' "$TG_WORK/trace"
tap_log "harden spawn-redirect: predictable-create logged" event=predictable-create \
	func=posix_spawn_file_actions_addopen action=hardened
ln -s "$TARGET" "$S/spawnlink"
chown -h 4242 "$S/spawnlink" 2>/dev/null # another user's
tg_log spawn-link
tg_run harden "$LEGACY" spawn-redirect "$S/spawnlink"
tap_is "$(tg_result):$(tg_content "$TARGET")" "ERR EACCES:PRECIOUS" \
	"harden spawn-redirect onto a symlink: addopen fails EACCES, target untouched"
tap_log "harden spawn-redirect onto a symlink: hijack-blocked" event=hijack-blocked \
	func=posix_spawn_file_actions_addopen action=blocked errno=13
tg_run bare "$LEGACY" spawn-redirect "$S/spawnlink"
tap_is "$(tg_content "$TARGET")" VICTIM-DATA "bare spawn-redirect onto a symlink: target overwritten (baseline)"
printf 'PRECIOUS\n' >"$TARGET"

# --- 9. which directories are shared ----------------------------------------
# shared_case DESC WANT(shared|private) PATH [VAR=VALUE...]: open on PATH.
shared_case() {
	local desc=$1 want=$2 f=$3
	shift 3
	tg_log "dirs-$want-$(basename "$(dirname "$f")")"
	tg_run harden env "$@" "$LEGACY" open "$f"
	if [ "$want" = shared ]; then
		tap_is "$(tg_mode "$f")" 600 "$desc: shared (new file 0600)"
		tap_log "$desc: predictable-create logged" event=predictable-create
	else
		tap_is "$(tg_mode "$f")" 644 "$desc: not shared (new file 0644)"
		tap_log_none "$desc: nothing logged"
	fi
}
mkdir -m 0755 "$P/listed" "$P/listed/sub" "$P/tmpd" "$P/tmpd/sub"
mkdir "$P/ww" && chmod 0777 "$P/ww"
mkdir -m 0755 "$P/ww/sub0755"
ln -s "$S" "$TG_WORK/sticky-link"
shared_case "0755 dir listed in TMPGUARD_DIRS" shared "$P/listed/f" TMPGUARD_DIRS="$S:$P/listed"
shared_case "0755 subdir of a listed dir" private "$P/listed/sub/f" TMPGUARD_DIRS="$S:$P/listed"
shared_case "0755 dir named by TMPDIR" shared "$P/tmpd/f" TMPDIR="$P/tmpd"
shared_case "0755 subdir of TMPDIR" private "$P/tmpd/sub/f" TMPDIR="$P/tmpd"
shared_case "world-writable dir without the sticky bit" shared "$P/ww/f"
shared_case "0755 subdir of a world-writable dir" private "$P/ww/sub0755/f"
shared_case "sticky dir reached through a symlinked directory" shared "$TG_WORK/sticky-link/f"
tg_log relative
tg_run harden sh -c 'cd "$1" && exec "$2" open relative.f' sh "$S" "$LEGACY"
tap_is "$(tg_mode "$S/relative.f")" 600 "relative name with the cwd in a shared dir: shared (new file 0600)"
tap_log "relative name in a shared dir: predictable-create logged" event=predictable-create path=relative.f

# --- 10. hooks where programs are hostile: threads, signals, vfork, ctors ----
tg_log threads
tg_run harden "$LEGACY" threads 32 "$S/thr"
modes=$(stat -c %a "$S"/thr.* 2>/dev/null | sort -u | tr '\n' ' ')
tap_is "$(tg_result):$modes" "OK:600 " "32 threads calling fopen(\"w\") at once: all hardened"
tap_log_count 32 "32 threads: 32 events, every line whole" event=predictable-create
tg_log signal
tg_run harden "$LEGACY" signal-open "$S/sig"
tap_is "$(tg_result):$(tg_mode "$S/sig"):$(tg_content "$S/sig")" OK:600:VICTIM-DATA \
	"open from a signal handler: hardened"
ln -s "$TARGET" "$S/siglink"
chown -h 4242 "$S/siglink" 2>/dev/null # another user's: never followed
tg_run harden "$LEGACY" signal-open "$S/siglink"
tap_is "$(tg_result):$(tg_content "$TARGET")" "ERR EACCES:PRECIOUS" \
	"open from a signal handler onto a symlink: refused"
tg_log vfork
tg_run harden "$LEGACY" vfork-open "$S/vf"
tap_is "$(tg_result):$(tg_mode "$S/vf")" OK:600 "open in a vfork child: hardened"
ln -s "$TARGET" "$S/vflink"
chown -h 4242 "$S/vflink" 2>/dev/null
tg_run harden "$LEGACY" vfork-open "$S/vflink"
tap_is "$(tg_result):$(tg_content "$TARGET")" "ERR EACCES:PRECIOUS" \
	"open in a vfork child onto a symlink: refused"
if command -v gcc >/dev/null; then
	cat >"$TG_WORK/ctor.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void early(void)
{
	const char *p = getenv("TG_CTOR_PATH");
	FILE *f = p ? fopen(p, "w") : NULL;
	if (f) { fputs("EARLY\n", f); fclose(f); }
}
EOF
	printf 'int main(void) { return 0; }\n' >"$TG_WORK/ctormain.c"
	if gcc -shared -fPIC -o "$TG_WORK/libctor.so" "$TG_WORK/ctor.c" &&
		gcc -o "$TG_WORK/ctormain" "$TG_WORK/ctormain.c" -L"$TG_WORK" -Wl,--no-as-needed \
			-lctor -Wl,-rpath,"$TG_WORK"; then
		tg_log ctor
		tg_run harden env TG_CTOR_PATH="$S/ctor" "$TG_WORK/ctormain"
		tap_is "$RC:$(tg_mode "$S/ctor")" 0:600 "fopen in a library constructor (before ours may run): hardened"
		tap_log "fopen in a library constructor: logged" event=predictable-create func=fopen
	else
		tap_skip "fopen in a library constructor" "cannot build the test library"
	fi
else
	tap_skip "fopen in a library constructor" "gcc not installed"
fi

# --- 11. the descriptor the program gets: its own status flags --------------
# Compared with the kernel's view (/proc/PID/fdinfo) without tmpguard:
# access mode, O_APPEND, O_NONBLOCK (safe-open adds it for the probe and must
# clear it), O_CLOEXEC.
MASK=$((8#2006003))
for spec in "open|WRONLY,CREAT,TRUNC|existing" "open|WRONLY,CREAT,NONBLOCK|existing" \
	"open|RDWR,CREAT,APPEND,CLOEXEC|existing" "open|WRONLY,CREAT,TRUNC|new" \
	"fopen|a|existing" "fopen|we|existing" "fopen|a+|new"; do
	IFS='|' read -r call arg state <<<"$spec"
	f=$S/flags.$call.$arg.$state
	got=
	for mode in bare harden; do
		rm -f "$f"
		[ "$state" = existing ] && printf 'OLD\n' >"$f"
		tg_held $mode "$LEGACY" "$call" "$f" "$arg"
		got="$got $mode=$(printf '%o' $((8#${FDFLAGS:-0} & MASK)))"
	done
	b=${got#* bare=}; b=${b%% *}
	h=${got##* harden=}
	tap_is "$h" "$b" "harden $call($arg) ($state file): the descriptor's flags as without tmpguard ($got)"
done

# The same directory under another name (a symlink to a listed directory):
# configured directories are compared by device and inode.
mkdir -m 0755 "$P/listed2"
ln -s "$P/listed2" "$TG_WORK/listed2-link"
shared_case "listed 0755 dir reached through a symlink" shared "$TG_WORK/listed2-link/f" \
	TMPGUARD_DIRS="$S:$P/listed2"

# --- 12. corner cases of names and flags ------------------------------------
tg_log tmpfile-flag
tg_held harden "$LEGACY" open "$S" WRONLY,TMPFILE 0640
tap_is "$(tg_result):$FDMODE" OK:640 "harden open(dir, O_TMPFILE, 0640): the safe form passes, its mode kept"
tap_log_none "harden open(O_TMPFILE): nothing logged"
tg_log dotdot
tg_run harden "$LEGACY" openat "$P" ../sticky/dotdot
tap_is "$(tg_result):$(tg_mode "$S/dotdot")" OK:600 "harden openat(private dirfd, \"../sticky/x\"): the real parent is shared"
for f in "$S/newfile/" "$S/." "$S/.." ""; do
	tg_run bare "$LEGACY" open "$f"
	bare=$(tg_result)
	tg_run harden "$LEGACY" open "$f"
	tap_is "$(tg_result)" "$bare" "harden open('$f', O_CREAT): the kernel's answer ($bare)"
done
plant_symlink() { ln -s "$TARGET" "$1"; }
tg_log relative-reserved
plant_symlink_in_s() { ln -s "$TARGET" "$S/$1"; } # the name is relative to $S
tg_race harden plant_symlink_in_s sh -c 'cd "$1" && shift && exec "$@"' sh "$S" "$LEGACY" mktemp-open rel.XXXXXX
tap_is "$(tg_result):$(tg_content "$TARGET")" "ERR EEXIST:PRECIOUS" \
	"harden mktemp(\"rel.XXXXXX\") then open of the relative name, squatted: EEXIST"
tap_log "harden relative reserved name, squatted: race-blocked" event=race-blocked "path=$NAME"

# --- 13. open returns the lowest free descriptor (POSIX) ----------------------
# The "close(0); open(file)" idiom (reopen stdin/stdout on a file) must keep
# working: the descriptor the program gets is the one the kernel would give.
for c in open openat creat fopen; do
	for state in new existing; do
		f=$S/lowest.$c.$state
		rm -f "$f"
		[ $state = existing ] && printf 'OLD\n' >"$f"
		tg_run bare "$LEGACY" lowest-fd $c "$f"
		bare=$(tg_result):fd=$(tg_field fd)
		rm -f "$f"
		[ $state = existing ] && printf 'OLD\n' >"$f"
		for mode in harden audit; do
			tg_run $mode "$LEGACY" lowest-fd $c "$f"
			tap_is "$(tg_result):fd=$(tg_field fd)" "$bare" \
				"$mode $c after close(0), $state file: gets descriptor 0 as without tmpguard"
		done
	done
done

# --- 14. unusual flag combinations: the kernel's answer and effect -----------
for fl in WRONLY,CREAT,DIRECTORY PATH,CREAT RDONLY,CREAT RDONLY,CREAT,TRUNC \
	WRONLY,CREAT,APPEND RDWR,CREAT,NOFOLLOW RDWR,CREAT,TRUNC,CLOEXEC; do
	for state in new existing; do
		f=$S/combo.$fl.$state
		got=
		for mode in bare harden; do
			rm -f "$f"
			[ $state = existing ] && printf 'OLD-DATA\n' >"$f"
			tg_run $mode "$LEGACY" open "$f" "$fl" 0644
			got="$got|$mode:$(tg_result):size=$(stat -c %s "$f" 2>/dev/null || echo none)"
		done
		b=${got#|bare:}; b=${b%%|*}
		h=${got##*|harden:}
		tap_is "$h" "$b" "harden open($fl), $state file: result and size as without tmpguard"
	done
done

tap_done
exit 0
