import CLibDW
import CLibELF

/// What vdsogen learns from an image's DWARF through libdw: its compile units, the address
/// ranges and declarations of its functions, its statically allocated variables, and its line
/// table. Everything is copied out of libdw, so the summary outlives the parse.
public struct DWARFSummary: Sendable {
    /// A function described by a DW_TAG_subprogram with addresses.
    public struct Subprogram: Sendable {
        public var name: String
        /// The lowest address of any range (`DW_AT_low_pc`, or the first of `DW_AT_ranges`).
        public var lowPC: UInt64
        /// One past the highest address of any range.
        public var highPC: UInt64
        /// Every contiguous `[low, high)` range (one for most functions; more for split ones).
        public var ranges: [(low: UInt64, high: UInt64)]
        /// `DW_AT_decl_file` / `DW_AT_decl_line`, if present.
        public var declFile: String?
        public var declLine: Int?

        /// True if one range holds all of `[start, end)`.
        public func covers(_ start: UInt64, _ end: UInt64) -> Bool {
            ranges.contains { start >= $0.low && end <= $0.high && start < $0.high }
        }
    }

    /// A variable with a static address (`DW_AT_location` = `DW_OP_addr`), global or local.
    public struct Variable: Sendable {
        public var name: String
        public var address: UInt64
        /// From the type's `DW_AT_byte_size`, when libdw can tell; 0 otherwise.
        public var size: UInt64
        public var declFile: String?
        public var declLine: Int?
    }

    /// One row of a line-number program.
    public struct LineRow: Sendable {
        public var address: UInt64
        /// Index into `files`.
        public var file: Int
        public var line: Int
        /// The row ends a sequence: its address is one past the sequence's last byte.
        public var endSequence: Bool
    }

    /// A call the compiler described (`DW_TAG_call_site` / `DW_TAG_GNU_call_site`).
    public struct CallSite: Sendable {
        /// The function called (`DW_AT_call_origin`), e.g. an undefined `memset`.
        public var callee: String
        /// The function the call is in.
        public var caller: String
        /// The return address (`DW_AT_call_return_pc`), whose line is the call's.
        public var returnPC: UInt64
    }

    public var units: Int
    /// The DWARF versions of the compile units (4, 5, ...), each once.
    public var versions: [Int]
    public var subprograms: [Subprogram]
    public var variables: [Variable] = []
    /// File names the line rows refer to (leading `./` removed).
    public var files: [String] = []
    /// Line-table rows of every unit, in the order of their sequences.
    public var lines: [LineRow] = []
    public var callSites: [CallSite] = []
    /// Functions only declared (`DW_AT_declaration`), with where: what undefined symbols are.
    public var declarations: [String: (file: String, line: Int)] = [:]
    /// Units whose line table libdw could not read (their `.debug_line` is missing or broken).
    public var unitsWithoutLines: Int = 0
    /// Where the image's bytes lie while libdw reads them: names are read within them.
    private var strings = CStrings(start: 0, end: 0)
    /// DIEs left to visit: a limit on the work per image (a hostile `.debug_info` can chain
    /// siblings and children without end).
    private var dieBudget = 1_000_000

    /// True when the image carries `.debug_info`, plain, SHF_COMPRESSED (`-gz`, zlib or zstd), or
    /// as the GNU-style `.zdebug_info` (`-gz=zlib-gnu`, which libdw decompresses too).
    public static func hasDebugInfo(_ image: ELFImage) -> Bool {
        image.section(named: ".debug_info") != nil || image.section(named: ".zdebug_info") != nil
    }

    /// Reads the DWARF of `image`; nil if it has no `.debug_info`, a `TableProblem` if libdw cannot
    /// parse it.
    public static func read(_ image: ELFImage) -> Result<DWARFSummary, TableProblem>? {
        guard hasDebugInfo(image) else { return nil }
        // zstd sections inflated here (libelf before elfutils 0.189 reads zlib ones only).
        var bytes = image.bytes.bytes
        switch CompressedSections.inflated(image) {
        case .success(let inflated)?: bytes = inflated
        case .failure(let problem)?: return .failure(problem)
        case nil: break
        }
        // libdw reads some names with strlen() (the file and directory tables of .debug_line),
        // which runs past the buffer when a string table ends the file without its NUL: one NUL
        // after the file's bytes ends every such read inside the buffer.
        bytes.append(0)
        return bytes.withUnsafeBytes { raw -> Result<DWARFSummary, TableProblem> in
            let base = UnsafeMutablePointer(mutating: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            guard let elf = elf_memory(base, raw.count - 1) else { return .failure(TableProblem(String(cString: elf_errmsg(-1)))) }
            defer { elf_end(elf) }
            guard let dw = dwarf_begin_elf(elf, DWARF_C_READ, nil) else {
                return .failure(TableProblem(String(cString: dwarf_errmsg(-1))))
            }
            defer { dwarf_end(dw) }
            var summary = DWARFSummary(units: 0, versions: [], subprograms: [])
            let start = UInt(bitPattern: raw.baseAddress!)
            summary.strings = CStrings(start: start, end: start + UInt(raw.count))
            var offset: Dwarf_Off = 0
            while true {
                var next: Dwarf_Off = 0, headerSize = 0, version: Dwarf_Half = 0, abbrev: Dwarf_Off = 0
                var addrSize: UInt8 = 0, offSize: UInt8 = 0
                let rc = dwarf_next_unit(dw, offset, &next, &headerSize, &version, &abbrev, &addrSize, &offSize, nil, nil)
                if rc == 1 { break }
                if rc != 0 { return .failure(TableProblem("compile unit at .debug_info+0x\(String(offset, radix: 16)): \(String(cString: dwarf_errmsg(-1)))")) }
                summary.units += 1
                if !summary.versions.contains(Int(version)) { summary.versions.append(Int(version)) }
                var cu = Dwarf_Die()
                if dwarf_offdie(dw, offset + Dwarf_Off(headerSize), &cu) != nil {
                    summary.collect(&cu, depth: 0)
                    summary.readLines(&cu)
                } else {
                    return .failure(TableProblem("the DIE of the compile unit at .debug_info+0x\(String(offset, radix: 16)) cannot be read: \(String(cString: dwarf_errmsg(-1)))"))
                }
                if summary.units > 100_000 || next <= offset { break }
                offset = next
            }
            if summary.units == 0 { return .failure(TableProblem(".debug_info holds no compile unit")) }
            return .success(summary)
        }
    }

    /// Walks the children of `parent`: subprograms (and the variables inside them), variables,
    /// and namespaces.
    private mutating func collect(_ parent: inout Dwarf_Die, depth: Int) {
        collect(&parent, depth: depth, function: "")
    }

    private mutating func collect(_ parent: inout Dwarf_Die, depth: Int, function: String) {
        guard depth < 16 else { return }
        var child = Dwarf_Die()
        guard dwarf_child(&parent, &child) == 0 else { return }
        var count = 0
        repeat {
            count += 1
            dieBudget -= 1
            if dieBudget < 0 { return }
            let tag = dwarf_tag(&child)
            if tag == DW_TAG_subprogram {
                let ranges = Self.ranges(&child)
                let decl = Self.declaration(&child, strings)
                if ranges.isEmpty, dwarf_hasattr(&child, UInt32(DW_AT_declaration)) != 0, let f = decl.file, let l = decl.line {
                    declarations[Self.name(&child, strings)] = (f, l)
                }
                if !ranges.isEmpty {
                    subprograms.append(Subprogram(name: Self.name(&child, strings), lowPC: ranges.map(\.low).min()!,
                                                  highPC: ranges.map(\.high).max()!, ranges: ranges,
                                                  declFile: decl.file, declLine: decl.line))
                }
                collect(&child, depth: depth + 1, function: ranges.isEmpty ? function : Self.name(&child, strings))
            } else if tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site {
                if let site = Self.callSite(&child, in: function, strings) { callSites.append(site) }
            } else if tag == DW_TAG_variable {
                if let address = Self.staticAddress(&child) {
                    let decl = Self.declaration(&child, strings)
                    variables.append(Variable(name: Self.name(&child, strings), address: address, size: Self.typeSize(&child),
                                              declFile: decl.file, declLine: decl.line))
                }
            } else if tag == DW_TAG_namespace || tag == DW_TAG_module || tag == DW_TAG_lexical_block {
                collect(&child, depth: depth + 1, function: function)
            }
            var sibling = Dwarf_Die()
            guard dwarf_siblingof(&child, &sibling) == 0 else { break }
            child = sibling
        } while count < 1_000_000
    }

    /// Copies the unit's line table into `lines`.
    private mutating func readLines(_ cu: inout Dwarf_Die) {
        var table: OpaquePointer? = nil
        var count = 0
        guard dwarf_getsrclines(&cu, &table, &count) == 0, let table else {
            if dwarf_hasattr(&cu, UInt32(DW_AT_stmt_list)) != 0 || count == 0 { unitsWithoutLines += 1 }
            return
        }
        var fileIndex: [String: Int] = [:]
        for i in files.indices { fileIndex[files[i]] = i }
        // Rows name their file by pointer: each distinct name is read once.
        var byPointer: [UInt: String] = [:]
        for i in 0..<min(count, 1_000_000) {
            guard let line = dwarf_onesrcline(table, i) else { continue }
            var addr: Dwarf_Addr = 0, lineNo: Int32 = 0, end = false
            guard dwarf_lineaddr(line, &addr) == 0, dwarf_lineno(line, &lineNo) == 0 else { continue }
            _ = dwarf_lineendsequence(line, &end)
            let name = dwarf_linesrc(line, nil, nil).map { p in
                let key = UInt(bitPattern: p)
                if let known = byPointer[key] { return known }
                let name = Self.clean(strings.string(p))
                byPointer[key] = name
                return name
            } ?? "?"
            let index: Int
            if let known = fileIndex[name] { index = known } else {
                index = files.count; files.append(name); fileIndex[name] = index
            }
            lines.append(LineRow(address: addr, file: index, line: Int(lineNo), endSequence: end))
        }
    }

    /// The source line of `address`: the row in force at it, from the sequence that holds it.
    public func line(at address: UInt64) -> (file: String, line: Int)? {
        var best: LineRow?
        var sequence: [LineRow] = []
        for row in lines {
            if row.endSequence {
                if let first = sequence.first, address >= first.address, address < row.address {
                    best = sequence.last { $0.address <= address }
                    if best != nil { break }
                }
                sequence.removeAll(keepingCapacity: true)
            } else {
                sequence.append(row)
            }
        }
        guard let best, best.line > 0 else { return nil }
        return (files[best.file], best.line)
    }

    /// The innermost subprogram whose ranges hold `address`.
    public func subprogram(containing address: UInt64) -> Subprogram? {
        // No range ends past 2^64-1, so the last address is in none (and address + 1 would trap).
        guard address < .max else { return nil }
        return subprograms.filter { $0.covers(address, address + 1) }.min { $0.highPC - $0.lowPC < $1.highPC - $1.lowPC }
    }

    /// The variable whose storage holds `address`.
    public func variable(containing address: UInt64) -> Variable? {
        variables.first { address >= $0.address && address - $0.address < max($0.size, 1) }
    }

    // MARK: - DIE attributes

    private static func name(_ die: inout Dwarf_Die, _ strings: CStrings) -> String {
        dwarf_diename(&die).map { strings.string($0) } ?? ""
    }

    private static func ranges(_ die: inout Dwarf_Die) -> [(low: UInt64, high: UInt64)] {
        var out: [(low: UInt64, high: UInt64)] = []
        var base: Dwarf_Addr = 0, start: Dwarf_Addr = 0, end: Dwarf_Addr = 0
        var offset = dwarf_ranges(&die, 0, &base, &start, &end)
        while offset > 0 && out.count < 4096 {
            if end > start { out.append((start, end)) }
            offset = dwarf_ranges(&die, offset, &base, &start, &end)
        }
        return out
    }

    private static func declaration(_ die: inout Dwarf_Die, _ strings: CStrings) -> (file: String?, line: Int?) {
        var file = dwarf_decl_file(&die).map { clean(strings.string($0)) }
        if file == nil {
            // DWARF 5 numbers the primary source file 0, which older libdw refuses: look the index
            // up in the unit's file table directly.
            var attr = Dwarf_Attribute(), index: Dwarf_Word = 0, cu = Dwarf_Die()
            var files: OpaquePointer? = nil, count = 0
            if dwarf_attr_integrate(&die, UInt32(DW_AT_decl_file), &attr) != nil, dwarf_formudata(&attr, &index) == 0,
               dwarf_diecu(&die, &cu, nil, nil) != nil, dwarf_getsrcfiles(&cu, &files, &count) == 0,
               let files, index < UInt64(count), let name = dwarf_filesrc(files, Int(index), nil, nil) {
                file = clean(strings.string(name))
            }
        }
        var line: Int32 = 0
        return (file, dwarf_decl_line(&die, &line) == 0 && line > 0 ? Int(line) : nil)
    }

    /// The address of a `DW_OP_addr` location (a global or static variable), if that is what the
    /// variable's location is.
    private static func staticAddress(_ die: inout Dwarf_Die) -> UInt64? {
        var attr = Dwarf_Attribute()
        guard dwarf_attr(&die, UInt32(DW_AT_location), &attr) != nil else { return nil }
        var ops: UnsafeMutablePointer<Dwarf_Op>? = nil
        var count = 0
        guard dwarf_getlocation(&attr, &ops, &count) == 0, let ops, count >= 1 else { return nil }
        if ops[0].atom == UInt8(DW_OP_addr) { return ops[0].number }
        // DWARF 5 (and split DWARF): an index into .debug_addr, which libdw resolves.
        guard ops[0].atom == UInt8(DW_OP_addrx) || ops[0].atom == UInt8(DW_OP_GNU_addr_index) else { return nil }
        var result = Dwarf_Attribute(), address: Dwarf_Addr = 0
        guard dwarf_getlocation_attr(&attr, ops, &result) == 0, dwarf_formaddr(&result, &address) == 0 else { return nil }
        return address
    }

    private static func callSite(_ die: inout Dwarf_Die, in caller: String, _ strings: CStrings) -> CallSite? {
        var attr = Dwarf_Attribute(), origin = Dwarf_Die()
        let originAttr = dwarf_attr(&die, UInt32(DW_AT_call_origin), &attr) ?? dwarf_attr(&die, UInt32(DW_AT_abstract_origin), &attr)
        guard originAttr != nil, dwarf_formref_die(&attr, &origin) != nil else { return nil }
        var pcAttr = Dwarf_Attribute(), pc: Dwarf_Addr = 0
        let found = dwarf_attr(&die, UInt32(DW_AT_call_return_pc), &pcAttr) ?? dwarf_attr(&die, UInt32(DW_AT_low_pc), &pcAttr)
        guard found != nil, dwarf_formaddr(&pcAttr, &pc) == 0 else { return nil }
        return CallSite(callee: name(&origin, strings), caller: caller, returnPC: pc)
    }

    private static func typeSize(_ die: inout Dwarf_Die) -> UInt64 {
        var attr = Dwarf_Attribute(), type = Dwarf_Die()
        guard dwarf_attr_integrate(&die, UInt32(DW_AT_type), &attr) != nil,
              dwarf_formref_die(&attr, &type) != nil else { return 0 }
        var size: Dwarf_Word = 0
        return dwarf_aggregate_size(&type, &size) == 0 ? size : 0
    }

    /// Drops a leading `./` (what `-fdebug-compilation-dir=.` leaves).
    static func clean(_ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        return String(p)
    }
}

/// Reads the NUL-terminated names libdw hands back, never past the image's bytes when the name
/// lies in them (a name in a table whose offsets were edited may have no NUL before the end), and
/// never more than 4096 bytes of one name (libdw's own strings: joined directory and file names).
struct CStrings: Sendable {
    let start: UInt
    let end: UInt
    static let longest = 4096

    func string(_ p: UnsafePointer<CChar>) -> String {
        let at = UInt(bitPattern: p)
        let limit = at >= start && at < end ? min(Int(end - at), Self.longest) : Self.longest
        return p.withMemoryRebound(to: UInt8.self, capacity: limit) { bytes in
            var n = 0
            while n < limit && bytes[n] != 0 { n += 1 }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: n), as: UTF8.self)
        }
    }
}
