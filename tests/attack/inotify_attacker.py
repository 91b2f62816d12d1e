# inotify_attacker.py DIR PREFIX TARGET STOPFILE — the statistical race's
# attacker (run as tgattacker by tests/attack/race.sh). It watches DIR with
# inotify; each time a file whose name starts with PREFIX is closed after
# writing (the victim's first creation), it replaces the name with a symbolic
# link to TARGET, hoping the victim opens the name again before it notices.
# Prints "READY" once watching, "PLANTED N" at the end (when STOPFILE exists).
import ctypes
import os
import select
import struct
import sys

IN_CLOSE_WRITE = 0x00000008
d, prefix, target, stop = sys.argv[1:5]
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(os.O_CLOEXEC)
if fd < 0 or libc.inotify_add_watch(fd, d.encode(), IN_CLOSE_WRITE) < 0:
    print("ERR inotify: errno %d" % ctypes.get_errno(), flush=True)
    sys.exit(1)
print("READY", flush=True)
planted = 0
pre = prefix.encode()
while not os.path.exists(stop):
    r, _, _ = select.select([fd], [], [], 0.1)
    if not r:
        continue
    buf = os.read(fd, 65536)
    i = 0
    while i + 16 <= len(buf):
        _wd, mask, _cookie, ln = struct.unpack_from("iIII", buf, i)
        name = buf[i + 16:i + 16 + ln].rstrip(b"\0")
        i += 16 + ln
        if mask & IN_CLOSE_WRITE and name.startswith(pre):
            p = os.path.join(d.encode(), name)
            try:
                os.unlink(p)
                os.symlink(target, p)
                planted += 1
            except OSError:
                pass
print("PLANTED %d" % planted, flush=True)
