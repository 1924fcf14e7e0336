/// A TOML 1.0 parser (https://toml.io/en/v1.0.0) that keeps the place of every key and value, so
/// that what reads a document can say where a key is wrong. Integers must fit in 64 bits, as the
/// specification requires; fractions of a second are kept to the microsecond. A differential test
/// (Tests/toml/) holds it to Python's `tomllib` on generated valid and invalid documents.
public enum TOMLParser {
    /// Parses a whole document.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var s = TOMLScanner(text)
        let doc = TOMLTree(position: .start)
        var flags = TOMLFlags()
        var header: [TOMLKeyPart] = []
        while true {
            s.skipSpaces()
            guard let c = s.current else { break }
            if c == "\n" {
                s.pos += 1
                continue
            }
            let statement = s.pos
            if TOMLScanner.isBareKey(c) || c == "\"" || c == "'" {
                try keyValue(&s, into: doc, &flags, header: header)
            } else if c == "[" {
                flags.finalizePending()
                if s.at(s.pos + 1) == "[" {
                    header = try arrayTableHeader(&s, doc, &flags)
                } else {
                    header = try tableHeader(&s, doc, &flags)
                }
            } else if c != "#" {
                throw s.error("expected a key, a [table] or an [[array of tables]], found \(TOMLScanner.describe(c))")
            }
            s.skipSpaces()
            try s.skipComment()
            if let c = s.current, c != "\n" {
                let what = s.src[statement] == "[" ? "the header" : "the value"
                throw s.error("\(TOMLScanner.describe(c)) after \(what): expected the end of the line (one statement per line)")
            }
            s.pos += 1
        }
        return doc.table()
    }

    // MARK: statements

    /// `key = value` in the section `header`.
    private static func keyValue(
        _ s: inout TOMLScanner, into doc: TOMLTree, _ flags: inout TOMLFlags,
        header: [TOMLKeyPart]
    ) throws(TOMLError) {
        let (key, value, valuePosition) = try keyValuePair(&s, depth: header.count)
        guard let stem = key.last else { return }
        let names = header.map(\.name)
        for i in 1..<key.count {
            let path = names + key[..<i].map(\.name)
            if flags.isSet(path, .explicitNest) {
                throw TOMLError(
                    "\(TOMLKeyPart.render(header + key[..<i])) is a table with a [header] of its own; "
                        + "a dotted key from another section cannot add to it", at: key[i - 1].position)
            }
            flags.addPending(path, .explicitNest)
        }
        let parent = header + key.dropLast()
        if flags.isSet(parent.map(\.name), .frozen) {
            throw TOMLError("\(TOMLKeyPart.render(parent)) is an inline table or an array: it cannot be extended", at: stem.position)
        }
        let nest = try doc.nest(parent, accessLists: true)
        try defineOnce(nest, stem, value, valuePosition, name: header + key)
        switch value {
        case .table, .array: flags.set(names + key.map(\.name), .frozen, recursive: true)
        default: break
        }
    }

    /// Stores `stem = value` in `nest`, refusing a key the table already has.
    static func defineOnce(
        _ nest: TOMLTree, _ stem: TOMLKeyPart, _ value: TOMLValue, _ valuePosition: TOMLPosition,
        name: [TOMLKeyPart]
    ) throws(TOMLError) {
        switch nest.slot(stem.name) {
        case nil: nest.set(stem.name, .value(value, key: stem.position, value: valuePosition))
        case .value(_, let first, _), .table(_, let first), .tables(_, let first):
            throw TOMLError("\(TOMLKeyPart.render(name)) is defined twice (first at \(first)): keep one", at: stem.position)
        }
    }

    /// `[key]`.
    private static func tableHeader(_ s: inout TOMLScanner, _ doc: TOMLTree, _ flags: inout TOMLFlags) throws(TOMLError) -> [TOMLKeyPart] {
        let bracket = s.position
        s.pos += 1
        s.skipSpaces()
        let key = try self.key(&s)
        let names = key.map(\.name)
        if flags.isSet(names, .frozen) {
            throw TOMLError("[\(TOMLKeyPart.render(key))]: it is an inline table or an array, closed to a header", at: bracket)
        }
        if flags.isSet(names, .explicitNest) {
            throw TOMLError(
                "table [\(TOMLKeyPart.render(key))] is already defined, by an earlier header or dotted keys: "
                    + "put its keys together under one header", at: bracket)
        }
        flags.set(names, .explicitNest, recursive: false)
        _ = try doc.nest(key, accessLists: true, stemPosition: bracket)
        guard s.current == "]" else { throw s.error("expected ']' at the end of the table header, found \(TOMLScanner.describe(s.current))") }
        s.pos += 1
        return key
    }

    /// `[[key]]`.
    private static func arrayTableHeader(_ s: inout TOMLScanner, _ doc: TOMLTree, _ flags: inout TOMLFlags) throws(TOMLError) -> [TOMLKeyPart] {
        let bracket = s.position
        s.pos += 2
        s.skipSpaces()
        let key = try self.key(&s)
        let names = key.map(\.name)
        if flags.isSet(names, .frozen) {
            throw TOMLError(
                "[[\(TOMLKeyPart.render(key))]]: it is an inline table or an array written as a value; "
                    + "it cannot be extended", at: bracket)
        }
        flags.unsetAll(names)
        flags.set(names, .explicitNest, recursive: false)
        try doc.appendTable(key, position: bracket)
        guard s.startsWith("]]") else {
            throw s.error("expected ']]' at the end of the array-of-tables header, found \(TOMLScanner.describe(s.current))")
        }
        s.pos += 2
        return key
    }

    // MARK: keys

    /// `key = value`, nested `depth` levels deep already.
    static func keyValuePair(_ s: inout TOMLScanner, depth: Int) throws(TOMLError) -> ([TOMLKeyPart], TOMLValue, TOMLPosition) {
        let key = try self.key(&s)
        guard s.current == "=" else {
            throw s.error("expected '=' after the key \(TOMLKeyPart.render(key)), found \(TOMLScanner.describe(s.current))")
        }
        s.pos += 1
        s.skipSpaces()
        try s.enter(depth + key.count)
        let position = s.position
        let value = try self.value(&s)
        s.leave(depth + key.count)
        return (key, value, position)
    }

    /// A key: bare, quoted or dotted; spaces after it are skipped.
    static func key(_ s: inout TOMLScanner) throws(TOMLError) -> [TOMLKeyPart] {
        var parts = [try keyPart(&s)]
        s.skipSpaces()
        while s.current == "." {
            s.pos += 1
            s.skipSpaces()
            parts.append(try keyPart(&s))
            s.skipSpaces()
            if parts.count > TOMLScanner.maxDepth { throw s.error("a key of more than \(TOMLScanner.maxDepth) parts") }
        }
        return parts
    }

    private static func keyPart(_ s: inout TOMLScanner) throws(TOMLError) -> TOMLKeyPart {
        let position = s.position
        switch s.current {
        case let c? where TOMLScanner.isBareKey(c):
            let start = s.pos
            while let c = s.current, TOMLScanner.isBareKey(c) { s.pos += 1 }
            return TOMLKeyPart(name: Array(s.src[start..<s.pos]), position: position)
        case "'":
            return TOMLKeyPart(name: try literalString(&s), position: position)
        case "\"":
            s.pos += 1
            return TOMLKeyPart(name: try basicString(&s, multiline: false), position: position)
        default:
            throw s.error("expected a key (letters, digits, '-', '_', or a quoted string), found \(TOMLScanner.describe(s.current))")
        }
    }

    // MARK: values

    static func value(_ s: inout TOMLScanner) throws(TOMLError) -> TOMLValue {
        let start = s.pos
        switch s.current {
        case "\"":
            if s.startsWith("\"\"\"") { return .string(String(String.UnicodeScalarView(try multilineString(&s, literal: false)))) }
            s.pos += 1
            return .string(String(String.UnicodeScalarView(try basicString(&s, multiline: false))))
        case "'":
            if s.startsWith("'''") { return .string(String(String.UnicodeScalarView(try multilineString(&s, literal: true)))) }
            return .string(String(String.UnicodeScalarView(try literalString(&s))))
        case "t" where s.startsWith("true"):
            s.pos += 4
            return .bool(true)
        case "f" where s.startsWith("false"):
            s.pos += 5
            return .bool(false)
        case "[":
            return try array(&s)
        case "{":
            return try inlineTable(&s)
        default:
            if let v = try dateTime(&s) { return v }
            if let v = try number(&s) { return v }
            let hint = s.current.map { TOMLScanner.isBareKey($0) } == true ? " (strings must be quoted)" : ""
            throw s.error("expected a value, found \(TOMLScanner.describe(s.current))\(hint)", at: start)
        }
    }

    private static func array(_ s: inout TOMLScanner) throws(TOMLError) -> TOMLValue {
        let open = s.pos
        try s.enter(1)
        s.pos += 1
        var elements: [TOMLArray.Element] = []
        try s.skipArrayWhitespace()
        while s.current != "]" {
            let position = s.position
            elements.append(TOMLArray.Element(value: try value(&s), position: position))
            try s.skipArrayWhitespace()
            if s.current == "]" { break }
            guard s.current == "," else {
                if s.current == nil { throw s.error("unterminated array: no closing ']'", at: open) }
                throw s.error("expected ',' or ']' after an array element, found \(TOMLScanner.describe(s.current))")
            }
            s.pos += 1
            try s.skipArrayWhitespace()
        }
        s.pos += 1
        s.leave(1)
        return .array(TOMLArray(elements: elements))
    }

    /// `{ key = value, ... }` on one line, without a trailing comma.
    private static func inlineTable(_ s: inout TOMLScanner) throws(TOMLError) -> TOMLValue {
        let table = TOMLTree(position: s.position)
        let flags = TOMLFlags()
        try s.enter(1)
        s.pos += 1
        s.skipSpaces()
        if s.current == "}" {
            s.pos += 1
            s.leave(1)
            return .table(table.table())
        }
        while true {
            let (key, value, valuePosition) = try keyValuePair(&s, depth: 0)
            guard let stem = key.last else { break }
            if flags.isSet(key.map(\.name), .frozen) {
                throw TOMLError("\(TOMLKeyPart.render(key.dropLast())) is an inline table or an array: it cannot be extended", at: stem.position)
            }
            let nest = try table.nest(key.dropLast(), accessLists: false)
            try defineOnce(nest, stem, value, valuePosition, name: key)
            s.skipSpaces()
            if s.current == "}" { break }
            guard s.current == "," else {
                throw s.error(
                    "expected ',' or '}' in the inline table, found \(TOMLScanner.describe(s.current)) "
                        + "(keys are separated by commas, and an inline table stays on one line)")
            }
            switch value {
            case .table, .array: flags.set(key.map(\.name), .frozen, recursive: true)
            default: break
            }
            s.pos += 1
            s.skipSpaces()
        }
        s.pos += 1
        s.leave(1)
        return .table(table.table())
    }
}
