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
        case .go: return go(name)
        case .rustix: return rustix(name, version)
        }
    }

    // MARK: - glibc

    private func glibc(_ name: String, _ version: String) -> ConsumerOutcome {
        guard d.segment != nil, let first = loads.first else { return .notFound("no PT_LOAD or no PT_DYNAMIC: glibc does not set the vDSO up") }
        if !image.segments(ofType: PT.tls).isEmpty { return .crash("glibc asserts the vDSO has no PT_TLS") }
        let result: HashLookup
        if let t = d.gnuHash { result = t.lookup(name, in: d) } else if let t = d.sysvHash { result = t.lookup(name, in: d) } else {
            return .notFound("no usable DT_GNU_HASH or DT_HASH")
        }
        switch result {
        case .malformed(let why): return .crash("glibc's hash walk runs off the table (\(why))")
        case .notFound: return .notFound("its \(d.gnuHash != nil ? "DT_GNU_HASH" : "DT_HASH") lookup does not find the name")
        case .found(let i):
            let s = d.symbols[i]
            let allowed: Set<UInt8> = [STT.notype, STT.object, STT.function, STT.common, STT.tls, STT.gnuIFunc]
            guard s.isDefined, s.isGlobalOrWeak, allowed.contains(s.type), s.value != 0 else {
                return .notFound("the symbol found is undefined, local, of type \(s.type) or at 0")
            }
            if d.has(DT.versym) {
                guard d.has(DT.verdef) else { return .notFound("DT_VERSYM without DT_VERDEF: glibc cannot match version \(version)") }
                guard let v = s.versionIndex, let def = d.versionDefinitions.first(where: { $0.index == v }),
                      def.name == version, def.hash == elfHash(version) else {
                    return .notFound("not bound to a version definition named \(version) with vd_hash elf_hash(\"\(version)\")")
                }
            }
            return place(s.value, bias: first)
        }
    }

    // MARK: - musl

    private func musl(_ name: String, _ version: String) -> ConsumerOutcome {
        guard d.segment != nil, let last = loads.last else { return .notFound("no PT_LOAD or no PT_DYNAMIC") }
        guard d.has(DT.hash), let table = d.sysvHash else {
            return .notFound("no usable DT_HASH: musl reads only the SysV hash table (its nchain is the symbol count)")
        }
        let versioned = d.has(DT.versym) && d.has(DT.verdef)
        let okTypes: Set<UInt8> = [STT.function, STT.object, STT.notype, STT.common]
        for s in d.symbols.prefix(Int(table.nchain)) {
            guard okTypes.contains(s.type), s.isGlobalOrWeak || s.bind == 10, s.isDefined, s.name == name else { continue }
            if versioned {
                guard let v = s.versionIndex, d.versionDefinitions.contains(where: { !$0.isBase && $0.index & 0x7fff == v && $0.name == version }) else { continue }
            }
            return place(s.value, bias: last, why: "musl takes the load bias from the last PT_LOAD")
        }
        return .notFound(versioned ? "no defined \(name) bound to version \(version)" : "no defined \(name) among DT_HASH's nchain symbols")
    }

    // MARK: - Go

    private func go(_ name: String) -> ConsumerOutcome {
        guard let spec = GoVDSO.forMachine(image.header.machine), spec.symbols.contains(name) else { return .notLookedUp }
        guard d.segment != nil, let first = loads.first else { return .notFound("no PT_LOAD or no PT_DYNAMIC: Go ignores the vDSO") }
        guard d.has(DT.strtab), d.has(DT.symtab), d.has(DT.hash) || d.has(DT.gnuHash) else {
            return .notFound("no DT_STRTAB, DT_SYMTAB or hash table: Go ignores the vDSO")
        }
        guard d.has(DT.verdef) else {
            return .crash("Go dereferences the version definitions without a nil check when a hash table exists: no DT_VERDEF crashes every Go program at start-up")
        }
        let wanted = d.versionDefinitions.first { !$0.isBase && $0.hash == elfHash(spec.version) && $0.name == spec.version }
        let versioned = d.has(DT.versym)
        let match: (DynamicSymbol) -> Bool = { s in
            guard s.type == STT.function || s.type == STT.notype, s.isGlobalOrWeak, s.isDefined, s.name == name else { return false }
            if versioned { return wanted.map { s.versionIndex == $0.index & 0x7fff } ?? false }
            return true
        }
        guard let s = chainWalk(name, preferGNU: true, match) else {
            if versioned && wanted == nil { return .notFound("no \(spec.version) version node (vd_hash and name): Go silently falls back to the system call") }
            return .notFound("not found by Go's hash walk (\(name)@\(spec.version), FUNC or NOTYPE)")
        }
        return place(s.value, bias: first)
    }

    // MARK: - rustix / parse_vdso

    private func rustix(_ name: String, _ version: String) -> ConsumerOutcome {
        guard let first = loads.first else { return .notFound("no PT_LOAD") }
        if first.flags & (PF.r | PF.x) != PF.r | PF.x { return .notFound("the first PT_LOAD is not R+X: rustix rejects the vDSO") }
        if let p = image.segments.first(where: { $0.type == PT.interp || $0.type == PT.gnuRelro }) {
            return .notFound("\(p.typeName) present: rustix rejects the vDSO")
        }
        guard let dyn = d.segment else { return .notFound("no PT_DYNAMIC") }
        if dyn.offset < image.header.headerSize { return .notFound("PT_DYNAMIC lies inside the ELF header") }
        if !d.terminated { return .notFound("no DT_NULL inside PT_DYNAMIC") }
        guard d.value(DT.syment) == image.header.symbolEntrySize else {
            return .notFound("DT_SYMENT is \(d.value(DT.syment).map(String.init) ?? "missing"), not \(image.header.symbolEntrySize): rustix rejects the vDSO")
        }
        guard d.has(DT.strtab), d.has(DT.symtab), d.sysvHash != nil || d.gnuHash != nil else {
            return .notFound("no DT_STRTAB, DT_SYMTAB or usable hash table")
        }
        let versioned = d.has(DT.versym) && d.has(DT.verdef)
        let match: (DynamicSymbol) -> Bool = { s in
            guard s.type == STT.function, s.isGlobalOrWeak, s.isDefined, s.name == name else { return false }
            guard versioned else { return true }
            guard let v = s.versionIndex, let def = self.d.versionDefinitions.first(where: { !$0.isBase && $0.index & 0x7fff == v }) else { return false }
            return def.revision == VER.defCurrent && def.hash == elfHash(version) && def.name == version
        }
        guard let s = chainWalk(name, preferGNU: true, match) else {
            return .notFound("no STT_FUNC GLOBAL/WEAK \(name)\(versioned ? "@\(version) (vd_version 1, vd_hash and name)" : "") in the hash chains")
        }
        guard s.value >= first.vaddr, s.value - first.vaddr < first.filesz else {
            return .notFound("\(name) at 0x\(hex(s.value)) lies outside the first PT_LOAD: rustix refuses it")
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
            guard var i = view.u32(t.bucketOffset + UInt64(elfHash(name) % t.nbucket) * 4) else { return nil }
            var steps: UInt32 = 0
            while i != 0, i < t.nchain, Int(i) < d.symbols.count, steps <= t.nchain {
                if match(d.symbols[Int(i)]) { return d.symbols[Int(i)] }
                guard let next = view.u32(t.chainOffset + UInt64(i) * 4) else { return nil }
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
            return .crash("\(why.isEmpty ? "the load bias it uses" : why) puts the symbol at base+0x\(hex(computed)) instead of base+0x\(hex(actual))")
        }
        return .found(computed)
    }
}
