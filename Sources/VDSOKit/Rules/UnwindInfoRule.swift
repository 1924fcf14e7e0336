/// `unwind-info`: unwinders can walk out of the vDSO from any exported function.
struct UnwindInfoRule: Rule {
    let id = "unwind-info"
    let summary = "PT_GNU_EH_FRAME points at a version-1 .eh_frame_hdr whose sorted search table leads to real FDEs; every exported function is covered by one, with the architecture's call-entry CFA rule at its entry (missing tables warn under --profile linux)."
    let protects = "Backtraces, C++ exceptions and profilers unwind through the vDSO from signal handlers; an empty PT_GNU_EH_FRAME has crashed pprof-rs, and a function without an FDE (or with a wrong CFA) ends every backtrace that passes through it."

    func check(_ c: CheckContext) -> [Finding] {
        let img = c.image
        var out: [Finding] = []
        let ehs = img.segments(ofType: PT.gnuEHFrame)
        // 32-bit Arm unwinds through .ARM.exidx (EHABI), not .eh_frame: judge that table instead.
        let exidx = ARMExidx.read(img)
        if let exidx { out += armEHABI(c, exidx) }
        if ehs.isEmpty && exidx == nil {
            out.append(strictError("no PT_GNU_EH_FRAME: unwinders cannot find the vDSO's CFI; compile with -fasynchronous-unwind-tables and link with --eh-frame-hdr", c))
        }
        var deepDone = false
        for p in ehs {
            if p.filesz == 0 {
                // Linux's 32-bit arm image (EHABI, no .eh_frame) ships one.
                out.append(strictError("PT_GNU_EH_FRAME [\(p.index)] is empty: unwinders that trust it crash (pprof-rs has); link with --eh-frame-hdr, or drop the PT_GNU_EH_FRAME header when there is no .eh_frame", c))
                continue
            }
            if let hdr = img.section(named: ".eh_frame_hdr"), hdr.offset != p.offset {
                out.append(error("PT_GNU_EH_FRAME [\(p.index)] at offset 0x\(hex(p.offset)) does not point at .eh_frame_hdr (0x\(hex(hdr.offset)))"))
            }
            if let version = img.bytes.u8(p.offset), version != 1 {
                out.append(error("the .eh_frame_hdr at offset 0x\(hex(p.offset)) has version \(version), not 1"))
                continue
            }
            if !deepDone {
                deepDone = true
                out += deep(c, address: p.vaddr)
            }
        }
        if !img.sections.isEmpty && exidx == nil {
            let eh = img.section(named: ".eh_frame")
            if eh == nil || eh!.size == 0 {
                out.append(strictError("no .eh_frame: the vDSO's functions have no CFI; compile with -fasynchronous-unwind-tables", c))
            }
        }
        return out
    }

    /// Every exported function has its own .ARM.exidx entry, and that entry can unwind.
    private func armEHABI(_ c: CheckContext, _ table: Result<ARMExidx, TableProblem>) -> [Finding] {
        let exidx: ARMExidx
        switch table {
        case .success(let t): exidx = t
        case .failure(let p): return [error("\(p.message): unwinders binary-search it and miss functions; relink")]
        }
        var out: [Finding] = []
        for fn in c.exportedFunctions where !fn.isSignalTrampoline(c.linuxABI) {
            guard let e = exidx.entry(covering: fn.value), e.start == fn.value else {
                let why = exidx.entry(covering: fn.value).map { " (the entry covering it starts at 0x\(hex($0.start)), in the code before it)" } ?? ""
                out.append(strictError("exported function \(fn.names) at 0x\(hex(fn.value)) has no .ARM.exidx entry of its own\(why): EHABI unwinders cannot leave it; compile it with -funwind-tables (assembly: .fnstart/.fnend)", c))
                continue
            }
            if e.cannotUnwind {
                out.append(strictError("exported function \(fn.names) at 0x\(hex(fn.value)) is marked EXIDX_CANTUNWIND in .ARM.exidx: backtraces stop there; compile it with -funwind-tables", c))
            }
        }
        return out
    }

    /// The search table, its FDEs, coverage of the exports and the CFA at their entries.
    private func deep(_ c: CheckContext, address: UInt64) -> [Finding] {
        let d = c.dynamic
        let header: EHFrame.Header
        switch EHFrame.header(d, address: address) {
        case .success(let h): header = h
        case .failure(let p): return [error(".eh_frame_hdr at 0x\(hex(address)): \(p.message); link with ld.lld or GNU ld --eh-frame-hdr")]
        }
        if header.tableEncoding != EHFrame.PE.searchTable || header.fdeCountEncoding == EHFrame.PE.omit {
            return [warning(".eh_frame_hdr at 0x\(hex(address)) has no binary-search table in the encoding unwinders use (fde_count \(EHFrame.PE.describe(header.fdeCountEncoding)), table \(EHFrame.PE.describe(header.tableEncoding)); libgcc and libunwind want datarel|sdata4): they fall back to a linear scan of .eh_frame; vdsogen did not check the table")]
        }
        var out: [Finding] = []
        if header.table.isEmpty {
            out.append(error(".eh_frame_hdr at 0x\(hex(address)) lists no FDE: no function of the vDSO can be unwound; compile with -fasynchronous-unwind-tables"))
        }
        for i in header.table.indices.dropFirst() where header.table[i].location <= header.table[i - 1].location {
            out.append(error(".eh_frame_hdr search table is not sorted: entry \(i) (0x\(hex(header.table[i].location))) does not follow entry \(i - 1) (0x\(hex(header.table[i - 1].location))); unwinders binary-search it and miss functions: relink with --eh-frame-hdr"))
            break
        }
        var fdes: [UInt64: EHFrame.FDE] = [:]
        for (i, e) in header.table.enumerated() {
            switch EHFrame.fde(d, address: e.fde) {
            case .success(let f):
                fdes[e.fde] = f
                if f.pcBegin != e.location {
                    out.append(error(".eh_frame_hdr entry \(i) says 0x\(hex(e.location)) but its FDE at 0x\(hex(e.fde)) begins at 0x\(hex(f.pcBegin)); relink with --eh-frame-hdr"))
                }
            case .failure(let p):
                out.append(error(".eh_frame_hdr entry \(i) (0x\(hex(e.location))) points at 0x\(hex(e.fde)), which is not a valid FDE: \(p.message); relink with --eh-frame-hdr"))
            }
        }
        let entryRule = CallEntryRule.forHeader(c.image.header)
        func entry(_ at: UInt64) -> SourceLocation? { c.sourceLocator.entry(of: at) }
        func site(_ at: UInt64) -> String { entry(at).map { " (\($0.phrase))" } ?? "" }
        for fn in c.exportedFunctions {
            let end = fn.value &+ max(fn.size, 1)
            guard let hit = header.search(fn.value), let fde = fdes[hit.fde], fde.covers(fn.value, end) else {
                // libgcc, LLVM's libunwind and gdb recognise the signal-return trampoline by its
                // bytes (MD_FALLBACK_FRAME_STATE_FOR); Linux ships arm64's without CFI on purpose.
                if SignalTrampoline.isRecognized(at: fn.value, in: d) { continue }
                out.append(strictError("exported function \(fn.names) [0x\(hex(fn.value)), 0x\(hex(end)))\(site(fn.value)) is not covered by any FDE reachable through the .eh_frame_hdr table: unwinders stop there; compile it with -fasynchronous-unwind-tables (assembly: .cfi_startproc/.cfi_endproc)", c, at: entry(fn.value)))
                continue
            }
            guard let rule = entryRule else { continue }
            // A signal frame's CIE (augmentation "S") or a named trampoline: its CFA is the
            // signal frame the kernel built, not a caller's frame.
            if fde.cie.augmentation.contains("S") || fn.isSignalTrampoline(c.linuxABI) { continue }
            let cfa = CFARule.at(fn.value, fde: fde, is64: c.image.header.is64, littleEndian: c.image.header.littleEndian)
            if !rule.matches(cfa) {
                let ra = rule.returnAddressOffset.map { want in
                    cfa.returnAddressOffset == want ? "" : ", return address \(cfa.returnAddressOffset.map { "at CFA\($0)" } ?? "not saved") instead of at CFA\(want)"
                } ?? ""
                let why = cfa.stoppedAt.map { " (vdsogen stopped at \($0))" } ?? ""
                out.append(error("the CFA rule at the entry of \(fn.names) (0x\(hex(fn.value)))\(site(fn.value)) is \(rule.describe(cfa))\(ra), not the call-entry rule \(rule.expected)\(why): unwinders read a wrong return address from any interrupted call; fix the .cfi_* directives before its first instruction", at: entry(fn.value)))
            }
        }
        return out
    }
}

/// Signal-return trampolines that unwinders recognise by their instruction bytes, per machine.
enum SignalTrampoline {
    static let patterns: [UInt16: [[UInt8]]] = [
        EM.aarch64: [[0x68, 0x11, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4]],            // mov x8, #139; svc #0
        EM.riscv: [[0x93, 0x08, 0xb0, 0x08, 0x73, 0x00, 0x00, 0x00]],              // li a7, 139; ecall
        EM.x86_64: [[0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05]],       // mov $15, %rax; syscall
        EM.i386: [[0x58, 0xb8, 0x77, 0x00, 0x00, 0x00, 0xcd, 0x80],                // popl %eax; mov $119, %eax; int $0x80
                  [0xb8, 0xad, 0x00, 0x00, 0x00, 0xcd, 0x80]],                     // mov $173, %eax; int $0x80
    ]

    /// True if the code at `address` is its machine's sigreturn or rt_sigreturn sequence.
    static func isRecognized(at address: UInt64, in d: DynamicView) -> Bool {
        guard let candidates = patterns[d.image.header.machine] else { return false }
        return candidates.contains { p in
            d.fileOffset(of: address, length: UInt64(p.count)).flatMap { d.image.bytes.slice($0, UInt64(p.count)) } == p
        }
    }
}
