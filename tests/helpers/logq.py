"""logq.py LOG FILTER... -- count the JSON lines of LOG that match every FILTER.

A filter is KEY=VALUE (equal as text), KEY~ERE (re.search), KEY? (present)
or KEY! (absent); numbers compare by their JSON text. Prints the count, or
"N invalid=M" when M lines are not JSON. A missing LOG counts 0.
Used by tests/lib.sh (tg_log_count, tap_log ...).
"""
import json
import re
import sys


def match(o, f):
    for op in ("=", "~"):
        if op in f:
            k, v = f.split(op, 1)
            if k not in o:
                return False
            x = o[k]
            s = x if isinstance(x, str) else json.dumps(x)
            return s == v if op == "=" else re.search(v, s) is not None
    if f.endswith("?"):
        return f[:-1] in o
    if f.endswith("!"):
        return f[:-1] not in o
    raise SystemExit("bad filter " + f)


path, filters = sys.argv[1], sys.argv[2:]
n = bad = 0
try:
    lines = open(path, "rb").read().split(b"\n")
except FileNotFoundError:
    lines = []
for raw in lines:
    if not raw:
        continue
    try:
        o = json.loads(raw.decode("utf-8"))
    except Exception:
        bad += 1
        continue
    if all(match(o, f) for f in filters):
        n += 1
print(n if not bad else "%d invalid=%d" % (n, bad))
