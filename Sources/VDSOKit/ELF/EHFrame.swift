/// `.eh_frame_hdr` and `.eh_frame` as an unwinder reads them: through PT_GNU_EH_FRAME and
/// virtual addresses (translated by the PT_LOAD segments), never through section headers, so a
/// stripped or section-less image reads the same.
public enum EHFrame {
    /// `DW_EH_PE_*` pointer encodings.
    public enum PE {
        public static let absptr: UInt8 = 0x00
        public static let uleb128: UInt8 = 0x01
        public static let udata2: UInt8 = 0x02
        public static let udata4: UInt8 = 0x03
        public static let udata8: UInt8 = 0x04
        public static let sleb128: UInt8 = 0x09
        public static let sdata2: UInt8 = 0x0a
        public static let sdata4: UInt8 = 0x0b
        public static let sdata8: UInt8 = 0x0c
        public static let pcrel: UInt8 = 0x10
        public static let datarel: UInt8 = 0x30
        public static let omit: UInt8 = 0xff

        /// `datarel|sdata4`: the only table encoding libgcc and LLVM's libunwind binary-search.
        public static let searchTable: UInt8 = datarel | sdata4

        /// `pcrel|sdata4` style names, for messages.
        public static func describe(_ e: UInt8) -> String {
            if e == omit { return "omit" }
            let formats: [UInt8: String] = [0: "absptr", 1: "uleb128", 2: "udata2", 3: "udata4", 4: "udata8",
                                             9: "sleb128", 10: "sdata2", 11: "sdata4", 12: "sdata8"]
            let apps: [UInt8: String] = [0x10: "pcrel", 0x20: "textrel", 0x30: "datarel", 0x40: "funcrel", 0x50: "aligned"]
            var parts: [String] = []
            if let a = apps[e & 0x70] { parts.append(a) }
            parts.append(formats[e & 0x0f] ?? "format 0x\(String(e & 0x0f, radix: 16))")
            if e & 0x80 != 0 { parts.append("indirect") }
            return parts.joined(separator: "|") + " (0x\(String(e, radix: 16)))"
        }
    }

    /// The parsed `.eh_frame_hdr`.
    public struct Header: Sendable {
        public var address: UInt64
        public var version: UInt8
        public var ehFramePtrEncoding: UInt8
        public var fdeCountEncoding: UInt8
        public var tableEncoding: UInt8
        public var ehFramePtr: UInt64
        public var fdeCount: UInt64
        /// `(initial location, FDE address)` pairs, in file order.
        public var table: [(location: UInt64, fde: UInt64)]

        /// The last entry whose location is at or below `pc` (the binary search unwinders do).
        public func search(_ pc: UInt64) -> (location: UInt64, fde: UInt64)? {
            var lo = 0, hi = table.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if table[mid].location <= pc { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? nil : table[lo - 1]
        }
    }

    /// A Common Information Entry.
    public struct CIE: Sendable {
        public var address: UInt64
        public var version: UInt8
        public var augmentation: String
        public var codeAlignment: UInt64
        public var dataAlignment: Int64
        public var returnAddressRegister: UInt64
        /// The `R` augmentation: how FDEs of this CIE encode their addresses.
        public var fdeEncoding: UInt8
        public var initialInstructions: [UInt8]
    }

    /// A Frame Description Entry.
    public struct FDE: Sendable {
        public var address: UInt64
        public var cie: CIE
        public var pcBegin: UInt64
        public var pcRange: UInt64
        public var instructions: [UInt8]

        public var pcEnd: UInt64 { pcBegin &+ pcRange }
        public func covers(_ start: UInt64, _ end: UInt64) -> Bool { start >= pcBegin && end <= pcEnd && start < pcEnd }
    }

    /// Reads `.eh_frame_hdr` at `address`. Encodings other than lld's and GNU ld's (pcrel/datarel/
    /// absolute, fixed-size or LEB128 formats) are refused with a problem that names them.
    public static func header(_ d: DynamicView, address: UInt64) -> Result<Header, TableProblem> {
        let view = d.image.bytes
        guard let off = d.fileOffset(of: address, length: 4), let version = view.u8(off),
              let ptrEnc = view.u8(off &+ 1), let countEnc = view.u8(off &+ 2), let tableEnc = view.u8(off &+ 3) else {
            return .failure(TableProblem("the header at 0x\(hex(address)) is not inside a PT_LOAD backed by the file"))
        }
        var h = Header(address: address, version: version, ehFramePtrEncoding: ptrEnc, fdeCountEncoding: countEnc,
                       tableEncoding: tableEnc, ehFramePtr: 0, fdeCount: 0, table: [])
        guard version == 1 else { return .failure(TableProblem("version \(version), not 1")) }
        guard var at = sum(address, 4), let ptr = readPointer(d, at: &at, encoding: ptrEnc, dataBase: address) else {
            return .failure(TableProblem("eh_frame_ptr encoding \(PE.describe(ptrEnc)) cannot be read"))
        }
        h.ehFramePtr = ptr
        if countEnc == PE.omit || tableEnc == PE.omit { return .success(h) }
        guard let count = readPointer(d, at: &at, encoding: countEnc, dataBase: address) else {
            return .failure(TableProblem("fde_count encoding \(PE.describe(countEnc)) cannot be read"))
        }
        guard count < 1 << 20 else { return .failure(TableProblem("fde_count \(count) is implausible")) }
        h.fdeCount = count
        for i in 0..<count {
            guard let loc = readPointer(d, at: &at, encoding: tableEnc, dataBase: address),
                  let fde = readPointer(d, at: &at, encoding: tableEnc, dataBase: address) else {
                return .failure(TableProblem("table entry \(i) of \(count) (encoding \(PE.describe(tableEnc))) cannot be read: the table runs out of the image or uses an unsupported encoding"))
            }
            h.table.append((loc, fde))
        }
        return .success(h)
    }

    /// Reads the FDE at `address` and the CIE it points to.
    public static func fde(_ d: DynamicView, address: UInt64) -> Result<FDE, TableProblem> {
        let view = d.image.bytes
        guard let (body, bodyEnd) = entry(d, address) else {
            return .failure(TableProblem("no complete CFI entry at 0x\(hex(address))"))
        }
        guard let off = d.fileOffset(of: body, length: 4), let ciePointer = view.u32(off) else {
            return .failure(TableProblem("no CIE pointer at 0x\(hex(body))"))
        }
        if ciePointer == 0 { return .failure(TableProblem("0x\(hex(address)) is a CIE, not an FDE")) }
        let cieAddress = body &- UInt64(ciePointer)
        let cie: CIE
        switch self.cie(d, address: cieAddress) {
        case .success(let c): cie = c
        case .failure(let p): return .failure(TableProblem("its CIE pointer leads to 0x\(hex(cieAddress)), which is not a CIE (\(p.message))"))
        }
        guard var at = sum(body, 4), let begin = readPointer(d, at: &at, encoding: cie.fdeEncoding, dataBase: 0),
              let range = readPointer(d, at: &at, encoding: cie.fdeEncoding & 0x0f, dataBase: 0) else {
            return .failure(TableProblem("pc_begin/pc_range (encoding \(PE.describe(cie.fdeEncoding))) cannot be read"))
        }
        if cie.augmentation.hasPrefix("z") {
            guard let len = uleb(d, at: &at), let past = sum(at, len) else { return .failure(TableProblem("augmentation length unreadable")) }
            at = past
        }
        guard at <= bodyEnd, let ioff = d.fileOffset(of: at, length: bodyEnd - at),
              let instructions = view.slice(ioff, bodyEnd - at) else {
            return .failure(TableProblem("the FDE's fields run past its length"))
        }
        return .success(FDE(address: address, cie: cie, pcBegin: begin, pcRange: range, instructions: instructions))
    }

    /// Reads the CIE at `address`.
    public static func cie(_ d: DynamicView, address: UInt64) -> Result<CIE, TableProblem> {
        let view = d.image.bytes
        guard let (body, bodyEnd) = entry(d, address), let off = d.fileOffset(of: body, length: 5),
              let id = view.u32(off), let version = view.u8(off + 4) else {
            return .failure(TableProblem("no complete CFI entry at 0x\(hex(address))"))
        }
        guard id == 0 else { return .failure(TableProblem("its CIE id is 0x\(String(id, radix: 16)), not 0")) }
        guard version == 1 || version == 3 else { return .failure(TableProblem("CIE version \(version)")) }
        guard let limit = sum(off, bodyEnd - body), let augmentation = view.cString(off + 5, limit: limit),
              var at = sum(body, 5 + UInt64(augmentation.utf8.count) + 1) else {
            return .failure(TableProblem("augmentation string unterminated"))
        }
        guard let code = uleb(d, at: &at), let data = sleb(d, at: &at) else { return .failure(TableProblem("alignment factors unreadable")) }
        let ra: UInt64?
        if version == 1 { ra = byte(d, &at).map(UInt64.init) } else { ra = uleb(d, at: &at) }
        guard let ra else { return .failure(TableProblem("return address register unreadable")) }
        var fdeEncoding = PE.absptr
        if augmentation.hasPrefix("z") {
            guard let len = uleb(d, at: &at), let past = sum(at, len) else { return .failure(TableProblem("augmentation length unreadable")) }
            var p = at
            for ch in augmentation.dropFirst() {
                switch ch {
                case "R": guard let e = byte(d, &p) else { break }; fdeEncoding = e
                case "L": guard byte(d, &p) != nil else { break }
                case "P":
                    guard let e = byte(d, &p), readPointer(d, at: &p, encoding: e & 0x7f, dataBase: 0) != nil else {
                        return .failure(TableProblem("personality pointer unreadable"))
                    }
                case "S", "B", "G": break
                default: return .failure(TableProblem("unknown augmentation \"\(augmentation)\""))
                }
            }
            at = past
        }
        guard at <= bodyEnd, let ioff = d.fileOffset(of: at, length: bodyEnd - at), let ins = view.slice(ioff, bodyEnd - at) else {
            return .failure(TableProblem("the CIE's fields run past its length"))
        }
        return .success(CIE(address: address, version: version, augmentation: augmentation, codeAlignment: code,
                            dataAlignment: data, returnAddressRegister: ra, fdeEncoding: fdeEncoding,
                            initialInstructions: ins))
    }

    // MARK: - Primitive reads

    /// The body start (after the length) and end of the entry at `address`.
    private static func entry(_ d: DynamicView, _ address: UInt64) -> (UInt64, UInt64)? {
        guard let off = d.fileOffset(of: address, length: 4), let len32 = d.image.bytes.u32(off), len32 != 0 else { return nil }
        // Addresses and lengths come from the file: every sum is checked (an image rebased near
        // the top of the address space puts its entries' ends past 2^64).
        guard var body = sum(address, 4) else { return nil }
        var length = UInt64(len32)
        if len32 == 0xffff_ffff {
            guard let o = d.fileOffset(of: body, length: 8), let l = d.image.bytes.u64(o), let b = sum(address, 12) else { return nil }
            body = b; length = l
        }
        guard d.fileOffset(of: body, length: length) != nil, let end = sum(body, length) else { return nil }
        return (body, end)
    }

    private static func byte(_ d: DynamicView, _ at: inout UInt64) -> UInt8? {
        guard let o = d.fileOffset(of: at), let b = d.image.bytes.u8(o), let next = sum(at, 1) else { return nil }
        at = next
        return b
    }

    static func uleb(_ d: DynamicView, at: inout UInt64) -> UInt64? {
        var result: UInt64 = 0, shift: UInt64 = 0
        while shift < 64 {
            guard let b = byte(d, &at) else { return nil }
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    static func sleb(_ d: DynamicView, at: inout UInt64) -> Int64? {
        var result: Int64 = 0, shift: Int64 = 0
        while shift < 64 {
            guard let b = byte(d, &at) else { return nil }
            result |= Int64(b & 0x7f) << shift
            shift += 7
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 { result |= Int64(-1) << shift }  // sign-extend; -(1 << 63) would trap
                return result
            }
        }
        return nil
    }

    /// Reads one encoded pointer at `at` (advancing it). `pcrel` is relative to the field's own
    /// address, `datarel` to `dataBase` (the `.eh_frame_hdr` start). nil for what is not supported
    /// (textrel, funcrel, aligned, indirect) or does not fit in the image.
    static func readPointer(_ d: DynamicView, at: inout UInt64, encoding: UInt8, dataBase: UInt64) -> UInt64? {
        let view = d.image.bytes, field = at
        let is64 = d.image.header.is64
        var raw: UInt64
        switch encoding & 0x0f {
        case PE.absptr:
            let size: UInt64 = is64 ? 8 : 4
            guard let o = d.fileOffset(of: at, length: size), let v = view.word(o, is64: is64) else { return nil }
            guard let next = sum(at, size) else { return nil }
            raw = v; at = next
        case PE.uleb128: guard let v = uleb(d, at: &at) else { return nil }; raw = v
        case PE.sleb128: guard let v = sleb(d, at: &at) else { return nil }; raw = UInt64(bitPattern: v)
        case PE.udata2, PE.sdata2:
            guard let o = d.fileOffset(of: at, length: 2), let v = view.u16(o) else { return nil }
            guard let next = sum(at, 2) else { return nil }
            raw = encoding & 0x08 != 0 ? UInt64(bitPattern: Int64(Int16(bitPattern: v))) : UInt64(v); at = next
        case PE.udata4, PE.sdata4:
            guard let o = d.fileOffset(of: at, length: 4), let v = view.u32(o) else { return nil }
            guard let next = sum(at, 4) else { return nil }
            raw = encoding & 0x08 != 0 ? UInt64(bitPattern: Int64(Int32(bitPattern: v))) : UInt64(v); at = next
        case PE.udata8, PE.sdata8:
            guard let o = d.fileOffset(of: at, length: 8), let v = view.u64(o) else { return nil }
            guard let next = sum(at, 8) else { return nil }
            raw = v; at = next
        default: return nil
        }
        switch encoding & 0xf0 {
        case 0: break
        case PE.pcrel: raw = field &+ raw
        case PE.datarel: raw = dataBase &+ raw
        default: return nil
        }
        if !is64 { raw &= 0xffff_ffff }
        return raw
    }

    /// `a + b`, or nil past 2^64-1.
    static func sum(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : s
    }

    private static func hex(_ v: UInt64) -> String { String(v, radix: 16) }
}
