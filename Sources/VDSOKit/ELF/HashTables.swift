/// A problem met while reading a table named by the dynamic section.
public struct TableProblem: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The outcome of looking a name up through a hash table, as a loader would.
public enum HashLookup: Sendable, Equatable {
    /// The dynamic symbol index the chain led to.
    case found(Int)
    case notFound
    /// The walk could not finish: a chain loops, or an index leaves the table.
    case malformed(String)
}

/// The System V ELF hash (`elf_hash`), used by DT_HASH and by `vd_hash` in version definitions.
public func elfHash(_ name: String) -> UInt32 {
    var h: UInt32 = 0
    for c in name.utf8 {
        h = (h << 4) &+ UInt32(c)
        let g = h & 0xf000_0000
        if g != 0 { h ^= g >> 24 }
        h &= ~g
    }
    return h
}

/// The GNU hash (`dl_new_hash`, DJB's hash with 33), used by DT_GNU_HASH.
public func gnuHash(_ name: String) -> UInt32 {
    var h: UInt32 = 5381
    for c in name.utf8 { h = h &* 33 &+ UInt32(c) }
    return h
}

/// DT_HASH: `nbucket, nchain, bucket[nbucket], chain[nchain]`. The words are 32-bit, except on
/// 64-bit s390 and Alpha, whose psABIs give the table 64-bit entries (binutils' `hash_entry_size`
/// is 8 there, and glibc reads `Elf_Symndx` as a 64-bit word).
public struct SysVHashTable: Sendable {
    public var nbucket: UInt32
    public var nchain: UInt32
    /// The width of one word of the table: 4, or 8 on 64-bit s390 and Alpha.
    public var entrySize: UInt64
    var bucketOffset: UInt64
    var chainOffset: UInt64

    /// The entry width the image's psABI gives DT_HASH.
    static func entrySize(for header: ELFHeader) -> UInt64 {
        header.is64 && (header.machine == EM.s390 || header.machine == EM.alpha) ? 8 : 4
    }

    static func read(_ d: DynamicView, address: UInt64) -> Result<SysVHashTable, TableProblem> {
        let w = entrySize(for: d.image.header)
        guard let off = d.fileOffset(of: address, length: 2 * w), let nb = word(d.image.bytes, off, w),
              let nc = word(d.image.bytes, off + w, w) else {
            return .failure(TableProblem("the table at 0x\(String(address, radix: 16)) is not inside a PT_LOAD backed by the file"))
        }
        guard let nbucket = UInt32(exactly: nb), let nchain = UInt32(exactly: nc), nbucket != 0 || w == 4 else {
            return .failure(narrowTable(d, offset: off, read: (nb, nc)))
        }
        if nbucket == 0 { return .failure(TableProblem("nbucket is 0, so no symbol can be found")) }
        let words = UInt64(nbucket) + UInt64(nchain)
        guard d.fileOffset(of: address, length: (2 + words) * w) != nil else {
            return .failure(TableProblem("\(nbucket) buckets and \(nchain) chain entries of \(w) bytes run past the end of the file"))
        }
        return .success(SysVHashTable(nbucket: nbucket, nchain: nchain, entrySize: w, bucketOffset: off + 2 * w,
                                      chainOffset: off + (2 + UInt64(nbucket)) * w))
    }

    /// The problem of a 64-bit-entry table that does not read as one: when its first words make
    /// sense as 4-byte entries, the linker wrote the wrong width (ld.lld does for s390x).
    private static func narrowTable(_ d: DynamicView, offset: UInt64, read: (UInt64, UInt64)) -> TableProblem {
        let machine = EM.name(d.image.header.machine)
        if let nb = d.image.bytes.u32(offset), let nc = d.image.bytes.u32(offset + 4), nb != 0,
           nc == d.symbols.count || nc < 1 << 16 {
            return TableProblem("the table has 4-byte entries (nbucket \(nb), nchain \(nc)), but 64-bit \(machine)'s psABI gives DT_HASH 8-byte entries and glibc reads nbucket \(read.0): link with GNU ld (ld.lld writes the wrong width here) or --hash-style=gnu")
        }
        return TableProblem("nbucket \(read.0) and nchain \(read.1) are no table of 8-byte entries, as 64-bit \(machine)'s psABI requires")
    }

    /// One word of the table, of the table's width; nil when it is unreadable or wider than a
    /// symbol index.
    static func word(_ view: ByteView, _ offset: UInt64, _ width: UInt64) -> UInt64? {
        width == 8 ? view.u64(offset) : view.u32(offset).map(UInt64.init)
    }

    func bucket(_ view: ByteView, _ b: UInt64) -> UInt32? {
        Self.word(view, bucketOffset + b * entrySize, entrySize).flatMap { UInt32(exactly: $0) }
    }

    func chain(_ view: ByteView, _ i: UInt32) -> UInt32? {
        Self.word(view, chainOffset + UInt64(i) * entrySize, entrySize).flatMap { UInt32(exactly: $0) }
    }

    /// Walks every bucket's chain once, as a lookup of an absent name would, and describes the
    /// first chain that loops (or runs into another chain) or leaves the table. Each chain entry
    /// may be visited once, so the walk is linear in nchain however the table is corrupted.
    func chainProblem(_ d: DynamicView) -> String? {
        let view = d.image.bytes
        var visited = [Bool](repeating: false, count: Int(nchain))
        for b in 0..<UInt64(nbucket) {
            guard var i = bucket(view, b) else { return "bucket \(b) is unreadable or wider than 32 bits" }
            while i != 0 {
                guard i < nchain else { return "the chain of bucket \(b) reaches index \(i), past nchain \(nchain)" }
                if visited[Int(i)] {
                    return "the chain of bucket \(b) reaches symbol \(i) a second time: a chain loops (or two chains merge), so a lookup of an absent name never ends"
                }
                visited[Int(i)] = true
                guard let next = chain(view, i) else { return "the chain of bucket \(b) is unreadable or wider than 32 bits" }
                i = next
            }
        }
        return nil
    }

    /// Looks `name` up exactly as glibc's and musl's DT_HASH walk does.
    public func lookup(_ name: String, in d: DynamicView) -> HashLookup {
        let view = d.image.bytes
        let h = elfHash(name)
        guard var i = bucket(view, UInt64(h % nbucket)) else { return .malformed("bucket unreadable") }
        var steps: UInt32 = 0
        while i != 0 {
            guard i < nchain else { return .malformed("chain index \(i) is past nchain \(nchain)") }
            guard Int(i) < d.symbols.count else { return .malformed("chain index \(i) is past the symbol table") }
            if d.symbols[Int(i)].name == name { return .found(Int(i)) }
            steps += 1
            if steps > nchain { return .malformed("the chain for \"\(name)\" loops") }
            guard let next = chain(view, i) else { return .malformed("chain unreadable") }
            i = next
        }
        return .notFound
    }
}

/// DT_GNU_HASH: a header, a Bloom filter of class-sized words, buckets, and a hash-value chain
/// whose entries start at `symoffset` and end where bit 0 is set.
public struct GNUHashTable: Sendable {
    public var nbuckets: UInt32
    public var symoffset: UInt32
    public var bloomSize: UInt32
    public var bloomShift: UInt32
    var bloomOffset: UInt64
    var bucketOffset: UInt64
    var chainOffset: UInt64
    var is64: Bool

    static func read(_ d: DynamicView, address: UInt64) -> Result<GNUHashTable, TableProblem> {
        let view = d.image.bytes
        guard let off = d.fileOffset(of: address, length: 16), let nb = view.u32(off), let so = view.u32(off + 4),
              let bs = view.u32(off + 8), let sh = view.u32(off + 12) else {
            return .failure(TableProblem("the table at 0x\(String(address, radix: 16)) is not inside a PT_LOAD backed by the file"))
        }
        if nb == 0 { return .failure(TableProblem("nbuckets is 0, so no symbol can be found")) }
        if bs == 0 { return .failure(TableProblem("the Bloom filter has no words")) }
        let word: UInt64 = d.image.header.is64 ? 8 : 4
        let size = 16 + UInt64(bs) * word + UInt64(nb) * 4
        guard d.fileOffset(of: address, length: size) != nil else {
            return .failure(TableProblem("\(bs) Bloom words and \(nb) buckets run past the end of the file"))
        }
        let bloom = off + 16
        let buckets = bloom + UInt64(bs) * word
        return .success(GNUHashTable(nbuckets: nb, symoffset: so, bloomSize: bs, bloomShift: sh,
                                     bloomOffset: bloom, bucketOffset: buckets,
                                     chainOffset: buckets + UInt64(nb) * 4, is64: d.image.header.is64))
    }

    /// The number of dynamic symbols the table implies (last chained index + 1), as loaders
    /// without DT_HASH compute it.
    func symbolCount(_ d: DynamicView) -> Int? {
        let view = d.image.bytes
        var last: UInt32 = 0
        for b in 0..<UInt64(nbuckets) {
            guard let i = view.u32(bucketOffset + b * 4) else { return nil }
            last = max(last, i)
        }
        if last < symoffset { return Int(symoffset) }
        // 64-bit, so that a run of hash values reaching index 0xffffffff cannot overflow.
        var i = UInt64(last)
        while true {
            guard let h = view.u32(chainOffset + (i - UInt64(symoffset)) * 4) else { return nil }
            if h & 1 != 0 { return Int(i) + 1 }
            i += 1
            if i - UInt64(symoffset) > 1 << 20 { return nil }
        }
    }

    /// Walks every bucket's run of hash values to its end marker (bit 0 set) and describes the
    /// first run that does not end inside the dynamic symbol table: a lookup of an absent name
    /// that lands there reads on past the table. Linear in the symbol count (each entry once).
    func chainProblem(_ d: DynamicView) -> String? {
        let view = d.image.bytes
        let count = d.symbols.count
        guard count > 0 else { return nil }
        var visited = [Bool](repeating: false, count: count)
        for b in 0..<UInt64(nbuckets) {
            guard var i = view.u32(bucketOffset + b * 4) else { return "bucket \(b) is unreadable" }
            if i == 0 { continue }
            guard i >= symoffset else { return "bucket \(b) points at symbol \(i), below symoffset \(symoffset)" }
            while true {
                guard Int(i) < count else {
                    return "the chain of bucket \(b) does not end (no hash value with bit 0 set) before the end of the \(count)-symbol table"
                }
                if visited[Int(i)] { return "the chains of two buckets overlap at symbol \(i)" }
                visited[Int(i)] = true
                guard let h = view.u32(chainOffset + UInt64(i - symoffset) * 4) else {
                    return "the chain of bucket \(b) runs past the end of the file"
                }
                if h & 1 != 0 { break }
                i += 1
            }
        }
        return nil
    }

    /// Looks `name` up exactly as glibc's DT_GNU_HASH walk does, Bloom filter first.
    public func lookup(_ name: String, in d: DynamicView) -> HashLookup {
        let view = d.image.bytes
        let h1 = gnuHash(name)
        let bits: UInt32 = is64 ? 64 : 32
        let wordIndex = UInt64((h1 / bits) % bloomSize)
        guard let word = view.word(bloomOffset + wordIndex * (is64 ? 8 : 4), is64: is64) else {
            return .malformed("Bloom filter unreadable")
        }
        let mask = (UInt64(1) << UInt64(h1 % bits)) | (UInt64(1) << UInt64((h1 >> (bloomShift & 31)) % bits))
        if word & mask != mask { return .notFound }
        guard var i = view.u32(bucketOffset + UInt64(h1 % nbuckets) * 4) else { return .malformed("bucket unreadable") }
        if i == 0 { return .notFound }
        guard i >= symoffset else { return .malformed("bucket points at symbol \(i), below symoffset \(symoffset)") }
        while true {
            guard Int(i) < d.symbols.count else { return .malformed("chain index \(i) is past the symbol table") }
            guard let h2 = view.u32(chainOffset + UInt64(i - symoffset) * 4) else { return .malformed("chain unreadable") }
            if (h1 | 1) == (h2 | 1) && d.symbols[Int(i)].name == name { return .found(Int(i)) }
            if h2 & 1 != 0 { return .notFound }
            i += 1
        }
    }

    /// True if the Bloom filter admits `name` (a false here hides a symbol from glibc).
    public func bloomAdmits(_ name: String, in d: DynamicView) -> Bool {
        let h1 = gnuHash(name)
        let bits: UInt32 = is64 ? 64 : 32
        guard let word = d.image.bytes.word(bloomOffset + UInt64((h1 / bits) % bloomSize) * (is64 ? 8 : 4), is64: is64) else { return false }
        let mask = (UInt64(1) << UInt64(h1 % bits)) | (UInt64(1) << UInt64((h1 >> (bloomShift & 31)) % bits))
        return word & mask == mask
    }
}
