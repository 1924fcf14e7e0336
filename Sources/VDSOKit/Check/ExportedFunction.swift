/// An exported function, aliases merged: `clock_gettime` and `__vdso_clock_gettime` share one
/// entry. `value` is where its code starts (on 32-bit Arm, the symbol value without the Thumb
/// bit): the address DWARF, CFI, the landing pad and the stack frame are looked up at.
struct ExportedFunction {
    var value: UInt64
    var size: UInt64
    /// The symbols at this address, longest name first (the `__vdso_` one).
    var symbols: [String]
    /// True for 32-bit Arm Thumb code (the symbols' values are odd).
    var isThumb: Bool = false

    /// `__vdso_x/x`.
    var names: String { symbols.joined(separator: "/") }

    /// True when one of the names is a signal-return trampoline of the architecture's Linux ABI
    /// (`__kernel_rt_sigreturn`, ...): code a signal handler returns into, never called, so
    /// neither the call-entry CFA rule nor a landing pad applies to it.
    func isSignalTrampoline(_ abi: ArchABI?) -> Bool {
        guard let abi else { return false }
        return symbols.contains { abi.signalTrampolines.contains($0) }
    }

    /// Groups defined FUNC (or sized NOTYPE) exports by code address, in address order.
    static func group(_ exports: [DynamicSymbol], header: ELFHeader) -> [ExportedFunction] {
        var byValue: [UInt64: ExportedFunction] = [:]
        for s in exports where s.type == STT.function || s.type == STT.gnuIFunc || (s.type == STT.notype && s.size > 0) {
            let at = s.codeAddress(header)
            let thumb = CodeAddress.isThumb(value: s.value, type: s.type, machine: header.machine)
            byValue[at, default: ExportedFunction(value: at, size: s.size, symbols: [], isThumb: thumb)].symbols.append(s.name)
            byValue[at]!.size = max(byValue[at]!.size, s.size)
        }
        return byValue.values.sorted { $0.value < $1.value }.map {
            var f = $0
            f.symbols.sort { ($0.count, $0) > ($1.count, $1) }
            return f
        }
    }
}
