#!/bin/bash
# tmpguard report: aggregation of real logs (JSON and text lines), path
# folding, malformed lines, unreadable logs, and SARIF 2.1.0 structure.
# shellcheck source=tests/lib.sh
. "$TG_SRCDIR/tests/lib.sh"

S=$TG_STICKY
J=$TG_LOGDIR/events.json
T=$TG_LOGDIR/events.txt

# report FORMAT LOG...: sets RC, OUT (stdout), ERR (stderr).
report() {
	timeout -k 2 "$TG_TIMEOUT" "$TG_CMD" report --format="$1" "${@:2}" \
		>"$TG_WORK/.rout" 2>"$TG_WORK/.rerr" </dev/null
	RC=$?
	OUT=$(cat "$TG_WORK/.rout")
	ERR=$(cat "$TG_WORK/.rerr")
	_tg_last_run="report $* -> rc=$RC
stdout: $OUT
stderr: $ERR"
}
# q PYEXPR: evaluates PYEXPR with d = the JSON document in $OUT.
q() {
	printf '%s' "$OUT" | "$TG_PY" -c 'import json,sys
d=json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1" 2>&1
}

# Real logs: the same predictable fopen twice with cob-style names (JSON),
# once more in text format, and a tmpnam user.
for n in 1234 5678; do
	timeout 20 "$TG_CMD" run --mode=audit --format=json --log="$J" -- \
		"$LEGACY" fopen "$S/cob${n}_0.c" w >/dev/null 2>&1
done
timeout 20 "$TG_CMD" run --mode=harden --format=text --log="$T" -- \
	"$LEGACY" fopen "$S/cob42_7.c" w >/dev/null 2>&1
timeout 20 "$TG_CMD" run --mode=harden --format=text --log="$T" -- \
	"$LEGACY" tmpnam-fopen w >"$TG_WORK/.tmpnam" 2>&1
NAME=$(sed -n 's/^NAME //p' "$TG_WORK/.tmpnam")
[ -n "$NAME" ] && tg_cleanup_later "$NAME"
[ -s "$J" ] && [ -s "$T" ] || tap_bail "no logs were written"

report json "$J"
tap_is "$RC" 0 "json: exit 0"
tap_is "$(q 'd["events"]')" 2 "json: two events from the JSON log"
tap_is "$(q 'len(d["findings"])')" 1 "json: cob1234_0.c and cob5678_0.c are one finding"
tap_like "$(q 'd["findings"][0]["pattern"]')" '/cob#_#\.c$' "json: digits folded in the pattern"
tap_is "$(q 'd["findings"][0]["count"]')" 2 "json: the finding counts both"
tap_like "$(q 'd["findings"][0]["caller"]')" '/tests/helpers/legacy\+0x[0-9a-f]+$' \
	"json: call site is module+offset"
tap_is "$(q 'd["by_program"]["'"$LEGACY"'"]')" 2 "json: counted by program"

report json "$J" "$T"
tap_is "$(q 'd["events"]')" 5 "json+text logs: five events"
tap_is "$(q '[f["count"] for f in d["findings"] if f["event"]=="predictable-create"][0]')" 3 \
	"text lines parse to the same finding as JSON lines"
tap_is "$(q 'd["by_event"].get("unsafe-name")')" 1 "text: tmpnam's unsafe-name counted"
tap_like "$(q '[f["pattern"] for f in d["findings"] if f["func"]=="tmpnam"][0]')" '^/tmp/\*$' \
	"random tmpnam name folded to *"

report text "$J" "$T"
tap_is "$RC" 0 "text: exit 0"
tap_like "$OUT" 'predictable-create' "text: lists the event"
tap_like "$OUT" 'cob#_#\.c' "text: lists the folded pattern"
tap_like "$OUT" '5 events from 2 log' "text: totals"

# Folding rules on hand-written lines (documented in tmpguard(1)).
F=$TG_LOGDIR/fold.json
line() { printf '{"ts":"2026-11-23T10:52:01.123456Z","pid":1,"uid":0,"exe":"/usr/bin/x","event":"predictable-create","func":"open","path":"%s","action":"logged","caller":"/usr/bin/x+0x10","mode":"audit"}\n' "$1"; }
{ line /tmp/sh-thd.AbC123; line /tmp/sh-thd.Zq9x0P; line /tmp/ccx81bQ.s; line /tmp/report-2026-11-23.txt
  line '/tmp/bad\udcffname'; } >"$F"
report json "$F"
tap_is "$(q 'sorted(d["by_pattern"].items())')" \
	"[('/tmp/*.s', 1), ('/tmp/bad\\udcffname', 1), ('/tmp/report-#-#-#.txt', 1), ('/tmp/sh-thd.*', 2)]" \
	"folding: random runs to *, digit runs to #, other bytes kept"

# Malformed lines: counted, reported, never a crash.
M=$TG_LOGDIR/mixed.log
{ cat "$J"; echo '{"ts":"x","event":"predictable-create"'; echo '{"event":"no-such-event","exe":"/x","func":"open","path":"/tmp/a","action":"logged","caller":"0x1"}'
  echo 'tmpguard: 2026-11-23T10:52:01.123456Z garbage'; printf '\x00\xff\xfe{{{\n'
  echo 'plain program output'; echo '{"path":"\ud800"}'; head -c 300 /dev/urandom | tr -d '\n'; echo; } >"$M"
report json "$M"
tap_is "$RC" 0 "malformed lines: still exit 0"
tap_is "$(q 'd["events"]')" 2 "malformed lines: the good events are kept"
tap_like "$(q 'd["malformed_lines"]')" '^[56]$' "malformed lines: counted"
tap_like "$ERR" 'malformed line' "malformed lines: said on stderr"

# Unreadable logs, usage.
report json "$J" "$TG_WORK/no-such.log"
tap_is "$RC" 2 "a missing log: exit 2"
tap_is "$(q 'd["events"]')" 2 "a missing log: the other logs still reported"
tap_like "$ERR" 'no-such\.log' "a missing log: named on stderr"
"$TG_CMD" report - <"$J" >"$TG_WORK/.stdin" 2>/dev/null
tap_like "$(cat "$TG_WORK/.stdin")" '^2 events' "'-' reads stdin"
timeout 5 "$TG_CMD" report >/dev/null 2>&1
tap_is "$?" 125 "no LOG: usage error 125"
timeout 5 "$TG_CMD" report --format=xml "$J" >/dev/null 2>&1
tap_is "$?" 125 "bad --format: usage error 125"

# SARIF 2.1.0, checked structurally (no network for a schema download).
report sarif "$J" "$T"
tap_is "$RC" 0 "sarif: exit 0"
SARIF_CHECK='
import json, sys
d = json.loads(sys.stdin.read())
err = []
def need(c, m):
    if not c: err.append(m)
need(d.get("version") == "2.1.0", "version")
need("sarif-2.1.0" in d.get("$schema", ""), "$schema")
need(isinstance(d.get("runs"), list) and len(d["runs"]) == 1, "runs")
run = d["runs"][0]
drv = run["tool"]["driver"]
need(drv.get("name") == "tmpguard" and isinstance(drv.get("version"), str), "driver")
rules = drv.get("rules", [])
ids = [r["id"] for r in rules]
need(ids == ["unsafe-name","predictable-create","race-blocked","hijack-blocked","hijack-detected","rewritten","unjudged"], "rule ids %r" % ids)
for r in rules:
    need(isinstance(r.get("shortDescription", {}).get("text"), str), "rule text")
res = run.get("results")
need(isinstance(res, list) and len(res) == 3, "3 results")
keys = set()
for x in res:
    need(x["ruleId"] in ids, "ruleId")
    need(ids[x["ruleIndex"]] == x["ruleId"], "ruleIndex")
    want = "error" if x["ruleId"].startswith("hijack-") or x["ruleId"] == "race-blocked" else "warning"
    need(x["level"] == want, "level")
    need(x["level"] in ("none","note","warning","error"), "level value")
    need(isinstance(x["message"]["text"], str) and x["message"]["text"], "message")
    loc = x["locations"][0]
    pl = loc["physicalLocation"]
    need(isinstance(pl["artifactLocation"]["uri"], str), "uri")
    need("region" in pl or "address" in pl, "region or address")
    if "region" in pl:
        need(isinstance(pl["region"]["startLine"], int) and pl["region"]["startLine"] >= 1, "startLine")
    if "address" in pl:
        need(isinstance(pl["address"]["relativeAddress"], int), "relativeAddress")
    need("+0x" in loc["logicalLocations"][0]["fullyQualifiedName"], "logical location")
    keys.add(json.dumps(x["partialFingerprints"]))
need(len(keys) == len(res), "distinct findings")
print("; ".join(err) if err else "valid")
'
tap_is "$(printf '%s' "$OUT" | "$TG_PY" -c "$SARIF_CHECK" 2>&1)" valid \
	"sarif: 2.1.0 structure (schema, driver, one rule per event, results, levels, locations)"
if grep -q '^#define HAVE_LIBDW 1' "$TG_BUILDDIR/config.h" 2>/dev/null; then
	tap_like "$(printf '%s' "$OUT" | "$TG_PY" -c 'import json,sys
d=json.load(sys.stdin)
for x in d["runs"][0]["results"]:
    pl=x["locations"][0]["physicalLocation"]
    if "region" in pl: print(pl["artifactLocation"]["uri"], pl["region"]["startLine"])' 2>&1)" \
		'file:///.*/legacy\.c [0-9]+' "sarif: source file and line from DWARF (libdw)"
else
	tap_skip "sarif: source file and line from DWARF (libdw)" "built without libdw"
fi

tap_done
