/// `stack-usage`: every exported function runs in a small stack frame and never probes the stack.
///
/// The frame is read from the CFI: the largest CFA offset (from the stack pointer) over the
/// function's range, minus the CFA offset at its entry. Where the CFA moves to a frame pointer,
/// the CFI no longer says how far the stack pointer goes, so the `sub` immediates that lower the
/// stack pointer in the function's code are added (x86-64, i386 and arm64; other machines are
/// measured from the CFI alone).
///
/// Limits, per profile:
/// - `strict`, 512 bytes. The Go runtime calls the vDSO from `nosplit` code on its system stack
///   (g0, or the signal stack), with only the room its stack guard promises nosplit chains
///   (`StackLimit`, 800 bytes on linux/amd64) — golang/go#20427 was a vDSO that touched more.
///   Linux's own vDSO functions use frames under 100 bytes, so 512 leaves five times that.
/// - `linux`, 4096 bytes: one page. Beyond it a frame can step over a guard page (the reason
///   compilers start to probe), and probes or frames of that size are what crashed Go.
///
/// Stack probes (`-fstack-clash-protection`, `-fstack-check`, a call to `__rust_probestack` or
/// `__chkstk`) are errors under both profiles: they touch the stack a page or more below the
/// caller's stack pointer. Recognised by their bytes on x86-64 and i386 (`orq $0, d(%rsp)`, GCC;
/// `sub $N*4096, %rsp` + `movq $0, (%rsp)`, clang) and arm64 (`sub sp, sp, #N, lsl #12` +
/// `str xzr, [sp, #d]`, both compilers); not on riscv or arm.
struct StackUsageRule: Rule {
    let id = "stack-usage"
    let summary = "Every exported function's stack frame, from the CFI (plus stack-pointer subtractions where the CFA moves to a frame pointer), is within 512 bytes (strict) or 4096 bytes (linux), and no function probes the stack."
    let protects = "Go calls the vDSO from nosplit code on a small system stack: a large frame or -fstack-check/-fstack-clash-protection probes a page below the stack pointer crashed every Go program (golang/go#20427)."

    /// The largest acceptable frame, in bytes.
    static func limit(_ profile: Profile) -> Int64 { profile == .strict ? 512 : 4096 }

    /// Functions that exist to probe the stack, called by code with large frames.
    static let probeFunctions: Set<String> = [
        "__rust_probestack", "__probestack", "__chkstk", "__chkstk_ms", "___chkstk_ms", "__chkstk_darwin", "_alloca",
    ]

    func check(_ c: CheckContext) -> [Finding] {
        let img = c.image
        guard let entryRule = CallEntryRule.forHeader(img.header),
              let p = img.segments(ofType: PT.gnuEHFrame).first, p.filesz > 0 else { return [] }
        let d = c.dynamic
        guard case .success(let header) = EHFrame.header(d, address: p.vaddr),
              header.tableEncoding == EHFrame.PE.searchTable else { return [] }
        let limit = Self.limit(c.profile)
        func entry(_ at: UInt64) -> SourceLocation? { c.sourceLocator.entry(of: at) }
        func site(_ at: UInt64) -> String { entry(at).map { " (\($0.phrase))" } ?? "" }
        let names = symbolNames(c)
        var out: [Finding] = []
        for fn in c.exportedFunctions where fn.size > 0 {
            let end = fn.value &+ fn.size
            let code = d.fileOffset(of: fn.value, length: fn.size).flatMap { img.bytes.slice($0, fn.size) } ?? []
            if let probe = probe(in: code, at: fn.value, machine: img.header.machine, littleEndian: img.header.littleEndian, names: names) {
                out.append(error("exported function \(fn.names) [0x\(hex(fn.value)), 0x\(hex(end)))\(site(fn.value)) probes the stack (\(probe)): -fstack-clash-protection, -fstack-check or a probestack call touches the stack a page or more below the caller's stack pointer, which crashed Go programs on their small system stack (golang/go#20427); compile with -fno-stack-clash-protection -fno-stack-check and keep the frame small", at: entry(fn.value)))
            }
            guard let hit = header.search(fn.value), case .success(let fde) = EHFrame.fde(d, address: hit.fde),
                  fde.covers(fn.value, end) else { continue } // unwind-info reports it
            let rows = CFARule.rows(fde: fde, is64: img.header.is64, littleEndian: img.header.littleEndian)
            guard let first = rows.last(where: { $0.location <= fn.value }), first.rule.register == entryRule.register,
                  first.rule.stoppedAt == nil else { continue }
            var maxOffset = first.rule.offset, framePointer = false
            var maxRow = first
            for r in rows where r.location < end && (r.location >= fn.value || r.location == first.location) {
                if r.rule.stoppedAt != nil { break }
                if r.rule.register == entryRule.register {
                    if r.rule.offset > maxOffset { maxOffset = r.rule.offset; maxRow = r }
                } else {
                    framePointer = true
                }
            }
            // CFA offsets come from the file: a difference or a sum past Int64 saturates (and is
            // then far over any limit) instead of trapping.
            let (difference, overflow) = maxOffset.subtractingReportingOverflow(first.rule.offset)
            var frame = overflow ? Int64.max : difference
            var how = "CFA up to \(entryRule.describe(maxRow.rule)) at 0x\(hex(max(maxRow.location, fn.value))), from \(entryRule.describe(first.rule)) at entry"
            if framePointer {
                let lowered = stackPointerSubtractions(in: code, machine: img.header.machine, littleEndian: img.header.littleEndian)
                if lowered > 0 {
                    let (sum, over) = frame.addingReportingOverflow(lowered)
                    frame = over ? Int64.max : sum
                    how += ", plus \(lowered) bytes of stack-pointer subtractions below the frame pointer the CFA follows"
                }
            }
            if frame > limit {
                out.append(error("exported function \(fn.names) [0x\(hex(fn.value)), 0x\(hex(end)))\(site(fn.value)) uses a \(frame)-byte stack frame (\(how)), over the \(limit)-byte limit of the \(c.profile.rawValue) profile: Go calls the vDSO on its small system stack (golang/go#20427) and Linux's vDSO functions use under 100 bytes; move large buffers out of the stack (read the data page in place) or shrink them", at: entry(fn.value)))
            }
        }
        return out
    }

    /// Function names by address, from the image's and the debug image's symbol tables.
    private func symbolNames(_ c: CheckContext) -> [UInt64: String] {
        var names: [UInt64: String] = [:]
        for s in c.image.symbols + (c.debug?.symbols ?? []) where s.isDefined && Self.probeFunctions.contains(s.name) {
            names[s.value] = s.name
        }
        return names
    }

    /// The first stack probe in `code` (loaded at `base`), described, or nil.
    func probe(in code: [UInt8], at base: UInt64, machine: UInt16, littleEndian: Bool, names: [UInt64: String]) -> String? {
        let n = code.count
        func at(_ i: Int) -> String { "at 0x\(hex(base &+ UInt64(i)))" }
        switch machine {
        case EM.x86_64, EM.i386:
            for i in 0..<n {
                // or $0, disp(%rsp)  ([REX.W] 83 /1 with SIB 0x24, imm8 0): a no-op store, only ever a probe.
                if code[i] == 0x83, i + 3 < n, [0x0c, 0x4c, 0x8c].contains(code[i + 1]), code[i + 2] == 0x24 {
                    let disp = code[i + 1] == 0x0c ? 0 : code[i + 1] == 0x4c ? 1 : 4
                    if i + 3 + disp < n, code[i + 3 + disp] == 0 {
                        let reg = machine == EM.x86_64 ? "%rsp" : "%esp"
                        var value: Int64 = 0
                        if disp == 1 { value = Int64(Int8(bitPattern: code[i + 3])) }
                        if disp == 4 {
                            let v = code[i + 3..<i + 7].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
                            value = Int64(Int32(bitPattern: v))
                        }
                        let d = value == 0 ? "" : value < 0 ? "-0x\(String(-value, radix: 16))" : "0x\(String(value, radix: 16))"
                        return "or $0x0, \(d)(\(reg)) \(at(i > 0 && code[i - 1] == 0x48 ? i - 1 : i))"
                    }
                }
                // sub $k*4096, %rsp; movq $0, (%rsp)  (clang's inline probe, unrolled or in a loop)
                let rex = machine == EM.x86_64 ? [UInt8(0x48)] : []
                let sub = rex + [0x81, 0xec], mov = rex + [0xc7, 0x04, 0x24, 0, 0, 0, 0]
                if i + sub.count + 4 + mov.count <= n, Array(code[i..<i + sub.count]) == sub {
                    let imm = code[i + sub.count..<i + sub.count + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
                    let j = i + sub.count + 4
                    if imm >= 4096, imm % 4096 == 0, Array(code[j..<j + mov.count]) == mov {
                        let reg = machine == EM.x86_64 ? "%rsp" : "%esp"
                        return "sub $0x\(String(imm, radix: 16)), \(reg) then a zero store to (\(reg)) \(at(i))"
                    }
                }
                // call rel32 to a probestack function
                if code[i] == 0xe8, i + 5 <= n {
                    let rel = code[i + 1..<i + 5].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
                    let target = base &+ UInt64(i + 5) &+ UInt64(bitPattern: Int64(Int32(bitPattern: rel)))
                    let t = machine == EM.i386 ? target & 0xffff_ffff : target
                    if let name = names[t] { return "call \(name) \(at(i))" }
                }
            }
        case EM.aarch64:
            guard n >= 4 else { return nil }
            // A64 instructions are little-endian in every image, aarch64_be included.
            func word(_ k: Int) -> UInt32 {
                let b = code[k..<k + 4].map(UInt32.init)
                return b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
            }
            var i = 0
            while i + 4 <= n {
                let w = word(i)
                // sub sp, sp, #imm, lsl #12 followed by str xzr, [sp, #imm]
                if w & 0xffc0_03ff == 0xd140_03ff, i + 8 <= n, word(i + 4) & 0xffc0_03ff == 0xf900_03ff {
                    return "sub sp, sp, #\((w >> 10) & 0xfff), lsl #12 then str xzr, [sp, #\(((word(i + 4) >> 10) & 0xfff) * 8)] \(at(i))"
                }
                // bl to a probestack function
                if w & 0xfc00_0000 == 0x9400_0000 {
                    let imm = Int64(Int32(bitPattern: (w & 0x03ff_ffff) << 6) >> 6) * 4
                    if let name = names[base &+ UInt64(i) &+ UInt64(bitPattern: imm)] { return "bl \(name) \(at(i))" }
                }
                i += 4
            }
        default: break
        }
        return nil
    }

    /// Bytes by which the code lowers the stack pointer with immediate subtractions: x86
    /// `sub $imm, %rsp`/`%esp`, arm64 `sub sp, sp, #imm{, lsl #12}`.
    func stackPointerSubtractions(in code: [UInt8], machine: UInt16, littleEndian: Bool) -> Int64 {
        let n = code.count
        var total: Int64 = 0
        switch machine {
        case EM.x86_64, EM.i386:
            let rex: [UInt8] = machine == EM.x86_64 ? [0x48] : []
            var i = 0
            while i < n {
                if i + rex.count + 2 < n, Array(code[i..<i + rex.count]) == rex {
                    let op = code[i + rex.count], modrm = code[i + rex.count + 1], imm = i + rex.count + 2
                    if op == 0x83, modrm == 0xec, imm < n {
                        total += Int64(Int8(bitPattern: code[imm])); i = imm + 1; continue
                    }
                    if op == 0x81, modrm == 0xec, imm + 4 <= n {
                        let v = code[imm..<imm + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
                        total += Int64(Int32(bitPattern: v)); i = imm + 4; continue
                    }
                }
                i += 1
            }
        case EM.aarch64:
            var i = 0
            while i + 4 <= n {
                let b = code[i..<i + 4].map(UInt32.init)
                let w = b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 // A64: always little-endian
                if w & 0xff80_03ff == 0xd100_03ff {
                    let imm = Int64((w >> 10) & 0xfff)
                    total += w & (1 << 22) != 0 ? imm << 12 : imm
                }
                i += 4
            }
        default: break
        }
        return max(total, 0)
    }
}
