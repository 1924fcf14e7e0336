/// Bounds-checked, endian-aware reads from the raw bytes of an ELF file.
///
/// Every read returns `nil` when it would leave the buffer, so code that walks tables named by
/// untrusted offsets (hash chains, version definitions, dynamic entries) cannot crash.
public struct ByteView: Sendable {
    public let bytes: [UInt8]
    public let littleEndian: Bool

    public init(_ bytes: [UInt8], littleEndian: Bool) {
        self.bytes = bytes
        self.littleEndian = littleEndian
    }

    public var count: Int { bytes.count }

    /// True if `[offset, offset + length)` lies inside the buffer.
    public func contains(_ offset: UInt64, _ length: UInt64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(length)
        return !overflow && end <= UInt64(bytes.count)
    }

    private func load(_ offset: UInt64, _ size: Int) -> UInt64? {
        guard contains(offset, UInt64(size)) else { return nil }
        let base = Int(offset)
        var value: UInt64 = 0
        if littleEndian {
            for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[base + i]) }
        } else {
            for i in 0..<size { value = value << 8 | UInt64(bytes[base + i]) }
        }
        return value
    }

    public func u8(_ offset: UInt64) -> UInt8? { load(offset, 1).map { UInt8($0) } }
    public func u16(_ offset: UInt64) -> UInt16? { load(offset, 2).map { UInt16($0) } }
    public func u32(_ offset: UInt64) -> UInt32? { load(offset, 4).map { UInt32($0) } }
    public func u64(_ offset: UInt64) -> UInt64? { load(offset, 8) }

    /// A word of the file's class: 4 bytes for ELF32, 8 for ELF64.
    public func word(_ offset: UInt64, is64: Bool) -> UInt64? {
        is64 ? u64(offset) : u32(offset).map(UInt64.init)
    }

    /// A NUL-terminated string starting at `offset`, which must end before `limit`.
    public func cString(_ offset: UInt64, limit: UInt64? = nil) -> String? {
        let end = min(limit ?? UInt64(bytes.count), UInt64(bytes.count))
        guard offset < end else { return nil }
        var i = Int(offset)
        while UInt64(i) < end {
            if bytes[i] == 0 { return String(decoding: bytes[Int(offset)..<i], as: UTF8.self) }
            i += 1
        }
        return nil
    }

    /// A copy of `length` bytes at `offset`, or nil if out of range.
    public func slice(_ offset: UInt64, _ length: UInt64) -> [UInt8]? {
        guard contains(offset, length) else { return nil }
        return Array(bytes[Int(offset)..<Int(offset + length)])
    }
}
