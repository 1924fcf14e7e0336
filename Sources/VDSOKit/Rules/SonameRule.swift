/// `soname`: the DT_SONAME the architecture's consumers expect.
struct SonameRule: Rule {
    let id = "soname"
    let summary = "DT_SONAME is the architecture's vDSO name (linux-vdso.so.1; linux-gate.so.1 on i386) or the manifest's."
    let protects = "glibc registers the vDSO under its soname (ldd, dl_iterate_phdr, gdb and perf show it) and the base version definition must repeat it."

    func check(_ c: CheckContext) -> [Finding] {
        guard let soname = c.dynamic.soname else { return [] } // dynamic-section reports a missing one
        let expected = c.expectations.soname
        if soname != expected {
            return [error("DT_SONAME is \"\(soname)\", expected \"\(expected)\": link with -soname \(expected) (or set soname in the manifest)")]
        }
        return []
    }
}
