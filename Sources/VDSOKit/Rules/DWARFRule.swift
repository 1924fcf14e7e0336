/// `dwarf`: debug information that debuggers and profilers can read.
struct DWARFRule: Rule {
    let id = "dwarf"
    let summary = "DWARF (.debug_info) is present and parseable, in the image or in the --debug image."
    let protects = "Without DWARF, gdb, perf and crash dumps show raw addresses inside the vDSO, where every process spends its clock reads."

    func check(_ c: CheckContext) -> [Finding] {
        let candidates = [c.image] + (c.debug.map { [$0] } ?? [])
        for img in candidates {
            guard let result = DWARFSummary.read(img) else { continue }
            switch result {
            case .success: return []
            case .failure(let p): return [error("\(img.path): .debug_info cannot be parsed: \(p.message); rebuild with -g")]
            }
        }
        let hint = c.debug == nil ? "pass the unstripped image with --debug, or build with -g" : "build with -g"
        return [error("no .debug_info in \(candidates.map(\.path).joined(separator: " or ")): \(hint)")]
    }
}
