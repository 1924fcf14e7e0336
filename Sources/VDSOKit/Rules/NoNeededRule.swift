/// `no-needed`: the image depends on nothing.
struct NoNeededRule: Rule {
    let id = "no-needed"
    let summary = "No DT_NEEDED, DT_VERNEED, DT_RPATH/DT_RUNPATH or PT_INTERP."
    let protects = "A vDSO is loaded before any library exists; QEMU and rustix refuse images with external dependencies."

    func check(_ c: CheckContext) -> [Finding] {
        let d = c.dynamic
        var out: [Finding] = []
        for v in d.values(DT.needed) {
            out.append(error("DT_NEEDED \(d.string(at: v) ?? "#\(v)"): a vDSO cannot depend on another library; link with -nostdlib and no -l options"))
        }
        if d.has(DT.verneed) {
            out.append(error("DT_VERNEED present: the image requires versioned symbols from another object; link with -nostdlib"))
        }
        for (tag, name) in [(DT.rpath, "DT_RPATH"), (DT.runpath, "DT_RUNPATH")] {
            for v in d.values(tag) {
                let text = "\(name) \(d.string(at: v) ?? "#\(v)"): a search path is meaningless in a vDSO (and leaks the build machine's paths); drop -rpath/-R from the link"
                out.append(strictError(text, c))
            }
        }
        for p in c.image.segments(ofType: PT.interp) {
            out.append(error("PT_INTERP [\(p.index)] present: a vDSO has no interpreter; link with -shared, without --dynamic-linker"))
        }
        return out
    }
}
