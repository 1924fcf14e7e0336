/// Simulates each consumer's vDSO symbol lookup over the loader's view of an image.
struct ConsumerSimulator {
    let d: DynamicView
    let image: ELFImage
    let loads: [Segment]

    init(_ d: DynamicView) {
        self.d = d
        image = d.image
        loads = d.image.segments(ofType: PT.load)
    }

    func lookup(_ consumer: Consumer, name: String, version: String) -> ConsumerOutcome {
        switch consumer {
        case .glibc: return glibc(name, version)
        case .musl: return musl(name, version)
        case .go: return go(name, version)
        case .rustix: return rustix(name, version)
        }
    }

    /// The symbol types glibc's lookup accepts (dl-lookup.c's ALLOWED_STT).
    private static let glibcTypes: Set<UInt8> = [STT.notype, STT.object, STT.function, STT.common, STT.tls, STT.gnuIFunc]
    /// The symbol types musl's vdso.c accepts (OK_TYPES).
    private static let muslTypes: Set<UInt8> = [STT.function, STT.object, STT.notype, STT.common]

    // MARK: - glibc

    private func glibc(_ name: String, _ version: String) -> ConsumerOutcome {
        guard let first = loads.first else { return .notFound(.init("no PT_LOAD: glibc does not set the vDSO up", .loadLayout)) }
        guard d.segment != nil else { return .notFound(.init("no PT_DYNAMIC: glibc does not set the vDSO up", .dynamicSection)) }
        if !image.segments(ofType: PT.tls).isEmpty { return .crash(.init("glibc asserts the vDSO has no PT_TLS", .tls)) }
        let result: HashLookup
        if let t = d.gnuHash { result = t.lookup(name, in: d) } else if let t = d.sysvHash { result = t.lookup(name, in: d) } else {
            return .notFound(.init("no usable DT_GNU_HASH or DT_HASH", .hashTables))
        }
        switch result {
        case .malformed(let why): return .crash(.init("glibc's hash walk runs off the table (\(why))", .hashTables))
        case .notFound: return .notFound(.init("its \(d.gnuHash != nil ? "DT_GNU_HASH" : "DT_HASH") lookup does not find the name", .hashTables))
        case .found(let i):
            let s = d.symbols[i]
            guard s.isDefined, s.isGlobalOrWeak, Self.glibcTypes.contains(s.type), s.value != 0 else {
                return .notFound(.init("the symbol found is undefined, local, of type \(s.type) or at 0", .export))
            }
            if d.has(DT.versym) {
                guard d.has(DT.verdef) else { return .notFound(.init("DT_VERSYM without DT_VERDEF: glibc cannot match version \(version)", .versions)) }
                guard let v = s.versionIndex, let def = d.versionDefinitions.first(where: { $0.index == v }),
                      def.name == version, def.hash == elfHash(version) else {
                    return .notFound(.init("not bound to a version definition named \(version) with vd_hash elf_hash(\"\(version)\")", .versions))
                }
            }
            return place(s.value, bias: first)
        }
    }

    // MARK: - musl

    private func musl(_ name: String, _ version: String) -> ConsumerOutcome {
        guard let last = loads.last else { return .notFound(.init("no PT_LOAD", .loadLayout)) }
        guard d.segment != nil else { return .notFound(.init("no PT_DYNAMIC", .dynamicSection)) }
        guard d.has(DT.hash), let table = d.sysvHash else {
            return .notFound(.init("no usable DT_HASH: musl reads only the SysV hash table (its nchain is the symbol count)", .hashTables))
        }
        let versioned = d.has(DT.versym) && d.has(DT.verdef)
        for s in d.symbols.prefix(Int(table.nchain)) {
            guard Self.muslTypes.contains(s.type), s.isGlobalOrWeak || s.bind == 10, s.isDefined, s.name == name else { continue }
            if versioned {
                guard let v = s.versionIndex, d.versionDefinitions.contains(where: { !$0.isBase && $0.index & 0x7fff == v && $0.name == version }) else { continue }
            }
            return place(s.value, bias: last, why: "musl takes the load bias from the last PT_LOAD")
        }
        return versioned ? .notFound(.init("no defined \(name) bound to version \(version)", .versions))
            : .notFound(.init("no defined \(name) among DT_HASH's nchain symbols", .hashTables))
    }

    // MARK: - Go

    private func go(_ name: String, _ version: String) -> ConsumerOutcome {
        guard let first = loads.first else { return .notFound(.init("no PT_LOAD: Go ignores the vDSO", .loadLayout)) }
        guard d.segment != nil else { return .notFound(.init("no PT_DYNAMIC: Go ignores the vDSO", .dynamicSection)) }
        guard d.has(DT.strtab), d.has(DT.symtab), d.has(DT.hash) || d.has(DT.gnuHash) else {
            return .notFound(.init("no DT_STRTAB, DT_SYMTAB or hash table: Go ignores the vDSO", .hashTables))
        }
        guard d.has(DT.verdef) else {
            return .crash(.init("Go dereferences the version definitions without a nil check when a hash table exists: no DT_VERDEF crashes every Go program at start-up", .versions))
        }
        let wanted = d.versionDefinitions.first { !$0.isBase && $0.hash == elfHash(version) && $0.name == version }
        let versioned = d.has(DT.versym)
        let match: (DynamicSymbol) -> Bool = { s in
            guard s.type == STT.function || s.type == STT.notype, s.isGlobalOrWeak, s.isDefined, s.name == name else { return false }
            if versioned { return wanted.map { s.versionIndex == $0.index & 0x7fff } ?? false }
            return true
        }
        guard let s = chainWalk(name, preferGNU: true, match) else {
            if versioned && wanted == nil { return .notFound(.init("no \(version) version node (vd_hash and name): Go silently falls back to the system call", .versions)) }
            return .notFound(.init("not found by Go's hash walk (\(name)@\(version), FUNC or NOTYPE)", .hashTables))
        }
        return place(s.value, bias: first)
    }

    // MARK: - rustix / parse_vdso

    private func rustix(_ name: String, _ version: String) -> ConsumerOutcome {
        guard let first = loads.first else { return .notFound(.init("no PT_LOAD", .loadLayout)) }
        if first.flags & (PF.r | PF.x) != PF.r | PF.x { return .notFound(.init("the first PT_LOAD is not R+X: rustix rejects the vDSO", .loadLayout)) }
        if let p = image.segments.first(where: { $0.type == PT.interp || $0.type == PT.gnuRelro }) {
            return .notFound(.init("\(p.typeName) present: rustix rejects the vDSO", .interpOrRelro))
        }
        guard let dyn = d.segment else { return .notFound(.init("no PT_DYNAMIC", .dynamicSection)) }
        if dyn.offset < image.header.headerSize { return .notFound(.init("PT_DYNAMIC lies inside the ELF header", .dynamicSection)) }
        if !d.terminated { return .notFound(.init("no DT_NULL inside PT_DYNAMIC", .dynamicSection)) }
        guard d.value(DT.syment) == image.header.symbolEntrySize else {
            return .notFound(.init("DT_SYMENT is \(d.value(DT.syment).map(String.init) ?? "missing"), not \(image.header.symbolEntrySize): rustix rejects the vDSO", .dynamicSection))
        }
        guard d.has(DT.strtab), d.has(DT.symtab), d.sysvHash != nil || d.gnuHash != nil else {
            return .notFound(.init("no DT_STRTAB, DT_SYMTAB or usable hash table", .hashTables))
        }
        let versioned = d.has(DT.versym) && d.has(DT.verdef)
        let match: (DynamicSymbol) -> Bool = { s in
            guard s.type == STT.function, s.isGlobalOrWeak, s.isDefined, s.name == name else { return false }
            guard versioned else { return true }
            guard let v = s.versionIndex, let def = self.d.versionDefinitions.first(where: { !$0.isBase && $0.index & 0x7fff == v }) else { return false }
            return def.revision == VER.defCurrent && def.hash == elfHash(version) && def.name == version
        }
        guard let s = chainWalk(name, preferGNU: true, match) else {
            return .notFound(.init("no STT_FUNC GLOBAL/WEAK \(name)\(versioned ? "@\(version) (vd_version 1, vd_hash and name)" : "") in the hash chains", versioned ? .versions : .hashTables))
        }
        guard s.value >= first.vaddr, s.value - first.vaddr < first.filesz else {
            return .notFound(.init("\(name) at 0x\(hex(s.value)) lies outside the first PT_LOAD: rustix refuses it", .loadLayout))
        }
        return place(s.value, bias: first)
    }

    // MARK: - Shared

    /// Walks the hash chains (GNU first if asked and present, no Bloom filter, as Go and rustix
    /// do), returning the first symbol `match` accepts.
    private func chainWalk(_ name: String, preferGNU: Bool, _ match: (DynamicSymbol) -> Bool) -> DynamicSymbol? {
        let view = image.bytes
        if preferGNU, let t = d.gnuHash {
            let h = gnuHash(name)
            guard var i = view.u32(t.bucketOffset + UInt64(h % t.nbuckets) * 4), i >= t.symoffset else { return nil }
            while Int(i) < d.symbols.count {
                guard let h2 = view.u32(t.chainOffset + UInt64(i - t.symoffset) * 4) else { return nil }
                if h2 | 1 == h | 1, match(d.symbols[Int(i)]) { return d.symbols[Int(i)] }
                if h2 & 1 != 0 { return nil }
                i += 1
            }
            return nil
        }
        if let t = d.sysvHash {
            guard var i = t.bucket(view, UInt64(elfHash(name) % t.nbucket)) else { return nil }
            var steps: UInt32 = 0
            while i != 0, i < t.nchain, Int(i) < d.symbols.count, steps <= t.nchain {
                if match(d.symbols[Int(i)]) { return d.symbols[Int(i)] }
                guard let next = t.chain(view, i) else { return nil }
                i = next; steps += 1
            }
        }
        return nil
    }

    /// The offset a consumer computes with `bias`'s load offset; a crash if that is not where
    /// the symbol's bytes are mapped.
    private func place(_ value: UInt64, bias: Segment, why: String = "") -> ConsumerOutcome {
        let computed = value &+ bias.offset &- bias.vaddr
        let holder = loads.first { value >= $0.vaddr && value - $0.vaddr < max($0.memsz, 1) } ?? bias
        let actual = value &+ holder.offset &- holder.vaddr
        if computed != actual {
            return .crash(.init("\(why.isEmpty ? "the load bias it uses" : why) puts the symbol at base+0x\(hex(computed)) instead of base+0x\(hex(actual))", .loadLayout))
        }
        return .found(computed)
    }
}
