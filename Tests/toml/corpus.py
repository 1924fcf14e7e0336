#!/usr/bin/env python3
"""Tests/toml/corpus.py — TOML documents and what Python's tomllib makes of them.

The differential test of vdsogen's TOML parser (Tests/VDSOKitTests/TOMLConformanceTests.swift)
runs this script and parses every document it prints; the two must agree on every one: the same
value for a document tomllib accepts, an error for one it refuses.

    python3 Tests/toml/corpus.py [--seed N] [--count N]

The documents: a fixed list of hand-written cases (TOML 1.0's corners), COUNT documents generated
at random from the grammar (every kind of value, key and table, in all their spellings), and
COUNT mutants of generated documents (a character inserted, deleted or replaced, a line
duplicated, swapped or cut), which are mostly invalid. tomllib decides which are valid.

One rule is added to tomllib's: TOML 1.0 requires an error for an integer that does not fit in
64 bits, which tomllib (having Python's unbounded integers) accepts; such a document counts as
invalid.

Output, one case per two lines (UTF-8 documents, hex-encoded so any character survives):
    D <hex of the document>
    E <canonical value>        or        E !
The canonical value (Swift renders its own parse the same way):
    table  {"key":VALUE,...}   keys sorted by code point
    array  [VALUE,...]
    string s"..."              characters 0x20-0x7E except " and \\ as they are, others \\u{HEX}
    integer i123   float f<16 hex digits of the IEEE 754 bits> or fnan   bool btrue / bfalse
    dates  dO"1979-05-27T07:32:00+00:00" (offset) dL"..." (local date-time) dD"..." (date) dT"..." (time)
"""

import argparse
import datetime
import math
import random
import struct
import sys
import tomllib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, __import__("os").path.dirname(__file__))
from generate import Generator, mutate  # noqa: E402
from cases import CASES  # noqa: E402


def quote(s):
    out = ['"']
    for ch in s:
        cp = ord(ch)
        if 0x20 <= cp <= 0x7E and ch not in '"\\':
            out.append(ch)
        else:
            out.append("\\u{%X}" % cp)
    out.append('"')
    return "".join(out)


class OutOfRange(Exception):
    pass


def canonical(v):
    if isinstance(v, bool):
        return "btrue" if v else "bfalse"
    if isinstance(v, int):
        if not -(2**63) <= v < 2**63:
            raise OutOfRange(v)
        return "i%d" % v
    if isinstance(v, float):
        return "fnan" if math.isnan(v) else "f" + struct.pack(">d", v).hex()
    if isinstance(v, str):
        return "s" + quote(v)
    if isinstance(v, datetime.datetime):
        return ("dO" if v.tzinfo is not None else "dL") + quote(v.isoformat())
    if isinstance(v, datetime.date):
        return "dD" + quote(v.isoformat())
    if isinstance(v, datetime.time):
        return "dT" + quote(v.isoformat())
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: [ord(c) for c in kv[0]])
        return "{" + ",".join(quote(k) + ":" + canonical(x) for k, x in items) + "}"
    raise TypeError(type(v))


def expectation(doc):
    try:
        return canonical(tomllib.loads(doc))
    except (tomllib.TOMLDecodeError, OutOfRange):
        return "!"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1500)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    gen = Generator(rng)
    docs = list(CASES)
    generated = [gen.document() for _ in range(args.count)]
    docs += generated
    docs += [mutate(rng, rng.choice(generated)) for _ in range(args.count)]
    out = sys.stdout
    for doc in docs:
        out.write("D " + doc.encode("utf-8").hex() + "\n")
        out.write("E " + expectation(doc) + "\n")


if __name__ == "__main__":
    main()
