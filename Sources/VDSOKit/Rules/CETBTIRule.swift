/// `cet-bti`: what the GNU property note claims about indirect-branch tracking is true of every
/// exported function.
struct CETBTIRule: Rule {
    let id = "cet-bti"
    let summary = "Where the GNU property note claims x86 IBT, every exported function starts with endbr64 (endbr32 on i386); where it claims arm64 BTI, with bti c, bti jc or paciasp. Signal trampolines (returned to, never called) are exempt. Claiming nothing is fine."
    let protects = "A process with IBT or BTI enforced takes a control-protection fault (SIGSEGV) on the first indirect call into a function without a landing pad: every clock_gettime through a libc's function pointer."

    func check(_ c: CheckContext) -> [Finding] {
        let props = GNUProperties.read(c.image)
        let machine = c.image.header.machine
        let ibt = props.claimsIBT && (machine == EM.x86_64 || machine == EM.i386)
        let bti = props.claimsBTI && machine == EM.aarch64
        guard ibt || bti else { return [] }
        let d = c.dynamic
        var out: [Finding] = []
        for fn in c.exportedFunctions {
            // A signal trampoline is entered by the kernel's return to the signal frame, never by
            // an indirect call: no landing pad applies (Linux's arm64 image claims BTI and its
            // __kernel_rt_sigreturn has none, by design).
            if fn.isSignalTrampoline(c.linuxABI) || SignalTrampoline.isRecognized(at: fn.value, in: d) { continue }
            guard let off = d.fileOffset(of: fn.value, length: 4), let raw = c.image.bytes.slice(off, 4) else {
                out.append(error("exported function \(fn.names) at 0x\(hex(fn.value)) does not lie in the file, so its landing pad cannot be checked"))
                continue
            }
            let ok: Bool, want: String
            if ibt {
                let last: UInt8 = machine == EM.x86_64 ? 0xfa : 0xfb
                ok = raw == [0xf3, 0x0f, 0x1e, last]
                want = machine == EM.x86_64 ? "endbr64 (f3 0f 1e fa)" : "endbr32 (f3 0f 1e fb)"
            } else {
                // A64 instructions are little-endian even in a big-endian (aarch64_be) image.
                let word = raw.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                ok = Self.btiLandingPads.contains(word)
                want = "bti c, bti jc or paciasp"
            }
            if ok { continue }
            let entry = c.sourceLocator.entry(of: fn.value)
            let site = entry.map { " (\($0.phrase))" } ?? ""
            let found = raw.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: " ")
            let fix = ibt
                ? "compile it with -fcf-protection=branch (assembly: start it with endbr64 by hand; C: no __attribute__((nocf_check))), or stop claiming IBT"
                : "compile it with -mbranch-protection=bti (assembly: start it with bti c), or link without -z force-bti"
            out.append(error("exported function \(fn.names) at 0x\(hex(fn.value))\(site) starts with \(found), not \(want), although the GNU property note (\(props.location ?? "?")) claims \(ibt ? "IBT" : "BTI"): with \(ibt ? "IBT" : "BTI") enforced, an indirect call into it faults; \(fix)", at: entry))
        }
        return out
    }

    /// `bti c`, `bti jc`, `paciasp`, `pacibsp`.
    static let btiLandingPads: Set<UInt32> = [0xd503_245f, 0xd503_24df, 0xd503_233f, 0xd503_237f]
}
