/// Edits of CFI programs: the operands a hostile `.eh_frame` can carry that a field mutation
/// cannot reach, because they are LEB128 numbers whose size is their value.
extension FieldEnumerator {
    /// The LEB128 extremes written: 2^63 (Int64.min as a bit pattern) and 2^64-1.
    static let extremes: [UInt64] = [1 << 63, .max]

    static func uleb(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    /// The largest ULEB128 that fits in `room` bytes (at most 10).
    static func largestULEB(_ room: Int) -> [UInt8] {
        guard room > 0 else { return [] }
        return room >= 10 ? uleb(.max) : uleb((1 << UInt64(7 * room)) - 1)
    }

    /// For a CIE of augmentation "z...": its augmentation length set to the largest value that
    /// fits in the rest of the entry. For an FDE (of a `z` CIE with 4-byte pointers, as lld and GNU
    /// ld write): its first instruction replaced by `DW_CFA_def_cfa_offset` of each extreme, and
    /// by `DW_CFA_def_cfa_offset_sf`, where the program has the room.
    mutating func cfiPatches(entry at: Int, length: Int, isCIE: Bool, label: String) {
        let end = at + 4 + length
        guard end <= f.bytes.count else { return }
        if isCIE {
            var p = at + 9  // length, CIE id, version
            guard p < end, f.bytes[p] == UInt8(ascii: "z") else { return }
            while p < end && f.bytes[p] != 0 { p += 1 }
            p += 1
            for _ in 0..<3 {  // code and data alignment, return address register
                while p < end && f.bytes[p] & 0x80 != 0 { p += 1 }
                p += 1
            }
            guard p < end else { return }
            patches.append(CFIPatch(name: "\(label).augmentation_length = largest in \(end - p) bytes", offset: p,
                                    bytes: Self.largestULEB(min(end - p, 10))))
        } else {
            let start = at + 4 + 4 + 4 + 4 + 1  // length, CIE pointer, pc_begin, pc_range, augmentation length 0
            guard start < end, f.bytes[start - 1] == 0 else { return }
            for v in Self.extremes {
                let ins = [0x0e] + Self.uleb(v)
                guard start + ins.count <= end else { continue }
                patches.append(CFIPatch(name: "\(label).instructions = DW_CFA_def_cfa_offset 0x\(String(v, radix: 16))",
                                        offset: start, bytes: ins))
            }
            let sf = [0x13] + Self.uleb(1 << 62)  // an sleb128 of 2^62: times the data alignment, past Int64
            if start + sf.count <= end {
                patches.append(CFIPatch(name: "\(label).instructions = DW_CFA_def_cfa_offset_sf 2^62", offset: start, bytes: sf))
            }
        }
    }
}
