/// Random draws from the structured mutations, for the libFuzzer custom mutator: one to three
/// mutations stacked, each a field set to a boundary value, to a value near one, to another
/// field's value (an offset or address that is valid elsewhere), a CFI edit, or a rebase.
extension FieldMutator {
    /// A mutant of `bytes` drawn at random; `bytes` itself when the image has no fields.
    public func mutate<R: RandomNumberGenerator>(random: inout R) -> [UInt8] {
        guard !fields.isEmpty else { return bytes }
        var out = FieldBytes(bytes: bytes, littleEndian: littleEndian, is64: is64)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            Self.apply(draw(&random, current: out), to: &out, addressFields: addressFields)
        }
        return out.bytes
    }

    private func draw<R: RandomNumberGenerator>(_ random: inout R, current: FieldBytes) -> Mutation {
        if Int.random(in: 0..<32, using: &random) == 0 {
            return Mutation(kind: .rebase(rebaseDeltas.randomElement(using: &random)!))
        }
        if !cfiPatches.isEmpty, Int.random(in: 0..<16, using: &random) == 0 {
            return Mutation(kind: .patch(cfiPatches.randomElement(using: &random)!))
        }
        let field = fields.randomElement(using: &random)!
        let old = current.read(field.offset, field.width) ?? 0
        let value: UInt64
        switch Int.random(in: 0..<8, using: &random) {
        case 0, 1, 2, 3: value = boundaryValues(field).randomElement(using: &random)!
        case 4: value = old &+ UInt64(bitPattern: Int64.random(in: -16...16, using: &random))
        case 5:
            let other = fields.randomElement(using: &random)!
            value = current.read(other.offset, other.width) ?? 0
        case 6: value = old ^ (1 << UInt64.random(in: 0..<UInt64(field.width * 8), using: &random))
        default: value = UInt64.random(in: 0...field.maxValue, using: &random)
        }
        return Mutation(kind: .set(field, value & field.maxValue))
    }
}

/// A small, seedable generator (SplitMix64) so that a libFuzzer seed reproduces its mutant.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
