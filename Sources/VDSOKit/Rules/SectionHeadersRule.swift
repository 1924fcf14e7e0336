/// `section-headers`: the section header table is what binutils, elfutils and gdb expect.
///
/// A loader never reads section headers, but every tool that looks at a vDSO (readelf, gdb,
/// perf, eu-unstrip, debuginfod) does. An image without any section table passes: the checks
/// apply to the table there is.
struct SectionHeadersRule: Rule {
    let id = "section-headers"
    let summary = "Section 0 is SHT_NULL; e_shstrndx names an SHT_STRTAB; the table and every section lie inside the file; .note* sections are SHT_NOTE and cover every PT_NOTE; with --debug, the allocated sections have the debug image's names and addresses."
    let protects = "binutils finds notes (the build-id) only through SHT_NOTE and elfutils ignores PT_NOTE when sections exist; gdb reports \"corrupt string table index\" for a bad e_shstrndx or a table outside the image, and mismatches sections between a stripped image and its debug file by name."

    func check(_ c: CheckContext) -> [Finding] {
        let img = c.image, h = img.header
        var out: [Finding] = []
        guard h.shoff != 0 || h.shnum != 0 else { return [] }
        // The table itself (the reader gives up on the sections if it does not fit).
        let tableSize = UInt64(max(h.shnum, 1)) &* h.sectionHeaderSize
        if h.shentsize == UInt16(h.sectionHeaderSize), !img.bytes.contains(h.shoff, tableSize) {
            out.append(error("the section header table (\(h.shnum) entries at offset 0x\(hex(h.shoff))) lies outside the \(img.fileSize)-byte file: gdb and binutils report a corrupt image; strip with objcopy/llvm-objcopy instead of truncating the file"))
        }
        let sections = img.sections
        guard !sections.isEmpty else { return out }
        if let first = sections.first, first.index == 0, first.type != SHT.null {
            out.append(error("section 0 has type \(sectionTypeName(first.type)), not SHT_NULL: the gABI reserves index 0 (SHN_UNDEF) and tools skip it, so whatever it describes is lost; relink instead of editing the section table"))
        }
        // e_shstrndx as written in the header (the reader resets an invalid one).
        let rawStrndx = img.bytes.u16(h.is64 ? 62 : 50).map(Int.init) ?? 0
        // Without a name table the name-based checks below would only repeat this finding.
        let named = rawStrndx == 0xffff || (rawStrndx > 0 && rawStrndx < sections.count && sections[rawStrndx].type == SHT.strtab)
        if rawStrndx == 0 {
            out.append(error("e_shstrndx is 0 (SHN_UNDEF): sections have no names, and gdb refuses the image (\"corrupt string table index\"); relink or strip with objcopy"))
        } else if rawStrndx != 0xffff {
            if rawStrndx >= sections.count {
                out.append(error("e_shstrndx \(rawStrndx) is not a section (there are \(sections.count)): gdb refuses the image (\"corrupt string table index\"); relink or strip with objcopy"))
            } else if sections[rawStrndx].type != SHT.strtab {
                out.append(error("e_shstrndx \(rawStrndx) names \(sections[rawStrndx].name.isEmpty ? "a section" : sections[rawStrndx].name) of type \(sectionTypeName(sections[rawStrndx].type)), not SHT_STRTAB: section names are garbage to every tool; relink or strip with objcopy"))
            }
        }
        for s in sections where s.index != 0 && s.type != SHT.nobits && s.type != SHT.null && s.size > 0 {
            if !img.bytes.contains(s.offset, s.size) {
                out.append(error("section \(s.index) \(s.name) (offset 0x\(hex(s.offset)), size 0x\(hex(s.size))) extends past the end of the \(img.fileSize)-byte file: tools read garbage or refuse the image; relink instead of editing the section table"))
            }
        }
        for p in img.segments(ofType: PT.note) where p.filesz > 0 {
            let covered = sections.contains { $0.type == SHT.note && $0.offset <= p.offset && p.offset &- $0.offset < max($0.size, 1) }
            if !covered {
                out.append(error("PT_NOTE [\(p.index)] (offset 0x\(hex(p.offset))) is not covered by any SHT_NOTE section: elfutils ignores PT_NOTE when an image has sections, so its notes (the build-id) are invisible to it; put the notes in SHT_NOTE sections"))
            }
        }
        guard named else { return out }
        for s in sections where s.name.hasPrefix(".note") && s.type != SHT.note {
            out.append(error("section \(s.name) has type \(sectionTypeName(s.type)), not SHT_NOTE: binutils (readelf -n, objdump) and elfutils find notes, the build-id among them, only in SHT_NOTE sections; emit it with .section \(s.name),\"a\",@note"))
        }
        if let dbg = c.debug, !dbg.sections.isEmpty {
            out += compare(img, dbg)
        }
        return out
    }

    /// Allocated sections must have the same names at the same addresses in both images.
    private func compare(_ img: ELFImage, _ dbg: ELFImage) -> [Finding] {
        let mine = img.sections.filter { $0.isAllocated && $0.index != 0 }
        let theirs = dbg.sections.filter { $0.isAllocated && $0.index != 0 }
        var out: [Finding] = []
        let dbgName = Path.basename(dbg.path)
        for s in mine {
            let sameAddress = theirs.filter { $0.addr == s.addr && $0.size == s.size }
            if sameAddress.contains(where: { $0.name == s.name }) { continue }
            if let other = sameAddress.first {
                out.append(error("allocated section \(s.name) at 0x\(hex(s.addr)) is named \(other.name) in \(dbgName): gdb matches sections between the image and its debug file by name and loses the symbols and lines of this one; strip the debug image of this very build instead of renaming sections"))
            } else {
                out.append(error("allocated section \(s.name) at 0x\(hex(s.addr)) (0x\(hex(s.size)) bytes) has no section of that name, address and size in \(dbgName): gdb cannot match it to the debug file; strip the debug image of this very build"))
            }
        }
        for s in theirs where !mine.contains(where: { $0.addr == s.addr && $0.size == s.size }) && !RemovedOnPurpose.section(s, of: dbg) {
            out.append(error("allocated section \(s.name) at 0x\(hex(s.addr)) of \(dbgName) is missing from the image: gdb cannot match it; strip the debug image of this very build"))
        }
        if out.count > 4 {
            out = Array(out.prefix(3)) + [error("\(out.count - 3) more allocated sections differ from \(dbgName)'s: the debug image is not this image's; strip the debug image of this very build")]
        }
        return out
    }
}

/// readelf's name for a section type.
private func sectionTypeName(_ t: UInt32) -> String {
    let names: [UInt32: String] = [
        SHT.null: "SHT_NULL", SHT.progbits: "SHT_PROGBITS", SHT.symtab: "SHT_SYMTAB", SHT.strtab: "SHT_STRTAB",
        SHT.rela: "SHT_RELA", SHT.hash: "SHT_HASH", SHT.dynamic: "SHT_DYNAMIC", SHT.note: "SHT_NOTE",
        SHT.nobits: "SHT_NOBITS", SHT.rel: "SHT_REL", SHT.dynsym: "SHT_DYNSYM", SHT.gnuHash: "SHT_GNU_HASH",
        SHT.gnuVerdef: "SHT_GNU_verdef", SHT.gnuVersym: "SHT_GNU_versym",
    ]
    return names[t] ?? "0x\(String(t, radix: 16))"
}
