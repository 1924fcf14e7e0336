/// `load-layout`: one R+X PT_LOAD at offset 0 that holds the headers and every other segment,
/// and lies in memory exactly as in the file.
struct LoadLayoutRule: Rule {
    let id = "load-layout"
    let summary = "Exactly one readable, executable PT_LOAD at file offset 0, filesz == memsz, holding the ELF headers and every other segment; no PT_GNU_RELRO."
    let protects = "glibc takes the load bias from the first PT_LOAD and the kernel maps the file verbatim: a second segment, a gap, a .bss or a RELRO segment makes libc resolve symbols at wrong addresses or crash."

    /// Segment types a loader or unwinder reads through the mapping, which must be mapped whatever
    /// their memsz says.
    private static let readFromMemory: Set<UInt32> = [PT.dynamic, PT.note, PT.interp, PT.tls, PT.gnuEHFrame]

    /// True for a segment nothing reads through the mapping: one of no memory size, or
    /// PT_RISCV_ATTRIBUTES (the build attributes of a non-allocated section, for tools reading
    /// the file; Linux's riscv images carry one, GNU ld with memsz 0, ld.lld with its size).
    static func describesFileOnly(_ p: Segment, machine: UInt16) -> Bool {
        if readFromMemory.contains(p.type) { return false }
        return p.memsz == 0 || (machine == EM.riscv && p.type == PT.riscvAttributes)
    }

    func check(_ c: CheckContext) -> [Finding] {
        let img = c.image
        let loads = img.segments(ofType: PT.load)
        var out: [Finding] = []
        if loads.isEmpty {
            return [error("no PT_LOAD segment: nothing would be mapped; give the linker script a PHDRS text segment with FILEHDR PHDRS")]
        }
        if loads.count > 1 {
            let list = loads.map { "[\($0.index)] offset 0x\(hex($0.offset)) vaddr 0x\(hex($0.vaddr)) \(PF.describe($0.flags).trimmed)" }
            out.append(error("\(loads.count) PT_LOAD segments (\(list.joined(separator: "; "))); a vDSO is mapped as one block and glibc computes the load bias from the first: put every section in one PHDRS segment"))
        }
        let load = loads[0]
        if load.offset != 0 {
            out.append(error("the PT_LOAD starts at file offset 0x\(hex(load.offset)), not 0: the ELF and program headers must be inside it (FILEHDR PHDRS)"))
        }
        if load.filesz != load.memsz {
            out.append(error("PT_LOAD filesz 0x\(hex(load.filesz)) != memsz 0x\(hex(load.memsz)): zero-fill (.bss) cannot exist in a read-only shared mapping; remove the writable or uninitialised data"))
        }
        if !load.isReadable || !load.isExecutable {
            out.append(error("the PT_LOAD is \(PF.describe(load.flags).trimmed), not R+X: libcs (rustix, parse_vdso) require the first PT_LOAD to be readable and executable"))
        }
        if load.fileEnd > img.fileSize {
            out.append(error("the PT_LOAD covers 0x\(hex(load.filesz)) bytes but the file has only 0x\(hex(img.fileSize)): the image is truncated: every table past the cut reads as missing; rebuild it or copy it again"))
        }
        let headerEnd = max(img.header.headerSize, img.header.phoff + UInt64(img.header.phnum) * img.header.programHeaderSize)
        if load.offset == 0 && load.filesz < headerEnd {
            out.append(error("the PT_LOAD (0x\(hex(load.filesz)) bytes) does not cover the ELF and program headers (0x\(hex(headerEnd)) bytes)"))
        }
        let bias = Int64(bitPattern: load.offset &- load.vaddr)
        for p in img.segments where p.type != PT.load && p.type != PT.null && p.type != PT.gnuStack {
            if p.type == PT.gnuRelro {
                out.append(error("PT_GNU_RELRO [\(p.index)] present: a vDSO has nothing to make read-only after relocation, and rustix rejects such images; link with -z norelro"))
                continue
            }
            if p.filesz == 0 && p.memsz == 0 { continue }
            if Self.describesFileOnly(p, machine: img.header.machine) { continue }
            if Int64(bitPattern: p.offset &- p.vaddr) != bias {
                out.append(error("\(p.typeName) [\(p.index)] has offset 0x\(hex(p.offset)) but vaddr 0x\(hex(p.vaddr)): every segment must lie in memory exactly as in the file"))
            } else if p.offset < load.offset || p.fileEnd > load.fileEnd {
                out.append(error("\(p.typeName) [\(p.index)] (offset 0x\(hex(p.offset)), size 0x\(hex(p.filesz))) lies outside the PT_LOAD: the kernel maps only the PT_LOAD; assign its sections to the text segment too"))
            }
        }
        return out
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

func hex(_ v: UInt64) -> String { String(v, radix: 16) }
