"""strace_norm.py LIB TRACE REMOVED -- an strace -f output, normalised.

Prints TRACE with what legitimately differs between two runs of a program,
with and without the preload LIB, normalised: the pid prefix, addresses
(ASLR), the environment size execve shows, the length of anonymous mmaps,
the pid the legacy helper prints (and the length of that write). The block
in which ld.so loads LIB (its openat through the close of that descriptor)
is left out and written to REMOVED. Used by tests/strace.sh.
"""
import re, sys
lib, path, out_removed = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(path, errors="replace").read().splitlines()
keep, removed, fd = [], [], None
for l in lines:
    l = re.sub(r"^\d+\s+", "", l)
    if fd is None and l.startswith("openat(") and '"%s"' % lib in l:
        m = re.search(r"=\s+(\d+)$", l)
        fd = m.group(1) if m else "?"
        removed.append(l)
        continue
    if fd is not None and fd != "done":
        removed.append(l)
        if re.match(r"close\(%s\)" % fd, l):
            fd = "done"
        continue
    l = re.sub(r"0x[0-9a-f]+", "0xADDR", l)
    l = re.sub(r"^mmap\(NULL, \d+, (.*MAP_ANONYMOUS.*, -1, 0\))", r"mmap(NULL, LEN, \1", l)
    l = re.sub(r"/\* \d+ vars \*/", "/* N vars */", l)
    # a child's CPU time in a SIGCHLD (si_utime=0, si_stime=1 /* 0.01 s */)
    l = re.sub(r"(si_[us]time=)\d+( /\* [0-9.]+ s \*/)?", r"\1T", l)
    if re.search(r"pid=\d+", l):  # the legacy helper prints its pid,
        l = re.sub(r"pid=\d+", "pid=N", l)
        # whose digits (pids wrap at pid_max) change the write's length
        l = re.sub(r", \d+\)(\s+)= \d+$", r", LEN)\1= LEN", l)
    keep.append(l)
open(out_removed, "w").write("\n".join(removed) + "\n")
print("\n".join(keep))
