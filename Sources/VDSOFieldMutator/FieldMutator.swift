/// A structure-aware boundary mutator for ELF images (issues 15 and 21).
///
/// Random byte flips rarely land on the one field whose value matters and never set it to the
/// value that breaks arithmetic (2^64-1, the sign bit, a count just past the end of the file).
/// This mutator knows where the fields are: it enumerates them (`fields`) and sets one at a time to
/// each boundary value (`mutations`), or moves every address of the image near the top of the
/// address space (`rebase`). The sweep test runs every mutation of the default images; the
/// libFuzzer target draws from the same set (`mutate(_:random:)`) and stacks them.
public struct FieldMutator: Sendable {
    /// One mutant: a field set to a value, or a whole-image rebase.
    public struct Mutation: Sendable, CustomStringConvertible {
        public enum Kind: Sendable {
            case set(ELFField, UInt64)
            case rebase(UInt64)
            case patch(CFIPatch)
        }
        public var kind: Kind
        public init(kind: Kind) { self.kind = kind }

        public var description: String {
            switch kind {
            case .set(let field, let value): "\(field.name) = 0x\(String(value, radix: 16))"
            case .rebase(let delta): "rebase every address by +0x\(String(delta, radix: 16))"
            case .patch(let p): p.name
            }
        }
    }

    /// The image as read: the mutations apply to these bytes.
    public let bytes: [UInt8]
    public let is64: Bool
    public let littleEndian: Bool
    /// Every field that a boundary mutation sets, in file-structure order.
    public let fields: [ELFField]
    /// Every address the rebase moves (the address fields of `fields`, and `.symtab` values).
    public let addressFields: [ELFField]
    /// Edits of `.eh_frame` CFA programs and CIE augmentation data (LEB128 operands at their
    /// extremes), each a mutation of its own.
    public let cfiPatches: [CFIPatch]
    /// One past the highest PT_LOAD address.
    public let loadEnd: UInt64

    /// Reads the structure of `bytes`; nil if it is not an ELF file of a known class and byte order.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= 52, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46,
              bytes[4] == 1 || bytes[4] == 2, bytes[5] == 1 || bytes[5] == 2 else { return nil }
        is64 = bytes[4] == 2
        littleEndian = bytes[5] == 1
        guard !is64 || bytes.count >= 64 else { return nil }
        self.bytes = bytes
        var e = FieldEnumerator(FieldBytes(bytes: bytes, littleEndian: littleEndian, is64: is64))
        e.run()
        fields = e.fields
        addressFields = e.fields.filter(\.isAddress) + e.rebaseOnly
        cfiPatches = e.patches
        loadEnd = e.loadEnd
    }

    /// The rebase deltas: every address + 0xfffffffffffffa00 (an image linked just below the top of
    /// the address space, so that its end wraps), + the sign bit, and the delta that makes the
    /// image end exactly at the top (its last byte at 2^64-1: every "one past" wraps to 0); the
    /// 32-bit analogues for ELF32.
    public var rebaseDeltas: [UInt64] {
        let mask: UInt64 = is64 ? .max : 0xffff_ffff
        let top = (0 &- loadEnd) & mask
        let fixed: [UInt64] = is64 ? [0xffff_ffff_ffff_fa00, 1 << 63] : [0xffff_fa00, 1 << 31]
        return top == 0 || fixed.contains(top) ? fixed : fixed + [top]
    }

    /// The boundary values of `field`: 0, 1, max, max-1, the sign bit, the file size and one past
    /// it (each once, and only those that fit the field).
    public func boundaryValues(_ field: ELFField) -> [UInt64] {
        let size = UInt64(bytes.count)
        var values: [UInt64] = []
        for v in [0, 1, field.maxValue, field.maxValue - 1, field.signBit, size, size + 1]
        where v <= field.maxValue && !values.contains(v) {
            values.append(v)
        }
        return values
    }

    /// Every single-field boundary mutation, the CFI edits, then the rebases.
    public var mutations: [Mutation] {
        fields.flatMap { f in boundaryValues(f).map { Mutation(kind: .set(f, $0)) } }
            + cfiPatches.map { Mutation(kind: .patch($0)) }
            + rebaseDeltas.map { Mutation(kind: .rebase($0)) }
    }

    /// `bytes` with one mutation applied.
    public func apply(_ m: Mutation) -> [UInt8] {
        var out = FieldBytes(bytes: bytes, littleEndian: littleEndian, is64: is64)
        Self.apply(m, to: &out, addressFields: addressFields)
        return out.bytes
    }

    static func apply(_ m: Mutation, to out: inout FieldBytes, addressFields: [ELFField]) {
        switch m.kind {
        case .set(let field, let value):
            out.write(field.offset, field.width, value)
        case .patch(let p):
            for (i, b) in p.bytes.enumerated() where p.offset + i < out.bytes.count { out.bytes[p.offset + i] = b }
        case .rebase(let delta):
            for field in addressFields {
                guard let old = out.read(field.offset, field.width) else { continue }
                out.write(field.offset, field.width, (old &+ delta) & field.maxValue)
            }
        }
    }
}

/// Bytes written over part of an `.eh_frame` entry: a CFA instruction or an augmentation length
/// whose LEB128 operand is at an extreme (2^63, 2^64-1), in the room the entry has.
public struct CFIPatch: Sendable {
    public var name: String
    public var offset: Int
    public var bytes: [UInt8]
}
