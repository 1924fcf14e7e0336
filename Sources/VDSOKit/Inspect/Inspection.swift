/// `vdsogen inspect`: a readable dump of one image — segments, sections, exports with versions,
/// sizes and source lines, notes, data-page symbols and the consumer matrix — as data, rendered
/// as text or JSON.
public struct Inspection: Sendable {
    /// One exported symbol.
    public struct Export: Sendable {
        public var name: String
        public var version: String?
        public var value: UInt64
        public var size: UInt64
        public var type: String
        public var bind: String
        /// Where the function is defined (DWARF), if known.
        public var location: SourceLocation?
    }

    /// A symbol of the debug image's full symbol table that lies outside the image: the data
    /// pages the kernel maps next to it (`vdso_time_data`, `vdso_u_data`, ...).
    public struct DataSymbol: Sendable {
        public var name: String
        /// Signed offset from the image base (negative: below it).
        public var offset: Int64
    }

    public var path: String
    public var machine: String
    public var elfClass: Int
    public var segments: [Segment]
    public var sections: [Section]
    public var exports: [Export]
    public var buildID: String?
    /// The `Linux` note's LINUX_VERSION_CODE as `a.b.c`.
    public var linuxVersion: String?
    public var properties: GNUProperties
    public var dataSymbols: [DataSymbol]
    public var consumers: ConsumerMatrix
    public var dwarfVersions: [Int]

    /// Gathers everything about `image` (and its debug twin).
    public init(image: ELFImage, debug: ELFImage? = nil, expectations: Expectations? = nil) {
        path = image.path
        machine = ArchABI.forMachine(image.header.machine)?.name ?? "EM \(image.header.machine)"
        elfClass = image.header.is64 ? 64 : 32
        segments = image.segments
        sections = image.sections
        let d = DynamicView(image)
        let locator = SourceLocator(image: image, debug: debug)
        dwarfVersions = locator.dwarf?.versions ?? []
        exports = d.exports.map { s in
            Export(name: s.name, version: s.versionName, value: s.value, size: s.size,
                   type: [STT.function: "FUNC", STT.object: "OBJECT", STT.notype: "NOTYPE", STT.gnuIFunc: "IFUNC"][s.type] ?? "type \(s.type)",
                   bind: s.bind == STB.weak ? "WEAK" : "GLOBAL",
                   location: s.type == STT.object ? locator.variable(containing: s.value)?.location : locator.entry(of: s.value))
        }
        buildID = image.buildID.map(hexBytes)
        linuxVersion = image.notes.first { $0.owner == "Linux" && $0.type == 0 && $0.descriptor.count == 4 }.map { n in
            let v = ByteView(n.descriptor, littleEndian: image.header.littleEndian).u32(0) ?? 0
            return "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)"
        }
        properties = GNUProperties.read(image)
        let symtab = (debug ?? image).symbols
        let loads = image.segments(ofType: PT.load)
        let mask: UInt64 = image.header.is64 ? .max : 0xffff_ffff
        dataSymbols = symtab.filter { s in
            guard !s.name.isEmpty, s.type != STT.file, s.type != STT.section, s.isDefined else { return false }
            if ImageLayout.defaultDataSymbols.contains(s.name) { return true }
            return s.shndx != SHN.abs && !loads.contains { s.value >= $0.vaddr && s.value < $0.vaddr + max($0.memsz, 1) }
        }.map { s in
            let signed = image.header.is64 ? Int64(bitPattern: s.value & mask) : Int64(Int32(truncatingIfNeeded: s.value))
            return DataSymbol(name: s.name, offset: signed)
        }.sorted { ($0.offset, $0.name) < ($1.offset, $1.name) }
        consumers = ConsumerMatrix(d, expectations: expectations ?? Expectations.forMachine(image.header.machine))
    }
}
