#!/bin/bash
# deploy-secure.sh — secure execution (setuid, AT_SECURE), for real: a
# setuid-root copy of the legacy helper run by an unprivileged user, with the
# library preloaded the only way glibc allows for such a program (a bare
# soname in LD_PRELOAD, found in a trusted directory, library file set-user-
# ID). The environment must not choose a file to write (TMPGUARD_LOG=FILE
# ignored, events to syslog), TMPGUARD_MODE=audit must be ignored, and the
# program must still be protected (a planted link refused).
#
# Touches the live system, briefly and trap-protected: a uniquely named copy
# of the library in /usr/lib/<multiarch>/ (removed at exit) and, only when
# /dev/log does not exist, a listener bound there (removed at exit).
set -u
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

LISTEN=$TG_SRCDIR/tests/helpers/deploy_listen.py

skip_all() {
	local d
	for d in "library loaded into the setuid program" "planted link refused (harden kept)" \
		"link target untouched" "TMPGUARD_LOG file not created" \
		"TMPGUARD_MODE=audit ignored message" "events to syslog" "controls"; do
		tap_skip "secure execution: $d" "$1"
	done
	tap_done
	exit 0
}

tg_attacker_setup || skip_all "$TG_ATT_WHY"
MA=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
TRUSTED=/usr/lib/$MA
[ -n "$MA" ] && [ -d "$TRUSTED" ] || skip_all "no multiarch library directory ($TRUSTED)"
findmnt -n -o OPTIONS -T "$TG_WORK" | grep -qw nosuid &&
	skip_all "$TG_WORK is on a nosuid mount"

# --- the live-system pieces, removed at exit ---------------------------------
SONAME=libtmpguard-securetest-$$.so
SECLIB=$TRUSTED/$SONAME
[ -e "$SECLIB" ] && tap_bail "$SECLIB exists already"
# a sanitized build: the ASan runtime must come first, and a secure process
# preloads only set-user-ID objects from the trusted directories, by name
SECASAN=
SECPRELOAD=$SONAME
if [ -n "$TG_ASAN_RT" ]; then
	SECASAN=$TRUSTED/libasan-securetest-$$.so
	SECPRELOAD="$(basename "$SECASAN") $SONAME"
fi
DEVLOG=
LPID=
secure_cleanup() {
	rm -f -- "$SECLIB" ${SECASAN:+"$SECASAN"}
	if [ -n "$LPID" ]; then
		tg_kill_job "$LPID"
		wait "$LPID" 2>/dev/null
	fi
	[ -n "$DEVLOG" ] && [ -S /dev/log ] && rm -f /dev/log
	tg_cleanup
}
trap secure_cleanup EXIT
install -o root -g root -m 4755 "$TG_LIB" "$SECLIB" || tap_bail "cannot install $SECLIB"
if [ -n "$SECASAN" ]; then
	install -o root -g root -m 4755 "$TG_ASAN_RT" "$SECASAN" || tap_bail "cannot install $SECASAN"
fi

MSGS=$TG_WORK/devlog.msgs
if [ ! -e /dev/log ]; then
	timeout -k 2 30 "$TG_PY" "$LISTEN" syslog /dev/log "$MSGS" 25 &
	LPID=$!
	DEVLOG=1
	for _ in $(seq 200); do [ -e "$MSGS.ready" ] && break; sleep 0.05; done
	[ -e "$MSGS.ready" ] || DEVLOG=
fi

# --- the setting --------------------------------------------------------------
SUID=$TG_WORK/suid
mkdir -m 0755 "$SUID"
install -o root -g root -m 4755 "$LEGACY" "$SUID/legacy"
WW=$TG_WORK/ww # world-writable, not sticky: fs.protected_symlinks does not apply
mkdir "$WW"
chmod 0777 "$WW"
SECRET=$TG_WORK/root-secret
printf 'PRECIOUS\n' >"$SECRET"
chmod 0644 "$SECRET"
LOGDIR=$TG_WORK/rootlogs # only root can write here
mkdir -m 0755 "$LOGDIR"
EVIL=$LOGDIR/chosen-by-the-environment.log
tg_as_attacker ln -s "$SECRET" "$WW/planted" || tap_bail "attacker cannot plant"

# as_user ENV... -- CMD...: run as tgattacker with that environment; RC OUT ERR.
as_user() {
	local -a env=()
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	timeout -k 2 "$TG_TIMEOUT" setpriv --reuid="$TG_ATT_UID" --regid="$TG_ATT_GID" \
		--clear-groups -- env -i PATH=/usr/bin:/bin $TG_SAN_ENV "${env[@]}" "$@" \
		>"$TG_WORK/.out" 2>"$TG_WORK/.err" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.out")
	ERR=$(cat "$TG_WORK/.err")
	_tg_last_run="[as $TG_ATTACKER: ${env[*]}] $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}

# --- 1. the setuid program under the library, hostile environment -----------
as_user LD_PRELOAD="$SECPRELOAD" TMPGUARD_MODE=audit TMPGUARD_LOG="$EVIL" \
	TMPGUARD_FORMAT=json TMPGUARD_SYSLOG_SOCKET="$TG_WORK/evil.sock" \
	TMPGUARD_JOURNAL_SOCKET="$TG_WORK/evil2.sock" -- "$SUID/legacy" fopen "$WW/planted" w
tap_like "$ERR" "secure-execution" "secure execution: library loaded into the setuid program (it says so on stderr)"
tap_is "$(tg_result)" "ERR EACCES" "secure execution: planted link refused although TMPGUARD_MODE=audit (harden kept)"
tap_is "$(tg_content "$SECRET")" PRECIOUS "secure execution: link target untouched"
tap_is "$(tg_type "$EVIL")" missing "secure execution: TMPGUARD_LOG file not created"
tap_like "$ERR" "TMPGUARD_MODE=audit ignored" "secure execution: TMPGUARD_MODE=audit ignored message"
if [ -n "$DEVLOG" ]; then
	sleep 0.3
	touch "$MSGS.stop"
	wait "$LPID"
	LPID=
	got=$("$TG_PY" -c '
import json, sys
m = [json.loads(l) for l in open(sys.argv[1])]
print(sorted(set(e for o in m for e in ("predictable-create", "hijack-blocked") if e in o.get("msg", ""))))' "$MSGS" 2>&1)
	tap_is "$got" "['hijack-blocked', 'predictable-create']" \
		"secure execution: events to syslog (/dev/log), not to the sockets the environment named"
else
	tap_skip "secure execution: events to syslog" "/dev/log exists (a real syslog daemon): not intercepted"
fi

# --- 2. controls: the same environment does act where it may ---------------
# without the library, the setuid program follows the link: the refusal above is tmpguard's
cp "$SECRET" "$TG_WORK/secret.bak"
as_user -- "$SUID/legacy" fopen "$WW/planted" w
c1="$(tg_result) $(tg_content "$SECRET" | tr -d '\n')"
cp "$TG_WORK/secret.bak" "$SECRET"
# not secure (no setuid bit): the same hostile variables are honoured
cp "$LEGACY" "$SUID/legacy-plain"
chmod 0755 "$SUID/legacy-plain"
chmod 0777 "$LOGDIR"
# (a new file in the world-writable directory: a predictable creation, logged;
# the link above is the attacker's own, which the attacker may use)
as_user LD_PRELOAD="$TG_PRELOAD" TMPGUARD_MODE=audit TMPGUARD_LOG="$EVIL" TMPGUARD_FORMAT=json \
	-- "$SUID/legacy-plain" fopen "$WW/attackers-own" w
c2="$(tg_result) $(tg_type "$EVIL")"
chmod 0755 "$LOGDIR"
tap_is "$c1 | $c2" "OK VICTIM-DATA | OK regular file" \
	"secure execution: controls (no library: link followed; not setuid: the log file is written)"

tap_done
exit 0
