/// The text of a TOML document as Unicode scalars (CRLF read as LF), a cursor into it, and the
/// character classes and skips of TOML 1.0. Places are computed from a table of line starts.
struct TOMLScanner {
    /// The deepest nesting of tables and arrays a document may have: deeper input is refused
    /// rather than recursed into.
    static let maxDepth = 100

    let src: [Unicode.Scalar]
    var pos = 0
    /// Current nesting of keys, arrays and inline tables (see `maxDepth`).
    private(set) var depth = 0
    private let lineStarts: [Int]

    init(_ text: String) {
        var s: [Unicode.Scalar] = []
        s.reserveCapacity(text.unicodeScalars.count)
        var pendingCR = false
        for c in text.unicodeScalars {
            if pendingCR && c != "\n" { s.append("\r") }
            pendingCR = c == "\r"
            if !pendingCR { s.append(c) }
        }
        if pendingCR { s.append("\r") }
        var starts = [0]
        for (i, c) in s.enumerated() where c == "\n" { starts.append(i + 1) }
        src = s
        lineStarts = starts
    }

    // MARK: places and errors

    /// The line and column of offset `at`.
    func position(_ at: Int) -> TOMLPosition {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= at { lo = mid } else { hi = mid - 1 }
        }
        return TOMLPosition(line: lo + 1, column: at - lineStarts[lo] + 1)
    }

    var position: TOMLPosition { position(pos) }

    func error(_ message: String, at offset: Int? = nil) -> TOMLError {
        TOMLError(message, at: position(offset ?? pos))
    }

    /// `c` as a message shows it: printable characters quoted, the rest as U+XXXX.
    static func describe(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "the end of the file" }
        if c == "\n" { return "the end of the line" }
        if isControl(c) { return "control character U+\(hex(c.value, 4))" }
        if c == "\u{FEFF}" { return "a byte-order mark (U+FEFF; save the file as UTF-8 without one)" }
        switch c.properties.generalCategory {
        case .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .nonspacingMark, .unassigned, .privateUse:
            return "invisible character U+\(hex(c.value, 4))"
        default: break
        }
        return "'\(c)'"
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    // MARK: looking

    var current: Unicode.Scalar? { pos < src.count ? src[pos] : nil }

    func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < src.count ? src[i] : nil }

    /// True if the text at `offset` (default: the cursor) begins with `s`.
    func startsWith(_ s: String, at offset: Int? = nil) -> Bool {
        var i = offset ?? pos
        for c in s.unicodeScalars {
            guard i < src.count, src[i] == c else { return false }
            i += 1
        }
        return true
    }

    // MARK: character classes

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || c.value == 0x7F }

    static func isBareKey(_ c: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(c) || ("a"..."z").contains(c) || isDigit(c) || c == "-" || c == "_"
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    static func isHexDigit(_ c: Unicode.Scalar) -> Bool { isDigit(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c) }

    // MARK: skipping

    mutating func skipSpaces() {
        while let c = current, Self.isSpace(c) { pos += 1 }
    }

    /// Skips a `#` comment up to (not over) the end of its line; control characters other than
    /// tab are not allowed in it.
    mutating func skipComment() throws(TOMLError) {
        guard current == "#" else { return }
        pos = try skipUntil(
            "\n", from: pos + 1, refusing: { Self.isControl($0) && $0 != "\t" }, what: "a comment",
            mustFind: false)
    }

    /// Skips spaces, newlines and comments, as between the elements of an array.
    mutating func skipArrayWhitespace() throws(TOMLError) {
        while true {
            let before = pos
            while let c = current, Self.isSpace(c) || c == "\n" { pos += 1 }
            try skipComment()
            if pos == before { return }
        }
    }

    /// The offset of the next `end` from `from` (the end of the text if there is none and
    /// `mustFind` is false); a refused character before it is an error.
    func skipUntil(
        _ end: String, from: Int, refusing: (Unicode.Scalar) -> Bool, what: String,
        mustFind: Bool
    ) throws(TOMLError) -> Int {
        var found = from
        while found < src.count && !startsWith(end, at: found) { found += 1 }
        if found >= src.count && mustFind { throw error("unterminated \(what): no closing \(end)", at: from - 1) }
        if let bad = (from..<found).first(where: { refusing(src[$0]) }) {
            let advice = src[bad] == "\n" ? "; a string that spans lines needs triple quotes" : ""
            throw error("\(Self.describe(src[bad])) is not allowed in \(what)\(advice)", at: bad)
        }
        return found
    }

    // MARK: nesting

    /// Goes `levels` deeper; refuses to pass `maxDepth`.
    mutating func enter(_ levels: Int) throws(TOMLError) {
        depth += levels
        if depth > Self.maxDepth { throw error("nested more than \(Self.maxDepth) tables and arrays deep") }
    }

    mutating func leave(_ levels: Int) { depth -= levels }
}
