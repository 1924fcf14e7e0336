/// Evaluates call frame instructions far enough to know the CFA rule at one address: the CIE's
/// initial instructions, then the FDE's, up to the address. Only what function prologues use is
/// understood; at anything else evaluation stops and keeps what it has (`stoppedAt` says why).
public struct CFARule: Sendable, Equatable {
    /// DWARF register number the CFA is computed from.
    public var register: UInt64
    public var offset: Int64
    /// Where the return address is saved, as an offset from the CFA (nil: no rule, i.e. in a
    /// register such as the link register).
    public var returnAddressOffset: Int64?
    /// Why evaluation stopped early, if it did.
    public var stoppedAt: String?

    /// Runs `cie` + `fde` instructions up to (and including) those in effect at `address`.
    public static func at(_ address: UInt64, fde: EHFrame.FDE, is64: Bool, littleEndian: Bool) -> CFARule {
        var state = CFARule(register: 0, offset: 0, returnAddressOffset: nil, stoppedAt: nil)
        let ra = fde.cie.returnAddressRegister
        var m = Machine(state: state, ra: ra, cie: fde.cie, littleEndian: littleEndian, location: fde.pcBegin, limit: address)
        m.run(fde.cie.initialInstructions, initial: true)
        if m.state.stoppedAt == nil { m.run(fde.instructions, initial: false) }
        state = m.state
        return state
    }

    /// One row of an FDE's CFI table: the rule in effect from `location` (inclusive) to the next
    /// row's location (or the FDE's end).
    public struct Row: Sendable, Equatable {
        public var location: UInt64
        public var rule: CFARule
    }

    /// Runs the CIE's and the whole FDE's instructions and returns every row of the table, in
    /// address order (the first at `pcBegin`). If evaluation stops early, the last row carries
    /// `stoppedAt` and covers the rest of the FDE.
    public static func rows(fde: EHFrame.FDE, is64: Bool, littleEndian: Bool) -> [Row] {
        let initial = CFARule(register: 0, offset: 0, returnAddressOffset: nil, stoppedAt: nil)
        var m = Machine(state: initial, ra: fde.cie.returnAddressRegister, cie: fde.cie, littleEndian: littleEndian,
                        location: fde.pcBegin, limit: fde.pcEnd)
        m.recording = true
        m.run(fde.cie.initialInstructions, initial: true)
        if m.state.stoppedAt == nil { m.run(fde.instructions, initial: false) }
        if m.location < fde.pcEnd || m.rows.isEmpty || m.state.stoppedAt != nil {
            m.rows.append(Row(location: m.location, rule: m.state))
        }
        return m.rows
    }

    /// A small interpreter over one instruction stream.
    private struct Machine {
        var state: CFARule
        let ra: UInt64
        let cie: EHFrame.CIE
        let littleEndian: Bool
        var location: UInt64
        let limit: UInt64
        var saved: [CFARule] = []
        var initialRA: Int64?
        /// When set, every row that ends at an advance is kept in `rows`.
        var recording = false
        var rows: [Row] = []

        mutating func run(_ code: [UInt8], initial: Bool) {
            var i = 0
            func u8() -> UInt64? { guard i < code.count else { return nil }; defer { i += 1 }; return UInt64(code[i]) }
            func fixed(_ n: Int) -> UInt64? {
                guard i + n <= code.count else { return nil }
                var v: UInt64 = 0
                for k in 0..<n { v |= UInt64(code[i + (littleEndian ? k : n - 1 - k)]) << (8 * UInt64(k)) }
                i += n
                return v
            }
            func uleb() -> UInt64? {
                var r: UInt64 = 0, s: UInt64 = 0
                while let b = u8(), s < 64 { r |= (b & 0x7f) << s; s += 7; if b & 0x80 == 0 { return r } }
                return nil
            }
            func sleb() -> Int64? {
                var r: Int64 = 0, s: Int64 = 0
                while let b = u8(), s < 64 {
                    r |= Int64(b & 0x7f) << s; s += 7
                    if b & 0x80 == 0 { if s < 64 && b & 0x40 != 0 { r |= Int64(-1) << s }; return r }
                }
                return nil
            }
            let daf = cie.dataAlignment
            while i < code.count {
                let op = code[i]; i += 1
                var advance: UInt64?
                switch op >> 6 {
                case 1: advance = UInt64(op & 0x3f)
                case 2:
                    guard let off = uleb() else { return stop("truncated DW_CFA_offset") }
                    if UInt64(op & 0x3f) == ra { state.returnAddressOffset = Int64(bitPattern: off) &* daf }
                    continue
                case 3:
                    if UInt64(op & 0x3f) == ra { state.returnAddressOffset = initialRA }
                    continue
                default: break
                }
                if advance == nil {
                    switch op {
                    case 0x00, 0x2d: continue // nop; DW_CFA_AARCH64_negate_ra_state (a PAC bit, not a location)
                    case 0x02: advance = fixed(1)
                    case 0x03: advance = fixed(2)
                    case 0x04: advance = fixed(4)
                    case 0x05, 0x11: // offset_extended(_sf)
                        guard let reg = uleb(), let off = op == 0x05 ? uleb().map({ Int64(bitPattern: $0) }) : sleb() else { return stop("truncated DW_CFA_offset_extended") }
                        if reg == ra { state.returnAddressOffset = off &* daf }
                        continue
                    case 0x06, 0x07, 0x08: // restore_extended, undefined, same_value
                        guard let reg = uleb() else { return stop("truncated operand") }
                        if reg == ra { state.returnAddressOffset = op == 0x06 ? initialRA : nil }
                        continue
                    case 0x09: // register
                        guard let reg = uleb(), uleb() != nil else { return stop("truncated DW_CFA_register") }
                        if reg == ra { state.returnAddressOffset = nil }
                        continue
                    case 0x0a: saved.append(state); continue
                    case 0x0b:
                        guard let s = saved.popLast() else { return stop("DW_CFA_restore_state without remember_state") }
                        state.register = s.register; state.offset = s.offset; state.returnAddressOffset = s.returnAddressOffset
                        continue
                    case 0x0c, 0x12: // def_cfa(_sf)
                        guard let reg = uleb() else { return stop("truncated DW_CFA_def_cfa") }
                        if op == 0x0c { guard let off = uleb() else { return stop("truncated DW_CFA_def_cfa") }; state.offset = Int64(bitPattern: off) }
                        else { guard let off = sleb() else { return stop("truncated DW_CFA_def_cfa_sf") }; state.offset = off &* daf }
                        state.register = reg
                        continue
                    case 0x0d: guard let reg = uleb() else { return stop("truncated operand") }; state.register = reg; continue
                    case 0x0e: guard let off = uleb() else { return stop("truncated operand") }; state.offset = Int64(bitPattern: off); continue
                    case 0x13: guard let off = sleb() else { return stop("truncated operand") }; state.offset = off &* daf; continue
                    case 0x14, 0x15: // val_offset(_sf): not a save slot
                        guard uleb() != nil, (op == 0x14 ? uleb().map { Int64(bitPattern: $0) } : sleb()) != nil else { return stop("truncated operand") }
                        continue
                    case 0x2e: guard uleb() != nil else { return stop("truncated operand") }; continue
                    case 0x0f: return stop("DW_CFA_def_cfa_expression (the CFA is a DWARF expression)")
                    default: return stop("call frame instruction 0x\(String(op, radix: 16))")
                    }
                }
                guard let delta = advance else { return stop("truncated DW_CFA_advance_loc") }
                let next = location &+ delta &* cie.codeAlignment
                if next > limit { return }
                if recording && next != location { rows.append(Row(location: location, rule: state)) }
                location = next
            }
            if initial { initialRA = state.returnAddressOffset }
        }

        mutating func stop(_ why: String) { state.stoppedAt = why }
    }
}

/// What the CFA must be at a function's first instruction, per architecture: the state right
/// after a call.
public struct CallEntryRule: Sendable {
    public var register: UInt64
    public var registerName: String
    public var offset: Int64
    /// The return address's slot relative to the CFA, for architectures whose call pushes it.
    public var returnAddressOffset: Int64?

    /// The CFA at a function's first instruction, in DWARF register numbers: x86-64 and x32
    /// `rsp+8` (RA at CFA-8), i386 `esp+4` (RA at CFA-4); the stack pointer itself on arm64,
    /// arm, riscv, Power (r1), LoongArch (r3), MIPS (r29), C-SKY (r14) and 32-bit SPARC (r14);
    /// `r15+160` on s390x and `r15+96` on s390 (the register save area the caller provides);
    /// `r14+2047` on sparc64 (the stack bias). Nil where vdsogen does not know the rule.
    public static func forHeader(_ h: ELFHeader) -> CallEntryRule? {
        switch h.machine {
        case EM.x86_64: return CallEntryRule(register: 7, registerName: "rsp", offset: 8, returnAddressOffset: -8)
        case EM.i386: return CallEntryRule(register: 4, registerName: "esp", offset: 4, returnAddressOffset: -4)
        case EM.aarch64: return stackPointer(31, "sp")
        case EM.riscv: return stackPointer(2, "sp")
        case EM.arm: return stackPointer(13, "sp")
        case EM.ppc64, EM.ppc: return stackPointer(1, "r1")
        case EM.loongarch: return stackPointer(3, "sp")
        case EM.mips: return stackPointer(29, "sp")
        case EM.csky: return stackPointer(14, "sp")
        case EM.s390: return CallEntryRule(register: 15, registerName: "r15", offset: h.is64 ? 160 : 96, returnAddressOffset: nil)
        case EM.sparcv9: return CallEntryRule(register: 14, registerName: "sp", offset: 2047, returnAddressOffset: nil)
        case EM.sparc32plus: return stackPointer(14, "sp")
        default: return nil
        }
    }

    /// The rule for an ELF64 image of `machine` (or ELF32 where the machine has only that class).
    public static func forMachine(_ machine: UInt16) -> CallEntryRule? {
        let is64 = ![EM.i386, EM.arm, EM.ppc, EM.csky, EM.sparc32plus].contains(machine)
        return forHeader(ELFHeader(is64: is64, littleEndian: true, osabi: 0, type: 3, machine: machine, version: 1,
                                   entry: 0, phoff: 0, shoff: 0, flags: 0, ehsize: 0, phentsize: 0, phnum: 0,
                                   shentsize: 0, shnum: 0, shstrndx: 0))
    }

    private static func stackPointer(_ register: UInt64, _ name: String) -> CallEntryRule {
        CallEntryRule(register: register, registerName: name, offset: 0, returnAddressOffset: nil)
    }

    /// `rsp+8` / `r5+16` style.
    public func describe(_ r: CFARule) -> String {
        let name = r.register == register ? registerName : "r\(r.register)"
        return "\(name)\(r.offset >= 0 ? "+" : "")\(r.offset)"
    }

    public var expected: String { "\(registerName)+\(offset)" }

    /// True if `r` is this rule (the return-address slot is checked only where a call pushes it).
    public func matches(_ r: CFARule) -> Bool {
        r.register == register && r.offset == offset && (returnAddressOffset == nil || r.returnAddressOffset == returnAddressOffset)
    }
}
