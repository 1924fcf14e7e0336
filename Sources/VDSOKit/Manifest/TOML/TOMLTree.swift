/// One part of a dotted key, with its place.
struct TOMLKeyPart {
    var name: [Unicode.Scalar]
    var position: TOMLPosition

    /// A key as a message shows it: `a.b`, `a."x y"`.
    static func render(_ key: some Sequence<TOMLKeyPart>) -> String {
        key.map { part in
            let s = String(String.UnicodeScalarView(part.name))
            return !part.name.isEmpty && part.name.allSatisfy(TOMLScanner.isBareKey) ? s : "\"\(s)\""
        }.joined(separator: ".")
    }
}

/// A table under construction: the document's, a header's, a dotted key's or an inline table's.
/// Keys are whole scalar sequences, so keys that differ only in normalization stay apart.
final class TOMLTree {
    enum Slot {
        /// A `key = value`: a string, number, ..., array or inline table, never extended later.
        case value(TOMLValue, key: TOMLPosition, value: TOMLPosition)
        case table(TOMLTree, key: TOMLPosition)
        case tables([TOMLTree], key: TOMLPosition)
    }

    let position: TOMLPosition
    private var order: [[Unicode.Scalar]] = []
    private var slots: [[Unicode.Scalar]: Slot] = [:]

    init(position: TOMLPosition) { self.position = position }

    func slot(_ name: [Unicode.Scalar]) -> Slot? { slots[name] }

    func set(_ name: [Unicode.Scalar], _ slot: Slot) {
        if slots.updateValue(slot, forKey: name) == nil { order.append(name) }
    }

    /// The table at `key`, creating the tables that do not exist yet; with `accessLists`, an array
    /// of tables stands for its last table. `stemPosition` is the place of a table made for the
    /// last part (a header's bracket).
    func nest(_ key: some Collection<TOMLKeyPart>, accessLists: Bool, stemPosition: TOMLPosition? = nil) throws(TOMLError) -> TOMLTree {
        var cont = self
        var walked: [TOMLKeyPart] = []
        for (i, part) in key.enumerated() {
            walked.append(part)
            switch cont.slots[part.name] {
            case nil:
                let t = TOMLTree(position: i == key.count - 1 ? (stemPosition ?? part.position) : part.position)
                cont.set(part.name, .table(t, key: part.position))
                cont = t
            case .table(let t, _):
                cont = t
            case .tables(let ts, let first) where accessLists:
                guard let last = ts.last else { throw TOMLError("\(TOMLKeyPart.render(walked)) is empty", at: first) }
                cont = last
            case .tables(_, let first):
                throw TOMLError("\(TOMLKeyPart.render(walked)) is an array of tables (at \(first)); a dotted key cannot extend it", at: part.position)
            case .value(let v, let first, _):
                throw TOMLError("\(TOMLKeyPart.render(walked)) is already \(v.typeName) (at \(first)); it cannot also be a table", at: part.position)
            }
        }
        return cont
    }

    /// `[[key]]`: a new, empty table at the end of the array of tables `key`.
    func appendTable(_ key: [TOMLKeyPart], position: TOMLPosition) throws(TOMLError) {
        guard let stem = key.last else { return }
        let parent = try nest(key.dropLast(), accessLists: true)
        let name = TOMLKeyPart.render(key)
        switch parent.slot(stem.name) {
        case nil:
            parent.set(stem.name, .tables([TOMLTree(position: position)], key: stem.position))
        case .tables(var ts, let first):
            ts.append(TOMLTree(position: position))
            parent.set(stem.name, .tables(ts, key: first))
        case .table(let t, _):
            throw TOMLError("[[\(name)]]: \(name) is already a table (at \(t.position)), not an array of tables", at: stem.position)
        case .value(let v, let first, _):
            throw TOMLError("[[\(name)]]: \(name) is already \(v.typeName) (at \(first)), not an array of tables", at: stem.position)
        }
    }

    /// The finished table.
    func table() -> TOMLTable {
        var entries: [TOMLTable.Entry] = []
        for name in order {
            guard let slot = slots[name] else { continue }
            let key = String(String.UnicodeScalarView(name))
            switch slot {
            case .value(let v, let k, let p):
                entries.append(.init(key: key, value: v, keyPosition: k, valuePosition: p))
            case .table(let t, let k):
                entries.append(.init(key: key, value: .table(t.table()), keyPosition: k, valuePosition: t.position))
            case .tables(let ts, let k):
                let elements = ts.map { TOMLArray.Element(value: .table($0.table()), position: $0.position) }
                entries.append(
                    .init(
                        key: key, value: .array(TOMLArray(elements: elements)), keyPosition: k,
                        valuePosition: ts.first?.position ?? k))
            }
        }
        return TOMLTable(entries: entries, position: position)
    }
}

/// Which tables a document may still define or extend: a table named by a header cannot be
/// named by another header or extended by dotted keys from elsewhere; a table or array written as
/// a value is closed. Flags are kept by key path; `[[key]]` starts a fresh table and clears
/// what was recorded under `key`. Tables made by dotted keys become closed to headers only after
/// the section that made them (the flags are pending until the next header).
struct TOMLFlags {
    struct Flag: OptionSet {
        let rawValue: UInt8
        /// A value: an inline table or an array, closed to every later addition.
        static let frozen = Flag(rawValue: 1)
        /// Defined by a header, or by dotted keys in an earlier section.
        static let explicitNest = Flag(rawValue: 2)
    }

    private final class Node {
        var flags: Flag = []
        var recursive: Flag = []
        var nested: [[Unicode.Scalar]: Node] = [:]
    }

    private let root = Node()
    private var pending: [([[Unicode.Scalar]], Flag)] = []

    mutating func addPending(_ key: [[Unicode.Scalar]], _ flag: Flag) { pending.append((key, flag)) }

    mutating func finalizePending() {
        for (key, flag) in pending { set(key, flag, recursive: false) }
        pending.removeAll()
    }

    func unsetAll(_ key: [[Unicode.Scalar]]) {
        guard let stem = key.last else { return }
        var cont = root
        for k in key.dropLast() {
            guard let n = cont.nested[k] else { return }
            cont = n
        }
        cont.nested[stem] = nil
    }

    func set(_ key: [[Unicode.Scalar]], _ flag: Flag, recursive: Bool) {
        var cont = root
        for k in key {
            let n = cont.nested[k] ?? Node()
            cont.nested[k] = n
            cont = n
        }
        if recursive { cont.recursive.insert(flag) } else { cont.flags.insert(flag) }
    }

    func isSet(_ key: [[Unicode.Scalar]], _ flag: Flag) -> Bool {
        guard let stem = key.last else { return false }
        var cont = root
        for k in key.dropLast() {
            guard let n = cont.nested[k] else { return false }
            if n.recursive.contains(flag) { return true }
            cont = n
        }
        guard let n = cont.nested[stem] else { return false }
        return n.flags.contains(flag) || n.recursive.contains(flag)
    }
}
