/// `soname`: the DT_SONAME the architecture's consumers expect.
struct SonameRule: Rule {
    let id = "soname"
    let summary = "DT_SONAME is the architecture's vDSO name (linux-vdso.so.1; linux-gate.so.1 on i386, linux-vdso64.so.1 / linux-vdso32.so.1 on Power and older s390x) or the manifest's; under the linux profile also an earlier release's."
    let protects = "glibc registers the vDSO under its soname (ldd, dl_iterate_phdr, gdb and perf show it) and the base version definition must repeat it."

    func check(_ c: CheckContext) -> [Finding] {
        guard let soname = c.dynamic.soname else { return [] } // dynamic-section reports a missing one
        let expected = c.expectations.soname
        if c.expectations.judgedGenerically {
            return [warning("DT_SONAME \"\(soname)\" is no Linux vDSO's, so no Linux soname, version node or export set was expected of it: only the generic rules judged it; to check its own nodes and exports, pass its manifest (--manifest FILE), or --arch to judge it as a Linux image")]
        }
        if !c.expectations.acceptsSoname(soname, under: c.profile) {
            return [error("DT_SONAME is \"\(soname)\", expected \"\(expected)\": link with -soname \(expected) (or set soname in the manifest)")]
        }
        return []
    }
}
