# program: python3
# package: python3.11-minimal
# requires: /usr/bin/python3
# temp: tempfile.mkstemp, NamedTemporaryFile, TemporaryFile (O_TMPFILE), TemporaryDirectory, the deprecated tempfile.mktemp, and a predictable open('/tmp/name.<pid>', 'w')
/usr/bin/python3 - <<'PY'
import os, tempfile
fd, p = tempfile.mkstemp(suffix=".dat")
os.write(fd, b"mkstemp\n"); os.close(fd)
print(open(p).read().strip(), os.path.dirname(p) == tempfile.gettempdir())
with tempfile.NamedTemporaryFile("w+", delete=True) as f:
    f.write("named\n"); f.flush(); f.seek(0); print(f.read().strip())
with tempfile.TemporaryFile("w+") as f:
    f.write("anonymous\n"); f.seek(0); print(f.read().strip())
with tempfile.TemporaryDirectory() as d:
    open(os.path.join(d, "x"), "w").write("in dir\n")
    print(open(os.path.join(d, "x")).read().strip())
name = tempfile.mktemp(prefix="legacy.")
with open(name, "w") as f:
    f.write("mktemp name\n")
print(open(name).read().strip()); os.unlink(name)
pred = "/tmp/tgcorpus-py.%d" % os.getpid()
with open(pred, "w") as f:
    f.write("predictable\n")
print(open(pred).read().strip()); os.unlink(pred)
with open("kept-" + os.path.basename(p), "w") as f:
    f.write("leftover name\n")
PY
