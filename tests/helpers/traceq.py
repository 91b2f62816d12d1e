"""traceq.py TRACE NAME -- the system calls of an strace -f output on NAME.

One line "SYSCALL FLAGS MODE RESULT" per traced call whose path argument is
NAME or ends in /NAME, in order (FLAGS: its O_* argument, MODE: its octal
mode argument, each "-" when absent; RESULT: the return value or the errno
name). execve is left out, and so are lines resumed after <unfinished ...>
(their first half names the path and flags). Used by tests/lib.sh
(tg_trace_ops, tg_trace_creation).
"""
import re
import sys

trace, name = sys.argv[1], sys.argv[2]
strre = re.compile(r"\"((?:[^\"\\]|\\.)*)\"")
for line in open(trace, errors="replace"):
    m = re.match(r"^(?:\d+\s+)?([a-z_0-9]+)\((.*)$", line)
    if not m or m.group(1) == "execve":
        continue
    call, rest = m.groups()
    if not any(s == name or s.endswith("/" + name) for s in strre.findall(rest)):
        continue
    args = strre.sub("", rest)
    flags = re.search(r"\b(O_[A-Z_|]+(?:\|O_[A-Z_]+)*)", args)
    mode = re.search(r",\s*(0[0-7]{3,})\s*\)", args)
    ret = re.search(r"\)\s+=\s+(-?\w+)(?:\s+(E[A-Z0-9]+))?", rest)
    print(call, flags.group(1) if flags else "-", mode.group(1) if mode else "-",
          (ret.group(2) or ret.group(1)) if ret else "?")
