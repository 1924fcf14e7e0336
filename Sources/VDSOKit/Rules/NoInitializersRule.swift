/// `no-initializers`: nothing must run when the image is loaded.
struct NoInitializersRule: Rule {
    let id = "no-initializers"
    let summary = "No DT_INIT/DT_FINI/DT_*_ARRAY and no PT_TLS."
    let protects = "No one runs a vDSO's constructors, and glibc asserts that the vDSO has no TLS."

    func check(_ c: CheckContext) -> [Finding] {
        let d = c.dynamic
        var out: [Finding] = []
        let tags: [(Int64, Int64?, String)] = [(DT.initFn, nil, "DT_INIT"), (DT.finiFn, nil, "DT_FINI"),
                                               (DT.initArray, DT.initArraysz, "DT_INIT_ARRAY"),
                                               (DT.finiArray, DT.finiArraysz, "DT_FINI_ARRAY"),
                                               (DT.preinitArray, DT.preinitArraysz, "DT_PREINIT_ARRAY")]
        for (tag, _, name) in tags where d.has(tag) {
            out.append(error("\(name) present: no one runs a vDSO's constructors or destructors; remove __attribute__((constructor/destructor)) and global initialisers that need code"))
        }
        for s in c.image.sections where [SHT.initArray, SHT.finiArray, SHT.preinitArray].contains(s.type) && s.size > 0 && out.isEmpty {
            out.append(error("section \(s.name) holds constructors or destructors that no one will run; remove them"))
        }
        for p in c.image.segments(ofType: PT.tls) {
            out.append(error("PT_TLS [\(p.index)] present: a vDSO cannot have thread-local storage (glibc asserts on it); remove __thread/_Thread_local variables"))
        }
        return out
    }
}
