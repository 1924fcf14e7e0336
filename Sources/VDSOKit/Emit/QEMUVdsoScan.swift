/// What QEMU's `linux-user/gen-vdso` finds in a vDSO image, found the same way: the image bytes
/// as QEMU embeds them (the one PT_LOAD widened to the whole file, so that QEMU's loader maps the
/// section headers too), the file offsets of every word holding an address, which QEMU's loader
/// adds its load bias to, and the offsets of the signal-return symbols.
///
/// The walk is gen-vdso's (`gen-vdso-elfn.c.inc`), in its order: each program header's p_vaddr
/// and p_paddr, each section header's sh_addr, the address-valued dynamic entries, each `.dynsym`
/// entry's st_value. Its refusals are kept, each a usage error naming the fix; every offset read
/// from the file is bounds-checked (gen-vdso trusts its input, vdsogen does not).
///
/// Two departures, both opt-in or harmless to gen-vdso's images: an image linked at a page-aligned
/// base B other than 0 is accepted (the offsets written are file offsets, the symbol offsets
/// st_value − B, which is what QEMU's loader needs, its load bias being load address − B), and
/// `makeWritable` sets PF_W in the copy of an R+X PT_LOAD, which gen-vdso refuses.
public struct QEMUVdsoImage: Sendable, Equatable {
    /// The bytes QEMU embeds: the file, with the PT_LOAD's p_filesz and p_memsz set to its size.
    public var bytes: [UInt8]
    /// File offsets of the address words, in gen-vdso's order. Each word is as wide as the ELF
    /// class's address (4 or 8 bytes), in the image's byte order.
    public var relocations: [UInt32]
    public var is64: Bool
    public var littleEndian: Bool
    /// The PT_LOAD's p_vaddr: 0 for every image gen-vdso accepts.
    public var linkBase: UInt64
    /// Offsets from the image start; 0 when the symbol is absent, as gen-vdso writes it.
    public var sigreturn: UInt32 = 0
    public var rtSigreturn: UInt32 = 0
    public var sigreturnRegionStart: UInt32 = 0
    public var sigreturnRegionEnd: UInt32 = 0
    /// Which of the requested names were found.
    public var found: Set<String> = []
}

/// The symbol names gen-vdso is told to look for (its -s and -r options), and what else to do.
public struct QEMUVdsoOptions: Sendable {
    public var sigreturn: String?
    public var rtSigreturn: String?
    /// Set PF_W in the copy of a PT_LOAD that lacks it, instead of refusing the image.
    public var makeWritable = false
    /// Extra symbol tables searched after the image's own (an unstripped twin's `.symtab`).
    public var extraSymbols: [Symbol] = []

    public init(sigreturn: String? = nil, rtSigreturn: String? = nil) {
        self.sigreturn = sigreturn
        self.rtSigreturn = rtSigreturn
    }
}

public enum QEMUVdsoScan {
    /// Scans `bytes` (the file at `path`, named in messages) as gen-vdso would.
    public static func scan(_ bytes: [UInt8], path: String, options: QEMUVdsoOptions) throws(VDSOError) -> QEMUVdsoImage {
        guard bytes.count >= 16, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw .notELF(path: path, reason: "no ELF magic")
        }
        guard bytes[4] == 1 || bytes[4] == 2 else { throw .notELF(path: path, reason: "invalid EI_CLASS \(bytes[4])") }
        guard bytes[5] == 1 || bytes[5] == 2 else { throw .notELF(path: path, reason: "invalid EI_DATA \(bytes[5])") }
        guard bytes.count <= Int(UInt32.max) else { throw .usage("\(path): \(bytes.count) bytes; QEMU's relocation offsets are 32-bit") }
        var walk = QEMUElfWalk(bytes: bytes, path: path, is64: bytes[4] == 2, littleEndian: bytes[5] == 1)
        try walk.readHeaders()
        var image = QEMUVdsoImage(bytes: bytes, relocations: [], is64: walk.is64, littleEndian: walk.littleEndian, linkBase: 0)
        var refusals: [String] = []
        walk.checkLoad(into: &image, makeWritable: options.makeWritable, refusals: &refusals)
        let dynamic = walk.checkCovered(base: image.linkBase, refusals: &refusals)
        if !refusals.isEmpty { throw refusal(path, refusals) }
        for p in walk.programHeaders {
            image.relocations.append(contentsOf: [p.at + walk.phVaddr, p.at + walk.phPaddr])
        }
        for s in walk.sectionHeaders { image.relocations.append(s.at + walk.shAddr) }
        if let dynamic {
            image.relocations += try walk.dynamicRelocations(at: dynamic, refusals: &refusals)
            if !refusals.isEmpty { throw refusal(path, refusals) }
        }
        if let dynsym = walk.dynsymIndex {
            let table = walk.sectionHeaders[dynsym]
            for i in 0..<table.entries(walk.symbolSize) {
                image.relocations.append(table.offset32 + UInt32(i) * walk.symbolSize + walk.symValue)
            }
        }
        try QEMUSignalSymbols.find(in: walk, options: options, into: &image)
        return image
    }

    static func refusal(_ path: String, _ reasons: [String]) -> VDSOError {
        .usage("\(path): QEMU's gen-vdso refuses this image: " + reasons.joined(separator: "; "))
    }
}
