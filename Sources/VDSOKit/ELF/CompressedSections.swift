import CZstd

/// Debug sections compressed with zstd (`-gz=zstd`, `objcopy --compress-debug-sections=zstd`,
/// the default of some distributions' toolchains), made readable for libdw.
///
/// libelf inflates SHF_COMPRESSED sections itself, but elfutils before 0.189 knows only zlib: a
/// zstd section reads as absent, and libdw reports "no DWARF information" for an image that has
/// it. This rewrites a copy of the file the way `objcopy --decompress-debug-sections` would for
/// the sections libdw reads: each zstd section's data, inflated, is appended at the end of the
/// copy and its section header points there, uncompressed. zlib sections are left to libelf.
///
/// The input is hostile: every header field is bounds-checked, the inflated size must be what
/// `Elf_Chdr` announces, and the total is capped, so a section cannot make vdsogen allocate more
/// than `limit` bytes.
enum CompressedSections {
    /// The most inflated bytes one image may ask for (a vDSO's DWARF is tens of KB).
    static let limit: UInt64 = 64 << 20

    /// The file's bytes with every zstd-compressed section inflated; nil when it has none.
    static func inflated(_ image: ELFImage) -> Result<[UInt8], TableProblem>? {
        let zstd = image.sections.filter { $0.flags & SHF.compressed != 0 && $0.type != SHT.nobits }
            .filter { chdr(image, $0)?.type == ELFCOMPRESS.zstd }
        guard !zstd.isEmpty else { return nil }
        var out = image.bytes.bytes
        var total: UInt64 = 0
        for section in zstd {
            guard let header = chdr(image, section) else { continue }
            guard header.size <= limit - total else {
                return .failure(TableProblem("\(section.name) inflates to \(header.size) bytes, more than vdsogen reads from one image (\(limit >> 20) MiB)"))
            }
            total += header.size
            let headerSize: UInt64 = image.header.is64 ? 24 : 12
            guard let packed = image.bytes.slice(section.offset + headerSize, section.size - headerSize) else {
                return .failure(TableProblem("\(section.name): its compressed data runs past the end of the file"))
            }
            var plain = [UInt8](repeating: 0, count: Int(header.size))
            let written = plain.withUnsafeMutableBytes { dst in
                packed.withUnsafeBytes { src in
                    ZSTD_decompress(dst.baseAddress, dst.count, src.baseAddress, src.count)
                }
            }
            if ZSTD_isError(written) != 0 {
                return .failure(TableProblem("\(section.name) cannot be inflated: zstd says \(String(cString: ZSTD_getErrorName(written)))"))
            }
            guard written == plain.count else {
                return .failure(TableProblem("\(section.name) inflates to \(written) bytes, but its Elf_Chdr says \(header.size)"))
            }
            while out.count % 8 != 0 { out.append(0) }
            let offset = UInt64(out.count)
            out += plain
            guard rewriteHeader(&out, image, section, offset: offset, size: header.size, align: header.align) else {
                return .failure(TableProblem("\(section.name): its section header lies outside the file"))
            }
        }
        return .success(out)
    }

    /// `Elf_Chdr` of a compressed section: type, inflated size and alignment.
    static func chdr(_ image: ELFImage, _ section: Section) -> (type: UInt32, size: UInt64, align: UInt64)? {
        let b = image.bytes, at = section.offset
        if image.header.is64 {
            guard section.size >= 24, b.contains(at, 24), let type = b.u32(at), let size = b.u64(at + 8),
                let align = b.u64(at + 16)
            else { return nil }
            return (type, size, align)
        }
        guard section.size >= 12, b.contains(at, 12), let type = b.u32(at), let size = b.u32(at + 4),
            let align = b.u32(at + 8)
        else { return nil }
        return (type, UInt64(size), UInt64(align))
    }

    /// Points the section's header at plain data: sh_flags without SHF_COMPRESSED, sh_offset,
    /// sh_size, sh_addralign (the Elf_Chdr's).
    private static func rewriteHeader(
        _ out: inout [UInt8], _ image: ELFImage, _ section: Section, offset: UInt64, size: UInt64, align: UInt64
    ) -> Bool {
        let h = image.header, entry = UInt64(h.shentsize)
        let (scaled, o1) = UInt64(section.index).multipliedReportingOverflow(by: entry)
        let (at, o2) = h.shoff.addingReportingOverflow(scaled)
        guard !o1, !o2, entry >= h.sectionHeaderSize, at <= UInt64(out.count),
            UInt64(out.count) - at >= h.sectionHeaderSize
        else { return false }
        let flags = section.flags & ~SHF.compressed
        if h.is64 {
            put(&out, at + 8, flags, 8, h.littleEndian)
            put(&out, at + 24, offset, 8, h.littleEndian)
            put(&out, at + 32, size, 8, h.littleEndian)
            put(&out, at + 48, align, 8, h.littleEndian)
        } else {
            guard offset <= UInt32.max, size <= UInt32.max else { return false }
            put(&out, at + 8, flags, 4, h.littleEndian)
            put(&out, at + 16, offset, 4, h.littleEndian)
            put(&out, at + 20, size, 4, h.littleEndian)
            put(&out, at + 32, align & 0xffff_ffff, 4, h.littleEndian)
        }
        return true
    }

    private static func put(_ out: inout [UInt8], _ at: UInt64, _ value: UInt64, _ width: Int, _ little: Bool) {
        for i in 0..<width {
            let shift = UInt64(little ? i : width - 1 - i) * 8
            out[Int(at) + i] = UInt8(truncatingIfNeeded: value >> shift)
        }
    }
}
