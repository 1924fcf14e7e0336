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
                guard p.vaddr == q.vaddr, p.filesz == q.filesz, p.memsz == q.memsz else {
                    out.append(error("PT_LOAD [\(p.index)] differs: vaddr 0x\(hex(p.vaddr)) filesz 0x\(hex(p.filesz)) in \(img.path), vaddr 0x\(hex(q.vaddr)) filesz 0x\(hex(q.filesz)) in \(dbg.path); strip the debug image of this very build"))
                    continue
                }
                guard let a = masked(img, p), let b = masked(dbg, q) else { continue }
                if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                    let addr = p.vaddr + UInt64(i)
                    let place = img.section(containing: addr).map { " (\($0.name)+0x\(hex(addr - $0.addr)))" } ?? ""
                    out.append(error("the loadable bytes of PT_LOAD [\(p.index)] differ from \(dbg.path)'s, first at address 0x\(hex(addr))\(place): the debug image describes other code; strip the debug image of this very build instead of patching either"))
                }
            }
        }
        let leftovers = img.sections.filter { $0.name.hasPrefix(".debug_") || $0.name == ".symtab" || $0.type == SHT.symtab }.map(\.name)
        if !leftovers.isEmpty {
            out.append(error("\(img.path) still carries \(leftovers.joined(separator: ", ")) although a separate debug image was given: strip it with objcopy -S (what vdsogen build does)"))
        }
        return out
    }

    /// The segment's file bytes, with the ELF header's section-table fields (e_shoff, e_shnum,
    /// e_shstrndx) zeroed: stripping legitimately rewrites them.
    private func masked(_ image: ELFImage, _ p: Segment) -> [UInt8]? {
        guard var bytes = image.bytes.slice(p.offset, p.filesz) else { return nil }
        let fields: [(Int, Int)] = image.header.is64 ? [(40, 8), (60, 4)] : [(32, 4), (48, 4)]
        for (start, length) in fields {
            for i in start..<(start + length) where UInt64(i) >= p.offset && UInt64(i) - p.offset < UInt64(bytes.count) {
                bytes[i - Int(p.offset)] = 0
            }
        }
        return bytes
    }
}
