/// `debug-match`: the `--debug` image really is the debug twin of the image checked.
struct DebugMatchRule: Rule {
    let id = "debug-match"
    let summary = "With --debug: the same build-id, byte-identical loadable contents (PT_LOAD file bytes), and no .debug_* or .symtab left in the stripped image. Without --debug it does nothing."
    let protects = "A debugger or profiler that loads the wrong debug file shows plausible but false functions and lines; a runtime image that still carries DWARF or a symbol table wastes every process's mapping and leaks build paths."

    func check(_ c: CheckContext) -> [Finding] {
        guard let dbg = c.debug else { return [] }
        let img = c.image
        var out: [Finding] = []
        switch (img.buildID, dbg.buildID) {
        case let (a?, b?) where a != b:
            out.append(error("build-id \(hexBytes(a)) of \(img.path) differs from \(hexBytes(b)) of \(dbg.path): they come from different links; strip the debug image of this very build (objcopy -S)"))
        case (nil, _), (_, nil):
            let who = img.buildID == nil && dbg.buildID == nil ? "neither \(img.path) nor \(dbg.path) carries a build-id"
                : "\(img.buildID == nil ? img.path : dbg.path) carries no build-id"
            out.append(error("\(who), so a debugger cannot tell whether \(dbg.path) belongs to \(img.path); link with --build-id=sha1"))
        default: break
        }
        let loads = img.segments(ofType: PT.load), dloads = dbg.segments(ofType: PT.load)
        if loads.count != dloads.count {
            out.append(error("\(img.path) has \(loads.count) PT_LOAD segment\(loads.count == 1 ? "" : "s"), \(dbg.path) has \(dloads.count): they are not the same link; strip the debug image of this very build"))
        } else {
            for (p, q) in zip(loads, dloads) {
                guard p.vaddr == q.vaddr, p.filesz == q.filesz && p.memsz == q.memsz || endsEarlyByRemoved(p, q, dbg) else {
                    out.append(error("PT_LOAD [\(p.index)] differs: vaddr 0x\(hex(p.vaddr)) filesz 0x\(hex(p.filesz)) in \(img.path), vaddr 0x\(hex(q.vaddr)) filesz 0x\(hex(q.filesz)) in \(dbg.path); strip the debug image of this very build"))
                    continue
                }
                guard let a = masked(img, p, removed: dbg), let b = masked(dbg, q, removed: dbg) else { continue }
                if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                    // vaddr comes from the file: a segment that runs past 2^64 is named by its offset.
                    let (addr, overflow) = p.vaddr.addingReportingOverflow(UInt64(i))
                    let place = overflow ? "offset 0x\(hex(UInt64(i))) of the segment" : "address 0x\(hex(addr))"
                    let sectionPlace = overflow ? "" : img.section(containing: addr).map { " (\($0.name)+0x\(hex(addr - $0.addr)))" } ?? ""
                    out.append(error("the loadable bytes of PT_LOAD [\(p.index)] differ from \(dbg.path)'s, first at \(place)\(sectionPlace): the debug image describes other code; strip the debug image of this very build instead of patching either"))
                }
            }
        }
        let leftovers = img.sections.filter { $0.name.hasPrefix(".debug_") || $0.name == ".symtab" || $0.type == SHT.symtab }.map(\.name)
        if !leftovers.isEmpty {
            out.append(error("\(img.path) still carries \(leftovers.joined(separator: ", ")) although a separate debug image was given: strip it with objcopy -S (what vdsogen build does)"))
        }
        return out
    }

    /// True when the runtime image's PT_LOAD `p` is the debug image's `q` less a tail that only
    /// sections removed on purpose filled: GNU objcopy shrinks the segment when it removes the
    /// last section of it (llvm-objcopy zeroes the bytes instead).
    private func endsEarlyByRemoved(_ p: Segment, _ q: Segment, _ dbg: ELFImage) -> Bool {
        guard p.filesz == p.memsz, q.filesz == q.memsz, p.filesz < q.filesz else { return false }
        var covered = p.vaddr + p.filesz
        let end = q.memoryEnd
        for s in dbg.sections.filter({ $0.isAllocated && RemovedOnPurpose.section($0, of: dbg) }).sorted(by: { $0.addr < $1.addr })
        where s.addr <= covered && s.addr.addingReportingOverflow(s.size).partialValue > covered {
            covered = s.addr &+ s.size
        }
        return covered >= end
    }

    /// The segment's file bytes, with the ELF header's section-table fields (e_shoff, e_shnum,
    /// e_shstrndx) zeroed, as are the bytes of the sections the producer's build removes from the
    /// runtime image on purpose (`removed`'s, e.g. x86's __ex_table): stripping rewrites them.
    private func masked(_ image: ELFImage, _ p: Segment, removed debug: ELFImage) -> [UInt8]? {
        guard var bytes = image.bytes.slice(p.offset, p.filesz) else { return nil }
        for s in debug.sections where s.isAllocated && RemovedOnPurpose.section(s, of: debug) && s.addr >= p.vaddr {
            let start = s.addr - p.vaddr
            guard start < UInt64(bytes.count) else { continue }
            let end = min(UInt64(bytes.count), start + min(s.size, UInt64(bytes.count) - start))
            for i in Int(start)..<Int(end) { bytes[i] = 0 }
        }
        var fields: [(UInt64, UInt64)] = image.header.is64 ? [(40, 8), (60, 4)] : [(32, 4), (48, 4)]
        // The PT_LOAD sizes in the program header table: compared on their own above, and
        // smaller in the runtime image when the build removed a trailing section.
        let (sizeAt, width): (UInt64, UInt64) = image.header.is64 ? (32, 8) : (16, 4)
        for q in image.segments where q.type == PT.load {
            let (entry, o1) = UInt64(q.index).multipliedReportingOverflow(by: image.header.programHeaderSize)
            let (at, o2) = image.header.phoff.addingReportingOverflow(entry)
            guard !o1, !o2, at <= UInt64.max - 64 else { continue }
            fields += [(at + sizeAt, width), (at + sizeAt + width, width)]
        }
        // A program header that describes the file only (PT_RISCV_ATTRIBUTES): strip removes its
        // non-allocated section, so its offset and sizes change; only its type must stay.
        for q in image.segments where LoadLayoutRule.describesFileOnly(q, machine: image.header.machine) {
            let (entry, o1) = UInt64(q.index).multipliedReportingOverflow(by: image.header.programHeaderSize)
            let (at, o2) = image.header.phoff.addingReportingOverflow(entry)
            guard !o1, !o2, at <= UInt64.max - 64, image.header.programHeaderSize > 4 else { continue }
            fields.append((at + 4, image.header.programHeaderSize - 4))
        }
        for (start, length) in fields where start >= p.offset {
            let from = start - p.offset
            guard from < UInt64(bytes.count) else { continue }
            for i in from..<min(UInt64(bytes.count), from + length) { bytes[Int(i)] = 0 }
        }
        return bytes
    }
}
