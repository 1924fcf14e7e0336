import Testing
import VDSOKit

/// gen-vdso's refusals, each met with a patched copy of a default image; the command line's exit
/// codes and its notes; a big-endian image (s390x, linked by GNU ld).
@Suite("emit --qemu: refusals, command line, big-endian")
struct QEMUVdsoRefusalTests {
    /// A copy of out/vdso.so with `edit` applied to its bytes (little-endian ELF64).
    static func patched(_ name: String, _ edit: (inout [UInt8], ELFImage) throws -> Void) throws -> String {
        let path = TestSupport.path("out/vdso.so")
        var bytes = try FileIO.read(path)
        try edit(&bytes, try ELFReader.read(path: path))
        let out = TestSupport.temporaryDirectory("qemu-\(name)") + "/vdso.so"
        try AtomicFile.write(bytes, to: out, durable: false)
        return out
    }

    static func put(_ value: UInt64, _ size: Int, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<size { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    /// The file offset of the first dynamic entry with `tag`.
    static func dynamicEntry(_ tag: Int64, _ image: ELFImage) throws -> Int {
        let d = try #require(image.segments.first { $0.type == PT.dynamic })
        let i = try #require(DynamicView(image).entries.firstIndex { $0.tag == tag })
        return Int(d.offset) + 16 * i
    }

    static func phdr(_ type: UInt32, _ image: ELFImage) throws -> Int {
        let p = try #require(image.segments.first { $0.type == type })
        return Int(image.header.phoff) + 56 * p.index
    }

    static let cases: [(name: String, message: String, edit: @Sendable (inout [UInt8], ELFImage) throws -> Void)] = [
        ("two-loads", "Multiple LOAD segments", { b, i in put(UInt64(PT.load), 4, at: try phdr(PT.gnuEHFrame, i), in: &b) }),
        ("bss", "filesz and memsz differ", { b, i in put(0x3000, 8, at: try phdr(PT.load, i) + 40, in: &b) }),
        ("offset", "does not cover EHDR", { b, i in put(0x1000, 8, at: try phdr(PT.load, i) + 8, in: &b) }),
        ("syment", "incorrect dynamic symbol size", { b, i in put(16, 8, at: try dynamicEntry(DT.syment, i) + 8, in: &b) }),
        ("needed", "external dependencies", { b, i in put(1, 8, at: try dynamicEntry(DT.flags, i), in: &b) }),
        ("init", "unknown DYNAMIC entry (c)", { b, i in put(12, 8, at: try dynamicEntry(DT.flags, i), in: &b) }),
        ("rela", "VDSO has dynamic relocations", { b, i in
            put(7, 8, at: try dynamicEntry(DT.flags, i), in: &b)
            put(0x200, 8, at: try dynamicEntry(DT.flags, i) + 8, in: &b)
        }),
        ("dynamic-out", "does not cover PT_DYNAMIC", { b, i in put(0x10000, 8, at: try phdr(PT.dynamic, i) + 16, in: &b) }),
    ]

    @Test("each refusal of gen-vdso: exit 2, one line naming it, nothing written", arguments: 0..<cases.count)
    func refusal(_ index: Int) throws {
        let c = Self.cases[index]
        let image = try Self.patched(c.name, c.edit)
        let tmp = TestSupport.temporaryDirectory("qemu-refusal")
        let r = try TestSupport.run([TestSupport.vdsogen, "emit", image, "--header", tmp + "/h.h", "--source", tmp + "/c.c",
                                     "--qemu", tmp + "/v.c.inc", "--qemu-writable"])
        #expect(r.status == 2 && r.output.contains(c.message) && r.output.split(separator: "\n").count == 1, "\(c.name): \(r.output)")
        #expect(!FileIO.exists(tmp + "/v.c.inc") && !FileIO.exists(tmp + "/h.h"), "\(c.name): a refusal wrote output")
    }

    @Test("an R+X PT_LOAD is refused without --qemu-writable; the unpatched image is accepted with it")
    func readOnlyLoad() throws {
        let tmp = TestSupport.temporaryDirectory("qemu-ro")
        let base = [TestSupport.vdsogen, "emit", TestSupport.path("out/vdso.so"), "--header", tmp + "/h.h", "--source", tmp + "/c.c",
                    "--qemu", tmp + "/v.c.inc"]
        let refused = try TestSupport.run(base)
        #expect(refused.status == 2 && refused.output.contains("not read-write") && refused.output.contains("--qemu-writable"), "\(refused.output)")
        #expect(!FileIO.exists(tmp + "/v.c.inc"))
        let accepted = try TestSupport.run(base + ["--qemu-writable"])
        #expect(accepted.status == 0 && !accepted.output.contains("QEMU"), "\(accepted.output)")
        let text = try FileIO.readText(tmp + "/v.c.inc")
        #expect(text.contains("static const VdsoImageInfo vdso_image_info = {\n    .image = vdso_image,\n"))
        #expect(text.contains("    .reloc_count = ARRAY_SIZE(vdso_relocs),\n    .sigreturn_ofs = 0x0,\n"))
    }

    @Test("options: a missing --qemu-sigreturn is exit 2; --qemu-* without --qemu is exit 2; arm's missing default is a note")
    func commandLine() throws {
        let tmp = TestSupport.temporaryDirectory("qemu-cli")
        let out = TestSupport.path("out")
        func emit(_ image: String, _ extra: [String]) throws -> (status: Int32, output: String) {
            try TestSupport.run([TestSupport.vdsogen, "emit", image, "--header", tmp + "/h.h", "--source", tmp + "/c.c"] + extra)
        }
        let missing = try emit(out + "/vdso.so", ["--qemu", tmp + "/v", "--qemu-writable", "--qemu-sigreturn", "no_such_symbol"])
        #expect(missing.status == 2 && missing.output.contains("no symbol no_such_symbol"), "\(missing.output)")
        let alone = try emit(out + "/vdso.so", ["--qemu-writable"])
        #expect(alone.status == 2, "\(alone.output)")
        let version = try emit(out + "/vdso.so", ["--qemu", tmp + "/v", "--qemu-writable", "--qemu-version", "8.0"])
        #expect(version.status == 2 && version.output.contains("known versions 10.2"), "\(version.output)")
        let arm = try emit(out + "/arm/vdso.so", ["--debug", out + "/arm/vdso.so.dbg", "--qemu", tmp + "/arm.c.inc", "--qemu-writable"])
        #expect(arm.status == 0 && arm.output.contains("note:") && arm.output.contains("sigreturn_codes"), "\(arm.output)")
        let named = try emit(out + "/arm/vdso.so", ["--qemu", tmp + "/arm.c.inc", "--qemu-writable", "--prefix", "vdso_le",
                                                     "--qemu-sigreturn", "__vdso_clock_gettime"])
        let text = try FileIO.readText(tmp + "/arm.c.inc")
        let clock = try #require(try ELFReader.read(path: out + "/arm/vdso.so").dynamicSymbolSection.first { $0.name == "__vdso_clock_gettime" })
        #expect(named.status == 0 && text.contains(".sigreturn_ofs = 0x\(String(clock.value, radix: 16)),") && text.contains("vdso_le_image_info"),
                "\(named.output)")
    }

    @Test("big-endian: an s390x image by GNU ld, its words read in its byte order")
    func bigEndian() throws {
        let so = try GNULinkedShapeTests.s390x("qemu", linker: ["s390x-linux-gnu-ld.bfd"])
        let image = try ELFReader.read(path: so)
        #expect(!image.header.littleEndian)
        var options = QEMUVdsoOptions()
        options.makeWritable = true
        let q = try QEMUVdsoScan.scan(image.bytes.bytes, path: so, options: options)
        let view = ByteView(q.bytes, littleEndian: false)
        let words = q.relocations.map { view.word(UInt64($0), is64: true) ?? .max }
        let tags: Set<Int64> = [DT.hash, DT.gnuHash, DT.symtab, DT.strtab, DT.versym, DT.verdef, DT.pltgot]
        let expected = image.segments.flatMap { [$0.vaddr, $0.paddr] } + image.sections.map(\.addr)
            + DynamicView(image).entries.filter { tags.contains($0.tag) }.map(\.value) + image.dynamicSymbolSection.map(\.value)
        #expect(words == expected && words.contains { $0 != 0 })
        let load = try #require(image.segments.first { $0.type == PT.load })
        #expect(view.u64(image.header.phoff + 56 * UInt64(load.index) + 32) == UInt64(q.bytes.count), "p_filesz in big-endian")
    }
}
