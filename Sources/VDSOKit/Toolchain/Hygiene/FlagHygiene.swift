/// Compiler flags that cannot work in a vDSO, refused before anything is compiled, with why.
public enum FlagHygiene {
    /// The problem with `flag` for `arch`, or nil if it is acceptable.
    public static func problem(with flag: String, arch: ArchABI) -> String? {
        switch flag {
        case "-pg", "-mfentry", "-mnop-mcount", "-mrecord-mcount", "-finstrument-functions":
            return "\(flag) inserts calls to a profiling hook (_mcount/__fentry__) that nothing in a vDSO provides"
        case "-flto", "-flto=thin", "-flto=full", "-ffat-lto-objects":
            return "\(flag) defers code generation to the link, where the vDSO's relocation and layout checks on objects cannot see it (Linux builds the vDSO without LTO)"
        case "-fstack-check", "-fstack-clash-protection":
            return "\(flag) adds stack probes; Go calls the vDSO on a small stack and such probes crashed it (golang/go#20427)"
        case "-mretpoline", "-mretpoline-external-thunk", "-mfunction-return=thunk-extern", "-mindirect-branch=thunk-extern":
            return "\(flag) calls the kernel's external thunks, which a vDSO does not have; use the vDSO variant (-mindirect-branch=thunk-inline) or none"
        case "-fno-pic", "-fno-PIC", "-fno-pie", "-fno-PIE", "-mcmodel=kernel", "-static":
            return "\(flag) makes code that needs absolute addresses, but a vDSO is mapped at a random address and never relocated"
        default:
            break
        }
        if flag.hasPrefix("-fstack-protector") {
            return "\(flag) calls __stack_chk_fail and reads a canary from TLS, neither of which a vDSO has; the vDSO is built with -fno-stack-protector"
        }
        if flag.hasPrefix("-fsanitize=") && flag != "-fsanitize=" {
            return "\(flag) calls a sanitizer runtime that a vDSO cannot link; build the vDSO without sanitizers (-fno-sanitize=all)"
        }
        if flag.hasPrefix("-fprofile") || flag.hasPrefix("-fcoverage") || flag == "--coverage" {
            return "\(flag) writes profile counters into writable data and calls a runtime; a vDSO has neither"
        }
        if flag.hasPrefix("-fcf-protection=") {
            let value = flag.dropFirst("-fcf-protection=".count)
            let isX86 = arch.machine == EM.x86_64 || arch.machine == EM.i386
            if !isX86 && value != "none" {
                return "\(flag) is an x86 CET option; on \(arch.name) use branch protection (-mbranch-protection) instead"
            }
        }
        return nil
    }

    /// Every refused flag of a manifest, as one usage error on one line, each blamed on where it
    /// came from: `--cflag` on the command line (`fromCommandLine`), or the manifest's `cflags`.
    public static func check(_ m: Manifest, fromCommandLine: [String] = []) throws(VDSOError) {
        var problems: [String] = []
        var remaining = fromCommandLine
        for flag in m.cflags {
            guard let why = problem(with: flag, arch: m.arch) else { continue }
            if let i = remaining.lastIndex(of: flag) {
                remaining.remove(at: i)
                problems.append("--cflag \(flag) cannot work in a vDSO: \(why); drop the option")
            } else {
                problems.append("\(m.path ?? "cflags"): \(flag) in cflags cannot work in a vDSO: \(why); remove it from cflags (Linux filters it out of its vDSO's flags too)")
            }
        }
        if !problems.isEmpty { throw .usage(problems.joined(separator: "; ")) }
    }
}
