"""Random TOML documents from the TOML 1.0 grammar, and mutants of them (Tests/toml/corpus.py).

Documents are built to be valid most of the time (keys in a table are mostly distinct) but key
names come from a small pool so that redefinitions, dotted keys into existing tables and headers
over dotted tables happen too: tomllib, not this generator, says which documents are valid.
"""

BARE = ["a", "b", "c", "key", "x-y", "_u", "1", "0", "123", "true", "inf", "nan", "-", "A_b-9"]
QUOTED = ["", " ", "a b", "é", "e\u0301", "中", "\\\"", "a.b", "#", "=", "😀", "\t"]
SPACE = ["", "", "", " ", " ", "  ", "\t", " \t "]
COMMENT = ["", "", "", " # c", " #", "# é 中 😀", " # \"q\" 'x' [x] {y}", " #\t tab", " ## #"]
UNICODE = ["é", "中", "😀", "\u00a0", "\u2028", "\ufeff", "ß", "e\u0301", "\U0010fffd"]
ESCAPES = ["\\b", "\\t", "\\n", "\\f", "\\r", '\\"', "\\\\", "\\u00e9", "\\u0000", "\\u001F", "\\u007f",
           "\\uD7FF", "\\uE000", "\\U0001F600", "\\U0010FFFF", "\\u4E2D", "\\U00000041"]


class Generator:
    def __init__(self, rng):
        self.r = rng

    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    def newline(self):
        return "\r\n" if self.chance(0.1) else "\n"

    # -- keys

    def key_part(self):
        if self.chance(0.7):
            name = self.pick(BARE)
            return name + (str(self.r.randrange(100)) if self.chance(0.5) else "")
        text = self.pick(QUOTED)
        if self.chance(0.6):
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
        return "'" + text.replace("'", "").replace("\\\"", "q") + "'"

    def key(self, parts=None):
        n = parts or self.pick([1, 1, 1, 2, 2, 3])
        dot = self.pick([".", ".", " . ", ".\t"])
        return dot.join(self.key_part() for _ in range(n))

    # -- scalar values

    def integer(self):
        kind = self.r.randrange(7)
        if kind == 0:
            return self.pick(["0", "+0", "-0", "9223372036854775807", "-9223372036854775808", "+1", "-1",
                              "9223372036854775808", "-9223372036854775809", "0x7FFFFFFFFFFFFFFF",
                              "0xffffffffffffffff", "0o777777777777777777777", "1_000", "5_349_221"])
        if kind in (1, 2):
            digits = str(self.r.randrange(1, 10**self.r.randrange(1, 12)))
            if self.chance(0.3) and len(digits) > 1:
                i = self.r.randrange(1, len(digits))
                digits = digits[:i] + "_" + digits[i:]
            return self.pick(["", "", "+", "-"]) + digits
        base, alphabet = self.pick([("0x", "0123456789abcdefABCDEF"), ("0o", "01234567"), ("0b", "01")])
        digits = "".join(self.pick(alphabet) for _ in range(self.r.randrange(1, 12)))
        if self.chance(0.3) and len(digits) > 1:
            i = self.r.randrange(1, len(digits))
            digits = digits[:i] + "_" + digits[i:]
        return base + digits

    def float(self):
        if self.chance(0.15):
            return self.pick(["inf", "+inf", "-inf", "nan", "+nan", "-nan"])
        whole = self.pick(["0", "1", "3", "42", "-0", "+1", "6_626", "9007199254740993", "1_0"])
        frac = self.pick(["", ".0", ".5", ".14159", ".1_2", ".000001", ".9999999999999999999"])
        exp = self.pick(["", "", "e0", "E+5", "e-3", "e10", "e+308", "e-324", "e400", "E1_0", "e-400"])
        if not frac and not exp:
            frac = ".25"
        return whole + frac + exp

    def date(self):
        y = self.r.randrange(1, 10000)
        m = self.r.randrange(1, 13)
        d = self.r.randrange(1, 32 if self.chance(0.1) else 29)
        return "%04d-%02d-%02d" % (y, m, d)

    def time(self):
        t = "%02d:%02d:%02d" % (self.r.randrange(24), self.r.randrange(60), self.r.randrange(60))
        if self.chance(0.4):
            t += "." + "".join(self.pick("0123456789") for _ in range(self.r.randrange(1, 10)))
        return t

    def datetime(self):
        kind = self.r.randrange(4)
        if kind == 0:
            return self.date()
        if kind == 1:
            return self.time()
        s = self.date() + self.pick(["T", "t", " "]) + self.time()
        if kind == 3:
            s += self.pick(["Z", "z", "+00:00", "-00:00", "+05:30", "-07:00", "+23:59"])
        return s

    def string_body(self, multiline):
        pieces = []
        for _ in range(self.r.randrange(0, 6)):
            k = self.r.randrange(6)
            if k == 0:
                pieces.append(self.pick(ESCAPES))
            elif k == 1:
                pieces.append(self.pick(UNICODE))
            elif k == 2 and multiline:
                pieces.append(self.pick(["\n", "\r\n", '"', '""', "\\\n   ", "\\  \n\n  x", "\t"]))
            else:
                pieces.append(self.pick(["abc", "x y", "#", "'", "=", "[", "}", "\t", " "]))
        return "".join(pieces)

    def literal_body(self, multiline):
        pieces = []
        for _ in range(self.r.randrange(0, 5)):
            pieces.append(self.pick(["abc", "\\n", "\\", '"', " ", "é", "C:\\x", "\t", "#"]
                                    + (["\n", "'", "''", "\r\n"] if multiline else [])))
        return "".join(pieces)

    def string(self):
        kind = self.r.randrange(4)
        if kind == 0:
            return '"' + self.string_body(False) + '"'
        if kind == 1:
            return "'" + self.literal_body(False) + "'"
        if kind == 2:
            lead = self.pick(["", "\n", "\r\n"])
            return '"""' + lead + self.string_body(True) + self.pick(['"""', '""""', '"""""'])
        lead = self.pick(["", "\n"])
        return "'''" + lead + self.literal_body(True) + self.pick(["'''", "''''", "'''''"])

    # -- compound values

    def value(self, depth=0):
        k = self.r.randrange(9 if depth < 3 else 7)
        return [self.integer, self.float, self.string, self.string, self.datetime,
                lambda: self.pick(["true", "false"]), self.integer,
                lambda: self.array(depth + 1), lambda: self.inline_table(depth + 1)][k]()

    def array(self, depth):
        items = [self.value(depth) for _ in range(self.r.randrange(0, 4))]
        if not items:
            return self.pick(["[]", "[ ]", "[\n]", "[ # c\n]"])
        seps = [self.pick([",", ", ", " ,", ",\n  ", ", # c\n", ",\r\n"]) for _ in items[1:]]
        body = items[0] + "".join(s + v for s, v in zip(seps, items[1:]))
        tail = self.pick(["", "", ",", ",\n", "\n", " # c\n"])
        return "[" + self.pick(["", " ", "\n  "]) + body + tail + "]"

    def inline_table(self, depth):
        pairs = []
        for _ in range(self.r.randrange(0, 4)):
            pairs.append(self.key() + self.pick([" = ", "=", " =\t"]) + self.value(depth))
        if not pairs:
            return self.pick(["{}", "{ }"])
        return "{" + self.pick(["", " "]) + ", ".join(pairs) + self.pick(["", " "]) + "}"

    # -- documents

    def key_values(self, lines):
        used = set()
        for _ in range(self.r.randrange(0, 5)):
            k = self.key()
            first = k.split(".")[0].strip()
            if first in used and self.chance(0.8):
                continue
            used.add(first)
            lines.append(self.pick(SPACE) + k + self.pick([" = ", "=", " =  "]) + self.value()
                         + self.pick(SPACE) + self.pick(COMMENT))

    def document(self):
        lines = []
        if self.chance(0.3):
            lines.append(self.pick(COMMENT).strip())
        self.key_values(lines)
        headers = set()
        for _ in range(self.r.randrange(0, 5)):
            name = self.key(self.pick([1, 1, 2, 2, 3]))
            array = self.chance(0.35)
            if not array and name in headers and self.chance(0.8):
                continue
            headers.add(name)
            sp = self.pick(["", "", " "])
            header = ("[[" + sp + name + sp + "]]") if array else ("[" + sp + name + sp + "]")
            lines.append(self.pick(["", " "]) + header + self.pick(COMMENT))
            self.key_values(lines)
            if self.chance(0.2):
                lines.append("")
        nl = self.newline()
        text = nl.join(lines)
        return text + (nl if self.chance(0.8) else "")


PALETTE = list("\"'[]{}=,.#\\\n0_e+-:TZx \t1") + ["\x00", "\x01", "\x7f", "\r", "é", "\ufeff", '"""', "'''", "\\u"]


def mutate(rng, doc):
    """`doc` with one to three random edits."""
    for _ in range(rng.randrange(1, 4)):
        lines = doc.split("\n")
        k = rng.randrange(7)
        i = rng.randrange(len(doc) + 1)
        if k == 0 and doc:
            doc = doc[:i] + doc[i + 1:]
        elif k in (1, 2):
            doc = doc[:i] + rng.choice(PALETTE) + doc[i:]
        elif k == 3 and doc:
            doc = doc[:i] + rng.choice(PALETTE) + doc[i + 1:]
        elif k == 4:
            j = rng.randrange(len(lines))
            doc = "\n".join(lines[:j + 1] + [lines[j]] + lines[j + 1:])
        elif k == 5 and len(lines) > 1:
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            doc = "\n".join(lines)
        else:
            doc = doc[:i]
    return doc
