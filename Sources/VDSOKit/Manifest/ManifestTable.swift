/// One table of a manifest as the manifest reader sees it: typed look-ups whose errors name the
/// manifest, the line and column of the key or value at fault, what is wrong and what to write.
struct ManifestTable {
    let table: TOMLTable
    let path: String
    /// The table's dotted name in messages ("" for the top level, "check", "version").
    let name: String
    /// The table as an unknown-key message names it: "at the top level", "in [check]".
    let place: String

    func error(_ message: String, at position: TOMLPosition) -> VDSOError {
        .manifest(path: path, line: position.line, column: position.column, message: message)
    }

    /// `key` as messages name it: `check.profile`.
    func qualified(_ key: String) -> String { name.isEmpty ? key : "\(name).\(key)" }

    /// Refuses the first key that is not in `known`, naming the known ones and the closest.
    func refuseUnknownKeys(_ known: [String]) throws(VDSOError) {
        for e in table.entries where !known.contains(e.key) {
            let close = known.filter { Self.editDistance($0, e.key) <= 2 }.min { Self.editDistance($0, e.key) < Self.editDistance($1, e.key) }
            let hint = close.map { "; did you mean '\($0)'?" } ?? ""
            throw error("unknown key '\(e.key)' \(place) (known: \(known.joined(separator: ", ")))\(hint)", at: e.keyPosition)
        }
    }

    /// A value of the wrong type: what it must be, how to write it, and what it is.
    func wrongType(_ key: String, _ entry: TOMLTable.Entry, _ expected: String, example: String) -> VDSOError {
        error("\(qualified(key)) must be \(expected) (\(key) = \(example)), not \(entry.value.typeName)", at: entry.valuePosition)
    }

    func string(_ key: String, example: String) throws(VDSOError) -> (value: String, position: TOMLPosition)? {
        guard let e = table.entry(key) else { return nil }
        guard case .string(let s) = e.value else { throw wrongType(key, e, "a string", example: example) }
        return (s, e.valuePosition)
    }

    /// An array of strings; nil if the key is absent.
    func strings(_ key: String, example: String) throws(VDSOError) -> [(value: String, position: TOMLPosition)]? {
        guard let e = table.entry(key) else { return nil }
        guard case .array(let a) = e.value else { throw wrongType(key, e, "an array of strings", example: example) }
        var out: [(String, TOMLPosition)] = []
        for (i, element) in a.elements.enumerated() {
            guard case .string(let s) = element.value else {
                throw error("\(qualified(key))[\(i)] must be a string (\(key) = \(example)), not \(element.value.typeName)", at: element.position)
            }
            out.append((s, element.position))
        }
        return out
    }

    func bool(_ key: String) throws(VDSOError) -> Bool? {
        guard let e = table.entry(key) else { return nil }
        guard case .bool(let b) = e.value else { throw wrongType(key, e, "true or false", example: "true") }
        return b
    }

    func integer(_ key: String, example: String) throws(VDSOError) -> (value: Int64, position: TOMLPosition)? {
        guard let e = table.entry(key) else { return nil }
        guard case .integer(let n) = e.value else { throw wrongType(key, e, "an integer", example: example) }
        return (n, e.valuePosition)
    }

    /// A table (`[key]` or an inline table), read as `name.key`.
    func subtable(_ key: String, place: String, example: String) throws(VDSOError) -> ManifestTable? {
        guard let e = table.entry(key) else { return nil }
        guard case .table(let t) = e.value else { throw wrongType(key, e, "a table", example: example) }
        return ManifestTable(table: t, path: path, name: qualified(key), place: place)
    }

    /// An array of tables (`[[key]]`), each read as `name.key`.
    func tables(_ key: String, place: String) throws(VDSOError) -> [ManifestTable]? {
        guard let e = table.entry(key) else { return nil }
        let advice = "an array of tables: write each as a [[\(qualified(key))]] header followed by its keys"
        guard case .array(let a) = e.value else { throw error("\(qualified(key)) must be \(advice), not \(e.value.typeName)", at: e.valuePosition) }
        var out: [ManifestTable] = []
        for element in a.elements {
            guard case .table(let t) = element.value else {
                throw error("\(qualified(key)) must be \(advice), not an array holding \(element.value.typeName)", at: element.position)
            }
            out.append(ManifestTable(table: t, path: path, name: qualified(key), place: place))
        }
        return out
    }

    /// Levenshtein distance, for "did you mean" (keys are short).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let substitution = previous + (a[i - 1] == b[j - 1] ? 0 : 1)
                previous = row[j]
                row[j] = min(substitution, row[j] + 1, row[j - 1] + 1)
            }
        }
        return row[b.count]
    }
}
