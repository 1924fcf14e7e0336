/// `unwind-info`: unwinders can walk out of the vDSO.
struct UnwindInfoRule: Rule {
    let id = "unwind-info"
    let summary = "PT_GNU_EH_FRAME points at a version-1 .eh_frame_hdr, and .eh_frame is present (warnings under --profile linux)."
    let protects = "Backtraces, C++ exceptions and profilers unwind through the vDSO from signal handlers; an empty PT_GNU_EH_FRAME has crashed pprof-rs."

    func check(_ c: CheckContext) -> [Finding] {
        let img = c.image
        var out: [Finding] = []
        let ehs = img.segments(ofType: PT.gnuEHFrame)
        if ehs.isEmpty {
            out.append(strictError("no PT_GNU_EH_FRAME: unwinders cannot find the vDSO's CFI; compile with -fasynchronous-unwind-tables and link with --eh-frame-hdr", c))
        }
        for p in ehs {
            if p.filesz == 0 {
                out.append(error("PT_GNU_EH_FRAME [\(p.index)] is empty: unwinders that trust it crash; link with --eh-frame-hdr"))
                continue
            }
            if let hdr = img.section(named: ".eh_frame_hdr"), hdr.offset != p.offset {
                out.append(error("PT_GNU_EH_FRAME [\(p.index)] at offset 0x\(hex(p.offset)) does not point at .eh_frame_hdr (0x\(hex(hdr.offset)))"))
            }
            if let version = img.bytes.u8(p.offset), version != 1 {
                out.append(error("the .eh_frame_hdr at offset 0x\(hex(p.offset)) has version \(version), not 1"))
            }
        }
        if !img.sections.isEmpty {
            let eh = img.section(named: ".eh_frame")
            if eh == nil || eh!.size == 0 {
                out.append(strictError("no .eh_frame: the vDSO's functions have no CFI; compile with -fasynchronous-unwind-tables", c))
            }
        }
        return out
    }
}
