/// Splits an ELF note area into notes: `namesz, descsz, type`, then the name and the descriptor,
/// each padded to 4 bytes (the alignment every vDSO note uses).
enum NoteParser {
    static func parse(_ view: ByteView, offset: UInt64, size: UInt64, location: String,
                      defects: inout [String]) -> [Note] {
        var notes: [Note] = []
        var at = offset
        let end = offset + size
        while at + 12 <= end {
            guard let namesz = view.u32(at), let descsz = view.u32(at + 4), let type = view.u32(at + 8) else { break }
            let nameStart = at + 12
            let descStart = nameStart + align4(UInt64(namesz))
            let next = descStart + align4(UInt64(descsz))
            if next > end {
                defects.append("a note in \(location) at offset 0x\(String(at, radix: 16)) runs past the end of the area")
                break
            }
            var owner = ""
            if namesz > 0, let raw = view.slice(nameStart, UInt64(namesz)) {
                owner = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            let desc = view.slice(descStart, UInt64(descsz)) ?? []
            notes.append(Note(owner: owner, type: type, descriptor: desc, location: location))
            at = next
        }
        return notes
    }

    private static func align4(_ v: UInt64) -> UInt64 { (v + 3) & ~3 }
}
