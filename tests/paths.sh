#!/bin/bash
# paths.sh — the path calls after which a plant wins (contract part 2,
# item 2), each through its own symbol (tests/helpers/pathcalls): truncate,
# truncate64, chmod, fchmodat, chown, fchownat, utime, utimes, utimensat,
# futimesat; rename, renameat, renameat2, link, linkat (their source);
# realpath, __realpath_chk, canonicalize_file_name. For each call:
#  1. another user's symbolic link in a shared directory to a precious
#     file outside it: bare, the attack works; harden fails with EACCES,
#     leaves the file (mode, owner, times, size, content) and the
#     destination as they were, and logs hijack-blocked (func, path,
#     detail symlink); audit does what bare does and logs hijack-detected;
#  2. a second hard link of a precious file (the calls that write, change or
#     rename): the same, detail multiple-links;
#  3. the caller's own file and symbolic link, root's file (the caller
#     another user), a TMPGUARD_TRUST user's file: as bare (same result,
#     same effect), nothing logged; and in harden the name reaches the
#     kernel only to be pinned (O_PATH), the call acting on the pin;
#  4. a private directory: as bare, with the same system calls (strace);
#  5. errno as bare: a missing file, a path through a file, a directory the
#     kernel refuses;
#  6. the flags that change what is judged (AT_SYMLINK_NOFOLLOW,
#     AT_SYMLINK_FOLLOW), a planted directory link on the way, and paths
#     relative to a directory descriptor.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

PC=$TG_HELPERS/pathcalls
[ -x "$PC" ] || tap_bail "helper not built: $PC"
S=$TG_STICKY
# private, on the shared directory's file system: hard links and the
# destinations of rename and link
H=$TG_PRIVATE
# outside every shared directory (TG_WORK is in /tmp): the build tree,
# unless that is in a shared directory too
case $TG_BUILDDIR/ in
/tmp/* | /var/tmp/* | /dev/shm/*) Q= ;;
*) Q=$(mktemp -d "$TG_BUILDDIR/tests/paths-outside.XXXXXX") && tg_cleanup_later "$Q" ;;
esac
OUTSIDE=${Q:-$TG_WORK/outside}
mkdir -p "$OUTSIDE" && chmod 0755 "$OUTSIDE"
OUTSIDE_REAL=$(readlink -f "$OUTSIDE")

CHANGE="truncate truncate64 chmod fchmodat chown fchownat utime utimes utimensat futimesat"
MOVE="rename renameat renameat2 link linkat"
RESOLVE="realpath __realpath_chk canonicalize_file_name"
ALL="$CHANGE $MOVE $RESOLVE"
T0=1500000000 # the time stamps of everything made here

is_move() { [[ " $MOVE " == *" $1 "* ]]; }
is_resolve() { [[ " $RESOLVE " == *" $1 "* ]]; }
is_rename() { [[ $1 == rename* ]]; }

ROOT=1
[ "$(id -u)" = 0 ] || ROOT=

# make_file PATH CONTENT [MODE]: a fresh regular file stamped T0
make_file() {
	rm -rf -- "$1"
	printf '%s\n' "$2" >"$1"
	chmod "${3:-0644}" "$1"
	touch -d "@$T0" "$1"
}
# make_link PATH TARGET: a fresh symbolic link stamped T0
make_link() {
	rm -rf -- "$1"
	ln -s "$2" "$1"
	touch -h -d "@$T0" "$1"
}

# snap PATH: what a call may change of PATH, not following a final link:
# type, mode, owner, mtime (T0: as made, T1: the helper's, Tnow: anything
# else), size, links, and the content (a link: its target); or "missing".
snap() {
	local s
	s=$(stat -c '%F|%a|%u:%g|%Y|%s|%h' -- "$1" 2>/dev/null) || {
		echo missing
		return
	}
	s=${s//|$T0|/|T0|}
	s=${s//|1000000000|/|T1|}
	s=$(sed -E 's/\|[0-9]{9,}\|/|Tnow|/' <<<"$s")
	if [ -L "$1" ]; then
		s="$s|-> $(readlink -- "$1")"
	elif [ -f "$1" ]; then
		s="$s|$(cat -- "$1")"
	fi
	printf '%s\n' "$s"
}

# outcome: the helper's result, errno after a success (0 before the call:
# a library step's errno must not leak; glibc's realpath leaves EINVAL, 22)
# and the name it printed (realpath)
outcome() {
	local r
	r=$(tg_result)
	[ "$r" = OK ] && r="OK errno=$(tg_field errno)"
	printf '%s %s' "$r" "$(tg_field name)"
}

# args CALL SRC DEST [WORD...]: the helper's command line
args() {
	local c=$1 src=$2 dst=$3
	shift 3
	if is_move "$c"; then
		echo "$PC $c $src $dst $*"
	else
		echo "$PC $c $src $*"
	fi
}

# tap_changed NOW BEFORE DESC: what a bare attack did
tap_changed() {
	if [ "$1" != "$2" ]; then
		tap_ok "$3"
	else
		tap_not_ok "$3" "nothing changed: $2" "${_tg_last_run:-}"
	fi
}

# ---- 1 and 2: plants --------------------------------------------------------

# plant KIND CALL: make the plant for CALL under $S/p-CALL and set PRECIOUS
# (what it reaches), DEST (rename: an existing config; link: a new name)
# and WATCH (the paths whose snap must not change in harden).
#   symlink: another user's link to a file outside the shared directory
#   hard:    a second link (the caller's own file, two links)
plant() {
	local kind=$1 c=$2
	DEST=$H/dest-$c
	rm -f -- "$DEST"
	is_rename "$c" && make_file "$DEST" CONFIG
	case $kind in
	symlink)
		PRECIOUS=$OUTSIDE/precious-$c
		make_file "$PRECIOUS" PRECIOUS
		make_link "$S/p-$c" "$PRECIOUS"
		tg_foreign "$S/p-$c"
		;;
	hard)
		PRECIOUS=$H/precious-$c
		make_file "$PRECIOUS" PRECIOUS
		rm -f -- "$S/p-$c"
		ln "$PRECIOUS" "$S/p-$c"
		;;
	esac
	WATCH="$PRECIOUS $DEST"
}
effects() {
	local p
	for p in $WATCH; do printf '%s=%s\n' "${p##*/}" "$(snap "$p")"; done
}

# attack KIND DETAIL CALLS: each call on the plant, in the three modes
attack() {
	local kind=$1 detail=$2 c before bare_out bare_eff t
	shift 2
	for c in "$@"; do
		t="$c ($kind planted in a shared dir):"
		if [ -z "$ROOT" ]; then
			tap_skip "$t the attack, refused in harden, logged in audit" \
				"not root: cannot plant as another user"
			continue
		fi
		# shellcheck disable=SC2046
		{
			plant "$kind" "$c"
			before=$(effects)
			tg_run bare $(args "$c" "$S/p-$c" "$DEST")
			bare_out=$(outcome) bare_eff=$(effects)
			if is_resolve "$c"; then
				tap_is "$bare_out" "OK errno=22 $OUTSIDE_REAL/precious-$c" \
					"bare $t the attack works: the name outside is handed over"
			else
				tap_changed "$bare_eff" "$before" "bare $t the attack works"
			fi

			plant "$kind" "$c"
			tg_log "$kind-harden-$c"
			tg_run harden $(args "$c" "$S/p-$c" "$DEST")
			tap_is "$(outcome)" "ERR EACCES " "harden $t refused with EACCES"
			tap_is "$(effects)" "$before" "harden $t precious file and destination untouched"
			tap_log "harden $t hijack-blocked func=$c detail=$detail" \
				event=hijack-blocked "func=$c" "path=$S/p-$c" action=blocked \
				errno=13 "detail=$detail"

			plant "$kind" "$c"
			tg_log "$kind-audit-$c"
			tg_run audit $(args "$c" "$S/p-$c" "$DEST")
			tap_is "$(outcome)|$(effects)" "$bare_out|$bare_eff" \
				"audit $t result and effect as bare"
			tap_log "audit $t hijack-detected func=$c detail=$detail" \
				event=hijack-detected "func=$c" "path=$S/p-$c" action=logged \
				"detail=$detail"
		}
	done
}

# shellcheck disable=SC2086
attack symlink symlink $ALL
# shellcheck disable=SC2086
attack hard multiple-links $CHANGE $MOVE

# ---- 3. trusted objects: as bare ---------------------------------------------

ATT=
for try in 1 2 3 4 5 6 7 8 9 10; do
	tg_attacker_setup && { ATT=1; break; }
	[[ $TG_ATT_WHY == useradd* ]] || break
	sleep 1
done
ALOG=$TG_LOGDIR/as-attacker.log

# run_as_attacker MODE CMD...: CMD as tgattacker (the library preloaded in
# harden and audit); RC, OUT, ERR as tg_run sets them.
run_as_attacker() {
	local how=$1
	shift
	local -a env=()
	[ "$how" = bare ] || env=(LD_PRELOAD="$TG_PRELOAD" "TMPGUARD_MODE=$how" "TMPGUARD_LOG=$ALOG")
	timeout -k 2 "$TG_TIMEOUT" setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" \
		--clear-groups -- env -u LD_PRELOAD "${env[@]}" "$@" \
		>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.out")
	ERR=$(cat "$TG_WORK/.err")
	_tg_last_run="[$how as $TG_ATTACKER] $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}

# trusted KIND CALL: make a trusted object under $S/o-CALL; WATCH, DEST and
# RUN (how to run the call: tg_run or run_as_attacker) and WORDS (extra
# words for the helper) as plant sets them.
#   own:     the caller's own file
#   ownlink: the caller's own symbolic link to its own file outside
#   root:    root's file (0666), the caller tgattacker
#   trust:   a file of another user named in TMPGUARD_TRUST
trusted() {
	local kind=$1 c=$2 o=$S/o-$c
	DEST=$H/dest-$c RUN=tg_run WORDS=
	[ "$kind" = root ] && DEST=$S/dest-$c
	rm -f -- "$DEST"
	is_rename "$c" && make_file "$DEST" CONFIG
	case $kind in
	own | trust | noproc) make_file "$o" MINE ;;
	ownlink)
		make_file "$OUTSIDE/t-$c" MINE
		make_link "$o" "$OUTSIDE/t-$c"
		;;
	root)
		make_file "$o" ROOTS 0666
		RUN=run_as_attacker
		# the caller may set the times of a file it can write to now,
		# not to a time of its choosing
		[[ $c == *utime* ]] && WORDS=now
		;;
	esac
	[ "$kind" = trust ] && tg_foreign "$o"
	WATCH="$o $DEST"
	[ "$kind" = ownlink ] && WATCH="$WATCH $OUTSIDE/t-$c"
	[ "$kind" = root ] && is_move "$c" && [ -e "$DEST" ] && chmod 0666 "$DEST"
	return 0
}

# as_bare KIND CALLS: each call on a trusted object, harden against bare
as_bare() {
	local kind=$1 c bare_out bare_eff t
	shift
	for c in "$@"; do
		t="$c ($kind in a shared dir):"
		case $kind in
		trust | root)
			if [ -z "$ROOT" ] || { [ "$kind" = root ] && [ -z "$ATT" ]; }; then
				tap_skip "harden $t as bare" "needs root and the user $TG_ATTACKER"
				tap_skip "harden $t nothing logged" "needs root and the user $TG_ATTACKER"
				continue
			fi
			;;
		esac
		local -a pre=()
		[ "$kind" = trust ] && pre=(env "TMPGUARD_TRUST=$TG_FOREIGN_UID")
		if [ "$kind" = noproc ]; then
			if [ -z "$NOPROC" ]; then
				tap_skip "harden $t as bare" "$NOPROC_WHY"
				tap_skip "harden $t nothing logged" "$NOPROC_WHY"
				continue
			fi
			pre=("${NOPROC_PRE[@]}")
		fi
		# shellcheck disable=SC2046
		{
			trusted "$kind" "$c"
			$RUN bare "${pre[@]}" $(args "$c" "$S/o-$c" "$DEST" $WORDS)
			bare_out=$(outcome) bare_eff=$(effects)
			trusted "$kind" "$c"
			tg_log "trusted-$kind-$c"
			: >"$ALOG"
			[ -n "$ATT" ] && chown "$TG_ATT_UID" "$ALOG"
			$RUN harden "${pre[@]}" $(args "$c" "$S/o-$c" "$DEST" $WORDS)
			tap_is "$(outcome)|$(effects)" "$bare_out|$bare_eff" "harden $t as bare"
			if [ "$kind" = root ]; then LOG=$ALOG; fi
			tap_log_none "harden $t nothing logged"
		}
	done
}

# where /proc is not mounted (a chroot, a container): the pin is acted on
# by a descriptor instead (opened by name in the pinned directory and kept
# only if it is the pinned object), or moved by its name there
NOPROC_PRE=(unshare -m sh -c 'umount -l /proc && exec "$@"' sh)
NOPROC=
NOPROC_WHY="cannot run without /proc (unshare -m, umount)"
# shellcheck disable=SC2016
[ -n "$ROOT" ] && "${NOPROC_PRE[@]}" sh -c '! [ -e /proc/self ]' 2>/dev/null && NOPROC=1
# the sanitizers' runtime reads /proc/self/maps as a program starts
if [ -n "$TG_ASAN_RT" ]; then NOPROC= NOPROC_WHY="the ASan runtime needs /proc"; fi

# shellcheck disable=SC2086
for kind in own ownlink root trust noproc; do as_bare $kind $ALL; done
if [ -n "$NOPROC" ]; then
	plant symlink chmod
	before=$(effects)
	tg_log noproc-plant
	tg_run harden "${NOPROC_PRE[@]}" "$PC" chmod "$S/p-chmod"
	tap_is "$(outcome)|$(effects)" "ERR EACCES |$before" \
		"harden chmod (symlink planted, no /proc): refused with EACCES, untouched"
else
	tap_skip "harden chmod (symlink planted, no /proc): refused" "$NOPROC_WHY"
fi

# harden acts on what it pinned: the caller's own file is looked up by its
# name once, with O_PATH, and changed, moved or named through the pin
for c in $ALL; do
	trusted own "$c"
	tg_log "pinned-$c"
	# shellcheck disable=SC2046
	TG_TRACE=$TG_WORK/trace tg_run harden $(args "$c" "$S/o-$c" "$DEST")
	# rename moves the name from its pinned directory: renameat(fd, name)
	grep -vE "^([0-9]+ +)?renameat2?\([0-9]+, \"o-$c\"," "$TG_WORK/trace" >"$TG_WORK/trace.f"
	ops=$(tg_trace_ops "$TG_WORK/trace.f" "o-$c" | grep -v '^newfstatat ')
	# realpath's answer: the name the kernel gives the pin (the trace
	# shows what readlink returned)
	if is_resolve "$c"; then
		ops=$(grep -v '^readlinkat ' <<<"$ops")
		grep -q 'readlinkat(AT_FDCWD, "/proc/self/fd/' "$TG_WORK/trace" || ops="$ops
no readlinkat of /proc/self/fd/N"
	fi
	if [[ $(outcome) == OK* ]] && [ -n "$(grep O_PATH <<<"$ops")" ] &&
		[ -z "$(grep -v O_PATH <<<"$ops")" ]; then
		tap_ok "harden $c (own file in a shared dir): the name only pinned (O_PATH), never acted on"
	else
		tap_not_ok "harden $c (own file in a shared dir): the name only pinned (O_PATH), never acted on" \
			"ops on the name: $(tr '\n' ';' <<<"$ops")" "$_tg_last_run"
	fi
done

# ---- 4. outside shared directories: the same system calls ---------------------

NORM=$TG_SRCDIR/tests/helpers/strace_norm.py
for c in $ALL; do
	if [ -z "$Q" ] || [ -n "$TG_ASAN_RT" ] || [ -n "$TG_COVERAGE_BUILD" ]; then
		tap_skip "$c (private dir): as bare, the same system calls" \
			"the build tree is in a shared directory, or a sanitized or coverage build"
		continue
	fi
	DEST=$Q/dest-$c
	rm -f -- "$DEST"
	is_rename "$c" && make_file "$DEST" CONFIG
	make_file "$Q/v-$c" MINE
	# shellcheck disable=SC2046
	TG_TRACE=$TG_WORK/t.bare tg_run bare $(args "$c" "$Q/v-$c" "$DEST")
	bare_out=$(outcome)
	"$TG_PY" "$NORM" "$TG_LIB" "$TG_WORK/t.bare" "$TG_WORK/r.bare" >"$TG_WORK/n.bare"
	tg_log "private-$c"
	for mode in harden audit; do
		rm -f -- "$DEST"
		is_rename "$c" && make_file "$DEST" CONFIG
		make_file "$Q/v-$c" MINE
		# shellcheck disable=SC2046
		TG_TRACE=$TG_WORK/t.$mode tg_run $mode $(args "$c" "$Q/v-$c" "$DEST")
		"$TG_PY" "$NORM" "$TG_LIB" "$TG_WORK/t.$mode" "$TG_WORK/r.$mode" >"$TG_WORK/n.$mode"
		if [ "$(outcome)" = "$bare_out" ] &&
			diff -u "$TG_WORK/n.bare" "$TG_WORK/n.$mode" >"$TG_WORK/diff"; then
			tap_ok "$mode $c (private dir): as bare, the same $(grep -c . "$TG_WORK/n.bare") system calls"
		else
			tap_not_ok "$mode $c (private dir): as bare, the same system calls" \
				"bare: $bare_out; $mode: $(outcome)" "$(head -n 30 "$TG_WORK/diff")"
		fi
	done
	tap_log_none "$c (private dir): nothing logged"
done

# ---- 5. errno stays the kernel's ----------------------------------------------

# errno_case DESC CALL PATH [WORD...]: harden and audit against bare
errno_case() {
	local desc=$1 c=$2 p=$3 mode bare_out
	shift 3
	# shellcheck disable=SC2046
	tg_run bare $(args "$c" "$p" "$H/e-dest-$c" "$@")
	bare_out=$(outcome)
	for mode in harden audit; do
		# shellcheck disable=SC2046
		tg_run $mode $(args "$c" "$p" "$H/e-dest-$c" "$@")
		tap_is "$(outcome)" "$bare_out" "$mode $c: $desc: $bare_out as bare"
	done
	rm -f -- "$H/e-dest-$c"
}
make_file "$S/afile" MINE
mkdir -p "$S/adir/sub"
make_link "$S/alink" "$S/afile"
for c in $ALL; do
	errno_case "a missing file" "$c" "$S/missing"
	errno_case "a path through a file" "$c" "$S/afile/x"
done
for c in truncate truncate64; do errno_case "a directory" "$c" "$S/adir"; done
for c in link linkat; do errno_case "a directory" "$c" "$S/adir"; done
for c in rename renameat renameat2; do
	tg_run bare "$PC" "$c" "$S/adir" "$S/adir/sub/into"
	bare_out=$(outcome)
	for mode in harden audit; do
		tg_run $mode "$PC" "$c" "$S/adir" "$S/adir/sub/into"
		tap_is "$(outcome)" "$bare_out" "$mode $c: a directory into itself: $bare_out as bare"
	done
done
errno_case "the caller's own symlink, not followed" fchmodat "$S/alink" nofollow
# rename never follows its source, not even "link/": the kernel wants a
# directory there and fails with ENOTDIR
make_link "$S/dlink" adir
for c in rename renameat renameat2; do
	errno_case "the caller's own link to a directory, with a trailing /" "$c" "$S/dlink/"
done
tap_is "$(tg_type "$S/adir"):$(tg_type "$S/dlink")" "directory:symbolic link" \
	"rename of \"link/\": neither the link nor its directory moved"
TG_TRACE=$TG_WORK/trace tg_run harden "$PC" rename "$S/dlink/" "$H/e-dest"
tap_is "$(outcome):$(grep -cE '^([0-9]+ +)?rename' "$TG_WORK/trace")" "ERR ENOTDIR :0" \
	"harden rename of \"link/\": ENOTDIR without a rename reaching the kernel (the link is not followed, nor the name used again)"

# ---- 6. the flags, links on the way, directory descriptors ------------------

if [ -n "$ROOT" ]; then
	# fchmodat(AT_SYMLINK_NOFOLLOW) on a planted link: the mode of a link
	# cannot be changed: glibc's EOPNOTSUPP, reported, not blocked
	plant symlink fchmodat
	before=$(effects)
	tg_run bare "$PC" fchmodat "$S/p-fchmodat" nofollow
	bare_out=$(outcome)
	tg_log nofollow-fchmodat
	tg_run harden "$PC" fchmodat "$S/p-fchmodat" nofollow
	tap_is "$(outcome)|$(effects)" "$bare_out|$before" \
		"harden fchmodat(AT_SYMLINK_NOFOLLOW) on a planted link: $bare_out as bare, nothing changed"
	tap_log "harden fchmodat(AT_SYMLINK_NOFOLLOW) on a planted link: hijack-detected (the kernel's refusal)" \
		event=hijack-detected func=fchmodat action=logged detail=symlink
	tap_log_count 0 "harden fchmodat(AT_SYMLINK_NOFOLLOW) on a planted link: no hijack-blocked" \
		event=hijack-blocked

	# fchownat and utimensat with AT_SYMLINK_NOFOLLOW change the link
	# itself: the link is judged
	for c in fchownat utimensat; do
		plant symlink "$c"
		link_before=$(snap "$S/p-$c") before=$(effects)
		tg_run bare "$PC" "$c" "$S/p-$c" nofollow
		tap_changed "$(snap "$S/p-$c")" "$link_before" \
			"bare $c(AT_SYMLINK_NOFOLLOW) on a planted link: the link itself changes"
		plant symlink "$c"
		tg_log "nofollow-$c"
		tg_run harden "$PC" "$c" "$S/p-$c" nofollow
		tap_is "$(outcome)|$(snap "$S/p-$c")|$(effects)" "ERR EACCES |$link_before|$before" \
			"harden $c(AT_SYMLINK_NOFOLLOW) on a planted link: EACCES, the link and the file untouched"
		tap_log "harden $c(AT_SYMLINK_NOFOLLOW) on a planted link: hijack-blocked detail=symlink" \
			event=hijack-blocked "func=$c" action=blocked errno=13 detail=symlink
	done

	# linkat(AT_SYMLINK_FOLLOW) links what a planted link points to
	PRECIOUS=$H/precious-follow
	make_file "$PRECIOUS" PRECIOUS
	make_link "$S/p-follow" "$PRECIOUS"
	tg_foreign "$S/p-follow"
	rm -f "$H/new-follow"
	tg_run bare "$PC" linkat "$S/p-follow" "$H/new-follow" follow
	tap_is "$(tg_ino "$H/new-follow")" "$(tg_ino "$PRECIOUS")" \
		"bare linkat(AT_SYMLINK_FOLLOW) through a planted link: the precious file gets a new name"
	rm -f "$H/new-follow"
	tg_log linkat-follow
	tg_run harden "$PC" linkat "$S/p-follow" "$H/new-follow" follow
	tap_is "$(outcome)|$(snap "$H/new-follow")|$(snap "$PRECIOUS")" \
		"ERR EACCES |missing|regular file|644|0:0|T0|9|1|PRECIOUS" \
		"harden linkat(AT_SYMLINK_FOLLOW) through a planted link: EACCES, no new name"
	tap_log "harden linkat(AT_SYMLINK_FOLLOW): hijack-blocked detail=symlink" \
		event=hijack-blocked func=linkat action=blocked errno=13 detail=symlink

	# a planted link to a directory, on the way
	make_file "$OUTSIDE/precious-way" PRECIOUS
	make_link "$S/dirlink" "$OUTSIDE"
	tg_foreign "$S/dirlink"
	for c in chmod realpath rename; do
		make_file "$OUTSIDE/precious-way" PRECIOUS
		before=$(snap "$OUTSIDE/precious-way")
		tg_log "way-$c"
		# shellcheck disable=SC2046
		tg_run harden $(args "$c" "$S/dirlink/precious-way" "$H/dest-way")
		tap_is "$(outcome)|$(snap "$OUTSIDE/precious-way")" "ERR EACCES |$before" \
			"harden $c through a planted link to a directory: EACCES, untouched"
		tap_log "harden $c through a planted link on the way: hijack-blocked" \
			event=hijack-blocked "func=$c" action=blocked detail=symlink
	done

	# relative to a directory descriptor of a shared directory
	for c in fchmodat renameat linkat utimensat; do
		plant symlink "$c"
		before=$(effects)
		tg_log "dirfd-$c"
		if is_move "$c"; then
			tg_run harden "$PC" --dirfd "$S" "$c" "p-$c" "new-$c"
		else
			tg_run harden "$PC" --dirfd "$S" "$c" "p-$c"
		fi
		tap_is "$(outcome)|$(effects)|$(snap "$S/new-$c")" "ERR EACCES |$before|missing" \
			"harden $c relative to a shared directory's descriptor: EACCES, untouched"
		tap_log "harden $c relative to a descriptor: hijack-blocked" \
			event=hijack-blocked "func=$c" "path=p-$c" action=blocked detail=symlink
	done
else
	tap_skip "the flags, links on the way and descriptors" "not root: cannot plant as another user"
fi

# the fortified realpath checks its buffer as glibc does: too small aborts
tg_run bare "$PC" __realpath_chk "$S/afile" 16
bare_rc=$RC
tg_run harden "$PC" __realpath_chk "$S/afile" 16
tap_is "$RC" "$bare_rc" "harden __realpath_chk with a buffer smaller than PATH_MAX: aborts as bare (status $bare_rc)"
# realpath allocates when given no buffer
tg_run harden "$PC" realpath "$S/alink" null
tap_is "$(outcome)" "OK errno=22 $(readlink -f "$S/afile")" \
	"harden realpath(own link, NULL): the allocated answer names the file"

tap_done
