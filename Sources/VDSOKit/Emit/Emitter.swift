/// What `vdsogen emit` writes, and from what.
public struct EmitRequest: Sendable {
    public var image: String
    public var debug: String?
    public var header: String
    public var source: String
    public var blob: String?
    public var asm: String?
    /// A Swift source embedding the image (`enum PREFIXImage`).
    public var swift: String?
    public var prefix = "vdso"
    public var dataSymbol: String?
    public var extraSymbols: [String] = []

    public init(image: String, header: String, source: String) {
        self.image = image
        self.header = header
        self.source = source
    }
}

/// Reads an image and writes its header, C source and blobs, each atomically.
public enum Emitter {
    /// Emits, and returns the notes on what the header leaves out and why (one line each).
    @discardableResult
    public static func emit(_ r: EmitRequest) throws(VDSOError) -> [String] {
        let image = try ELFReader.read(path: r.image)
        let debug = try r.debug.map { (p: String) throws(VDSOError) in try ELFReader.read(path: p) }
        let layout = try ImageLayout.gather(image: image, debug: debug, dataSymbol: r.dataSymbol, extraSymbols: r.extraSymbols)
        try AtomicFile.writeAll(files(layout: layout, request: r))
        return layout.dataOffsetNote.map { [$0] } ?? []
    }

    /// Emits from already parsed images (the build step has them in hand).
    public static func emit(image: ELFImage, debug: ELFImage?, request r: EmitRequest) throws(VDSOError) {
        try AtomicFile.writeAll(try files(image: image, debug: debug, request: r))
    }

    /// The files an emit writes, as (path, bytes), without writing them.
    public static func files(image: ELFImage, debug: ELFImage?, request r: EmitRequest) throws(VDSOError) -> [(path: String, bytes: [UInt8])] {
        files(layout: try ImageLayout.gather(image: image, debug: debug, dataSymbol: r.dataSymbol, extraSymbols: r.extraSymbols),
              request: r)
    }

    static func files(layout: ImageLayout, request r: EmitRequest) -> [(path: String, bytes: [UInt8])] {
        let emitter = CEmitter(layout: layout, prefix: r.prefix, headerName: Path.basename(r.header),
                               toolVersion: VDSOGenVersion.string)
        var files: [(path: String, bytes: [UInt8])] = [(r.header, Array(emitter.header().utf8)), (r.source, emitter.source())]
        if let blob = r.blob {
            files.append((blob, layout.paddedBytes))
            if let asm = r.asm { files.append((asm, Array(emitter.assembly(blobPath: Path.basename(blob)).utf8))) }
        }
        if let swift = r.swift {
            files.append((swift, SwiftEmitter(layout: layout, prefix: r.prefix, toolVersion: VDSOGenVersion.string).source()))
        }
        return files
    }
}
