import Testing
import VDSOKit

/// `emit --qemu`: the .c.inc QEMU's linux-user/gen-vdso writes. The relocation list is checked
/// against what libelf and readelf say of the same image (not against the walk that made it), the
/// refusals against patched copies, the C side by Tests/qemu/test.sh.
@Suite("emit --qemu")
struct QEMUVdsoEmitTests {
    static let arches = ["", "i386/", "aarch64/", "arm/", "riscv64/"]

    static func scan(_ path: String, _ edit: (inout QEMUVdsoOptions) -> Void = { _ in }) throws -> QEMUVdsoImage {
        let image = try ELFReader.read(path: path)
        let h = image.header
        let d = QEMUVdsoEmitter.defaults(machine: h.machine, is64: h.is64, littleEndian: h.littleEndian)
        var options = QEMUVdsoOptions(sigreturn: d?.sigreturn, rtSigreturn: d?.rtSigreturn)
        options.makeWritable = true
        edit(&options)
        return try QEMUVdsoScan.scan(image.bytes.bytes, path: path, options: options)
    }

    /// The word of the image's class at `offset`.
    static func word(_ bytes: [UInt8], _ offset: UInt32, is64: Bool, little: Bool) -> UInt64 {
        ByteView(bytes, littleEndian: little).word(UInt64(offset), is64: is64) ?? .max
    }

    /// The number of `readelf` output lines that `keep` accepts.
    static func readelfCount(_ args: [String], _ path: String, _ keep: (Substring) -> Bool) throws -> Int {
        let r = try TestSupport.run(["readelf", "-W"] + args + [path])
        #expect(r.status == 0, "\(r.output)")
        return r.output.split(separator: "\n").filter(keep).count
    }

    /// 2 per program header, 1 per section header, 1 per address-valued dynamic tag, 1 per .dynsym
    /// entry, counted by readelf.
    static func readelfRelocationCount(_ path: String) throws -> Int {
        let isHeader: (Substring) -> Bool = { l in l.hasPrefix("  ") && l.split(separator: " ").first.map { ["LOAD", "DYNAMIC", "NOTE", "GNU_EH_FRAME", "PHDR", "GNU_STACK", "GNU_PROPERTY"].contains(String($0)) } == true }
        let phdrs = try readelfCount(["-l"], path, isHeader)
        let shdrs = try readelfCount(["-S"], path) { $0.hasPrefix("  [") && !$0.contains("[Nr]") }
        let addressTags = ["(HASH)", "(GNU_HASH)", "(SYMTAB)", "(STRTAB)", "(VERSYM)", "(VERDEF)", "(PLTGOT)"]
        let dyn = try readelfCount(["-d"], path) { l in addressTags.contains { l.contains($0) } }
        let syms = try readelfCount(["--dyn-syms"], path) { l in l.split(separator: " ").first.map { $0.hasSuffix(":") && Int($0.dropLast()) != nil } == true }
        return 2 * phdrs + shdrs + dyn + syms
    }

    @Test("each default image: one offset per address field readelf counts, each holding the address libelf reads there",
          arguments: arches)
    func relocations(_ arch: String) throws {
        let path = TestSupport.path("out/\(arch)vdso.so")
        let image = try ELFReader.read(path: path)
        let q = try Self.scan(path)
        let counted = try Self.readelfRelocationCount(path)
        #expect(q.relocations.count == counted)
        #expect(Set(q.relocations).count == q.relocations.count, "an offset listed twice")
        let h = image.header
        let words = q.relocations.map { Self.word(q.bytes, $0, is64: h.is64, little: h.littleEndian) }
        let d = DynamicView(image)
        let addressTags: Set<Int64> = [DT.hash, DT.gnuHash, DT.symtab, DT.strtab, DT.versym, DT.verdef, DT.pltgot]
        let expected = image.segments.flatMap { [$0.vaddr, $0.paddr] } + image.sections.map(\.addr)
            + d.entries.filter { addressTags.contains($0.tag) }.map(\.value) + image.dynamicSymbolSection.map(\.value)
        #expect(words == expected, "the words at the listed offsets, in gen-vdso's order")
        // The order: the program header table, the section header table, .dynamic, .dynsym.
        let ph = UInt32(h.phoff), sh = UInt32(h.shoff)
        let dynsym = try #require(image.sections.first { $0.type == SHT.dynsym })
        let dynamic = try #require(image.segments.first { $0.type == PT.dynamic })
        let kinds = q.relocations.map { r -> Int in
            if r >= ph && r < ph + UInt32(h.phnum) * UInt32(h.phentsize) { return 0 }
            if r >= sh && r < sh + UInt32(h.shnum) * UInt32(h.shentsize) { return 1 }
            if UInt64(r) >= dynamic.offset && UInt64(r) < dynamic.offset + dynamic.filesz { return 2 }
            return UInt64(r) >= dynsym.offset && UInt64(r) < dynsym.offset + dynsym.size ? 3 : 9
        }
        #expect(kinds == kinds.sorted() && !kinds.contains(9), "\(kinds)")
    }

    @Test("the bytes are the file's but for the PT_LOAD widened to the file and, asked, made writable", arguments: arches)
    func bytes(_ arch: String) throws {
        let path = TestSupport.path("out/\(arch)vdso.so")
        let original = try FileIO.read(path)
        let q = try Self.scan(path)
        let image = try ELFReader.read(path: path)
        let load = try #require(image.segments.first { $0.type == PT.load })
        let at = Int(image.header.phoff) + load.index * Int(image.header.phentsize)
        let w = image.header.is64 ? 8 : 4
        let changed = (0..<original.count).filter { original[$0] != q.bytes[$0] }
        let allowed = image.header.is64 ? Set([at + 4] + Array(at + 32..<at + 48)) : Set([at + 16..<at + 24, at + 24..<at + 28].flatMap { $0 })
        #expect(q.bytes.count == original.count && changed.allSatisfy(allowed.contains), "changed \(changed)")
        let view = ByteView(q.bytes, littleEndian: image.header.littleEndian)
        let fileszAt = UInt64(at + (w == 8 ? 32 : 16))
        #expect(view.word(fileszAt, is64: w == 8) == UInt64(original.count) && view.word(fileszAt + UInt64(w), is64: w == 8) == UInt64(original.count))
        #expect((view.u32(UInt64(at + (w == 8 ? 4 : 24))) ?? 0) & PF.w != 0)
    }

    @Test("the signal-return offsets are the symbols QEMU's build names for each machine")
    func signalSymbols() throws {
        let i386 = try Self.scan(TestSupport.path("out/i386/vdso.so"))
        let dbg = try ELFReader.read(path: TestSupport.path("out/i386/vdso.so.dbg"))
        func value(_ n: String) throws -> UInt32 { UInt32(try #require(dbg.symbols.first { $0.name == n }).value) }
        let sigreturn = try value("__kernel_sigreturn"), rtSigreturn = try value("__kernel_rt_sigreturn")
        #expect(i386.sigreturn == sigreturn && i386.rtSigreturn == rtSigreturn)
        #expect(i386.sigreturn != 0 && i386.rtSigreturn != 0)
        for (arch, name) in [("aarch64", "__kernel_rt_sigreturn"), ("riscv64", "__vdso_rt_sigreturn")] {
            let q = try Self.scan(TestSupport.path("out/\(arch)/vdso.so"))
            let s = try #require(try ELFReader.read(path: TestSupport.path("out/\(arch)/vdso.so")).dynamicSymbolSection.first { $0.name == name })
            #expect(q.rtSigreturn == UInt32(s.value) && q.rtSigreturn != 0 && q.sigreturn == 0, "\(arch)")
        }
        let x86 = try Self.scan(TestSupport.path("out/vdso.so"))
        #expect(x86.sigreturn == 0 && x86.rtSigreturn == 0 && x86.sigreturnRegionStart == 0)
    }

    @Test("an image linked at a page-aligned base gives the same offsets; an unaligned base is refused")
    func linkBase() throws {
        let path = TestSupport.path("out/i386/vdso.so")
        let q = try Self.scan(path)
        // Move the image to 0x10000 as QEMU's loader would, e_entry too: a copy linked there.
        var moved = try FileIO.read(path)
        for base: UInt32 in [0x10000, 0x10010] {
            moved = try FileIO.read(path)
            for r in q.relocations + [24] {
                let old = Self.word(moved, r, is64: false, little: true)
                let new = UInt32(old) &+ base
                for i in 0..<4 { moved[Int(r) + i] = UInt8(truncatingIfNeeded: new >> (8 * i)) }
            }
            let shifted = TestSupport.temporaryDirectory("qemu-base") + "/vdso.so"
            try AtomicFile.write(moved, to: shifted, durable: false)
            if base == 0x10000 {
                let s = try Self.scan(shifted)
                #expect(s.linkBase == 0x10000 && s.relocations == q.relocations && s.sigreturn == q.sigreturn && s.rtSigreturn == q.rtSigreturn)
            } else {
                #expect(throws: VDSOError.self) { try Self.scan(shifted) }
            }
        }
    }
}
