/// A symbol whose offset the emitted header carries.
public struct EmittedSymbol: Sendable, Equatable {
    public var name: String
    public var offset: Int64
    public var size: UInt64
    /// The version node, for exports.
    public var version: String?
    public var exported: Bool
}

/// Everything the emitters write about an image, gathered from the stripped image and the
/// debug image's full symbol table.
public struct ImageLayout: Sendable {
    public var soname: String?
    public var machine: UInt16
    public var is64: Bool
    public var pageSize: UInt64
    /// The stripped image itself.
    public var bytes: [UInt8]
    /// The file size rounded up to whole pages: what the kernel maps.
    public var mappedSize: UInt64
    /// Start of the data pages relative to the image base, if the data symbol was found.
    public var dataOffset: Int64?
    public var dataSymbol: String?
    /// The whole data area below the image, down to the lowest data symbol (the rng page below
    /// the time page, Linux's `vvar_start`): nil when no data symbol lies below the image.
    public var dataAreaOffset: Int64?
    public var symbols: [EmittedSymbol]
    public var buildID: [UInt8]
    /// The version nodes the exports are defined in (DT_VERDEF, the base entry left out), in
    /// definition order: what a libc-style lookup passes with each name.
    public var versionNodes: [String] = []
    /// Why `dataOffset` is nil when the only symbol table read was the stripped image's: the data
    /// symbol is hidden, so it is in the debug image's full table only.
    public var dataOffsetNote: String?

    /// Default names tried for the data page when none is given: vdsogen's, and Linux's over time.
    public static let defaultDataSymbols = ["vdso_time_data", "vdso_u_data", "vvar_start", "vvar_page", "_vdso_data"]

    /// Gathers the layout. `debug` supplies the full symbol table (extra symbols, the data symbol).
    public static func gather(image: ELFImage, debug: ELFImage?, dataSymbol: String?, extraSymbols: [String],
                              pageSize: UInt64 = 4096) throws(VDSOError) -> ImageLayout {
        let view = DynamicView(image)
        var symbols: [EmittedSymbol] = view.exports.map {
            EmittedSymbol(name: $0.name, offset: Int64(bitPattern: $0.value), size: $0.size, version: $0.versionName, exported: true)
        }
        symbols.sort { ($0.offset, $0.name) < ($1.offset, $1.name) }
        let full = (debug?.symbols.isEmpty == false ? debug!.symbols : image.symbols)
        for name in extraSymbols {
            guard let s = full.first(where: { $0.name == name && $0.isDefined }) else {
                let whereText = debug.map { " or in \($0.path)" } ?? " (pass the unstripped image with --debug)"
                throw .usage("\(image.path): extra symbol \(name) is not in the symbol table of the image\(whereText)")
            }
            if !symbols.contains(where: { $0.name == name }) {
                symbols.append(EmittedSymbol(name: name, offset: signed(s.value, image), size: s.size, version: nil, exported: false))
            }
        }
        var dataOffset: Int64?
        var dataName: String?
        let candidates = dataSymbol.map { [$0] } ?? defaultDataSymbols
        for name in candidates {
            if let s = full.first(where: { $0.name == name && $0.isDefined }) ?? image.dynamicSymbolSection.first(where: { $0.name == name && $0.isDefined }) {
                dataOffset = signed(s.value, image)
                dataName = name
                break
            }
        }
        if let requested = dataSymbol, dataName == nil {
            let whereText = debug.map { " or in \($0.path)" } ?? " (pass the unstripped image with --debug)"
            throw .usage("\(image.path): data symbol \(requested) is not in the symbol table of the image\(whereText)")
        }
        // The area: every data symbol of the full table, and whatever the manifest names (the data
        // symbol, extra symbols) that lies below the image, however the linker defined it.
        var area = DataArea(image: image, symbols: full, knownNames: defaultDataSymbols, pageSize: pageSize)
        if let off = dataOffset { area.include(off, pageSize: pageSize) }
        for s in symbols where !s.exported { area.include(s.offset, pageSize: pageSize) }
        if area.size > DataArea.maximumSize {
            let lowest = area.symbols.first { $0.offset < 0 }.map { " (down to \($0.name) at -0x\(String($0.offset.magnitude, radix: 16)))" } ?? ""
            throw .usage("\(image.path): the data area below the image would be \(area.size) bytes\(lowest), over "
                         + "\(DataArea.maximumSize): a vDSO's data pages are a few pages; is that symbol a data page?")
        }
        guard let id = image.buildID else {
            throw .usage("\(image.path): the image has no build-id note; link it with --build-id=sha1")
        }
        let size = UInt64(image.bytes.count)
        var layout = ImageLayout(soname: view.soname, machine: image.header.machine, is64: image.header.is64,
                                 pageSize: pageSize, bytes: image.bytes.bytes,
                                 mappedSize: (size + pageSize - 1) / pageSize * pageSize,
                                 dataOffset: dataOffset, dataSymbol: dataName, dataAreaOffset: area.start,
                                 symbols: symbols, buildID: id)
        layout.versionNodes = view.versionDefinitions.filter { !$0.isBase }.map(\.name).filter { !$0.isEmpty }
        if dataOffset == nil && debug == nil && image.symbols.isEmpty {
            layout.dataOffsetNote = "\(image.path) is stripped and its data symbol (vdso_time_data, or one of Linux's names) is "
                + "hidden, so it is in the debug image's symbol table only: DATA_OFFSET and DATA_AREA_OFFSET are not "
                + "emitted; pass the unstripped image with --debug (NAME.so.dbg)"
        }
        return layout
    }

    /// A symbol value as a signed offset: in ELF32 a data page below the image is 0xfffff000.
    static func signed(_ value: UInt64, _ image: ELFImage) -> Int64 {
        DataArea.signedOffset(value, is64: image.header.is64)
    }

    /// The bytes of the blob: the image zero-padded to `mappedSize`.
    public var paddedBytes: [UInt8] {
        bytes + [UInt8](repeating: 0, count: Int(mappedSize) - bytes.count)
    }
}
