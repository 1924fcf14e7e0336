import CLibDW
import CLibELF

/// What vdsogen learns from an image's DWARF through libdw: its compile units and the address
/// ranges of its functions.
public struct DWARFSummary: Sendable {
    /// A function described by a DW_TAG_subprogram with an address range.
    public struct Subprogram: Sendable {
        public var name: String
        public var lowPC: UInt64
        public var highPC: UInt64
    }

    public var units: Int
    public var versions: [Int]
    public var subprograms: [Subprogram]

    /// Reads the DWARF of `image`; nil if it has no `.debug_info`, a `TableProblem` if libdw cannot
    /// parse it.
    public static func read(_ image: ELFImage) -> Result<DWARFSummary, TableProblem>? {
        guard image.section(named: ".debug_info") != nil else { return nil }
        return image.bytes.bytes.withUnsafeBytes { raw -> Result<DWARFSummary, TableProblem> in
            let base = UnsafeMutablePointer(mutating: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            guard let elf = elf_memory(base, raw.count) else { return .failure(TableProblem(String(cString: elf_errmsg(-1)))) }
            defer { elf_end(elf) }
            guard let dw = dwarf_begin_elf(elf, DWARF_C_READ, nil) else {
                return .failure(TableProblem(String(cString: dwarf_errmsg(-1))))
            }
            defer { dwarf_end(dw) }
            var summary = DWARFSummary(units: 0, versions: [], subprograms: [])
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
                    collectSubprograms(&cu, into: &summary.subprograms, depth: 0)
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

    private static func collectSubprograms(_ parent: inout Dwarf_Die, into list: inout [Subprogram], depth: Int) {
        guard depth < 8 else { return }
        var child = Dwarf_Die()
        guard dwarf_child(&parent, &child) == 0 else { return }
        var count = 0
        repeat {
            count += 1
            if dwarf_tag(&child) == DW_TAG_subprogram {
                var low: Dwarf_Addr = 0, high: Dwarf_Addr = 0
                if dwarf_lowpc(&child, &low) == 0, dwarf_highpc(&child, &high) == 0 {
                    let name = dwarf_diename(&child).map { String(cString: $0) } ?? ""
                    list.append(Subprogram(name: name, lowPC: low, highPC: high))
                }
            } else if dwarf_tag(&child) == DW_TAG_namespace || dwarf_tag(&child) == DW_TAG_module {
                collectSubprograms(&child, into: &list, depth: depth + 1)
            }
            var sibling = Dwarf_Die()
            guard dwarf_siblingof(&child, &sibling) == 0 else { break }
            child = sibling
        } while count < 1_000_000
    }
}
