"""pathbytes.py LOG HEX -- how many JSON lines of LOG have the path HEX.

HEX is the path's bytes in hexadecimal; a line's path is compared after
decoding it back to bytes (UTF-8 with surrogateescape), so a path that is
not valid UTF-8 must come back byte for byte. Every line must itself be
valid UTF-8 JSON. Used by tests/hostile.sh.
"""
import json, sys
log, want = sys.argv[1], bytes.fromhex(sys.argv[2])
n = 0
for raw in open(log, "rb").read().split(b"\n"):
    if not raw: continue
    o = json.loads(raw.decode("utf-8"))   # the line itself is valid UTF-8
    if o.get("path", "").encode("utf-8", "surrogateescape") == want: n += 1
print(n)
