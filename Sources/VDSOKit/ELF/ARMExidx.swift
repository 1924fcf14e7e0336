/// The 32-bit Arm exception-index table (`.ARM.exidx`, found through PT_ARM_EXIDX): Arm's EHABI
/// unwind information, what libgcc's and LLVM's unwinders use on arm instead of `.eh_frame`.
///
/// Each entry is two words: a prel31 offset to the start of a function, then either
/// `EXIDX_CANTUNWIND` (1), an inline compact unwind program (bit 31 set), or a prel31 offset to
/// the program in `.ARM.extab`. An entry covers its function up to the next entry's start, so
/// the table must be sorted.
public struct ARMExidx: Sendable {
    /// One entry: the code address it starts at, and whether it says the code cannot be unwound.
    public struct Entry: Sendable, Equatable {
        public var start: UInt64
        public var cannotUnwind: Bool
    }

    /// PT_ARM_EXIDX's type.
    public static let segmentType: UInt32 = 0x7000_0001
    static let cantUnwind: UInt32 = 1

    public var entries: [Entry]

    /// The table of an Arm image, nil when it has no PT_ARM_EXIDX; a problem when the segment is
    /// not backed by the file, has a size that is no multiple of 8, or is not sorted.
    public static func read(_ image: ELFImage) -> Result<ARMExidx, TableProblem>? {
        guard image.header.machine == EM.arm,
              let p = image.segments.first(where: { $0.type == segmentType }) else { return nil }
        guard p.filesz % 8 == 0, image.bytes.contains(p.offset, p.filesz) else {
            return .failure(TableProblem("PT_ARM_EXIDX [\(p.index)] (offset 0x\(String(p.offset, radix: 16)), size 0x\(String(p.filesz, radix: 16))) is not a whole table inside the file"))
        }
        var entries: [Entry] = []
        for i in 0..<(p.filesz / 8) {
            let at = p.offset + i * 8
            guard let word0 = image.bytes.u32(at), let word1 = image.bytes.u32(at + 4) else { break }
            // prel31: bits 0-30 a signed offset from the word's own address.
            let offset = Int64(Int32(bitPattern: word0 << 1) >> 1)
            let start = UInt64(bitPattern: Int64(bitPattern: (p.vaddr &+ i * 8) & 0xffff_ffff) &+ offset) & 0xffff_ffff
            entries.append(Entry(start: start, cannotUnwind: word1 == cantUnwind))
        }
        if let i = entries.indices.dropFirst().first(where: { entries[$0].start < entries[$0 - 1].start }) {
            return .failure(TableProblem("the .ARM.exidx table is not sorted: entry \(i) (0x\(String(entries[i].start, radix: 16))) comes before entry \(i - 1) (0x\(String(entries[i - 1].start, radix: 16)))"))
        }
        return .success(ARMExidx(entries: entries))
    }

    /// The entry that covers `address`: the last one starting at or before it.
    public func entry(covering address: UInt64) -> Entry? {
        entries.last { $0.start <= address }
    }
}
