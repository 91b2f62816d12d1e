"""log_fields.py LOG EXE UID PID PID2 -- the fields of a JSON log, checked.

Every line has the keys ts, pid, uid, exe, event, func, path, action,
caller, mode first and in that order; ts is now (UTC, microseconds); pid is
PID or PID2; uid, exe and mode (harden) are the run's; caller is
MODULE+0xOFFSET; errno 13 and error EACCES on a blocked line and only there;
the log has a hijack-blocked and a predictable-create line. Prints "fine",
else one problem per line. Used by tests/log.sh.
"""
import json, re, sys, time
log, exe, uid, pid, pid2 = sys.argv[1:6]
lines = [json.loads(l) for l in open(log, encoding="utf-8", errors="surrogateescape")]
head = ["ts", "pid", "uid", "exe", "event", "func", "path", "action", "caller", "mode"]
problems = []
for o in lines:
    keys = list(o)
    if keys[:len(head)] != head:
        problems.append("keys %s" % keys)
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", o.get("ts", "")):
        problems.append("ts %r" % o.get("ts"))
    else:
        t = time.mktime(time.strptime(o["ts"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        if abs(t - time.time()) > 300:
            problems.append("ts %s is not now" % o["ts"])
    if o.get("pid") not in (int(pid), int(pid2)): problems.append("pid %r" % o.get("pid"))
    if o.get("uid") != int(uid): problems.append("uid %r" % o.get("uid"))
    if o.get("exe") != exe: problems.append("exe %r" % o.get("exe"))
    if not re.fullmatch(r"/.+\+0x[0-9a-f]+", o.get("caller", "")):
        problems.append("caller %r" % o.get("caller"))
    if o.get("mode") != "harden": problems.append("mode %r" % o.get("mode"))
    blocked = o.get("action") == "blocked"
    if blocked and not (o.get("errno") == 13 and o.get("error") == "EACCES"):
        problems.append("blocked without errno 13/EACCES: %r" % o)
    if not blocked and ("errno" in o or "error" in o):
        problems.append("errno on a line that is not blocked: %r" % o)
events = sorted(o["event"] for o in lines)
if "hijack-blocked" not in events or "predictable-create" not in events:
    problems.append("events %s" % events)
print("\n".join(problems) if problems else "fine")
