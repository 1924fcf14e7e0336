/// The GNU property note (`NT_GNU_PROPERTY_TYPE_0`, in `.note.gnu.property` / PT_GNU_PROPERTY):
/// what the image claims about control-flow protection.
public struct GNUProperties: Sendable, Equatable {
    public static let x86Feature1And: UInt32 = 0xc000_0002
    public static let aarch64Feature1And: UInt32 = 0xc000_0000
    public static let x86IBT: UInt32 = 1
    public static let x86SHSTK: UInt32 = 2
    public static let aarch64BTI: UInt32 = 1
    public static let aarch64PAC: UInt32 = 2

    /// `GNU_PROPERTY_X86_FEATURE_1_AND`, if present.
    public var x86Features: UInt32?
    /// `GNU_PROPERTY_AARCH64_FEATURE_1_AND`, if present.
    public var aarch64Features: UInt32?
    /// Every `(pr_type, data)` pair, in order.
    public var all: [(type: UInt32, data: [UInt8])] = []
    /// Where the note was found (section name or `PT_NOTE[n]`), nil if there is none.
    public var location: String?

    public static func == (a: GNUProperties, b: GNUProperties) -> Bool {
        a.x86Features == b.x86Features && a.aarch64Features == b.aarch64Features && a.location == b.location
    }

    public var claimsIBT: Bool { (x86Features ?? 0) & Self.x86IBT != 0 }
    public var claimsSHSTK: Bool { (x86Features ?? 0) & Self.x86SHSTK != 0 }
    public var claimsBTI: Bool { (aarch64Features ?? 0) & Self.aarch64BTI != 0 }
    public var claimsPAC: Bool { (aarch64Features ?? 0) & Self.aarch64PAC != 0 }

    /// `IBT, SHSTK` / `BTI, PAC` / `nothing`.
    public var claims: String {
        var c: [String] = []
        if claimsIBT { c.append("IBT") }
        if claimsSHSTK { c.append("SHSTK") }
        if claimsBTI { c.append("BTI") }
        if claimsPAC { c.append("PAC") }
        return c.isEmpty ? "nothing" : c.joined(separator: ", ")
    }

    /// The properties of `image`, from its notes and any PT_GNU_PROPERTY.
    public static func read(_ image: ELFImage) -> GNUProperties {
        var notes = image.notes.filter { $0.owner == "GNU" && $0.type == NT.gnuPropertyType0 }
        if notes.isEmpty {
            var ignored: [String] = []
            for p in image.segments(ofType: PT.gnuProperty) where image.bytes.contains(p.offset, p.filesz) {
                notes += NoteParser.parse(image.bytes, offset: p.offset, size: p.filesz, alignment: p.align, location: "PT_GNU_PROPERTY[\(p.index)]", defects: &ignored)
                    .filter { $0.owner == "GNU" && $0.type == NT.gnuPropertyType0 }
            }
        }
        var out = GNUProperties()
        let align: UInt64 = image.header.is64 ? 8 : 4
        for note in notes {
            out.location = out.location ?? note.location
            let view = ByteView(note.descriptor, littleEndian: image.header.littleEndian)
            var at: UInt64 = 0
            while at + 8 <= UInt64(view.count) {
                guard let type = view.u32(at), let size = view.u32(at + 4),
                      let data = view.slice(at + 8, UInt64(size)) else { break }
                out.all.append((type, data))
                let word = ByteView(data, littleEndian: image.header.littleEndian).u32(0)
                if type == x86Feature1And { out.x86Features = word }
                if type == aarch64Feature1And { out.aarch64Features = word }
                at += 8 + (UInt64(size) + align - 1) / align * align
            }
        }
        return out
    }
}
