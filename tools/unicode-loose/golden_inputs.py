#!/usr/bin/env python3
"""Writes the inputs of Tessel's unicode_loose golden files (hex UTF-8, one per line); see README.md.

usage: golden_inputs.py random|contractions <x/text collate/tables.go> <UCD dir>
Deterministic (fixed seed). Skips code points added in Unicode 14 and 15: the Go toolchain used to
compute the golden keys (Go 1.19, x/text norm tables for Unicode 13) does not know them.
"""
import random
import re
import sys

SEED = 20240610


def ages(ucd):
    new = set()
    for line in open(ucd + "/DerivedAge.txt"):
        m = re.match(r"([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*(\d+\.\d+)", line)
        if m and m.group(3) in ("14.0", "15.0"):
            lo = int(m.group(1), 16)
            hi = int(m.group(2) or m.group(1), 16)
            new.update(range(lo, hi + 1))
    return new


def go_array(src, name):
    body = src[src.index("var %s = [" % name):]
    body = body[body.index("{\n") + 2: body.index("\n}\n")]
    size = int(re.search(r"var %s = \[(\d+)\]" % name, src).group(1))
    out, nxt = [0] * size, 0
    for line in body.split("\n"):
        line = line.split("//")[0]
        for item in line.split(","):
            item = item.strip()
            if not item:
                continue
            if ":" in item:
                k, item = item.split(":")
                nxt = int(k, 16)
            out[nxt] = int(item.strip(), 16)
            nxt += 1
    return out


def contractions(tables_go):
    """Every contraction of locale en: (starter code point, suffix bytes)."""
    src = open(tables_go).read()
    lookup = go_array(src, "mainLookup")
    values = go_array(src, "mainValues")
    ct = [tuple(int(x, 0) for x in m.groups()) for m in re.finditer(
        r"\{(0x[0-9A-F]+), (0x[0-9A-F]+), (\d+), (\d+)\}", src[src.index("var mainCTEntries"):])]
    lookup_offset = 0x15  # locale "en" (same as root)

    def element(cp):
        s = chr(cp).encode()
        if len(s) == 1:
            return values[s[0]]
        i = lookup[(lookup_offset << 6) + s[0]]
        for b in s[1:-1]:
            i = lookup[(i << 6) + b]
        return values[(i << 6) + s[-1]]

    def walk(base, n, prefix):
        for i in range(n):
            lo, hi, nxt, _ = ct[base + i]
            if nxt == 0:
                for c in range(lo, hi + 1):
                    yield prefix + bytes([c])
            else:
                yield prefix + bytes([lo])
                yield from walk(base + hi + n, nxt, prefix + bytes([lo]))

    out = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ce = element(cp)
        if 0xC0000000 <= ce <= 0xDFFFFFFF:
            for suffix in walk((ce >> 4) & 0xFFF, ce & 0xF, b""):
                try:
                    suffix.decode()
                except UnicodeDecodeError:
                    continue
                out.append((cp, suffix))
    return out


MARKS = [0x0300, 0x0301, 0x0306, 0x0308, 0x0316, 0x0323, 0x0327, 0x0328, 0x0331, 0x0345, 0x05B4, 0x0651,
         0x093C, 0x094D, 0x0E38, 0x0E48, 0x0F71, 0x0F72, 0x0F80, 0x1DCE, 0x20D7, 0x302A, 0x3099, 0x309A]

POOLS = [(0x20, 0x7E), (0x20, 0x7E), (0x09, 0x0A), (0xA0, 0xFF), (0x100, 0x24F), (0x250, 0x2FF),
         (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x52F), (0x530, 0x58F), (0x590, 0x5FF), (0x600, 0x6FF),
         (0x700, 0x7FF), (0x900, 0x97F), (0x980, 0x9FF), (0xB80, 0xBFF), (0xD00, 0xD7F), (0xD80, 0xDFF),
         (0xE00, 0xE7F), (0xE80, 0xEFF), (0xF00, 0xFFF), (0x1000, 0x109F), (0x1100, 0x11FF),
         (0x1200, 0x137F), (0x13A0, 0x13FF), (0x1780, 0x17FF), (0x1D00, 0x1DFF), (0x1E00, 0x1FFF),
         (0x2000, 0x2BFF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3130, 0x318F), (0x3200, 0x33FF),
         (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xA640, 0xABFF), (0xAC00, 0xD7A3),
         (0xE000, 0xE0FF), (0xF900, 0xFAFF), (0xFB00, 0xFDFF), (0xFE00, 0xFFFD), (0x10000, 0x1047F),
         (0x10800, 0x10FFF), (0x11000, 0x1124F), (0x1D000, 0x1D7FF), (0x1F000, 0x1FAFF),
         (0x20000, 0x2A6DD), (0x2F800, 0x2FA1D), (0x50000, 0x5FFFF), (0xE0000, 0xE01EF)]


def random_inputs(new):
    rnd = random.Random(SEED)

    def pick(pool):
        while True:
            cp = rnd.randint(*pool)
            if cp not in new and not 0xD800 <= cp <= 0xDFFF:
                return chr(cp)

    out = []
    for _ in range(700):
        pools = rnd.sample(POOLS, rnd.randint(1, 3))
        s = []
        for _ in range(rnd.randint(1, 14)):
            r = rnd.random()
            s.append(pick(rnd.choice(pools)) if r < 0.75 else chr(rnd.choice(MARKS)) if r < 0.9 else " ")
        if rnd.random() < 0.1:
            s.append("  ")
        out.append("".join(s).encode())
    return out


def targeted_inputs():
    """Hand-picked cases: reordering of long mark runs, Tibetan vowel reordering, Hangul, width, trailing spaces."""
    marks_desc = "".join(chr(c) for c in (0x0301, 0x0316, 0x0F72, 0x0F71, 0x05B4, 0x093C))
    cases = [
        "a" + marks_desc + "b",
        "a" + "\u0301\u0316" * 20 + "b",
        "\u0418" + "\u0301" * 35 + "\u0306",
        "\u0438\u0316\u0306 \u0438\u0306\u0316 \u0439",
        "\u0FB2\u0F80\u0F71 \u0FB2\u0F71\u0F80 \u0F77 \u0F79 \u0F73\u0F75\u0F81",
        "\uAC00\uD7A3\u1100\u1161\u11A8 \u3131\uFFA1 \u1100\u1161\u11A8\u0301",
        "\uFF76\uFF9E \u30AB\u3099 \u30AC \uFF8A\uFF9F \u30D1",
        "\uFF21\uFF42\uFF43 ABC \u2460 \u00BD \u33A1 \uFDFA \uFB03",
        "L\u00B7L l\u00B7l \u0140 ch CH \u0E40\u0E01 \u0EC0\u0E81",
        "\U0001D400\U0001D41A \U0001F600\U0001F44D\U0001F3FD \U0001F1FA\U0001F1F8",
        "\t\n\r\x00\x7f\u200b\u200d\ufeff\u00ad",
        "trailing   ", "   ", " ", "\u3000", "a \u00a0 ",
    ]
    return [c.encode() for c in cases]


def contraction_inputs(tables_go, new):
    rnd = random.Random(SEED)
    out = []
    for cp, suffix in contractions(tables_go):
        base = chr(cp).encode()
        text = suffix.decode()
        if cp in new or any(ord(c) in new for c in text):
            continue
        mark = chr(rnd.choice(MARKS)).encode()
        out.append(base + suffix)
        out.append(base + suffix + b"a")
        out.append(base + mark + suffix)
        out.append(base + chr(0x0323).encode() + suffix)
        if len(text) > 1:
            out.append(base + text[0].encode() + mark + text[1:].encode())
            out.append(base + text[::-1].encode())
    return out


def main():
    mode, tables_go, ucd = sys.argv[1:4]
    new = ages(ucd)
    inputs = random_inputs(new) + targeted_inputs() if mode == "random" else contraction_inputs(tables_go, new)
    for b in inputs:
        print(b.hex())


if __name__ == "__main__":
    main()
