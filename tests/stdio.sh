#!/bin/bash
# stdio.sh — fopen modes, freopen and tmpfile under the library.
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
P=$TG_PRIVATE

# --- 1. creating modes: hardened, the program's other flags kept ------------
# mode|flags the kernel must see besides O_CREAT|O_EXCL|O_NOFOLLOW
MODES=("w|O_WRONLY" "w+|O_RDWR" "wb|O_WRONLY" "a|O_WRONLY O_APPEND"
	"a+|O_RDWR O_APPEND" "ab+|O_RDWR O_APPEND" "we|O_WRONLY O_CLOEXEC"
	"w,ccs=UTF-8|O_WRONLY")
i=0
for spec in "${MODES[@]}"; do
	IFS='|' read -r m flags <<<"$spec"
	i=$((i + 1))
	for v in legacy legacy_lfs; do
		f=$S/fopen.$v.$i
		func=$(tg_sym $v fopen)
		tg_log "mode-$v-$i"
		TG_TRACE=$TG_WORK/trace tg_run harden "$TG_HELPERS/$v" fopen "$f" "$m"
		t="harden $func(\"$m\"):"
		tap_is "$(tg_result):$(tg_mode "$f"):$(tg_content "$f")" OK:600:VICTIM-DATA \
			"$t new file 0600 with the data"
		ops=$(tg_trace_ops "$TG_WORK/trace" "$(basename "$f")" | grep O_CREAT)
		miss=
		for fl in $flags O_EXCL O_NOFOLLOW; do
			grep -q "$fl" <<<"$ops" || miss="$miss $fl"
		done
		tap_is "${miss:-none}" none "$t kernel sees $flags plus O_EXCL|O_NOFOLLOW"
		tap_log "$t predictable-create" event=predictable-create "func=$func" action=hardened
	done
done

# "a" on our own existing file appends, "w" truncates
printf 'OLD\n' >"$S/append"
tg_run harden "$LEGACY" fopen "$S/append" a
tap_is "$(tg_content "$S/append")" $'OLD\nVICTIM-DATA' "harden fopen(\"a\") on our own file appends"
printf 'OLD-AND-LONGER\n' >"$S/trunc"
tg_run harden "$LEGACY" fopen "$S/trunc" w+
tap_is "$(tg_content "$S/trunc")" VICTIM-DATA "harden fopen(\"w+\") on our own file truncates"

# --- 2. not candidates: passed through, nothing logged -----------------------
printf 'MINE\n' >"$S/mine"
for spec in "r|$S/mine|OK" "r+|$S/mine|OK" "rb|$S/mine|OK" "r|$S/none|ERR ENOENT" \
	"wx|$S/excl|OK" "w+x|$S/excl2|OK" "wx|$S/mine|ERR EEXIST"; do
	IFS='|' read -r m f want <<<"$spec"
	tg_log "pass-$m"
	TG_TRACE=$TG_WORK/trace tg_run harden "$LEGACY" fopen "$f" "$m"
	tap_is "$(tg_result)" "$want" "harden fopen(\"$m\") $(basename "$f"): $want as without tmpguard"
	tap_log_none "harden fopen(\"$m\"): nothing logged"
done
tap_is "$(tg_mode "$S/excl")" 644 "harden fopen(\"wx\"): the program's own exclusive create keeps its mode"
ops=$(tg_trace_ops "$TG_WORK/trace" mine)
tap_like "$ops" '^openat O_WRONLY\|O_CREAT\|O_EXCL\|O_TRUNC 0666 EEXIST$' "harden fopen(\"wx\"): flags unchanged"
for m in z "" +w; do
	tg_run bare "$LEGACY" fopen "$S/bad" "$m"
	bare=$(tg_result)
	tg_run harden "$LEGACY" fopen "$S/bad" "$m"
	tap_is "$(tg_result)" "$bare" "harden fopen with invalid mode '$m': as without tmpguard ($bare)"
done

# --- 3. freopen ----------------------------------------------------------
for v in legacy legacy_lfs; do
	func=$(tg_sym $v freopen)
	for m in w a w+; do
		f=$S/freopen.$v.$m
		tg_log "freopen-$v-$m"
		TG_TRACE=$TG_WORK/trace tg_run harden "$TG_HELPERS/$v" freopen "$f" "$m"
		tap_is "$(tg_result):$(tg_mode "$f"):$(tg_content "$f")" OK:600:VICTIM-DATA \
			"harden $func(\"$m\"): new file 0600"
		tap_is "$(tg_trace_creation "$TG_WORK/trace" "$(basename "$f")")" exclusive \
			"harden $func(\"$m\"): created with O_EXCL|O_NOFOLLOW"
		tap_log "harden $func(\"$m\"): predictable-create" event=predictable-create "func=$func"
	done
	tg_log "freopen-r-$v"
	tg_run harden "$TG_HELPERS/$v" freopen "$S/mine" r
	tap_is "$(tg_result)" OK "harden $func(\"r\"): works"
	tap_log_none "harden $func(\"r\"): nothing logged"
done

# freopen(path, mode, stdout): the stream stays on descriptor 1, so a child
# inherits the file (the "send my output to a log" idiom).
for m in w a; do
	for state in new existing; do
		f=$S/stdout.$m.$state
		got=
		for mode in bare harden; do
			rm -f "$f"
			[ $state = existing ] && printf 'OLD\n' >"$f"
			tg_run $mode "$LEGACY" freopen-stdout "$f" $m
			got="$got|$mode:$(tg_result):fd=$(tg_field fd):$(tg_content "$f" | tr '\n' ' ')"
		done
		b=${got#|bare:}; b=${b%%|*}
		h=${got##*|harden:}
		tap_is "$h" "$b" "harden freopen(\"$m\", stdout) ($state file): fd 1, the program's and a child's output in the file"
	done
done

# --- 4. tmpfile -------------------------------------------------------------
# tmpfile_check MODE VARIANT: run tmpfile, held open; sets LINK (the fd's link
# as the kernel shows it in /proc/PID/fd) and FMODE (its mode).
tmpfile_check() {
	tg_held "$1" "$TG_HELPERS/$2" tmpfile
	LINK=$FDLINK FMODE=$FDMODE
}
anon() { [[ $1 == *"(deleted)" || $1 == */#* ]]; }

for v in legacy legacy_lfs; do
	func=$(tg_sym $v tmpfile)
	tg_log "tmpfile-$v"
	tmpfile_check harden $v
	tap_like "$LINK" '^/tmp/' "harden $func, TMPDIR unset: file in /tmp ($LINK)"
	tap_check "harden $func, TMPDIR unset: anonymous (O_TMPFILE or unlinked)" anon "$LINK"
	tap_is "$FMODE:$RC" 600:0 "harden $func: mode 0600, program succeeds"
	tap_log_none "harden $func: nothing logged (tmpfile is safe)"

	for dir in "$P" "$S"; do
		TMPDIR=$dir tmpfile_check bare $v
		bare=$LINK
		TMPDIR=$dir tmpfile_check harden $v
		tap_like "$LINK" "^$dir/" "harden $func, TMPDIR=$(basename "$dir"): file in \$TMPDIR (bare: $bare)"
		tap_check "harden $func, TMPDIR=$(basename "$dir"): anonymous" anon "$LINK"
		tap_is "$FMODE:$RC" 600:0 "harden $func, TMPDIR=$(basename "$dir"): mode 0600, program succeeds"
	done
done
TMPDIR=$TG_WORK/does-not-exist tmpfile_check harden legacy
tap_is "$RC" 0 "harden tmpfile with TMPDIR naming no directory: still works ($LINK)"
TMPDIR=$TG_WORK/does-not-exist tmpfile_check audit legacy
tap_like "$LINK" '^/tmp/' "audit tmpfile ignores TMPDIR as glibc does ($LINK)"

# The create-then-unlink fallback, where the kernel refuses O_TMPFILE
# (vfat, older NFS): no_tmpfile makes open/openat with O_TMPFILE fail with
# EOPNOTSUPP through a seccomp filter, as such a file system does.
NOTMP=$TG_HELPERS/no_tmpfile
"$NOTMP" true 2>"$TG_WORK/no_tmpfile.err"
nrc=$?
case $nrc in
77)
	tap_skip "tmpfile fallback where O_TMPFILE is refused" \
		"no seccomp filter here: $(head -c 200 "$TG_WORK/no_tmpfile.err")"
	;;
*)
	# a helper that fails makes every check below fail too
	if [ "$nrc" = 0 ]; then
		tap_ok "no_tmpfile helper runs"
	else
		tap_not_ok "no_tmpfile helper runs" "exit $nrc: $(head -c 500 "$TG_WORK/no_tmpfile.err")"
	fi
	for v in legacy legacy_lfs; do
		func=$(tg_sym $v tmpfile)
		for dir in "" "$P" "$S"; do
			tg_log "tmpfile-fallback-$v"
			TMPDIR=$dir tg_held harden "$NOTMP" "$TG_HELPERS/$v" tmpfile
			want=${dir:-/tmp}
			t="harden $func, O_TMPFILE refused, TMPDIR=${dir:+$(basename "$dir")}"
			tap_is "$FDMODE:$RC" 600:0 "$t: mode 0600, program succeeds"
			tap_like "$FDLINK" "^$want/tmpf[A-Za-z0-9]{10} \\(deleted\\)\$" \
				"$t: an exclusive random name in $want, unlinked at once ($FDLINK)"
			tap_is "$(find "$want" -maxdepth 1 -name 'tmpf??????????' -newer "$TG_WORK/.held" 2>/dev/null | wc -l)" 0 \
				"$t: no name left behind"
			tap_log_none "$t: nothing logged"
		done
	done
	# the filter is real: without the library, glibc's own tmpfile falls
	# back as well, and a direct O_TMPFILE open fails with EOPNOTSUPP
	tg_held bare "$NOTMP" "$LEGACY" tmpfile
	tap_is "$FDMODE:$RC" 600:0 "bare tmpfile, O_TMPFILE refused: glibc's own fallback works"
	got=$("$NOTMP" python3 -c 'import errno, os
try:
    os.open("/tmp", os.O_TMPFILE | os.O_RDWR, 0o600)
    print("allowed")
except OSError as e:
    print("EOPNOTSUPP" if e.errno == errno.EOPNOTSUPP else errno.errorcode[e.errno])' 2>&1)
	tap_is "$got" EOPNOTSUPP "under no_tmpfile an O_TMPFILE open fails with EOPNOTSUPP"
	;;
esac

tap_done
exit 0
