#!/bin/bash
# hostile.sh — hostile input: paths with newlines, quotes, control bytes and
# invalid UTF-8 (logged losslessly: the JSON path, decoded with
# surrogateescape, is the exact bytes; the text line stays one line);
# paths of NAME_MAX/PATH_MAX and beyond (the kernel's ENAMETOOLONG kept);
# templates with too few X's; NULL where glibc accepts it; read-only
# templates (a SIGSEGV bare is a SIGSEGV under us); absurd environment
# values. Results are compared with the bare run.
. "$TG_SRCDIR/tests/lib.sh"

HOSTILE=$TG_HELPERS/hostile
[ -x "$HOSTILE" ] || tap_bail "helper not built: $HOSTILE"

fresh() { D=$(mktemp -d "$TG_STICKY/h.XXXXXX"); chmod 1777 "$D"; }

# same_as_bare DESC CMD...: harden and audit runs give bare's rc and stdout
same_as_bare() {
	local desc=$1 how want wrc
	shift
	tg_run bare "$@"
	want=$OUT wrc=$RC
	for how in harden audit; do
		tg_run "$how" "$@"
		if [ "$RC" = "$wrc" ] && [ "$OUT" = "$want" ]; then
			tap_ok "$desc ($how: rc=$RC, as bare)"
		else
			tap_not_ok "$desc ($how)" "bare rc=$wrc: $want" "$how rc=$RC: $OUT" "stderr: $ERR"
		fi
	done
}

# 1. hostile bytes in names, logged losslessly
names=(
	$'new\nline' 'dq"uote' "sq'uote" 'back\slash' $'tab\there' $'ctl\x01\x1b[31m'
	$'del\x7f' $'bad\xff\xfeutf8' $'over\xc0\xaflong' $'surr\xed\xa0\x80' 'ok-é-ü'
	$'trail\xe2\x82' ' lead space' '%s%n%x' '-dash'
)
i=0
for name in "${names[@]}"; do
	i=$((i + 1))
	fresh
	path=$D/$name
	hex=$(printf '%s' "$path" | od -An -tx1 | tr -d ' \n')
	label=$(printf '%q' "$name")
	tg_log "bytes$i"
	tg_run harden "$HOSTILE" open "$path"
	tap_is "$RC:$OUT" "0:open ok 0" "name $label: open succeeds under the library"
	if [ -e "$path" ]; then tap_ok "name $label: the file has exactly that name"
	else tap_not_ok "name $label: the file has exactly that name" "$(ls -b "$D")"; fi
	n=$("$TG_PY" "$TG_SRCDIR/tests/helpers/pathbytes.py" "$LOG" "$hex" 2>&1)
	tap_is "$n" 1 "name $label: one JSON line, its path decodes (surrogateescape) to the exact bytes"
	fresh
	path=$D/$name
	export TMPGUARD_FORMAT=text
	tg_log "text$i"
	tg_run harden "$HOSTILE" fopen "$path"
	export TMPGUARD_FORMAT=json
	lines=$(wc -l <"$LOG")
	ctl=$(tr -d '\n' <"$LOG" | LC_ALL=C grep -c '[[:cntrl:]]')
	tap_is "$RC:$lines:$ctl" "0:1:0" "name $label: text format gives one line without raw control bytes"
done

# 2. long paths
fresh
same_as_bare "a 255-byte name (NAME_MAX)" "$HOSTILE" long "$D" 255
same_as_bare "a 256-byte name: ENAMETOOLONG kept" "$HOSTILE" long "$D" 256
same_as_bare "a 5000-byte name" "$HOSTILE" long "$D" 5000
same_as_bare "a path of 2100 components (> PATH_MAX): ENAMETOOLONG kept" "$HOSTILE" deep "$D" 2100
tg_run harden "$HOSTILE" deep "$D" 2100
tap_is "$OUT" "open-deep fail 36" "the deep path fails with ENAMETOOLONG (36)"
# just under PATH_MAX through real directories
fresh
deep=$D
while [ ${#deep} -lt 3900 ]; do deep=$deep/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd; done
mkdir -p "$deep" && chmod 1777 "$deep"
tg_log nearmax
TMPGUARD_DIRS=$TG_STICKY:$deep tg_run harden "$HOSTILE" open "$deep/$(printf 'f%.0s' {1..150})"
tap_is "$RC:$OUT" "0:open ok 0" "a path of $((${#deep} + 151)) bytes in a shared directory: open succeeds"
tap_log "...and is logged in full" event=predictable-create path~"f{150}$"

# 3. templates with too few X's, NULL arguments, read-only templates
fresh
same_as_bare "templates with too few X's or none (EINVAL as bare)" "$HOSTILE" few-x "$D"
same_as_bare "NULL where glibc accepts it (tmpnam, tmpnam_r, tempnam, freopen)" "$HOSTILE" null
# (in a sanitized build ASan must leave SIGSEGV alone to compare)
_asan=${ASAN_OPTIONS-}
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0
for f in mktemp mkstemp mkdtemp; do
	same_as_bare "a read-only template (string literal) to $f" "$HOSTILE" "ro-$f"
done
if [ -n "$_asan" ]; then export ASAN_OPTIONS=$_asan; else unset ASAN_OPTIONS; fi
rm -rf /tmp/tg-ro-??????

# 4. absurd environment values: the program runs as bare; at most one
# complaint per variable
fresh
big=$(head -c 100000 /dev/zero | tr '\0' 'x')
bigdirs=$(for ((k = 0; k < 5000; k++)); do printf '/d%d:' "$k"; done)
envs=(
	"TMPGUARD_DIRS=$bigdirs$D"
	"TMPGUARD_DIRS=/$big"
	$'TMPGUARD_DIRS=\x01\xff:relative:/tmp/\n:'
	"TMPGUARD_MODE=$big"
	$'TMPGUARD_MODE=harden\xff'
	$'TMPGUARD_FORMAT=\x1b[2J'
	"TMPGUARD_LOG=/$big"
	$'TMPGUARD_LOG=\x01\x02'
	"TMPGUARD_HANDSHAKE=$big"
	'TMPGUARD_HANDSHAKE=@'
	"TMPGUARD_SYSLOG_SOCKET=/$big"
	"TMPDIR=$big"
)
# relative values (TMPGUARD_LOG=\x01\x02) land in the cwd: keep it private
cd "$D" || tap_bail "cannot enter $D"
tg_run bare "$HOSTILE" open "$D/envbare"
want=$OUT
k=0
for e in "${envs[@]}"; do
	k=$((k + 1))
	label=$(printf '%q' "${e:0:40}")
	rm -f "$D/env$k"
	# the variable set by the env that preloads (a second env, preloaded
	# too, would complain as well before it execs the program)
	tg_run harden "$e" "$HOSTILE" open "$D/env$k"
	n=$(grep -c '^tmpguard: [^0-9]' <<<"$ERR")
	if [ "$RC" = 0 ] && [ "$OUT" = "$want" ] && [ -e "$D/env$k" ] && [ "$n" -le 3 ]; then
		tap_ok "absurd environment $label: runs as bare"
	else
		tap_not_ok "absurd environment $label: runs as bare" "rc=$RC out=$OUT" "stderr: ${ERR:0:600}"
	fi
done
cd "$TG_BUILDDIR" || true

tap_done
