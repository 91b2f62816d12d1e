#!/bin/bash
# deploy-systemd.sh — `tmpguard env --systemd` as an operator uses it: the
# drop-in next to a service unit passes `systemd-analyze verify` (offline, no
# systemd as PID 1 needed), and the unit's ExecStart run with exactly the
# drop-in's environment (its Environment= lines parsed here the way systemd
# reads them) behaves as under `tmpguard run`: same outcome, same events.
# (--log=journal, to a real journald: tests/deploy-journald.sh)
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
UNITS=$TG_WORK/units
mkdir -p "$UNITS/demo.service.d"
TARGET=$TG_WORK/target
printf 'PRECIOUS\n' >"$TARGET"

# The drop-in's environment, as systemd.exec(5)/systemd.syntax(7) read
# Environment=: whitespace-separated words, double quotes with C escapes
# (\\ \" \xHH \n ...), "%%" for a literal "%". Prints NAME=VALUE\0 ...
DROPIN_ENV=$TG_SRCDIR/tests/helpers/dropin_env.py

if ! command -v systemd-analyze >/dev/null; then
	tap_skip "systemd-analyze verify accepts the unit with the drop-in" \
		"systemd-analyze not installed (Debian package systemd)"
	HAVE_SA=0
else
	HAVE_SA=1
fi

# verify UNITFILE: systemd-analyze verify offline, the drop-in directory
# found through SYSTEMD_UNIT_PATH. Sets VRC and VOUT.
verify() {
	VOUT=$(SYSTEMD_UNIT_PATH="$UNITS:" timeout -k 2 30 \
		systemd-analyze verify --man=no --recursive-errors=no "$1" 2>&1)
	VRC=$?
	if [[ $VOUT == *"unrecognized option"* ]]; then
		VOUT=$(SYSTEMD_UNIT_PATH="$UNITS:" timeout -k 2 30 \
			systemd-analyze verify --man=no "$1" 2>&1)
		VRC=$?
	fi
}

# --- 1. the generated drop-in, a unit, systemd-analyze verify ----------------
SVCLOG=$TG_LOGDIR/service.log
DROPIN=$UNITS/demo.service.d/tmpguard.conf
"$TG_CMD" env --systemd --format=json --log="$SVCLOG" --dirs="$S" >"$DROPIN"
tap_is "$?" 0 "tmpguard env --systemd exits 0"
tap_like "$(grep -v '^#' "$DROPIN" | head -n 1)" '^\[Service\]$' "the drop-in is a [Service] section"
tap_like "$(grep -c '^Environment="LD_PRELOAD=/' "$DROPIN")" '^1$' "the drop-in preloads the library by absolute path"

cat >"$UNITS/demo.service" <<EOF
[Unit]
Description=tmpguard test service (a legacy program writing a predictable file)

[Service]
Type=oneshot
ExecStart=$LEGACY fopen $S/demo-out w
PrivateTmp=yes
NoNewPrivileges=yes

[Install]
WantedBy=multi-user.target
EOF
if [ "$HAVE_SA" = 1 ]; then
	verify "$UNITS/demo.service"
	tap_is "$VRC" 0 "systemd-analyze verify accepts the unit with the drop-in"
	tap_is "$(grep -c 'tmpguard.conf' <<<"$VOUT")" 0 "systemd-analyze verify: no warning about the drop-in"
	[ "$VRC" = 0 ] || tap_diag "$VOUT"
	# negative control: verify does read the drop-in (a bad key is reported)
	cp "$DROPIN" "$TG_WORK/dropin.good"
	printf 'Environment="BROKEN\nNotAKey=1\n' >>"$DROPIN"
	verify "$UNITS/demo.service"
	tap_like "$VOUT" "tmpguard.conf:[0-9]+: .*(Invalid|Unknown)" \
		"control: systemd-analyze verify reads the drop-in (reports a damaged copy)"
	cp "$TG_WORK/dropin.good" "$DROPIN"
	# special characters survive systemd's quoting: a log path with %, ", \ and a space
	odd=$TG_WORK/'odd %h "q" \b dir'
	mkdir "$odd"
	"$TG_CMD" env --systemd --log="$odd/x.log" >"$UNITS/demo.service.d/odd.conf"
	verify "$UNITS/demo.service"
	tap_is "$VRC:$(grep -c 'odd.conf' <<<"$VOUT")" "0:0" "systemd-analyze verify accepts a drop-in whose log path has %, quotes, backslash and spaces"
	rm -f "$UNITS/demo.service.d/odd.conf"
	# UTF-8 and a newline are fine for systemd (written \x0a)
	odd2=$TG_WORK/$'caf\xc3\xa9\nline'
	mkdir "$odd2"
	"$TG_CMD" env --systemd --log="$odd2/x.log" >"$UNITS/demo.service.d/odd.conf"
	verify "$UNITS/demo.service"
	tap_is "$VRC:$(grep -c 'odd.conf' <<<"$VOUT")" "0:0" "systemd-analyze verify accepts a log path with UTF-8 and a newline"
	got=0
	mapfile -d '' -t vals < <("$TG_PY" "$DROPIN_ENV" "$UNITS/demo.service.d/odd.conf")
	for v in "${vals[@]}"; do [ "$v" = "TMPGUARD_LOG=$odd2/x.log" ] && got=$((got + 1)); done
	tap_is "$got" 1 "... and the value round-trips"
	rm -f "$UNITS/demo.service.d/odd.conf"
else
	tap_skip "systemd-analyze verify accepts UTF-8 and a newline" "systemd-analyze not installed"
	tap_skip "... and the value round-trips" "systemd-analyze not installed"
	tap_skip "systemd-analyze verify: no warning about the drop-in" "systemd-analyze not installed"
	tap_skip "control: systemd-analyze verify reads the drop-in" "systemd-analyze not installed"
	tap_skip "systemd-analyze verify accepts odd log paths" "systemd-analyze not installed"
fi
got=$("$TG_CMD" env --systemd --log="$TG_WORK/a%b \"c\" \\d.log" | "$TG_PY" "$DROPIN_ENV" /dev/stdin | tr '\0' '\n' | grep '^TMPGUARD_LOG=')
tap_is "$got" "TMPGUARD_LOG=$TG_WORK/a%b \"c\" \\d.log" "drop-in quoting round-trips %, quotes and backslash"

# systemd ignores a line that is not UTF-8: env --systemd refuses to write it
bad=$TG_WORK/$'bad\xff'
mkdir "$bad"
out=$("$TG_CMD" env --systemd --log="$bad/x.log" 2>"$TG_WORK/bad.err")
rc=$?
tap_is "$rc:$out" "125:" "env --systemd refuses a value that is not UTF-8 (exit 125, nothing on stdout)"
tap_like "$(cat "$TG_WORK/bad.err")" "not valid UTF-8" "... and says why"
out=$("$TG_CMD" env --log="$bad/x.log" 2>/dev/null)
tap_is "$?" 0 "env (shell form) still accepts that path"

# --- 2. ExecStart with the drop-in's environment vs tmpguard run -------------
mapfile -d '' -t ENVV < <("$TG_PY" "$DROPIN_ENV" "$DROPIN")
tap_is "${#ENVV[@]}" 5 "the drop-in sets 5 variables (LD_PRELOAD, MODE, FORMAT, LOG, DIRS)"
EXECSTART=$(sed -n 's/^ExecStart=//p' "$UNITS/demo.service")
read -r -a CMD <<<"$EXECSTART"

# scenario NAME: run ExecStart both ways; a planted link for "planted".
# Sets SVC_* (drop-in environment) and RUN_* (tmpguard run).
scenario() {
	local how
	for how in svc run; do
		rm -f "$S/demo-out" "$SVCLOG" "$TG_LOGDIR/run.log"
		[ "$1" = planted ] && ln -s "$TARGET" "$S/demo-out" && tg_foreign "$S/demo-out"
		if [ $how = svc ]; then
			# a service starts with a clean environment plus the unit's
			timeout -k 2 "$TG_TIMEOUT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $TG_SAN_ENV \
				"${ENVV[@]}" "${CMD[@]}" >"$TG_WORK/svc.out" 2>&1 </dev/null
		else
			timeout -k 2 "$TG_TIMEOUT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $TG_SAN_ENV \
				"$TG_CMD" run --format=json --log="$TG_LOGDIR/run.log" --dirs="$S" \
				-- "${CMD[@]}" >"$TG_WORK/svc.out" 2>/dev/null </dev/null
		fi
		local rc=$? log=$SVCLOG
		[ $how = run ] && log=$TG_LOGDIR/run.log
		local res
		res=$(grep -E '^(OK|ERR)' "$TG_WORK/svc.out" | sed 's/ pid=[0-9]*//; s/fd=[0-9]*/fd/')
		local ev
		ev=$("$TG_PY" -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    print(o["event"], o["func"], o["path"], o["action"], o["mode"], o.get("errno", "-"))' "$log" 2>&1 | sort)
		local st
		st="$(tg_type "$S/demo-out") $(tg_mode "$S/demo-out")"
		printf -v "${how^^}_RC" '%s' "$rc"
		printf -v "${how^^}_RES" '%s' "$res"
		printf -v "${how^^}_EV" '%s' "$ev"
		printf -v "${how^^}_ST" '%s' "$st"
	done
}

scenario plain
tap_is "$SVC_RES / $SVC_ST" "OK fd errno=0 / regular file 600" "service environment: the creation is hardened (mode 0600)"
tap_like "$SVC_EV" "^predictable-create fopen $S/demo-out hardened harden -$" "service environment: predictable-create logged to the drop-in's log"
tap_is "$SVC_RC|$SVC_RES|$SVC_ST|$SVC_EV" "$RUN_RC|$RUN_RES|$RUN_ST|$RUN_EV" "service environment and tmpguard run: same status, result, file and events"

scenario planted
tap_is "$SVC_RES" "ERR errno=13 EACCES" "service environment: a planted link is refused"
tap_is "$(tg_content "$TARGET")" PRECIOUS "service environment: the link's target is untouched"
tap_like "$SVC_EV" "hijack-blocked fopen $S/demo-out blocked harden 13" "service environment: hijack-blocked logged with errno 13"
tap_is "$SVC_RC|$SVC_RES|$SVC_ST|$SVC_EV" "$RUN_RC|$RUN_RES|$RUN_ST|$RUN_EV" "planted link: service environment and tmpguard run agree"

# (a drop-in logging to the journal: tests/deploy-journald.sh, with a real
# systemd-journald)

tap_done
exit 0
