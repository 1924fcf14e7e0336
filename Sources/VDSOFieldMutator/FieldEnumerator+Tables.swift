/// The tables inside sections and segments: version definitions, notes, `.eh_frame_hdr` and
/// `.eh_frame`.
extension FieldEnumerator {
    /// vd_cnt, vd_aux, vd_next of each definition and vda_name, vda_next of each auxiliary entry.
    mutating func versionDefinitions(_ s: SectionRow) {
        guard var at = s.offset else { return }
        for i in 0..<min(Int(s.info == 0 ? 64 : s.info), 64) {
            guard at <= f.bytes.count - 20 else { return }
            add("verdef[\(i)].vd_flags", at + 2, 2); add("verdef[\(i)].vd_ndx", at + 4, 2)
            add("verdef[\(i)].vd_cnt", at + 6, 2); add("verdef[\(i)].vd_aux", at + 12, 4); add("verdef[\(i)].vd_next", at + 16, 4)
            let count = Int(f.read(at + 6, 2) ?? 0)
            var aux = at + Int(f.read(at + 12, 4) ?? 0)
            for j in 0..<min(count, 16) {
                guard aux >= 0, aux <= f.bytes.count - 8 else { break }
                add("verdef[\(i)].aux[\(j)].vda_name", aux, 4); add("verdef[\(i)].aux[\(j)].vda_next", aux + 4, 4)
                let next = Int(f.read(aux + 4, 4) ?? 0)
                if next == 0 { break }
                aux += next
            }
            let next = Int(f.read(at + 16, 4) ?? 0)
            if next == 0 { return }
            at += next
        }
    }

    /// namesz, descsz and type of each note in an area, walked with the area's alignment.
    mutating func notes(_ start: Int?, size: UInt64, align: UInt64, label: String) {
        guard let start else { return }
        let a = align == 8 ? 8 : 4
        let end = min(f.bytes.count, start + min(Int(clamping: size), f.bytes.count))
        var at = start, i = 0
        func up(_ v: Int) -> Int { (v + a - 1) / a * a }
        while at + 12 <= end, i < 256 {
            add("note[\(label) #\(i)].n_namesz", at, 4); add("note[\(label) #\(i)].n_descsz", at + 4, 4)
            add("note[\(label) #\(i)].n_type", at + 8, 4)
            let namesz = Int(f.read(at, 4) ?? 0), descsz = Int(f.read(at + 4, 4) ?? 0)
            guard namesz < f.bytes.count, descsz < f.bytes.count else { return }
            at += up(12 + namesz) + up(descsz)
            i += 1
        }
    }

    /// The header bytes, eh_frame_ptr and fde_count, and each table entry's two words (the
    /// encodings lld and GNU ld write: pcrel|sdata4, udata4, datarel|sdata4).
    mutating func ehFrameHeader(_ start: Int?, size: UInt64) {
        guard let start, start <= f.bytes.count - 4 else { return }
        for (i, n) in ["version", "eh_frame_ptr_enc", "fde_count_enc", "table_enc"].enumerated() { add("eh_frame_hdr.\(n)", start + i, 1) }
        guard f.read(start + 1, 1) == 0x1b, f.read(start + 2, 1) == 0x03, f.read(start + 3, 1) == 0x3b else { return }
        add("eh_frame_hdr.eh_frame_ptr", start + 4, 4); add("eh_frame_hdr.fde_count", start + 8, 4)
        let count = Int(f.read(start + 8, 4) ?? 0)
        for i in 0..<min(count, limit) {
            let at = start + 12 + 8 * i
            guard at <= f.bytes.count - 8 else { return }
            add("eh_frame_hdr.table[\(i)].initial_loc", at, 4); add("eh_frame_hdr.table[\(i)].fde", at + 4, 4)
        }
    }

    /// Each entry's length and CIE id/pointer; for FDEs, pc_begin and pc_range (4-byte encodings).
    mutating func ehFrame(_ start: Int?, size: UInt64) {
        guard let start else { return }
        let end = min(f.bytes.count, start + min(Int(clamping: size), f.bytes.count))
        var at = start, i = 0
        while at + 8 <= end, i < limit {
            guard let length = f.read(at, 4), length != 0, length != 0xffff_ffff else { return }
            let id = f.read(at + 4, 4) ?? 0
            add("eh_frame[\(i)].length", at, 4); add("eh_frame[\(i)].\(id == 0 ? "cie_id" : "cie_pointer")", at + 4, 4)
            if id != 0 { add("eh_frame[\(i)].pc_begin", at + 8, 4); add("eh_frame[\(i)].pc_range", at + 12, 4) }
            cfiPatches(entry: at, length: Int(length), isCIE: id == 0, label: "eh_frame[\(i)]")
            at += 4 + Int(length)
            i += 1
        }
    }
}
