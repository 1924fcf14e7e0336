/// A dynamic symbol as a loader sees it: read through DT_SYMTAB/DT_STRTAB, with its version.
public struct DynamicSymbol: Sendable {
    public var index: Int
    public var name: String
    public var value: UInt64
    public var size: UInt64
    public var type: UInt8
    public var bind: UInt8
    public var other: UInt8
    public var shndx: UInt16
    /// `versym[index] & 0x7fff`, or nil without DT_VERSYM.
    public var versionIndex: UInt16?
    /// The hidden bit of `versym[index]`.
    public var versionHidden: Bool
    /// The name of the version definition `versionIndex` names, if any.
    public var versionName: String?

    public var isDefined: Bool { shndx != SHN.undef }
    public var isGlobalOrWeak: Bool { bind == STB.global || bind == STB.weak }
    /// A defined global or weak symbol with default or protected visibility.
    public var isExport: Bool { isDefined && isGlobalOrWeak && (other & 3) != 1 && (other & 3) != 2 }
    /// `name@@VERSION` as readelf shows it.
    public var displayName: String {
        guard let v = versionName else { return name }
        return name + (versionHidden ? "@" : "@@") + v
    }
}

/// The image as a dynamic loader or a libc's vDSO parser sees it: through PT_LOAD and PT_DYNAMIC
/// only, with addresses translated to file offsets. Section headers play no part, so this is also
/// what works on a stripped or section-less image.
public struct DynamicView: Sendable {
    public let image: ELFImage
    /// Entries of PT_DYNAMIC up to and excluding DT_NULL (or to the segment's end).
    public private(set) var entries: [(tag: Int64, value: UInt64)] = []
    /// True if DT_NULL terminates the table inside PT_DYNAMIC.
    public private(set) var terminated = false
    /// The PT_DYNAMIC segment, if there is exactly one.
    public private(set) var segment: Segment?
    /// Problems met while following the dynamic table (reported by `dynamic-section`).
    public private(set) var problems: [String] = []
    public private(set) var symbols: [DynamicSymbol] = []
    public private(set) var versionDefinitions: [VersionDefinition] = []
    public private(set) var versionProblems: [String] = []
    public private(set) var sysvHash: SysVHashTable?
    public private(set) var gnuHash: GNUHashTable?
    public private(set) var hashProblems: [String] = []
    public private(set) var soname: String?
    private var strtab: (offset: UInt64, size: UInt64)?

    public init(_ image: ELFImage) {
        self.image = image
        let dynamics = image.segments(ofType: PT.dynamic)
        guard dynamics.count == 1, let dyn = dynamics.first else {
            if dynamics.count > 1 { problems.append("\(dynamics.count) PT_DYNAMIC segments; a loader uses only one") }
            return
        }
        segment = dyn
        readEntries(dyn)
        readStringTable()
        if let off = value(DT.soname) {
            soname = string(at: off)
            if soname == nil { problems.append("DT_SONAME offset \(off) lies outside the dynamic string table") }
        }
        readHashTables()
        readSymbols()
        readVersions()
        if let t = sysvHash, let p = t.chainProblem(self) { hashProblems.append("DT_HASH: \(p)") }
        if let t = gnuHash, let p = t.chainProblem(self) { hashProblems.append("DT_GNU_HASH: \(p)") }
    }

    /// The first value of a tag, if present.
    public func value(_ tag: Int64) -> UInt64? { entries.first { $0.tag == tag }?.value }
    /// Every value of a tag.
    public func values(_ tag: Int64) -> [UInt64] { entries.filter { $0.tag == tag }.map(\.value) }
    public func has(_ tag: Int64) -> Bool { entries.contains { $0.tag == tag } }

    /// Translates a virtual address to a file offset through the PT_LOAD segments, requiring
    /// `length` bytes to be backed by the file.
    public func fileOffset(of address: UInt64, length: UInt64 = 1) -> UInt64? {
        for p in image.segments where p.type == PT.load {
            guard address >= p.vaddr else { continue }
            let delta = address - p.vaddr
            guard delta < p.filesz, p.filesz - delta >= length else { continue }
            let (off, overflow) = p.offset.addingReportingOverflow(delta)
            return !overflow && image.bytes.contains(off, length) ? off : nil
        }
        return nil
    }

    /// A string of the dynamic string table.
    public func string(at offset: UInt64) -> String? {
        guard let t = strtab, offset < t.size else { return nil }
        return image.bytes.cString(t.offset + offset, limit: t.offset + t.size)
    }

    private mutating func readEntries(_ dyn: Segment) {
        let view = image.bytes, is64 = image.header.is64
        let entsize = image.header.dynamicEntrySize
        guard view.contains(dyn.offset, dyn.filesz) else {
            problems.append("PT_DYNAMIC (offset 0x\(hex(dyn.offset)), size 0x\(hex(dyn.filesz))) extends past the end of the file")
            return
        }
        var at = dyn.offset
        while at + entsize <= dyn.offset + dyn.filesz {
            guard let tag = view.word(at, is64: is64), let val = view.word(at + entsize / 2, is64: is64) else { break }
            let signedTag = is64 ? Int64(bitPattern: tag) : Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: tag)))
            if signedTag == DT.null { terminated = true; break }
            entries.append((signedTag, val))
            at += entsize
        }
        if !terminated { problems.append("the dynamic table has no DT_NULL inside PT_DYNAMIC") }
    }

    private mutating func readStringTable() {
        guard let addr = value(DT.strtab) else { problems.append("no DT_STRTAB"); return }
        guard let size = value(DT.strsz) else { problems.append("no DT_STRSZ"); return }
        guard let off = fileOffset(of: addr, length: size) else {
            problems.append("DT_STRTAB 0x\(hex(addr)) with DT_STRSZ \(size) is not inside a PT_LOAD backed by the file")
            return
        }
        strtab = (off, size)
    }

    private mutating func readHashTables() {
        if let addr = value(DT.hash) {
            switch SysVHashTable.read(self, address: addr) {
            case .success(let t): sysvHash = t
            case .failure(let p): hashProblems.append("DT_HASH: \(p.message)")
            }
        }
        if let addr = value(DT.gnuHash) {
            switch GNUHashTable.read(self, address: addr) {
            case .success(let t): gnuHash = t
            case .failure(let p): hashProblems.append("DT_GNU_HASH: \(p.message)")
            }
        }
    }

    /// How many symbols the dynamic symbol table holds: DT_HASH's nchain, else the GNU hash
    /// table's last symbol, else the `.dynsym` section's size.
    private func symbolCount() -> Int? {
        if let t = sysvHash { return Int(t.nchain) }
        if let t = gnuHash, let n = t.symbolCount(self) { return n }
        if let s = image.sections.first(where: { $0.type == SHT.dynsym }), s.entsize > 0 {
            return Int(s.size / s.entsize)
        }
        return nil
    }

    private mutating func readSymbols() {
        guard let addr = value(DT.symtab) else { problems.append("no DT_SYMTAB"); return }
        let entsize = image.header.symbolEntrySize
        if let syment = value(DT.syment), syment != entsize {
            problems.append("DT_SYMENT is \(syment), not sizeof(Elf\(image.header.is64 ? 64 : 32)_Sym) = \(entsize)")
        }
        guard let count = symbolCount() else { return }
        let (bytes, overflow) = UInt64(count).multipliedReportingOverflow(by: entsize)
        guard !overflow, let off = fileOffset(of: addr, length: bytes) else {
            problems.append("DT_SYMTAB 0x\(hex(addr)) with \(count) symbols is not inside a PT_LOAD backed by the file")
            return
        }
        let view = image.bytes, is64 = image.header.is64
        var versym: (UInt64, Int)?
        if let vaddr = value(DT.versym) {
            if let voff = fileOffset(of: vaddr, length: UInt64(count) * 2) {
                versym = (voff, count)
            } else {
                versionProblems.append("DT_VERSYM 0x\(hex(vaddr)) is not inside a PT_LOAD backed by the file")
            }
        }
        for i in 0..<count {
            let at = off + UInt64(i) * entsize
            let nameOff: UInt32?, value: UInt64?, size: UInt64?, info: UInt8?, other: UInt8?, shndx: UInt16?
            if is64 {
                nameOff = view.u32(at); info = view.u8(at + 4); other = view.u8(at + 5)
                shndx = view.u16(at + 6); value = view.u64(at + 8); size = view.u64(at + 16)
            } else {
                nameOff = view.u32(at); value = view.u32(at + 4).map(UInt64.init)
                size = view.u32(at + 8).map(UInt64.init); info = view.u8(at + 12)
                other = view.u8(at + 13); shndx = view.u16(at + 14)
            }
            guard let nameOff, let value, let size, let info, let other, let shndx else { break }
            var name = ""
            if nameOff != 0 {
                if let s = string(at: UInt64(nameOff)) { name = s } else {
                    problems.append("dynamic symbol \(i): name offset \(nameOff) lies outside the dynamic string table")
                    name = "<bad name>"
                }
            }
            var vindex: UInt16?, hidden = false
            if let (voff, _) = versym, let v = view.u16(voff + UInt64(i) * 2) {
                vindex = v & 0x7fff
                hidden = v & VER.symHidden != 0
            }
            symbols.append(DynamicSymbol(index: i, name: name, value: value, size: size, type: info & 0xf,
                                         bind: info >> 4, other: other, shndx: shndx, versionIndex: vindex,
                                         versionHidden: hidden, versionName: nil))
        }
    }

    private mutating func readVersions() {
        if let addr = value(DT.verdef) {
            let result = VersionDefinition.readChain(self, address: addr, declaredCount: value(DT.verdefnum))
            versionDefinitions = result.definitions
            versionProblems += result.problems
        }
        guard !versionDefinitions.isEmpty else { return }
        for i in symbols.indices {
            guard let v = symbols[i].versionIndex, v > 1 else { continue }
            symbols[i].versionName = versionDefinitions.first { $0.index == v }?.names.first
        }
    }

    /// Exported symbols: defined, global or weak, visible — skipping the absolute `LINUX_2.6`-style
    /// symbols GNU ld adds to name version nodes.
    public var exports: [DynamicSymbol] {
        symbols.filter { s in
            s.isExport && !(s.shndx == SHN.abs && s.value == 0 && s.type == STT.object
                            && versionDefinitions.contains { $0.names.first == s.name })
        }
    }

    private func hex(_ v: UInt64) -> String { String(v, radix: 16) }
}
