/// A value of the TOML subset manifests use.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case array([TOMLValue])
    /// Keys in source order.
    case table([(String, TOMLValue)])

    public static func == (a: TOMLValue, b: TOMLValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.table(x), .table(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    public subscript(key: String) -> TOMLValue? {
        if case .table(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}

/// A parse error with its line.
public struct TOMLError: Error, Sendable {
    public var line: Int
    public var message: String
}

/// Parses the subset of TOML that manifests use: comments, `key = value` with bare or quoted
/// keys, basic strings ("..." with \\ \" \n \t escapes), literal strings ('...'), integers (decimal,
/// 0x hex, with _ separators), booleans, arrays (may span lines), inline tables, `[table]` and
/// `[[array.of.tables]]` headers. Dates, floats and dotted keys are not supported.
public struct MiniTOML {
    private var chars: [Character]
    private var pos = 0
    private var line = 1

    public static func parse(_ text: String) throws(TOMLError) -> TOMLValue {
        var p = MiniTOML(chars: Array(text))
        return try p.document()
    }

    private init(chars: [Character]) { self.chars = chars }

    private mutating func document() throws(TOMLError) -> TOMLValue {
        var root: [(String, TOMLValue)] = []
        // Path of the table that `key = value` lines go to; `arrayTable` if the last element of an
        // array of tables is open.
        var current: [String] = []
        var currentIsArray = false
        while true {
            skipBlankLinesAndComments()
            guard pos < chars.count else { break }
            let startLine = line
            if chars[pos] == "[" {
                let isArray = pos + 1 < chars.count && chars[pos + 1] == "["
                pos += isArray ? 2 : 1
                skipSpaces()
                var path: [String] = [try key()]
                skipSpaces()
                while pos < chars.count && chars[pos] == "." { pos += 1; skipSpaces(); path.append(try key()); skipSpaces() }
                try expect("]")
                if isArray { try expect("]") }
                try endOfLine()
                if isArray {
                    try Self.appendArrayTable(&root, path, line: startLine)
                } else {
                    try Self.createTable(&root, path, line: startLine)
                }
                current = path
                currentIsArray = isArray
                continue
            }
            let k = try key()
            skipSpaces()
            try expect("=")
            skipSpaces()
            let v = try value()
            try endOfLine()
            try Self.insert(&root, current, currentIsArray, k, v, line: startLine)
        }
        return .table(root)
    }

    // MARK: table construction

    private static func createTable(_ t: inout [(String, TOMLValue)], _ path: [String], line: Int) throws(TOMLError) {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        if let i = t.firstIndex(where: { $0.0 == first }) {
            guard case .table(var sub) = t[i].1 else {
                if rest.isEmpty { throw TOMLError(line: line, message: "table [\(first)] is already defined as a value") }
                if case .array(var arr) = t[i].1, case .table(var last)? = arr.last {
                    try createTable(&last, rest, line: line); arr[arr.count - 1] = .table(last); t[i].1 = .array(arr); return
                }
                throw TOMLError(line: line, message: "\(first) is not a table")
            }
            if rest.isEmpty { throw TOMLError(line: line, message: "table [\(first)] is defined twice") }
            try createTable(&sub, rest, line: line)
            t[i].1 = .table(sub)
        } else {
            var sub: [(String, TOMLValue)] = []
            if !rest.isEmpty { try createTable(&sub, rest, line: line) }
            t.append((first, .table(sub)))
        }
    }

    private static func appendArrayTable(_ t: inout [(String, TOMLValue)], _ path: [String], line: Int) throws(TOMLError) {
        let first = path[0]
        if path.count == 1 {
            if let i = t.firstIndex(where: { $0.0 == first }) {
                guard case .array(var arr) = t[i].1 else { throw TOMLError(line: line, message: "\(first) is not an array of tables") }
                arr.append(.table([])); t[i].1 = .array(arr)
            } else {
                t.append((first, .array([.table([])])))
            }
            return
        }
        guard let i = t.firstIndex(where: { $0.0 == first }) else {
            var sub: [(String, TOMLValue)] = []
            try appendArrayTable(&sub, Array(path.dropFirst()), line: line)
            t.append((first, .table(sub)))
            return
        }
        switch t[i].1 {
        case .table(var sub):
            try appendArrayTable(&sub, Array(path.dropFirst()), line: line); t[i].1 = .table(sub)
        case .array(var arr):
            guard case .table(var last)? = arr.last else { throw TOMLError(line: line, message: "\(first) is not a table") }
            try appendArrayTable(&last, Array(path.dropFirst()), line: line)
            arr[arr.count - 1] = .table(last); t[i].1 = .array(arr)
        default:
            throw TOMLError(line: line, message: "\(first) is not a table")
        }
    }

    private static func insert(_ t: inout [(String, TOMLValue)], _ path: [String], _ isArray: Bool, _ key: String,
                               _ value: TOMLValue, line: Int) throws(TOMLError) {
        if path.isEmpty {
            if t.contains(where: { $0.0 == key }) { throw TOMLError(line: line, message: "key \(key) is defined twice") }
            t.append((key, value))
            return
        }
        guard let i = t.firstIndex(where: { $0.0 == path[0] }) else { throw TOMLError(line: line, message: "no table \(path[0])") }
        switch t[i].1 {
        case .table(var sub):
            try insert(&sub, Array(path.dropFirst()), isArray, key, value, line: line); t[i].1 = .table(sub)
        case .array(var arr):
            guard case .table(var last)? = arr.last else { throw TOMLError(line: line, message: "\(path[0]) is not a table") }
            try insert(&last, Array(path.dropFirst()), isArray, key, value, line: line)
            arr[arr.count - 1] = .table(last); t[i].1 = .array(arr)
        default:
            throw TOMLError(line: line, message: "\(path[0]) is not a table")
        }
    }

    // MARK: lexing

    private mutating func key() throws(TOMLError) -> String {
        guard pos < chars.count else { throw TOMLError(line: line, message: "expected a key") }
        if chars[pos] == "\"" { return try basicString() }
        if chars[pos] == "'" { return try literalString() }
        var k = ""
        while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || chars[pos] == "_" || chars[pos] == "-" {
            k.append(chars[pos]); pos += 1
        }
        if k.isEmpty { throw TOMLError(line: line, message: "expected a key, found \"\(chars[pos])\"") }
        return k
    }

    private mutating func value() throws(TOMLError) -> TOMLValue {
        guard pos < chars.count else { throw TOMLError(line: line, message: "expected a value") }
        switch chars[pos] {
        case "\"": return .string(try basicString())
        case "'": return .string(try literalString())
        case "[": return try array()
        case "{": return try inlineTable()
        case "t", "f":
            if match("true") { return .bool(true) }
            if match("false") { return .bool(false) }
        default:
            if let n = integer() { return .integer(n) }
        }
        throw TOMLError(line: line, message: "unsupported value starting with \"\(chars[pos])\" (strings must be quoted)")
    }

    private mutating func array() throws(TOMLError) -> TOMLValue {
        pos += 1
        var items: [TOMLValue] = []
        while true {
            skipWhitespaceAndComments()
            guard pos < chars.count else { throw TOMLError(line: line, message: "unterminated array") }
            if chars[pos] == "]" { pos += 1; return .array(items) }
            items.append(try value())
            skipWhitespaceAndComments()
            if pos < chars.count && chars[pos] == "," { pos += 1; continue }
            skipWhitespaceAndComments()
            try expect("]")
            return .array(items)
        }
    }

    private mutating func inlineTable() throws(TOMLError) -> TOMLValue {
        pos += 1
        var pairs: [(String, TOMLValue)] = []
        while true {
            skipWhitespaceAndComments()
            guard pos < chars.count else { throw TOMLError(line: line, message: "unterminated inline table") }
            if chars[pos] == "}" { pos += 1; return .table(pairs) }
            let k = try key()
            skipSpaces(); try expect("="); skipSpaces()
            let v = try value()
            if pairs.contains(where: { $0.0 == k }) { throw TOMLError(line: line, message: "key \(k) is defined twice") }
            pairs.append((k, v))
            skipWhitespaceAndComments()
            if pos < chars.count && chars[pos] == "," { pos += 1 }
        }
    }

    private mutating func basicString() throws(TOMLError) -> String {
        pos += 1
        var s = ""
        while pos < chars.count {
            let c = chars[pos]; pos += 1
            if c == "\"" { return s }
            if c == "\n" { break }
            if c == "\\" {
                guard pos < chars.count else { break }
                let e = chars[pos]; pos += 1
                switch e {
                case "n": s.append("\n")
                case "t": s.append("\t")
                case "\\": s.append("\\")
                case "\"": s.append("\"")
                default: throw TOMLError(line: line, message: "unsupported escape \\\(e)")
                }
            } else {
                s.append(c)
            }
        }
        throw TOMLError(line: line, message: "unterminated string")
    }

    private mutating func literalString() throws(TOMLError) -> String {
        pos += 1
        var s = ""
        while pos < chars.count {
            let c = chars[pos]; pos += 1
            if c == "'" { return s }
            if c == "\n" { break }
            s.append(c)
        }
        throw TOMLError(line: line, message: "unterminated string")
    }

    private mutating func integer() -> Int64? {
        var text = ""
        var p = pos
        if p < chars.count && (chars[p] == "-" || chars[p] == "+") { text.append(chars[p]); p += 1 }
        var radix = 10
        if p + 1 < chars.count && chars[p] == "0" && chars[p + 1] == "x" { radix = 16; p += 2 }
        while p < chars.count, chars[p].isHexDigit || chars[p] == "_" {
            if chars[p] != "_" { text.append(chars[p]) }
            p += 1
        }
        guard let n = Int64(text, radix: radix) else { return nil }
        pos = p
        return n
    }

    private mutating func match(_ word: String) -> Bool {
        let w = Array(word)
        guard pos + w.count <= chars.count, Array(chars[pos..<pos + w.count]) == w else { return false }
        pos += w.count
        return true
    }

    private mutating func expect(_ c: Character) throws(TOMLError) {
        guard pos < chars.count, chars[pos] == c else {
            let found = pos < chars.count ? "\"\(chars[pos])\"" : "end of file"
            throw TOMLError(line: line, message: "expected \"\(c)\", found \(found)")
        }
        pos += 1
    }

    private mutating func endOfLine() throws(TOMLError) {
        skipSpaces()
        if pos < chars.count && chars[pos] == "#" { while pos < chars.count && chars[pos] != "\n" { pos += 1 } }
        if pos < chars.count {
            guard chars[pos] == "\n" || chars[pos] == "\r\n" else {
                throw TOMLError(line: line, message: "unexpected \"\(chars[pos])\" after the value")
            }
            pos += 1; line += 1
        }
    }

    private mutating func skipSpaces() {
        while pos < chars.count && (chars[pos] == " " || chars[pos] == "\t") { pos += 1 }
    }

    private mutating func skipWhitespaceAndComments() {
        while pos < chars.count {
            let c = chars[pos]
            if c == " " || c == "\t" { pos += 1 } else if c == "\n" || c == "\r\n" { pos += 1; line += 1 } else if c == "#" {
                while pos < chars.count && chars[pos] != "\n" && chars[pos] != "\r\n" { pos += 1 }
            } else { break }
        }
    }

    private mutating func skipBlankLinesAndComments() { skipWhitespaceAndComments() }
}
