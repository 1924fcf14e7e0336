/// The DWARF tables of a debug image, as libdw walks them: `.debug_info` unit headers, every
/// attribute specification of `.debug_abbrev` (its form, and the value of a
/// `DW_FORM_implicit_const`, which lives in the abbreviation, not the DIE), the headers of
/// `.debug_line`, `.debug_rnglists`, `.debug_loclists` and `.debug_str_offsets` units.
/// Uncompressed sections only; 32-bit DWARF (a unit length of 0xffffffff stops the walk).
extension FieldEnumerator {
    mutating func dwarf(_ sections: [SectionRow]) {
        for s in sections {
            guard let o = s.offset, s.type != 8 else { continue }  // SHT_NOBITS holds no bytes
            let end = min(f.bytes.count, o + min(Int(clamping: s.size), f.bytes.count))
            switch s.name {
            case ".debug_info": infoUnits(o, end)
            case ".debug_abbrev": abbreviations(o, end)
            case ".debug_line": lineUnits(o, end)
            case ".debug_rnglists", ".debug_loclists", ".debug_str_offsets": listUnits(o, end, label: String(s.name.dropFirst()))
            default: break
            }
        }
    }

    /// Each unit's header, then the next unit at unit_length + 4: `fields` (name, offset, width)
    /// are relative to the unit.
    private mutating func units(_ start: Int, _ end: Int, label: String, _ fields: (Int) -> [(String, Int, Int)]) {
        var at = start, i = 0
        while at + 4 <= end, i < limit {
            guard let length = f.read(at, 4), length < 0xffff_fff0 else { return }
            let version = Int(f.read(at + 4, 2) ?? 0)
            add("\(label)[\(i)].unit_length", at, 4)
            for (n, o, w) in fields(version) where at + o + w <= end { add("\(label)[\(i)].\(n)", at + o, w) }
            at += 4 + Int(length)
            i += 1
        }
    }

    private mutating func infoUnits(_ start: Int, _ end: Int) {
        units(start, end, label: "debug_info") { v in
            v >= 5 ? [("version", 4, 2), ("unit_type", 6, 1), ("address_size", 7, 1), ("debug_abbrev_offset", 8, 4)]
                : [("version", 4, 2), ("debug_abbrev_offset", 6, 4), ("address_size", 10, 1)]
        }
    }

    private mutating func lineUnits(_ start: Int, _ end: Int) {
        units(start, end, label: "debug_line") { v in
            let h = v >= 5 ? 8 : 6  // where header_length is
            var rows = [("version", 4, 2), ("header_length", h, 4), ("minimum_instruction_length", h + 4, 1)]
            if v >= 5 { rows += [("address_size", 6, 1), ("segment_selector_size", 7, 1)] }
            let next = v >= 4 ? h + 6 : h + 5  // maximum_operations_per_instruction from v4
            if v >= 4 { rows.append(("maximum_operations_per_instruction", h + 5, 1)) }
            rows += [("line_base", next + 1, 1), ("line_range", next + 2, 1), ("opcode_base", next + 3, 1)]
            return rows
        }
    }

    private mutating func listUnits(_ start: Int, _ end: Int, label: String) {
        units(start, end, label: label) { _ in
            label == "debug_str_offsets" ? [("version", 4, 2)]
                : [("version", 4, 2), ("address_size", 6, 1), ("offset_entry_count", 8, 4)]
        }
    }

    /// Every attribute's form (its first byte), and each implicit_const value (at its encoded
    /// width when that is 1, 2, 4 or 8 bytes, else its first byte).
    private mutating func abbreviations(_ start: Int, _ end: Int) {
        var at = start, n = 0
        func leb() -> (value: UInt64, width: Int)? {
            var value: UInt64 = 0, shift: UInt64 = 0, width = 0
            while at < end, width < 10 {
                let b = f.bytes[at]
                if shift < 64 { value |= UInt64(b & 0x7f) << shift }
                at += 1; width += 1; shift += 7
                if b & 0x80 == 0 { return (value, width) }
            }
            return nil
        }
        while at < end, n < limit {
            guard let code = leb() else { return }
            if code.value == 0 { continue }  // the end of one unit's table; another may follow
            guard leb() != nil, at < end else { return }  // the tag
            at += 1  // DW_CHILDREN_*
            var a = 0
            while a < 256 {
                guard let attribute = leb() else { return }
                let formAt = at
                guard let form = leb() else { return }
                if attribute.value == 0 && form.value == 0 { break }
                add("debug_abbrev[\(code.value)].attr[\(a)].form", formAt, 1)
                if form.value == 0x21 {  // DW_FORM_implicit_const: an SLEB128 value follows
                    let valueAt = at
                    guard let value = leb() else { return }
                    add("debug_abbrev[\(code.value)].attr[\(a)].implicit_const", valueAt, [1, 2, 4, 8].contains(value.width) ? value.width : 1)
                }
                a += 1
            }
            n += 1
        }
    }
}
