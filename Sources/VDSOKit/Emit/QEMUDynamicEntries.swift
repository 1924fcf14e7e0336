/// gen-vdso's reading of the dynamic array: which tags hold an address (their d_ptr is relocated),
/// which hold an integer, and which it refuses (real relocations, external dependencies, anything
/// it does not know).
enum QEMUDynamicTag {
    enum Kind: Equatable { case address, integer, symbolEntrySize, mustBeZero, dependency, unknown }

    /// The kind of `tag` on `machine`, as gen-vdso-elfn.c.inc's switch sorts it.
    static func kind(_ tag: UInt64, machine: UInt16) -> Kind {
        switch tag {
        case 4, 6, 5, 0x6fff_fffc, 0x6fff_fff0, 3:  // DT_HASH, DT_SYMTAB, DT_STRTAB, DT_VERDEF, DT_VERSYM, DT_PLTGOT
            return .address
        case 0x6fff_fe00...0x6fff_feff:  // DT_ADDRRNGLO ... DT_ADDRRNGHI (DT_GNU_HASH among them)
            return .address
        case 0, 10, 14, 21, 30, 0x6fff_fffb, 16, 24, 0x6fff_fffd:
            // DT_NULL, DT_STRSZ, DT_SONAME, DT_DEBUG, DT_FLAGS, DT_FLAGS_1, DT_SYMBOLIC, DT_BIND_NOW, DT_VERDEFNUM
            return .integer
        case 0x6fff_fd00...0x6fff_fdff:  // DT_VALRNGLO ... DT_VALRNGHI
            return .integer
        case 11:  // DT_SYMENT
            return .symbolEntrySize
        case 17, 18, 7, 8:  // DT_REL, DT_RELSZ, DT_RELA, DT_RELASZ: allowed only as 0 (RISC-V's toolchain writes them)
            return .mustBeZero
        case 19, 9, 22:  // DT_RELENT, DT_RELAENT, DT_TEXTREL
            return .integer
        case 1, 0x6fff_fffe, 20, 23, 15, 29:  // DT_NEEDED, DT_VERNEED, DT_PLTREL, DT_JMPREL, DT_RPATH, DT_RUNPATH
            return .dependency
        case 0x7000_0003 where machine == EM.ppc64:  // DT_PPC64_OPT: an integer bitmask
            return .integer
        default:
            return .unknown
        }
    }
}

extension QEMUElfWalk {
    /// The file offsets of the d_ptr words of the address-valued entries of the dynamic array at
    /// file offset `start`, walked to its DT_NULL; the refusals gen-vdso would print are appended.
    func dynamicRelocations(at start: UInt64, refusals: inout [String]) throws(VDSOError) -> [UInt32] {
        var out: [UInt32] = []
        var at = start
        while true {
            guard view.contains(at, 2 * wordSize) else {
                throw .notELF(path: path, reason: "the dynamic array at \(hex(start)) has no DT_NULL before the end of the file")
            }
            let tag = word(at), value = word(at + wordSize)
            switch QEMUDynamicTag.kind(tag, machine: machine) {
            case .address: out.append(UInt32(at + wordSize))
            case .integer: break
            case .symbolEntrySize:
                if value != UInt64(symbolSize) { refusals.append("VDSO has incorrect dynamic symbol size (DT_SYMENT \(value), not \(symbolSize))") }
            case .mustBeZero:
                if value != 0 { refusals.append("VDSO has dynamic relocations (tag \(hex(tag)) = \(hex(value))): a vDSO must need none; link with -Bsymbolic and hidden visibility") }
            case .dependency:
                refusals.append("VDSO has external dependencies (tag \(hex(tag))): link with -nostdlib and no shared libraries")
            case .unknown:
                refusals.append("VDSO has unknown DYNAMIC entry (\(String(tag, radix: 16))): gen-vdso knows no such tag; drop the option that adds it")
            }
            if tag == 0 { return out }
            at += 2 * wordSize
        }
    }
}

/// gen-vdso's search for the signal-return symbols: `.dynsym` first, then `.symtab`, a later
/// match overriding an earlier one; after them, the extra table vdsogen is given (the unstripped
/// image's, since vdsogen's images are stripped).
enum QEMUSignalSymbols {
    static let regionStart = "sigreturn_region_start"
    static let regionEnd = "sigreturn_region_end"

    static func find(in walk: QEMUElfWalk, options: QEMUVdsoOptions, into image: inout QEMUVdsoImage) throws(VDSOError) {
        var hits: [(name: String, value: UInt64)] = []
        for index in [walk.dynsymIndex, walk.symtabIndex].compactMap({ $0 }) {
            hits += symbols(of: index, in: walk)
        }
        hits += options.extraSymbols.filter(\.isDefined).map { ($0.name, $0.value) }
        for hit in hits {
            let (offset, below) = hit.value.subtractingReportingOverflow(image.linkBase)
            let slot: WritableKeyPath<QEMUVdsoImage, UInt32>
            // An else-if chain in gen-vdso: one name fills one slot.
            if let s = options.sigreturn, hit.name == s { slot = \.sigreturn }
            else if let r = options.rtSigreturn, hit.name == r { slot = \.rtSigreturn }
            else if hit.name == regionStart { slot = \.sigreturnRegionStart }
            else if hit.name == regionEnd { slot = \.sigreturnRegionEnd }
            else { continue }
            guard !below, offset <= UInt64(bytes32Max(image)) else {
                throw .usage("\(walk.path): \(hit.name) is at \(walk.hex(hit.value)), outside the image linked at \(walk.hex(image.linkBase))")
            }
            image[keyPath: slot] = UInt32(offset)
            image.found.insert(hit.name)
        }
    }

    static func bytes32Max(_ image: QEMUVdsoImage) -> UInt32 { UInt32(image.bytes.count) }

    /// (name, st_value) of each entry of the symbol table in section `index`, names read from
    /// its sh_link string table; an entry whose name lies outside the file is skipped.
    static func symbols(of index: Int, in walk: QEMUElfWalk) -> [(name: String, value: UInt64)] {
        let table = walk.sectionHeaders[index]
        guard Int(table.link) < walk.sectionHeaders.count else { return [] }
        let strings = walk.sectionHeaders[Int(table.link)]
        var out: [(name: String, value: UInt64)] = []
        for i in 0..<table.entries(walk.symbolSize) {
            let at = table.offset + UInt64(i) * UInt64(walk.symbolSize)
            let nameOffset = UInt64(walk.view.u32(at) ?? 0)
            let (start, overflow) = strings.offset.addingReportingOverflow(nameOffset)
            guard !overflow, let name = walk.view.cString(start) else { continue }
            out.append((name, walk.word(at + UInt64(walk.symValue))))
        }
        return out
    }
}
