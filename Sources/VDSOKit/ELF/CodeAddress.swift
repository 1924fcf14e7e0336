/// Where a function symbol's code starts. On 32-bit Arm the low bit of an STT_FUNC's value says
/// the function is Thumb code (ARM ELF ABI, "Symbol values"): the first instruction is at the
/// value with that bit cleared, and that is the address DWARF, CFI and the bytes describe. A
/// caller still branches to the value itself (BLX sets the Thumb state from the bit).
enum CodeAddress {
    static func of(value: UInt64, type: UInt8, machine: UInt16) -> UInt64 {
        machine == EM.arm && (type == STT.function || type == STT.gnuIFunc) ? value & ~1 : value
    }

    /// True if the symbol is Thumb code.
    static func isThumb(value: UInt64, type: UInt8, machine: UInt16) -> Bool {
        machine == EM.arm && (type == STT.function || type == STT.gnuIFunc) && value & 1 != 0
    }
}

extension DynamicSymbol {
    /// The address of the symbol's first instruction (its value without Arm's Thumb bit).
    public func codeAddress(_ header: ELFHeader) -> UInt64 { CodeAddress.of(value: value, type: type, machine: header.machine) }
}

extension Symbol {
    /// The address of the symbol's first instruction (its value without Arm's Thumb bit).
    public func codeAddress(_ header: ELFHeader) -> UInt64 { CodeAddress.of(value: value, type: type, machine: header.machine) }
}
