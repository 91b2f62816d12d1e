#!/bin/bash
# names.sh — the name generators (mktemp, tmpnam, tmpnam_r, tempnam) in harden
# mode: unpredictable names, reserved; their first creation exclusive and
# private; a name squatted in the race window refused with EEXIST.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
TARGET=$TG_WORK/target
printf 'PRECIOUS\n' >"$TARGET"
ALNUM='[A-Za-z0-9]'

# check_names DESC ERE: OUT holds NAME lines; all match ERE, all distinct.
check_names() {
	local desc=$1 re=$2 names total distinct nomatch
	names=$(sed -n 's/^NAME //p' <<<"$OUT")
	total=$(grep -c . <<<"$names")
	distinct=$(sort -u <<<"$names" | grep -c .)
	nomatch=$(grep -Evc "$re" <<<"$names")
	tap_is "$total/$distinct/$nomatch" "$NUM/$NUM/0" \
		"$desc: $NUM names, all distinct, all match /$re/ (total/distinct/non-matching)"
}

# --- 1. names: unpredictable, within limits, logged -------------------------
NUM=1000
for gen in tmpnam tmpnam_r; do
	tg_run bare "$LEGACY" names $gen 1
	tap_diag "glibc's $gen without tmpguard: $(tg_name)"
	tg_log "names-$gen"
	tg_run harden "$LEGACY" names $gen $NUM
	check_names "harden $gen" "^/tmp/tg$ALNUM{12}\$"
	len=$(tg_name | tr -d '\n' | wc -c)
	tap_check "harden $gen: name length $len fits L_tmpnam (20 with NUL)" test "$len" -lt 20
	tap_log_count $NUM "harden $gen: one unsafe-name line per distinct name" \
		event=unsafe-name "func=$gen" action=hardened
done

tg_log names-mktemp
tg_run harden "$LEGACY" names mktemp $NUM "$S/m.XXXXXX"
check_names "harden mktemp XXXXXX" "^$S/m\\.$ALNUM{6}\$"
tap_log_count $NUM "harden mktemp: one unsafe-name line per distinct name" \
	event=unsafe-name func=mktemp action=hardened

NUM=20
tg_run bare "$LEGACY" names mktemp 1 "$S/m.XXXXXXXXXX"
tap_diag "glibc's mktemp with 10 X: $(tg_name)"
tg_run harden "$LEGACY" names mktemp $NUM "$S/m.XXXXXXXXXX"
check_names "harden mktemp with 10 X: every X replaced" "^$S/m\\.$ALNUM{10}\$"
# glibc keeps the first 4 of 10 X literal; tmpguard replaces all 10. A random
# character may itself be an X, so look at all $NUM names: none may keep the
# literal XXXX (odds of that by chance: $NUM/62^4, about one in a million).
kept=$(sed -n 's/^NAME //p' <<<"$OUT" | grep -c "/m\.XXXX")
tap_is "$kept" 0 "harden mktemp with 10 X: no name keeps glibc's literal XXXX (of $NUM)"

for tmpl in "$S/m.XXXXX" "" "$S/noX"; do
	tg_run bare "$LEGACY" names mktemp 1 "$tmpl"
	bare=$(tg_result)
	tg_run harden "$LEGACY" names mktemp 1 "$tmpl"
	tap_is "$(tg_result)" "ERR EINVAL" "harden mktemp '$tmpl': EINVAL and empty name (bare: $bare)"
done

# A directory that cannot hold names fails the generator as in glibc, though
# harden asks the directory ("<dir>/.", once a second) instead of lstat'ing
# each name; a directory that does not exist gives a name, as in glibc.
printf 'x\n' >"$TG_WORK/afile"
ln -sfn loop "$TG_WORK/loop"
for tmpl in "$TG_WORK/afile/m.XXXXXX" "$TG_WORK/loop/m.XXXXXX" \
	"$TG_WORK/no-such-dir/m.XXXXXX" "$S/$(printf 'n%.0s' {1..250}).XXXXXX"; do
	tg_run bare "$LEGACY" names mktemp 2 "$tmpl"
	bare=$(tg_result)
	tg_run harden "$LEGACY" names mktemp 2 "$tmpl"
	tap_is "$(tg_result)" "$bare" "harden mktemp '${tmpl:0:60}': as glibc ($bare)"
done
if tg_attacker_setup; then
	mkdir -p "$TG_WORK/closed" && chmod 0700 "$TG_WORK/closed"
	for how in bare harden; do
		pre=(env -u LD_PRELOAD)
		[ $how = harden ] && pre=(env "LD_PRELOAD=$TG_PRELOAD" TMPGUARD_MODE=harden TMPGUARD_LOG=stderr)
		OUT=$(timeout -k 2 "$TG_TIMEOUT" setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" \
			--clear-groups -- "${pre[@]}" "$LEGACY" names mktemp 1 "$TG_WORK/closed/m.XXXXXX" 2>&1)
		eval "r_$how=\$(tg_result)"
	done
	tap_is "$r_harden/$r_bare" "ERR EACCES/ERR EACCES" \
		"harden mktemp in a directory a second user cannot search: EACCES, as glibc (harden/bare)"
else
	tap_skip "harden mktemp in an unsearchable directory: EACCES" "$TG_ATT_WHY"
fi

# ... and makes no lookup of the names it draws: a loop of 200 asks the
# directory at most twice (a second boundary may fall inside the loop)
TG_TRACE=$TG_WORK/names.trace tg_run harden "$LEGACY" names mktemp 200 "$S/t.XXXXXX"
names_looked=$(grep -Ec "^[0-9]+ +(newfstatat|statx|lstat|stat|access|faccessat2?)\(([^,]*, )?\"$S/t\." "$TG_WORK/names.trace")
dir_looked=$(grep -Ec "^[0-9]+ +newfstatat\(AT_FDCWD, \"$S/\.\"" "$TG_WORK/names.trace")
tap_is "$RC/$names_looked/$((dir_looked >= 1 && dir_looked <= 2))" "0/0/1" \
	"harden mktemp x200: no lookup of the drawn names, the directory asked 1-2 times (rc/names/dir ok; dir: $dir_looked)"
unset TG_TRACE

tg_log names-tempnam
tg_run harden "$LEGACY" names tempnam $NUM "$S" pfx
check_names "harden tempnam(dir, \"pfx\")" "^$S/pfx$ALNUM{10}\$"
tap_log "harden tempnam: unsafe-name logged" event=unsafe-name func=tempnam action=hardened
tg_run harden "$LEGACY" names tempnam $NUM "$S" longprefix
check_names "harden tempnam: prefix cut to 5 characters" "^$S/longp$ALNUM{10}\$"
tg_run harden "$LEGACY" names tempnam $NUM "$S" -
check_names "harden tempnam: default prefix \"file\"" "^$S/file$ALNUM{10}\$"
TMPDIR=$TG_PRIVATE tg_run harden "$LEGACY" names tempnam $NUM "$S" pfx
check_names "harden tempnam: \$TMPDIR wins over dir, as in glibc" "^$TG_PRIVATE/pfx$ALNUM{10}\$"
tg_run harden "$LEGACY" names tempnam $NUM "$S/does-not-exist" pfx
check_names "harden tempnam: missing dir falls back to /tmp" "^/tmp/pfx$ALNUM{10}\$"

# --- 2. the first creation of a generated name -----------------------------
# use: legacy GEN-USE arguments; want mode; the kind of object.
CREATIONS=(
	"mktemp-open $S/c1.XXXXXX|600|regular file"
	"mktemp-open $S/c1b.XXXXXX WRONLY,CREAT,TRUNC 0644|600|regular file"
	"mktemp-openat $S/c2.XXXXXX|600|regular file"
	"mktemp-creat $S/c3.XXXXXX|600|regular file"
	"mktemp-fopen $S/c4.XXXXXX w|600|regular file"
	"mktemp-fopen $S/c4a.XXXXXX a+|600|regular file"
	"mktemp-freopen $S/c5.XXXXXX w|600|regular file"
	"mktemp-mkdir $S/c6.XXXXXX|700|directory"
	"tmpnam-fopen w|600|regular file"
	"tmpnam_r-open|600|regular file"
	"tempnam-open $S tg|600|regular file"
	"tempnam-creat $S tg|600|regular file"
)
for spec in "${CREATIONS[@]}"; do
	IFS='|' read -r cmd want kind <<<"$spec"
	# shellcheck disable=SC2086
	set -- $cmd
	use=${1#*-}
	tg_log "create-$1"
	# shellcheck disable=SC2086
	TG_TRACE=$TG_WORK/trace tg_run harden "$LEGACY" $cmd
	name=$(tg_name)
	[ -n "$name" ] && tg_cleanup_later "$name"
	t="harden $1:"
	tap_is "$(tg_result):$(tg_type "$name"):$(tg_mode "$name")" "OK:$kind:$want" \
		"$t created as a $kind, mode $want"
	if [ "$use" = mkdir ]; then
		tap_like "$(tg_trace_ops "$TG_WORK/trace" "$(basename "$name")" | grep "^mkdir")" \
			'^mkdir(at)? - 0700 0$' "$t one mkdir, mode 0700"
	else
		tap_is "$(tg_trace_creation "$TG_WORK/trace" "$(basename "$name")")" exclusive \
			"$t created with O_EXCL|O_NOFOLLOW"
	fi
	tap_log "$t unsafe-name logged" event=unsafe-name "func=${1%%-*}" "path=$name"
	tap_log "$t rewritten logged" event=rewritten action=hardened "path~(^|/)$(basename "$name")\$"
done

# --- 3. the race: a name squatted between generation and creation ----------
plant_file() { printf 'SQUATTER\n' >"$1"; }
plant_symlink() { ln -s "$TARGET" "$1"; }
plant_dir() { mkdir "$1"; }
# state PATH: what a plant looks like now, to prove it untouched
state() {
	if [ -L "$1" ]; then
		echo "symlink->$(readlink "$1")"
	elif [ -d "$1" ]; then
		echo "dir:$(ls -A "$1" | tr '\n' ' ')"
	else
		echo "$(tg_type "$1"):$(tg_content "$1")"
	fi
}
RACES=(
	"mktemp-open $S/r1.XXXXXX"
	"mktemp-openat $S/r2.XXXXXX"
	"mktemp-creat $S/r3.XXXXXX"
	"mktemp-fopen $S/r4.XXXXXX w"
	"mktemp-fopen $S/r5.XXXXXX a"
	"mktemp-freopen $S/r5b.XXXXXX w"
	"mktemp-mkdir $S/r6.XXXXXX"
	"mktemp-mkfifo $S/r7.XXXXXX"
	"tmpnam-fopen w"
	"tmpnam_r-open"
	"tempnam-open $S tg"
)
for cmd in "${RACES[@]}"; do
	# shellcheck disable=SC2086
	set -- $cmd
	for plant in plant_file plant_symlink plant_dir; do
		tg_log "race-$1-$plant"
		# shellcheck disable=SC2086
		tg_race harden $plant "$LEGACY" $cmd
		[ -n "$NAME" ] && tg_cleanup_later "$NAME"
		case $plant in
		plant_file) before="regular file:SQUATTER" ;;
		plant_symlink) before="symlink->$TARGET" ;;
		plant_dir) before="dir:" ;;
		esac
		t="harden $1, name squatted by ${plant#plant_}:"
		tap_is "$(tg_result)" "ERR EEXIST" "$t fails with EEXIST"
		tap_is "$(state "$NAME")|$(tg_content "$TARGET")" "$before|PRECIOUS" \
			"$t squatter's object and symlink target untouched"
		tap_log "$t race-blocked logged (blocked, errno 17)" event=race-blocked action=blocked errno=17 \
			"path~(^|/)$(basename "$NAME")\$"
		rm -rf -- "$NAME"
	done
done

# Baseline: without tmpguard the symlink race wins.
tg_race bare plant_symlink "$LEGACY" mktemp-open "$S/b.XXXXXX"
tap_is "$(tg_result):$(tg_content "$TARGET")" OK:VICTIM-DATA \
	"bare mktemp-open, name squatted by a symlink: the target is overwritten (baseline)"
printf 'PRECIOUS\n' >"$TARGET"

# --- 4. the safe creators are left alone ------------------------------------
for cmd in mkstemp mkdtemp; do
	tg_log "safe-$cmd"
	TG_TRACE=$TG_WORK/trace tg_run harden "$LEGACY" $cmd "$S/safe.XXXXXX"
	name=$(tg_name)
	if [ $cmd = mkstemp ]; then want=600; else want=700; fi
	tap_is "$(tg_result):$(tg_mode "$name")" "OK:$want" "harden $cmd: works, mode $want"
	tap_log_none "harden $cmd: nothing logged (already safe)"
	ops=$(tg_trace_ops "$TG_WORK/trace" "$(basename "$name")" | grep -E '^(openat|mkdir) ')
	if [ $cmd = mkstemp ]; then
		tap_like "$ops" '^openat O_RDWR\|O_CREAT\|O_EXCL 0600 [0-9]+$' "harden mkstemp: glibc's own exclusive open, untouched"
	else
		tap_like "$ops" '^mkdir - 0700 0$' "harden mkdtemp: glibc's own mkdir 0700, untouched"
	fi
done

tap_done
exit 0
