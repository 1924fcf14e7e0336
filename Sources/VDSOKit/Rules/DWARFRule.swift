/// `dwarf`: debug information that debuggers and profilers can read, and that describes every
/// exported function.
struct DWARFRule: Rule {
    let id = "dwarf"
    let summary = "DWARF 4 or 5 (.debug_info) is present and parseable, in the image or in the --debug image; every exported function has a DW_TAG_subprogram covering [value, value+size) and a line-table row at its entry."
    let protects = "Without DWARF, gdb, perf and crash dumps show raw addresses inside the vDSO, where every process spends its clock reads; a function without a subprogram or line has no name or source in a backtrace."

    func check(_ c: CheckContext) -> [Finding] {
        let candidates = [c.image] + (c.debug.map { [$0] } ?? [])
        // The debug image's DWARF describes the stripped image when both are given.
        for img in candidates.reversed() {
            guard let result = DWARFSummary.read(img) else { continue }
            switch result {
            case .success(let summary): return deep(summary, from: img, c)
            case .failure(let p): return [error("\(img.path): .debug_info cannot be parsed: \(p.message); rebuild with -g")]
            }
        }
        let hint = c.debug == nil ? "pass the unstripped image with --debug, or build with -g" : "build with -g"
        return [error("no .debug_info in \(candidates.map(\.path).joined(separator: " or ")): \(hint)")]
    }

    /// Subprogram coverage and entry lines of the exported functions.
    private func deep(_ d: DWARFSummary, from img: ELFImage, _ c: CheckContext) -> [Finding] {
        var out: [Finding] = []
        if let v = d.versions.first(where: { $0 < 2 || $0 > 5 }) {
            out.append(error("\(img.path): a compile unit has DWARF version \(v); debuggers read versions 2 to 5: build with -gdwarf-4 or -gdwarf-5"))
        }
        for fn in c.exportedFunctions {
            let end = fn.value &+ max(fn.size, 1)
            if !d.subprograms.contains(where: { $0.covers(fn.value, end) }) {
                let near = d.subprogram(containing: fn.value).map {
                    " (the nearest, \($0.name.isEmpty ? "an unnamed subprogram" : $0.name), covers 0x\(hex($0.lowPC))-0x\(hex($0.highPC)))"
                } ?? ""
                let message = "exported function \(fn.names) [0x\(hex(fn.value)), 0x\(hex(end))) is not covered by any DW_TAG_subprogram in \(img.path)\(near): debuggers and profilers cannot name it; compile its source with -g (for assembly, wrap it in .cfi_startproc/.type/.size and assemble with -g, or describe it in C)"
                // Assembled with -g: lines but no subprogram, as GNU as and LLVM's assembler
                // emit. Linux's arm64 trampoline and i386 entry are such code; judged, not rejected.
                out.append(d.line(at: fn.value) != nil ? strictError(message, c) : error(message))
                continue
            }
            if d.line(at: fn.value) == nil {
                let why = d.unitsWithoutLines > 0 ? " (\(d.unitsWithoutLines) compile unit\(d.unitsWithoutLines == 1 ? " has" : "s have") no readable .debug_line)" : ""
                out.append(error("the line table of \(img.path) maps no source line to the entry 0x\(hex(fn.value)) of exported function \(fn.names)\(why): breakpoints by file:line and perf annotate fail; do not strip .debug_line (objcopy --strip-debug only on the runtime image)"))
            }
        }
        return out
    }
}
