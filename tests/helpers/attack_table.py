"""attack_table.py COMMITTED GENERATED -- compare two attack results tables.

One line per row of either table, RESULT<TAB>DESC<TAB>DIAG, RESULT being ok,
not ok or skip: every committed row must have been produced by this run with
the same outcomes, and every row produced must be committed. Machine-specific
parts (race counts, the kernel's fs.protected_* settings, rows a victim that
did not run could not produce) are compared normalized or skipped. Used by
tests/attack/table.sh.
"""
import re, sys
def rows(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        if not line.startswith("| ") or line.startswith("| attack |"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 5:
            out[(cells[0], cells[1])] = cells[2:]
    return out
def norm(c):
    c = re.sub(r"\d+ of (\d+)( here)?", r"K of \1", c)
    c = re.sub(r"\(fs\.protected_[^)]*\)", "(sysctls)", c)
    c = re.sub(r" \(planted by root[^)]*\)", "", c)
    return c
committed, gen = rows(sys.argv[1]), rows(sys.argv[2])
notrun = ["%s: %s" % (k[1], v[0]) for k, v in gen.items() if v[0].startswith("not run")]
n = 0
for key, want in committed.items():
    n += 1
    got = gen.get(key)
    name = "%s / %s" % key
    if got is None and notrun:
        print("skip\tcommitted row produced by this run: %s\t%s" % (name, "; ".join(notrun)))
        continue
    if got is None:
        print("not ok\tcommitted row produced by this run: %s\tthis run produced no such row: regenerate docs/attack-results.md" % name)
        continue
    bad = [m for m, w, g in zip(("bare", "audit", "harden"), want, got)
           if norm(w) != norm(g)
           and not (m == "bare" and ("blocked by the kernel" in w + g))
           and not (m in ("bare", "audit") and "never won" in w + g)]
    if bad:
        print("not ok\tcommitted row matches this run: %s\t%s" % (name, "; ".join(
            "%s: committed '%s', this run '%s'" % (m, w, g)
            for m, w, g in zip(("bare", "audit", "harden"), want, got))))
    else:
        note = "" if want == got else " (machine-specific parts differ)"
        print("ok\tcommitted row matches this run: %s%s\t" % (name, note))
for key in gen:
    if key not in committed and gen[key][0].startswith("not run"):
        print("skip\tvictim run: %s\t%s" % (key[1], gen[key][0]))
    elif key not in committed:
        n += 1
        print("not ok\trow of this run is in the committed table: %s / %s\tregenerate docs/attack-results.md from tests/attack/results.md" % key)
