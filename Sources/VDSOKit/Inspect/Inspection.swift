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
    public typealias DataSymbol = DataArea.Entry

    public var path: String
    public var machine: String
    public var elfClass: Int
    public var segments: [Segment]
    public var sections: [Section]
    public var exports: [Export]
    public var buildID: String?
    /// The `Linux` note's LINUX_VERSION_CODE as `a.b.c`.
    public var linuxVersion: String?
    /// The data-page layout the image reads, as `run` judges it (DataPageABI.summary).
    public var dataPageABI: String
    public var properties: GNUProperties
    public var dataSymbols: [DataSymbol]
    public var consumers: ConsumerMatrix
    public var dwarfVersions: [Int]
    /// `e_machine`, for naming processor-specific segment and section types.
    public var machineNumber: UInt16
    /// Linker-script mistakes seen in the layout, each with its fix (LayoutAdvice).
    public var layoutAdvice: [String]

    /// Gathers everything about `image` (and its debug twin).
    public init(image: ELFImage, debug: ELFImage? = nil, expectations: Expectations? = nil) {
        path = image.path
        machine = ArchABI.forHeader(image.header)?.name ?? EM.name(image.header.machine)
        elfClass = image.header.is64 ? 64 : 32
        segments = image.segments
        sections = image.sections
        machineNumber = image.header.machine
        layoutAdvice = LayoutAdvice.notes(for: image)
        let d = DynamicView(image)
        let locator = SourceLocator(image: image, debug: debug)
        dwarfVersions = locator.dwarf?.versions ?? []
        exports = d.exports.map { s in
            Export(name: s.name, version: s.versionName, value: s.value, size: s.size,
                   type: [STT.function: "FUNC", STT.object: "OBJECT", STT.notype: "NOTYPE", STT.gnuIFunc: "IFUNC"][s.type] ?? "type \(s.type)",
                   bind: s.bind == STB.weak ? "WEAK" : "GLOBAL",
                   location: s.type == STT.object ? locator.variable(containing: s.value)?.location : locator.entry(of: s.codeAddress(image.header)))
        }
        buildID = image.buildID.map(hexBytes)
        linuxVersion = image.notes.first { $0.owner == "Linux" && $0.type == 0 && $0.descriptor.count == 4 }.map { n in
            let v = ByteView(n.descriptor, littleEndian: image.header.littleEndian).u32(0) ?? 0
            return "\(v >> 16).\((v >> 8) & 0xff).\(v & 0xff)"
        }
        dataPageABI = DataPageABI.declared(by: image).summary
        properties = GNUProperties.read(image)
        dataSymbols = DataArea(image: image, symbols: (debug ?? image).symbols,
                               knownNames: ImageLayout.defaultDataSymbols, pageSize: 4096).symbols
        consumers = ConsumerMatrix.forImage(d, expectations: expectations ?? Expectations.forImage(image.header))
    }
}
