import Testing
@testable import VDSOKit

/// Note walking with the alignment of the area that holds the notes, as binutils and elfutils do.
@Suite("Note parser")
struct NoteParserTests {
    /// One little-endian note: header, name padded to `unit`, descriptor padded to `unit`.
    static func note(_ owner: String, type: UInt32, desc: [UInt8], unit: Int) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func pad(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (unit - b.count % unit) % unit) }
        let name = Array(owner.utf8) + [0]
        let header = le32(name.count) + le32(desc.count) + le32(Int(type))
        // The descriptor starts at the next `unit` boundary from the note's start.
        return pad(header + name) + pad(desc)
    }

    static func parse(_ bytes: [UInt8], alignment: UInt64) -> (notes: [Note], defects: [String]) {
        var defects: [String] = []
        let notes = NoteParser.parse(ByteView(bytes, littleEndian: true), offset: 0, size: UInt64(bytes.count),
                                     alignment: alignment, location: ".note", defects: &defects)
        return (notes, defects)
    }

    static let buildID = [UInt8](repeating: 0xab, count: 20)
    static let property = [UInt8](repeating: 0x11, count: 16)

    @Test("an 8-aligned .note: a 4-byte build-id note, padding, then the property note")
    func eightAlignedArea() {
        let bytes = Self.note("GNU", type: NT.gnuBuildID, desc: Self.buildID, unit: 8)
            + Self.note("GNU", type: NT.gnuPropertyType0, desc: Self.property, unit: 8)
        let r = Self.parse(bytes, alignment: 8)
        #expect(r.defects.isEmpty)
        #expect(r.notes.map(\.type) == [NT.gnuBuildID, NT.gnuPropertyType0])
        #expect(r.notes.first?.descriptor == Self.buildID)
        #expect(r.notes.last?.descriptor == Self.property)
    }

    @Test("the last note's padding may run past an 8-aligned area")
    func trailingPaddingTolerated() {
        let bytes = Self.note("GNU", type: NT.gnuPropertyType0, desc: Self.property, unit: 8)
            + Self.note("GNU", type: NT.gnuBuildID, desc: Self.buildID, unit: 4)  // ends 4 short of 8
        let r = Self.parse(bytes, alignment: 8)
        #expect(r.defects.isEmpty)
        #expect(r.notes.last?.descriptor == Self.buildID)
    }

    @Test("4-byte-format notes after a property note in an 8-aligned area are garbage, and said so")
    func fourByteNotesInEightAlignedArea() {
        let bytes = Self.note("GNU", type: NT.gnuPropertyType0, desc: Self.property, unit: 8)
            + Self.note("Linux", type: 0, desc: [1, 2, 3, 4], unit: 4)
            + Self.note("GNU", type: NT.gnuBuildID, desc: Self.buildID, unit: 4)
        let r = Self.parse(bytes, alignment: 8)
        #expect(!r.defects.isEmpty)
        #expect(!r.notes.contains { $0.type == NT.gnuBuildID && $0.descriptor == Self.buildID })
    }

    @Test("4-aligned areas pad to 4; 16 is refused")
    func otherAlignments() {
        let bytes = Self.note("GNU", type: NT.gnuBuildID, desc: Self.buildID, unit: 4)
            + Self.note("Linux", type: 0, desc: [1, 2, 3, 4], unit: 4)
        for align: UInt64 in [0, 1, 4] {
            let r = Self.parse(bytes, alignment: align)
            #expect(r.defects.isEmpty && r.notes.count == 2, "alignment \(align)")
        }
        #expect(!Self.parse(bytes, alignment: 16).defects.isEmpty)
    }

    @Test("a descriptor size near UInt32.max neither traps nor reads past the area")
    func hugeDescriptor() {
        var bytes = Self.note("GNU", type: NT.gnuBuildID, desc: Self.buildID, unit: 8)
        bytes.replaceSubrange(4..<8, with: [0xff, 0xff, 0xff, 0xff])
        let r = Self.parse(bytes, alignment: 8)
        #expect(r.notes.isEmpty && r.defects.count == 1)
    }
}
