/// The data pages (Linux's "vvar" area) a kernel maps beside a vDSO, as the image's full symbol
/// table describes them: every symbol that lies outside the loaded image (`vdso_time_data`,
/// `vdso_rng_data`, Linux's `vvar_start`, `vdso_u_data`, ...), and the page-aligned area below
/// the image base that they span.
public struct DataArea: Sendable {
    /// One data symbol.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// Signed offset from the image base (negative: below it).
        public var offset: Int64
    }

    /// The data symbols, lowest offset first.
    public var symbols: [Entry]
    /// Start of the data area relative to the image base: the page holding the lowest data symbol
    /// below the image, or nil when no data symbol lies below it. The area ends at the image base.
    public var start: Int64?

    /// Collects the data symbols of `symbols` (a full symbol table: the debug image's, when there
    /// is one) for `image`. A symbol counts when it is defined, named, not a file or section
    /// symbol, and either has one of `knownNames` or is section-relative and lies outside every
    /// PT_LOAD of the image.
    public init(image: ELFImage, symbols table: [Symbol], knownNames: [String], pageSize: UInt64) {
        let loads = image.segments(ofType: PT.load)
        symbols = table.filter { s in
            guard !s.name.isEmpty, s.type != STT.file, s.type != STT.section, s.isDefined else { return false }
            if knownNames.contains(s.name) { return true }
            // `value - vaddr < memsz`, not `value < vaddr + memsz`: a hostile PT_LOAD may end past 2^64.
            return s.shndx != SHN.abs && !loads.contains { s.value >= $0.vaddr && s.value - $0.vaddr < max($0.memsz, 1) }
        }.map { s in
            Entry(name: s.name, offset: DataArea.signedOffset(s.value, is64: image.header.is64))
        }.sorted { ($0.offset, $0.name) < ($1.offset, $1.name) }
        start = symbols.first.flatMap { $0.offset < 0 ? DataArea.pageDown($0.offset, pageSize) : nil }
    }

    /// Extends the area down to `offset` (a data symbol found elsewhere, e.g. in `.dynsym`).
    public mutating func include(_ offset: Int64, pageSize: UInt64) {
        guard offset < 0 else { return }
        let page = DataArea.pageDown(offset, pageSize)
        start = min(start ?? page, page)
    }

    /// Bytes from `start` to the image base: what to map below the image.
    public var size: UInt64 { start?.magnitude ?? 0 }

    /// The largest area taken for data pages: Linux's vvar area is 4-6 pages (256 KiB with 64 KiB
    /// pages); a symbol farther below the image is not a data page.
    public static let maximumSize: UInt64 = 1 << 20

    /// A symbol value as a signed offset: in ELF32 a data page below the image is 0xfffff000.
    public static func signedOffset(_ value: UInt64, is64: Bool) -> Int64 {
        is64 ? Int64(bitPattern: value) : Int64(Int32(truncatingIfNeeded: value))
    }

    /// `offset` rounded down to a multiple of `pageSize` (a power of two), without overflow.
    static func pageDown(_ offset: Int64, _ pageSize: UInt64) -> Int64 {
        offset & ~Int64(truncatingIfNeeded: pageSize &- 1)
    }
}
