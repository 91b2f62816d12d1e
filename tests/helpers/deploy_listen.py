#!/usr/bin/env python3
"""deploy_listen.py — a test listener standing in for journald or syslogd.

Usage: deploy_listen.py journal|syslog SOCKET OUT [SECONDS]

Binds a Unix datagram socket at SOCKET, creates OUT.ready once bound, and
receives until OUT.stop exists or SECONDS (default 10) have passed. Then
writes OUT: one JSON object per datagram received, in order:
  syslog:  {"raw": TEXT, "pri": N, "tag": "tmpguard[123]", "msg": TEXT}
           (RFC 3164 "<PRI>TAG: MSG", TIMESTAMP/HOSTNAME optional)
  journal: {"raw": TEXT, "fields": {KEY: VALUE...}} decoded from the native
           protocol (KEY=VALUE\\n, or KEY\\n + 64-bit LE size + bytes + \\n);
           a malformed datagram gives {"error": WHY} instead of "fields".
Bytes are decoded as UTF-8 with surrogateescape (so JSON keeps them); a key
that appears twice keeps its last value, and "dup" lists such keys.
"""
import json
import os
import re
import socket
import struct
import sys
import time


def text(b):
    return b.decode("utf-8", "surrogateescape")


def decode_journal(d):
    fields, dup, i = {}, [], 0
    while i < len(d):
        j = d.find(b"\n", i)
        if j < 0:
            raise ValueError("unterminated field at byte %d" % i)
        line = d[i:j]
        if b"=" in line:
            k, v = line.split(b"=", 1)
            i = j + 1
        else:
            k = line
            if j + 9 > len(d):
                raise ValueError("truncated size of %r" % k)
            n = struct.unpack("<Q", d[j + 1:j + 9])[0]
            v = d[j + 9:j + 9 + n]
            if len(v) != n or d[j + 9 + n:j + 10 + n] != b"\n":
                raise ValueError("bad binary field %r" % k)
            i = j + 9 + n + 1
        if not re.fullmatch(rb"[A-Z0-9][A-Z0-9_]*", k):
            raise ValueError("invalid field name %r" % k)
        if text(k) in fields:
            dup.append(text(k))
        fields[text(k)] = text(v)
    return fields, dup


def decode_syslog(d):
    m = re.match(rb"^<(\d{1,3})>(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:\S+ )?)?"
                 rb"([^:\[\s]+(?:\[\d+\])?): (.*)$", d, re.S)
    if not m:
        return {"error": "not RFC 3164"}
    return {"pri": int(m.group(1)), "tag": text(m.group(2)),
            "msg": text(m.group(3))}


def main():
    kind, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o666)
    open(out + ".ready", "w").close()
    s.settimeout(0.1)
    msgs, end = [], time.time() + seconds
    while time.time() < end:
        try:
            msgs.append(s.recv(1 << 20))
            continue
        except socket.timeout:
            pass
        if os.path.exists(out + ".stop"):
            break
    s.close()
    os.unlink(path)
    with open(out + ".tmp", "w") as f:
        for d in msgs:
            o = {"raw": text(d)}
            if kind == "journal":
                try:
                    o["fields"], dup = decode_journal(d)
                    if dup:
                        o["dup"] = dup
                except ValueError as e:
                    o["error"] = str(e)
            else:
                o.update(decode_syslog(d))
            f.write(json.dumps(o) + "\n")
    os.rename(out + ".tmp", out)


if __name__ == "__main__":
    main()
