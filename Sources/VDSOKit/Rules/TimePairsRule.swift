/// `time-pairs`: names that consumers look up together are exported together.
///
/// - 32-bit images: a `*clock_gettime64` export needs its time32 `*clock_gettime` (musl's
///   `cgt_init` looks both up and uses neither if the time32 one is missing), and
///   `*clock_getres_time64` needs `*clock_getres`, in the same version node.
/// - Where the architecture's Linux ABI exports both spellings (x86-64: `__vdso_x` and bare `x`,
///   arch/x86/entry/vdso/vdso.lds.S), each one needs the other at the same address: older libcs
///   and tools look up the bare names (rr#3026). Linux's prefix-only exports
///   (`__vdso_sgx_enter_enclave`) are exempt; a missing partner of a name the ABI does not list is
///   a warning.
struct TimePairsRule: Rule {
    let id = "time-pairs"
    let summary = "A 32-bit image that exports clock_gettime64 (clock_getres_time64) also exports clock_gettime (clock_getres) in the same node; where the Linux ABI has both __vdso_x and bare x (x86-64), each is exported with the other at the same address."
    let protects = "musl refuses the vDSO's time64 clock_gettime unless the time32 one is exported too (every call becomes a system call); older libcs and tools look up the bare names (rr#3026)."

    /// `__vdso_` names Linux exports without a bare alias.
    static let prefixOnly: Set<String> = ["__vdso_sgx_enter_enclave"]

    func check(_ c: CheckContext) -> [Finding] {
        let d = c.dynamic
        guard d.segment != nil else { return [] }
        let exports = d.exports.filter { $0.type == STT.function || $0.type == STT.gnuIFunc || $0.type == STT.notype }
        var byName: [String: DynamicSymbol] = [:]
        for s in exports where byName[s.name] == nil || s.versionName != nil && !s.versionHidden { byName[s.name] = s }
        var out: [Finding] = []

        if !c.image.header.is64 {
            for s in exports.sorted(by: { $0.name < $1.name }) {
                let partner: String
                if s.name.hasSuffix("clock_gettime64") { partner = String(s.name.dropLast(2)) }
                else if s.name.hasSuffix("clock_getres_time64") { partner = String(s.name.dropLast("_time64".count)) }
                else { continue }
                guard let p = byName[partner] else {
                    out.append(error("\(s.displayName) is exported without \(partner): musl looks both up and refuses the time64 entry point when the time32 one is missing, so every call becomes a system call; export \(partner) too (the 32-bit time_t version of the same function)"))
                    continue
                }
                if d.has(DT.verdef), p.versionName != s.versionName {
                    out.append(error("\(s.displayName) and \(p.displayName) are in different version nodes: libcs look both up under one version; put them in the same node"))
                }
            }
        }

        if let abi = c.linuxABI, abi.exportsBareNames {
            let listed = Set(abi.expectations.requiredSymbols).union(abi.expectations.knownExtras)
                .union(c.expectations.requiredSymbols).union(c.expectations.knownExtras)
            func report(_ message: String, known: Bool) -> Finding {
                known ? strictError(message, c) : warning(message)
            }
            var seen = Set<String>()
            for s in exports.sorted(by: { $0.value == $1.value ? $0.name < $1.name : $0.value < $1.value }) where seen.insert(s.name).inserted {
                let prefixed: String, bare: String
                if s.name.hasPrefix("__vdso_") {
                    prefixed = s.name; bare = String(s.name.dropFirst("__vdso_".count))
                    if Self.prefixOnly.contains(prefixed) || bare.isEmpty { continue }
                } else if !s.name.hasPrefix("_") {
                    bare = s.name; prefixed = "__vdso_" + s.name
                    if !listed.contains(prefixed) && byName[prefixed] == nil { continue } // not a vDSO entry point
                } else { continue }
                let known = listed.contains(prefixed) || listed.contains(bare)
                let partner = s.name == prefixed ? bare : prefixed
                guard let p = byName[partner] else {
                    out.append(report("\(s.displayName) is exported without \(partner): the \(abi.name) Linux vDSO exports every function under both names (__vdso_x and x, at one address), and older libcs and tools look up the one that is missing (rr#3026); add \(partner) as an alias (\(bare) = \(prefixed) in the manifest's aliases, or a weak alias in C)", known: known))
                    continue
                }
                if p.value != s.value, s.name == prefixed {
                    out.append(report("\(s.displayName) is at 0x\(hex(s.value)) but \(p.displayName) at 0x\(hex(p.value)): the two names of one vDSO function must be aliases of the same code; define \(bare) as an alias of \(prefixed)", known: known))
                }
            }
        }
        return out
    }
}
