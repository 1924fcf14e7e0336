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
        public enum Kind: Sendable { case set(ELFField, UInt64), rebase(UInt64) }
        public var kind: Kind

        public var description: String {
            switch kind {
            case .set(let field, let value): "\(field.name) = 0x\(String(value, radix: 16))"
            case .rebase(let delta): "rebase every address by +0x\(String(delta, radix: 16))"
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
    }

    /// The rebase deltas: every address + 0xfffffffffffffa00 (an image linked just below the top of
    /// the address space, so that its end wraps), and + the sign bit; the 32-bit analogues for ELF32.
    public var rebaseDeltas: [UInt64] {
        is64 ? [0xffff_ffff_ffff_fa00, 1 << 63] : [0xffff_fa00, 1 << 31]
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

    /// Every single-field boundary mutation, then the rebases.
    public var mutations: [Mutation] {
        fields.flatMap { f in boundaryValues(f).map { Mutation(kind: .set(f, $0)) } }
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
        case .rebase(let delta):
            for field in addressFields {
                guard let old = out.read(field.offset, field.width) else { continue }
                out.write(field.offset, field.width, (old &+ delta) & field.maxValue)
            }
        }
    }
}
