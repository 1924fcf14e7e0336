/// TOML's four kinds of string: basic (`"..."`, escapes), literal (`'...'`), and their multi-line
/// forms (`"""..."""`, `'''...'''`), which may span lines.
extension TOMLParser {
    private static func refusedInLine(_ c: Unicode.Scalar) -> Bool { TOMLScanner.isControl(c) && c != "\t" }

    private static func refusedInMultiline(_ c: Unicode.Scalar) -> Bool { refusedInLine(c) && c != "\n" }

    /// `'...'`, the cursor on the opening quote.
    static func literalString(_ s: inout TOMLScanner) throws(TOMLError) -> [Unicode.Scalar] {
        let start = s.pos + 1
        let end = try s.skipUntil("'", from: start, refusing: refusedInLine, what: "a literal string", mustFind: true)
        s.pos = end + 1
        return Array(s.src[start..<end])
    }

    /// `"""..."""` or `'''...'''`, the cursor on the opening quotes. A newline right after them is
    /// not part of the string; one or two quotes right before the closing ones are.
    static func multilineString(_ s: inout TOMLScanner, literal: Bool) throws(TOMLError) -> [Unicode.Scalar] {
        s.pos += 3
        if s.current == "\n" { s.pos += 1 }
        var result: [Unicode.Scalar]
        let delimiter: Unicode.Scalar = literal ? "'" : "\""
        if literal {
            let start = s.pos
            let end = try s.skipUntil(
                "'''", from: start, refusing: refusedInMultiline, what: "a multi-line literal string",
                mustFind: true)
            result = Array(s.src[start..<end])
            s.pos = end + 3
        } else {
            result = try basicString(&s, multiline: true)
        }
        for _ in 0..<2 where s.current == delimiter {
            result.append(delimiter)
            s.pos += 1
        }
        return result
    }

    /// A basic string's body and closing quote(s), the cursor after the opening one(s).
    static func basicString(_ s: inout TOMLScanner, multiline: Bool) throws(TOMLError) -> [Unicode.Scalar] {
        let open = s.pos - (multiline ? 3 : 1)
        var result: [Unicode.Scalar] = []
        while true {
            guard let c = s.current else {
                throw s.error("unterminated string: no closing \(multiline ? "\"\"\"" : "\"")", at: open)
            }
            if c == "\"" {
                if !multiline {
                    s.pos += 1
                    return result
                }
                if s.startsWith("\"\"\"") {
                    s.pos += 3
                    return result
                }
            } else if c == "\\" {
                result += try escape(&s, multiline: multiline)
                continue
            } else if multiline ? refusedInMultiline(c) : refusedInLine(c) {
                let advice = c == "\n" ? "; a string that spans lines needs triple quotes" : "; write it as \\u\(TOMLScanner.hex(c.value, 4))"
                throw s.error("\(TOMLScanner.describe(c)) is not allowed in a string\(advice)")
            }
            result.append(c)
            s.pos += 1
        }
    }

    /// One escape sequence, the cursor on the backslash. In a multi-line string a backslash at the
    /// end of a line removes it and the whitespace after it.
    private static func escape(_ s: inout TOMLScanner, multiline: Bool) throws(TOMLError) -> [Unicode.Scalar] {
        let backslash = s.pos
        let next = s.at(s.pos + 1)
        s.pos += 2
        if multiline, let n = next, n == " " || n == "\t" || n == "\n" {
            if n != "\n" {
                s.skipSpaces()
                guard let c = s.current else { return [] }
                guard c == "\n" else {
                    throw s.error(
                        "a '\\' followed by spaces must end the line (a line-ending backslash); write \\\\ for a backslash",
                        at: backslash)
                }
                s.pos += 1
            }
            while let c = s.current, TOMLScanner.isSpace(c) || c == "\n" { s.pos += 1 }
            return []
        }
        switch next {
        case "b": return ["\u{8}"]
        case "t": return ["\t"]
        case "n": return ["\n"]
        case "f": return ["\u{C}"]
        case "r": return ["\r"]
        case "\"": return ["\""]
        case "\\": return ["\\"]
        case "u": return [try hexEscape(&s, digits: 4, at: backslash)]
        case "U": return [try hexEscape(&s, digits: 8, at: backslash)]
        default:
            throw s.error(
                "unknown escape '\\\(next.map { String($0) } ?? "")': the escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX "
                    + "\\UXXXXXXXX (write \\\\ for a backslash)", at: backslash)
        }
    }

    private static func hexEscape(_ s: inout TOMLScanner, digits: Int, at backslash: Int) throws(TOMLError) -> Unicode.Scalar {
        let form = digits == 4 ? "\\u" : "\\U"
        var v: UInt32 = 0
        for i in 0..<digits {
            guard let c = s.at(s.pos + i), TOMLScanner.isHexDigit(c), let d = UInt32(String(c), radix: 16) else {
                throw s.error("\(form) needs exactly \(digits) hexadecimal digits", at: backslash)
            }
            v = v << 4 | d
        }
        s.pos += digits
        guard let scalar = Unicode.Scalar(v) else {
            throw s.error(
                "\(form)\(TOMLScanner.hex(v, digits)) is not a Unicode scalar value (surrogates and values past "
                    + "10FFFF are not)", at: backslash)
        }
        return scalar
    }
}
