/// Splits an ELF note area into notes: `namesz, descsz, type`, then the name and the descriptor.
///
/// The padding after the name and after the descriptor follows the alignment of the area that
/// holds the notes, as binutils and elfutils read them: a section or segment aligned to 4 (or
/// less) holds notes padded to 4 bytes, one aligned to 8 (a `.note.gnu.property`, or Linux's
/// single `.note` output section once a property note is in it) holds notes padded to 8. Any
/// other alignment is a defect: no reader agrees on how to walk it.
enum NoteParser {
    /// The padding unit of notes in an area whose `sh_addralign` / `p_align` is `alignment`,
    /// or nil when no reader can walk such an area.
    static func padding(forAlignment alignment: UInt64) -> UInt64? {
        if alignment <= 4 { return 4 }
        return alignment == 8 ? 8 : nil
    }

    /// The notes of `size` bytes at `offset`, an area aligned to `alignment`. A note whose
    /// descriptor does not fit ends the walk with a defect; the padding after the last
    /// descriptor may run past the area (elfutils and binutils accept that too).
    static func parse(_ view: ByteView, offset: UInt64, size: UInt64, alignment: UInt64,
                      location: String, defects: inout [String]) -> [Note] {
        guard let unit = padding(forAlignment: alignment) else {
            defects.append("note area \(location) is aligned to \(alignment); notes are aligned to 4 or 8")
            return []
        }
        let (end, overflow) = offset.addingReportingOverflow(size)
        guard !overflow else {
            defects.append("note area \(location) extends past the end of the address space")
            return []
        }
        var notes: [Note] = []
        var at = offset
        while end - at >= 12 {
            guard let namesz = view.u32(at), let descsz = view.u32(at + 4), let type = view.u32(at + 8) else { break }
            // Offsets within the note, from its start: the name follows the 12-byte header, the
            // descriptor starts at the next `unit` boundary after the name. All fit in 64 bits
            // (a u32 plus a few bytes), and are compared against what is left of the area.
            let descOffset = align(12 + UInt64(namesz), unit)
            let descEnd = descOffset + UInt64(descsz)
            guard descEnd <= end - at else {
                defects.append("a note in \(location) at offset 0x\(String(at, radix: 16)) runs past the end of the area"
                               + " (notes there are padded to \(unit) bytes)")
                break
            }
            var owner = ""
            if namesz > 0, let raw = view.slice(at + 12, UInt64(namesz)) {
                owner = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            let desc = view.slice(at + descOffset, UInt64(descsz)) ?? []
            notes.append(Note(owner: owner, type: type, descriptor: desc, location: location, offset: at))
            at += min(align(descEnd, unit), end - at)
        }
        return notes
    }

    private static func align(_ v: UInt64, _ unit: UInt64) -> UInt64 { (v + unit - 1) & ~(unit - 1) }
}
