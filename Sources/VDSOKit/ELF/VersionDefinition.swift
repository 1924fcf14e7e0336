/// One entry of the DT_VERDEF chain (Elf_Verdef with its Verdaux names).
public struct VersionDefinition: Sendable {
    /// `vd_version`; must be VER_DEF_CURRENT (1).
    public var revision: UInt16
    public var flags: UInt16
    /// `vd_ndx`: the value `versym` entries use to name this definition.
    public var index: UInt16
    /// `vd_hash`: must equal `elfHash(names[0])`.
    public var hash: UInt32
    /// The Verdaux names: the definition's own name, then the names of its parents.
    public var names: [String]

    public var isBase: Bool { flags & VER.flagBase != 0 }
    public var name: String { names.first ?? "" }

    /// Follows the chain from `address` (vd_next links), stopping at a loop, at a link out of the
    /// file, or after `declaredCount` (DT_VERDEFNUM) entries.
    static func readChain(_ d: DynamicView, address: UInt64, declaredCount: UInt64?)
        -> (definitions: [VersionDefinition], problems: [String]) {
        let view = d.image.bytes
        var defs: [VersionDefinition] = [], problems: [String] = []
        guard var at = d.fileOffset(of: address, length: 20) else {
            return ([], ["DT_VERDEF 0x\(String(address, radix: 16)) is not inside a PT_LOAD backed by the file"])
        }
        var seen = Set<UInt64>()
        let limit = Int(min(declaredCount ?? 4096, 4096))
        while defs.count < limit {
            if !seen.insert(at).inserted { problems.append("the version definition chain loops back to offset 0x\(String(at, radix: 16))"); break }
            guard let rev = view.u16(at), let flags = view.u16(at + 2), let ndx = view.u16(at + 4),
                  let cnt = view.u16(at + 6), let hash = view.u32(at + 8), let aux = view.u32(at + 12),
                  let next = view.u32(at + 16) else {
                problems.append("a version definition at offset 0x\(String(at, radix: 16)) runs past the end of the file")
                break
            }
            var names: [String] = []
            var auxAt = at + UInt64(aux)
            var auxSeen = Set<UInt64>()
            for _ in 0..<min(Int(cnt), 64) {
                guard auxSeen.insert(auxAt).inserted, let nameOff = view.u32(auxAt), let auxNext = view.u32(auxAt + 4) else {
                    problems.append("version definition \(ndx) has an unreadable or looping Verdaux list")
                    break
                }
                if let n = d.string(at: UInt64(nameOff)) { names.append(n) } else {
                    problems.append("version definition \(ndx): name offset \(nameOff) lies outside the dynamic string table")
                }
                if auxNext == 0 { break }
                auxAt += UInt64(auxNext)
            }
            defs.append(VersionDefinition(revision: rev, flags: flags, index: ndx, hash: hash, names: names))
            if next == 0 { break }
            if next >= 0x8000_0000 {
                // Unsigned, vd_next can only step forward; as a 32-bit loader adds it, it steps back.
                problems.append("vd_next of version definition \(ndx) is 0x\(String(next, radix: 16)): it leads past the end of the file (a 32-bit loader's pointer wraps back to offset 0x\(String(UInt32(truncatingIfNeeded: at) &+ next, radix: 16)), and loops if that is an earlier definition)")
                break
            }
            at += UInt64(next)
            if !view.contains(at, 20) { problems.append("vd_next of version definition \(ndx) leads past the end of the file"); break }
        }
        if let declared = declaredCount, declared != UInt64(defs.count) && problems.isEmpty {
            problems.append("DT_VERDEFNUM says \(declared) definitions but the chain holds \(defs.count)")
        }
        return (defs, problems)
    }
}
