/// One integer field of an ELF image, located by its byte offset: what the boundary mutator sets.
public struct ELFField: Sendable, Hashable {
    /// Where the field lives and what it is, e.g. `shdr[5 .dynsym].sh_size` or `dynsym[3].st_value`.
    public var name: String
    /// Byte offset of the field in the file.
    public var offset: Int
    /// Width in bytes: 1, 2, 4 or 8.
    public var width: Int
    /// The field holds a virtual address that a rebase moves (p_vaddr, sh_addr, st_value, ...).
    public var isAddress: Bool

    public init(name: String, offset: Int, width: Int, isAddress: Bool = false) {
        self.name = name
        self.offset = offset
        self.width = width
        self.isAddress = isAddress
    }

    /// The largest value the field can hold.
    public var maxValue: UInt64 { width >= 8 ? .max : (1 << UInt64(width * 8)) - 1 }
    /// The field's sign bit.
    public var signBit: UInt64 { 1 << UInt64(width * 8 - 1) }
}

/// Bounds-checked, endian-aware reads and writes of the fields the mutator enumerates. Every read
/// of a value taken from the file is checked: the enumerator walks hostile images too (the fuzz
/// campaign hands it mutants of mutants).
struct FieldBytes {
    var bytes: [UInt8]
    let littleEndian: Bool
    let is64: Bool

    var wordSize: Int { is64 ? 8 : 4 }

    func read(_ offset: Int, _ width: Int) -> UInt64? {
        guard offset >= 0, width > 0, offset <= bytes.count - width else { return nil }
        var value: UInt64 = 0
        for i in 0..<width {
            let b = UInt64(bytes[littleEndian ? offset + width - 1 - i : offset + i])
            value = value << 8 | b
        }
        return value
    }

    func word(_ offset: Int) -> UInt64? { read(offset, wordSize) }

    /// An offset read from the file, as an Int when it names a place inside the file.
    func offset(_ value: UInt64?) -> Int? {
        guard let value, value <= UInt64(bytes.count) else { return nil }
        return Int(value)
    }

    mutating func write(_ offset: Int, _ width: Int, _ value: UInt64) {
        guard offset >= 0, width > 0, offset <= bytes.count - width else { return }
        for i in 0..<width {
            let b = UInt8(truncatingIfNeeded: value >> UInt64(8 * i))
            bytes[littleEndian ? offset + i : offset + width - 1 - i] = b
        }
    }

    /// A NUL-terminated name at `offset`, at most 64 bytes, for field labels.
    func name(_ offset: Int) -> String {
        guard offset >= 0, offset < bytes.count else { return "?" }
        let end = min(bytes.count, offset + 64)
        let raw = bytes[offset..<end].prefix { $0 != 0 }
        return String(decoding: raw, as: UTF8.self)
    }
}
