/// `dynamic-section`: a dynamic table a loader can walk.
struct DynamicSectionRule: Rule {
    let id = "dynamic-section"
    let summary = "One PT_DYNAMIC matching .dynamic, ended by DT_NULL, with DT_SYMTAB, DT_STRTAB, DT_STRSZ, a correct DT_SYMENT and DT_SONAME."
    let protects = "Every libc finds the vDSO's symbols through PT_DYNAMIC alone; rustix rejects a wrong DT_SYMENT, and a PT_DYNAMIC that swallowed .rodata makes readelf and loaders read garbage tags."

    func check(_ c: CheckContext) -> [Finding] {
        let img = c.image
        let dynamics = img.segments(ofType: PT.dynamic)
        guard !dynamics.isEmpty else {
            return [error("no PT_DYNAMIC: libcs find the vDSO's symbols only through it; add a PT_DYNAMIC to the linker script's PHDRS and put .dynamic in it")]
        }
        let d = c.dynamic
        var out = d.problems.map { error("\($0)") }
        guard let seg = d.segment else { return out }
        if seg.offset < img.header.headerSize {
            out.append(error("PT_DYNAMIC at offset 0x\(hex(seg.offset)) overlaps the ELF header"))
        }
        if seg.filesz % img.header.dynamicEntrySize != 0 {
            out.append(error("PT_DYNAMIC's size 0x\(hex(seg.filesz)) is not a multiple of an entry (\(img.header.dynamicEntrySize) bytes): something else was placed in the dynamic segment"))
        }
        if let sec = img.section(named: ".dynamic") {
            if sec.offset != seg.offset || sec.size != seg.filesz {
                out.append(error("PT_DYNAMIC (offset 0x\(hex(seg.offset)), size 0x\(hex(seg.filesz))) does not match the .dynamic section (offset 0x\(hex(sec.offset)), size 0x\(hex(sec.size))): a section after .dynamic was swallowed into the segment; assign only .dynamic to :dynamic in the linker script"))
            }
        }
        if !d.has(DT.syment) {
            out.append(error("no DT_SYMENT: rustix and parse_vdso refuse the image; link with ld.lld or GNU ld, which always emit it"))
        }
        if !d.has(DT.soname) {
            out.append(error("no DT_SONAME: glibc names the vDSO's link_map after it; link with -soname"))
        }
        if let strsz = d.value(DT.strsz), let sec = img.section(named: ".dynstr"), strsz > sec.size {
            out.append(error("DT_STRSZ \(strsz) exceeds the .dynstr section (\(sec.size) bytes)"))
        }
        for tag in [DT.strtab, DT.symtab, DT.strsz, DT.syment, DT.hash, DT.gnuHash, DT.soname, DT.versym, DT.verdef] where d.values(tag).count > 1 {
            out.append(error("\(DT.name(tag)) appears \(d.values(tag).count) times; loaders use the first or the last, unpredictably"))
        }
        return out
    }
}
