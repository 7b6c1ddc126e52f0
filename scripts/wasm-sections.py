#!/usr/bin/env python3
"""Where a wasm module's bytes are by kind: code, data and the rest, raw and gzip -9 each.

    scripts/wasm-sections.py FILE.wasm

Why by section: the code section is what the page's Rust compiles to and the data section is
its texts and catalogues (lint messages, role and app names); the two shrink by different means,
so the size report names both. Exits 1, saying where, on a file that is not a wasm module.
"""
import gzip
import sys

KINDS = {10: "code", 11: "data"}


def leb128(buf, at, path):
    value = shift = 0
    while True:
        if at >= len(buf):
            sys.exit(f"wasm-sections: {path}: a section length runs past the end at byte {at}")
        byte = buf[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def sections(buf, path):
    if buf[:4] != b"\0asm":
        sys.exit(f"wasm-sections: {path}: not a wasm module (no \\0asm magic at byte 0)")
    parts = {"code": bytearray(), "data": bytearray(), "other": bytearray(buf[:8])}
    at = 8
    while at < len(buf):
        kind = buf[at]
        size, start = leb128(buf, at + 1, path)
        if start + size > len(buf):
            sys.exit(f"wasm-sections: {path}: section {kind} at byte {at} runs past the end")
        parts[KINDS.get(kind, "other")] += buf[at:start + size]
        at = start + size
    return parts


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip())
    path = sys.argv[1]
    with open(path, "rb") as f:
        buf = f.read()
    for kind, body in sections(buf, path).items():
        # mtime=0: the figure depends on the bytes only.
        print(f"  {kind:<6} {len(body):>10} {len(gzip.compress(bytes(body), 9, mtime=0)):>10}")


if __name__ == "__main__":
    main()
