/// A place in a TOML document: 1-based line and column, the column counted in Unicode scalars.
public struct TOMLPosition: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a document, for what has no place of its own (a key that is missing).
    public static let start = TOMLPosition(line: 1, column: 1)

    /// `line:column`, as compilers print it.
    public var description: String { "\(line):\(column)" }

    public static func < (a: TOMLPosition, b: TOMLPosition) -> Bool { (a.line, a.column) < (b.line, b.column) }
}

/// A document that is not TOML 1.0, with the place where the parser found out.
public struct TOMLError: Error, Sendable, CustomStringConvertible {
    public var position: TOMLPosition
    public var message: String

    public init(_ message: String, at position: TOMLPosition) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(position): \(message)" }
}

/// A TOML 1.0 value.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    /// An offset date-time, a local date-time, a local date or a local time.
    case dateTime(TOMLDateTime)
    case array(TOMLArray)
    case table(TOMLTable)

    /// The value at `key` if this is a table that has it.
    public subscript(key: String) -> TOMLValue? {
        if case .table(let t) = self { return t[key] }
        return nil
    }

    /// The value's TOML type with an article, for messages: "a string", "an integer", ...
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .bool: return "a boolean"
        case .dateTime(let d): return d.typeName
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

/// A table: its keys in the order the document defines them, each with its place.
public struct TOMLTable: Sendable, Equatable {
    /// One key of a table.
    public struct Entry: Sendable {
        public var key: String
        public var value: TOMLValue
        /// The key's first character (for a table made by a header, the key's part in the header).
        public var keyPosition: TOMLPosition
        /// The value's first character; for a table or an array of tables, its (first) header.
        public var valuePosition: TOMLPosition
    }

    public var entries: [Entry]
    /// Where the table was opened: its header, its `{`, or the document's start.
    public var position: TOMLPosition

    public init(entries: [Entry] = [], position: TOMLPosition = .start) {
        self.entries = entries
        self.position = position
    }

    /// The entry for `key`. Keys are compared scalar by scalar, as TOML does (no normalization).
    public func entry(_ key: String) -> Entry? {
        entries.first { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }
    }

    public subscript(key: String) -> TOMLValue? { entry(key)?.value }

    /// Equal keys, in the same order, with equal values; places are not compared.
    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key.unicodeScalars.elementsEqual($1.key.unicodeScalars) && $0.value == $1.value }
    }
}

/// An array: its elements, each with its place.
public struct TOMLArray: Sendable, Equatable {
    /// One element and where it starts.
    public struct Element: Sendable {
        public var value: TOMLValue
        public var position: TOMLPosition
    }

    public var elements: [Element]

    public init(elements: [Element] = []) { self.elements = elements }

    /// The elements' values.
    public var values: [TOMLValue] { elements.map(\.value) }

    /// Equal values in the same order; places are not compared.
    public static func == (a: TOMLArray, b: TOMLArray) -> Bool { a.values == b.values }
}

/// A TOML date, time or date-time. Fractions of a second are kept to the microsecond.
public struct TOMLDateTime: Sendable, Equatable, CustomStringConvertible {
    public struct Date: Sendable, Equatable {
        public var year: Int, month: Int, day: Int
    }

    public struct Time: Sendable, Equatable {
        public var hour: Int, minute: Int, second: Int, microsecond: Int
    }

    public var date: Date?
    public var time: Time?
    /// Minutes east of UTC for an offset date-time; nil for local ones.
    public var offsetMinutes: Int?

    var typeName: String {
        switch (date != nil, time != nil, offsetMinutes != nil) {
        case (true, true, true): return "an offset date-time"
        case (true, true, false): return "a local date-time"
        case (true, false, _): return "a local date"
        default: return "a local time"
        }
    }

    /// ISO 8601 text: `1979-05-27T07:32:00.999999-07:00`, the fraction only when not zero.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var parts: [String] = []
        if let d = date { parts.append("\(pad(d.year, 4))-\(pad(d.month, 2))-\(pad(d.day, 2))") }
        if let t = time {
            var s = "\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2))"
            if t.microsecond != 0 { s += "." + pad(t.microsecond, 6) }
            if let off = offsetMinutes {
                s += (off < 0 ? "-" : "+") + "\(pad(abs(off) / 60, 2)):\(pad(abs(off) % 60, 2))"
            }
            parts.append(s)
        }
        return parts.joined(separator: "T")
    }
}
