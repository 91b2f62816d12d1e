"""dropin_env.py DROPIN -- the Environment= values of a systemd drop-in.

Reads DROPIN as systemd would (a [Service] section of Environment="..."
lines: C escapes, \\xNN, %% for %) and writes each assignment followed by a
NUL. Exits non-zero on anything else: a key outside [Service], another key,
an unquoted assignment. Used by tests/deploy-systemd.sh.
"""
import re, sys
out = []
sect = None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line or line[0] in "#;": continue
    if line.startswith("["): sect = line; continue
    k, v = line.split("=", 1)
    if sect != "[Service]": sys.exit("key outside [Service]: " + line)
    if k.strip() != "Environment": sys.exit("unexpected key " + k)
    v = v.strip()
    if v.startswith("\"") and v.endswith("\""): v = v[1:-1]
    else: sys.exit("unquoted assignment: " + v)
    esc = {"\\": "\\", "\"": "\"", "n": "\n", "t": "\t", "a": "\a"}
    v = re.sub(r"\\(x[0-9a-fA-F]{2}|.)",
               lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "x" else esc[m.group(1)], v)
    v = v.replace("%%", "%")
    out.append(v)
sys.stdout.write("".join(a + "\0" for a in out))
