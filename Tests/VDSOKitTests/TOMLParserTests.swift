import Testing
import VDSOKit

/// The TOML parser on its own: values, places, and the errors the old subset parser got wrong.
/// Tests/toml/ holds it to tomllib at large (TOMLConformanceTests).
@Suite("TOML parser")
struct TOMLParserTests {
    static func failure(_ text: String) -> String {
        do {
            _ = try TOMLParser.parse(text)
            return "parsed"
        } catch {
            return error.description
        }
    }

    @Test("tables, arrays of tables, inline tables, dotted keys, comments, multi-line arrays")
    func structure() throws {
        let doc = try TOMLParser.parse(
            """
            # comment
            a = "x" # trailing
            n = 0x10_00
            b = true
            list = [
              "one", # first
              'two',
            ]
            d.e = 1
            [[node]]
            name = "N1"
            map = { k = "v", "quoted key" = "w" }
            [[node]]
            name = "N2"
            """)
        #expect(doc["a"] == .string("x"))
        #expect(doc["n"] == .integer(4096))
        #expect(doc["b"] == .bool(true))
        guard case .array(let list)? = doc["list"] else { Issue.record("no list"); return }
        #expect(list.values == [.string("one"), .string("two")])
        #expect(doc["d"]?["e"] == .integer(1))
        guard case .array(let nodes)? = doc["node"] else { Issue.record("no array of tables"); return }
        #expect(nodes.values.count == 2)
        #expect(nodes.values[0]["map"]?["quoted key"] == .string("w"))
        #expect(nodes.values[1]["name"] == .string("N2"))
    }

    @Test("every key and value keeps its line and column")
    func places() throws {
        let doc = try TOMLParser.parse("a = 1\n  [t]\n  b.c =  \"x\"\n[[n]]\nl = [1,\n  2]\n")
        #expect(doc.entry("a")?.keyPosition == TOMLPosition(line: 1, column: 1))
        #expect(doc.entry("a")?.valuePosition == TOMLPosition(line: 1, column: 5))
        guard case .table(let t)? = doc["t"], case .table(let b)? = t["b"] else { Issue.record("no t.b"); return }
        #expect(t.position == TOMLPosition(line: 2, column: 3))
        #expect(t.entry("b")?.keyPosition == TOMLPosition(line: 3, column: 3))
        #expect(b.entry("c")?.keyPosition == TOMLPosition(line: 3, column: 5))
        #expect(b.entry("c")?.valuePosition == TOMLPosition(line: 3, column: 10))
        guard case .array(let n)? = doc["n"], case .table(let n0) = n.values[0], case .array(let l)? = n0["l"] else {
            Issue.record("no n[0].l")
            return
        }
        #expect(n.elements[0].position == TOMLPosition(line: 4, column: 1))
        #expect(l.elements.map(\.position) == [TOMLPosition(line: 5, column: 6), TOMLPosition(line: 6, column: 3)])
    }

    @Test("what the subset parser refused: \\u and \\U escapes, other bases, floats, dates, multi-line strings")
    func values() throws {
        let doc = try TOMLParser.parse(
            #"""
            u = "caf\u00e9 \U0001F600"
            o = 0o17
            bin = 0b101
            f = -1.5e3
            d = 1979-05-27T07:32:00.5-07:00
            m = """
            one\
               two"""
            l = '''C:\x'''
            """#)
        #expect(doc["u"] == .string("café 😀"))
        #expect(doc["o"] == .integer(15))
        #expect(doc["bin"] == .integer(5))
        #expect(doc["f"] == .float(-1500))
        guard case .dateTime(let d)? = doc["d"] else { Issue.record("no date-time"); return }
        #expect(d.description == "1979-05-27T07:32:00.500000-07:00" && d.offsetMinutes == -420)
        #expect(doc["m"] == .string("onetwo"))
        #expect(doc["l"] == .string(#"C:\x"#))
    }

    @Test("what the subset parser accepted: leading zeros, inline tables without commas, and more")
    func invalid() {
        #expect(Self.failure("n = 0123") == "1:5: leading zeros are not allowed in a number (write 0x, 0o or 0b for other bases)")
        #expect(Self.failure("n = -01") == "1:5: leading zeros are not allowed in a number (write 0x, 0o or 0b for other bases)")
        #expect(Self.failure("t = { a = 1 b = 2 }").hasPrefix("1:13: expected ',' or '}' in the inline table, found 'b'"))
        #expect(Self.failure("t = { a = 1, }").hasPrefix("1:14: expected a key"))
        #expect(Self.failure("n = 0x_1").hasPrefix("1:6: 'x' after the value"))
        #expect(Self.failure("n = 1__0").hasPrefix("1:6: '_' after the value"))
        #expect(Self.failure("n = 9223372036854775808").hasPrefix("1:5: integer 9223372036854775808 does not fit in 64 bits"))
        #expect(Self.failure("s = \"\\x41\"").hasPrefix("1:6: unknown escape '\\x'"))
        #expect(Self.failure("s = \"\\uD800\"").hasPrefix("1:6: \\uD800 is not a Unicode scalar value"))
        #expect(Self.failure("s = \"\\u00\"").hasPrefix("1:6: \\u needs exactly 4 hexadecimal digits"))
        #expect(Self.failure("d = 1979-02-30").hasPrefix("1:5: 1979-02-30 is not a date of the calendar"))
        #expect(Self.failure("a = 1\nb = \"open\n").hasPrefix("2:10: the end of the line is not allowed in a string"))
        #expect(Self.failure("x = bare") == "1:5: expected a value, found 'b' (strings must be quoted)")
        #expect(Self.failure("a = 1 b = 2").hasPrefix("1:7: 'b' after the value: expected the end of the line"))
        #expect(Self.failure("a = 1\r").hasPrefix("1:6: control character U+000D"))
        #expect(Self.failure("\u{FEFF}a = 1").hasPrefix("1:1: expected a key, a [table] or an [[array of tables]], found a byte-order mark"))
        #expect(Self.failure("a = 1\u{200B}").hasPrefix("1:6: invisible character U+200B after the value"))
        #expect(Self.failure("a = 1 # \u{1}").hasPrefix("1:9: control character U+0001 is not allowed in a comment"))
    }

    @Test("tables are defined once; dotted keys and headers keep to the specification's rules")
    func definitions() {
        #expect(Self.failure("a = 1\na = 2") == "2:1: a is defined twice (first at 1:1): keep one")
        #expect(Self.failure("[t]\na = 1\n[t]").hasPrefix("3:1: table [t] is already defined"))
        #expect(Self.failure("a.b = 1\n[a]").hasPrefix("2:1: table [a] is already defined, by an earlier header or dotted keys"))
        #expect(Self.failure("[a.b]\n[a]\nb.c = 1").hasPrefix("3:1: a.b is a table with a [header] of its own"))
        #expect(Self.failure("a = {}\n[a]").hasPrefix("2:1: [a]: it is an inline table or an array"))
        #expect(Self.failure("a = [1]\n[[a]]").hasPrefix("2:1: [[a]]: it is an inline table or an array"))
        #expect(Self.failure("t = { a = {}, a.b = 1 }").hasPrefix("1:17: a is an inline table or an array"))
        #expect(Self.failure("[a]\n[[a]]").hasPrefix("2:3: [[a]]: a is already a table"))
        #expect(Self.failure(Array(repeating: "a", count: 101).joined(separator: ".") + " = 1").contains("a key of more than 100 parts"))
        #expect(Self.failure("a = " + String(repeating: "[", count: 200)).contains("nested more than 100"))
        #expect(Self.failure("[b.a.b]\n[b]\n[b.a]\n[[b.a.c]]\n[b.c]") == "parsed")
    }
}
