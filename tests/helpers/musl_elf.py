"""musl_elf.py MODEL OUT -- write OUT, a minimal ELF64 linked against musl.

Its PT_INTERP is /lib/ld-musl-x86_64.so.1 and its DT_NEEDED
libc.musl-x86_64.so.1; its machine is MODEL's (an ELF file of this host).
It cannot run here: tests/cli.sh checks that `tmpguard run` warns before
trying.
"""
import struct
import sys

machine = struct.unpack_from('<H', open(sys.argv[1], 'rb').read(20), 18)[0]
base = 0x400000
interp = b'/lib/ld-musl-x86_64.so.1\0'
strtab = b'\0libc.musl-x86_64.so.1\0'
phoff, phnum = 64, 3
interp_off = phoff + 56 * phnum
str_off = interp_off + len(interp)
dyn_off = (str_off + len(strtab) + 7) & ~7
dyn = struct.pack('<qQqQqQqQ', 1, 1, 5, base + str_off, 10, len(strtab), 0, 0)
size = dyn_off + len(dyn)
eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + b'\0' * 9,
                 2, machine, 1, base, phoff, 0, 0, 64, 56, phnum, 64, 0, 0)
ph = struct.pack('<IIQQQQQQ', 3, 4, interp_off, base + interp_off, 0, len(interp), len(interp), 1)
ph += struct.pack('<IIQQQQQQ', 1, 5, 0, base, 0, size, size, 0x1000)
ph += struct.pack('<IIQQQQQQ', 2, 6, dyn_off, base + dyn_off, 0, len(dyn), len(dyn), 8)
img = eh + ph + interp + strtab
img += b'\0' * (dyn_off - len(img)) + dyn
open(sys.argv[2], 'wb').write(img)
