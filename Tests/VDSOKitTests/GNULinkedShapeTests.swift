import Testing
@testable import VDSOKit

/// Shapes that GNU ld gives images and ld.lld does not, built here with Debian's cross binutils
/// the way Linux builds the architecture's vDSO, and checked as Linux's own images must be.
@Suite("GNU ld shapes")
struct GNULinkedShapeTests {
    static let source = """
        struct ts { long s, ns; };
        int __kernel_clock_gettime(int c, struct ts *t) { t->s = c; t->ns = 0; return 0; }
        int __kernel_gettimeofday(void *tv, void *tz) { return 0; }
        int __kernel_clock_getres(int c, struct ts *t) { if (t) t->ns = 1; return 0; }
        """
    static let versionScript = "LINUX_2.6.29 { global: __kernel_clock_gettime; __kernel_gettimeofday; __kernel_clock_getres; local: *; };\n"

    /// An s390x image of three exports in one R+X PT_LOAD: compiled by clang, linked by `linker`
    /// (GNU ld writes DT_HASH with 8-byte entries, as s390x's psABI says; ld.lld with 4-byte ones).
    static func s390x(_ name: String, linker: [String], edit: (String) -> String = { $0 }) throws -> String {
        let dir = TestSupport.temporaryDirectory("gnu-ld-\(name)")
        try AtomicFile.write(source, to: dir + "/v.c", durable: false)
        try AtomicFile.write(versionScript, to: dir + "/v.map", durable: false)
        var script = try FileIO.readText(TestSupport.path("linker-scripts/aarch64.lds"))
        script = script.replacingOccurrences(of: #"OUTPUT_FORMAT("elf64-littleaarch64", "elf64-bigaarch64", "elf64-littleaarch64")"#,
                                             with: #"OUTPUT_FORMAT("elf64-s390")"#)
            .replacingOccurrences(of: "OUTPUT_ARCH(aarch64)", with: "OUTPUT_ARCH(s390:64-bit)")
            .replacingOccurrences(of: "=0xd4200000", with: "")
        try AtomicFile.write(edit(script), to: dir + "/v.lds", durable: false)
        let cc = try TestSupport.run(["clang", "--target=s390x-linux-gnu", "-O2", "-g", "-fPIC", "-ffreestanding",
                                      "-fasynchronous-unwind-tables", "-c", "v.c", "-o", "v.o"], in: dir)
        #expect(cc.status == 0, "\(cc.output)")
        let ld = try TestSupport.run(linker + ["-shared", "-T", "v.lds", "-soname", "linux-vdso.so.1", "--hash-style=both",
                                               "--build-id=sha1", "--eh-frame-hdr", "-Bsymbolic", "--no-undefined",
                                               "-z", "norelro", "--version-script", "v.map", "v.o", "-o", "v.so"], in: dir)
        #expect(ld.status == 0, "\(ld.output)")
        return dir + "/v.so"
    }

    @Test("s390x by GNU ld: 8-byte DT_HASH entries are read, the reserved GOT words are a linux-profile warning")
    func s390xGNU() throws {
        let so = try Self.s390x("bfd", linker: ["s390x-linux-gnu-ld.bfd"])
        let image = try ELFReader.read(path: so)
        let d = DynamicView(image)
        #expect(d.sysvHash?.entrySize == 8 && d.sysvHash?.nchain == UInt32(d.symbols.count), "\(d.hashProblems)")
        let linux = try Checker.check(path: so, options: CheckOptions(profile: .linux))
        #expect(linux.findings.filter { $0.severity == .error }.isEmpty, "\(ReportRenderer.text([linux]))")
        #expect(linux.findings.contains { $0.rule == "writable-data" && $0.severity == .warning && $0.message.contains("reserved GOT header") })
        let strict = try Checker.check(path: so)
        #expect(strict.findings.contains { $0.rule == "writable-data" && $0.severity == .error })
        #expect(!strict.findings.contains { $0.rule == "hash-tables" }, "\(ReportRenderer.text([strict]))")

        // One GOT slot holding an address the loader would have to relocate: an error again.
        guard let got = image.sections.first(where: { $0.name == ".got" }) else { Issue.record("no .got"); return }
        var bytes = try FileIO.read(so)
        bytes[Int(got.offset) + 15] = 0x10
        let patched = so + ".slot"
        try AtomicFile.write(bytes, to: patched, durable: false)
        let slot = try Checker.check(path: patched, options: CheckOptions(profile: .linux))
        #expect(slot.findings.contains { $0.rule == "writable-data" && $0.severity == .error && $0.message.contains("indirection table") },
                "\(ReportRenderer.text([slot]))")
    }

    @Test("s390x by ld.lld: DT_HASH with 4-byte entries is named as such")
    func s390xLLD() throws {
        let so = try Self.s390x("lld", linker: ["ld.lld"])
        let report = try Checker.check(path: so, options: CheckOptions(profile: .linux))
        #expect(report.findings.contains { $0.rule == "hash-tables" && $0.severity == .error && $0.message.contains("4-byte entries") },
                "\(ReportRenderer.text([report]))")
    }

    @Test("GCC and GNU ld with compressed DWARF (-gz=zlib and -gz=zlib-gnu's .zdebug_*): read as plain DWARF",
          arguments: ["-gz=zlib", "-gz=zlib-gnu"])
    func compressedDWARF(_ gz: String) throws {
        let dir = TestSupport.temporaryDirectory("gnu-ld-gz")
        try AtomicFile.write("int __vdso_clock_gettime(int c, long *t) { t[0] = c; return 0; }\n", to: dir + "/v.c", durable: false)
        let cc = try TestSupport.run(["gcc", "-O2", "-g", gz, "-fPIC", "-c", "v.c", "-o", "v.o"], in: dir)
        #expect(cc.status == 0, "\(cc.output)")
        let ld = try TestSupport.run(["gcc", "-shared", "-nostdlib", gz, "-Wl,--build-id=sha1", "v.o", "-o", "v.so"], in: dir)
        #expect(ld.status == 0, "\(ld.output)")
        let image = try ELFReader.read(path: dir + "/v.so")
        let compressed = image.sections.contains { $0.name == ".zdebug_info" || ($0.name == ".debug_info" && $0.flags & 0x800 != 0) }
        #expect(compressed, "the linker compressed the DWARF")
        guard case .success(let dwarf)? = DWARFSummary.read(image) else { Issue.record("no DWARF read"); return }
        #expect(dwarf.subprograms.contains { $0.name == "__vdso_clock_gettime" } && !dwarf.lines.isEmpty)
    }

    @Test("the GOT header gathered into .data (as User-mode Linux's script does): a linux-profile warning")
    func gotInData() throws {
        let so = try Self.s390x("gotdata", linker: ["s390x-linux-gnu-ld.bfd"]) {
            $0.replacingOccurrences(of: "\t.got\t\t: { *(.got) }\t\t\t:text\n", with: "")
                .replacingOccurrences(of: "*(.data .data.* .sdata .sdata.*)", with: "*(.data .data.* .sdata .sdata.*) *(.got)")
        }
        let image = try ELFReader.read(path: so)
        #expect(image.section(named: ".data")?.size == 24 && image.section(named: ".got") == nil, "the GOT header went into .data")
        let linux = try Checker.check(path: so, options: CheckOptions(profile: .linux))
        #expect(linux.passed && linux.findings.contains { $0.rule == "writable-data" && $0.severity == .warning }, "\(ReportRenderer.text([linux]))")
        let strict = try Checker.check(path: so)
        #expect(strict.findings.contains { $0.rule == "writable-data" && $0.severity == .error && $0.message.contains("reserved GOT words") })
    }

    @Test("ppc64le: a .got of the TOC base alone (what Linux's ppc64 image ships) is a linux-profile warning; a real slot is an error")
    func ppc64TOC() throws {
        let dir = TestSupport.temporaryDirectory("ppc64-toc")
        try AtomicFile.write("""
            extern const int table[4] __attribute__((visibility("hidden")));
            const int table[4] = {1, 2, 3, 4};
            int __kernel_get_tbfreq(int i) { return table[i & 3]; }
            """, to: dir + "/p.c", durable: false)
        try AtomicFile.write("LINUX_2.6.15 { global: __kernel_get_tbfreq; local: *; };\n", to: dir + "/p.map", durable: false)
        let cc = try TestSupport.run(["clang", "--target=powerpc64le-linux-gnu", "-O2", "-fPIC", "-c", "p.c", "-o", "p.o"], in: dir)
        let ld = try TestSupport.run(["ld.lld", "-shared", "--hash-style=both", "-soname", "linux-vdso64.so.1", "--version-script", "p.map",
                                      "p.o", "-o", "p.so"], in: dir)
        #expect(cc.status == 0 && ld.status == 0, "\(cc.output)\(ld.output)")
        let linux = try Checker.check(path: dir + "/p.so", options: CheckOptions(profile: .linux, skip: ["dwarf"]))
        let got = linux.findings.filter { $0.rule == "writable-data" && $0.message.contains(".got") }
        #expect(got.count == 1 && got[0].severity == .warning && got[0].message.contains("the TOC base"), "\(ReportRenderer.text([linux]))")

        guard let section = try ELFReader.read(path: dir + "/p.so").section(named: ".got") else { Issue.record("no .got"); return }
        var bytes = try FileIO.read(dir + "/p.so")
        bytes[Int(section.offset) + 7] = 0x7f      // far from the TOC: an address to relocate
        try AtomicFile.write(bytes, to: dir + "/slot.so", durable: false)
        let slot = try Checker.check(path: dir + "/slot.so", options: CheckOptions(profile: .linux, skip: ["dwarf"]))
        #expect(slot.findings.contains { $0.rule == "writable-data" && $0.severity == .error && $0.message.contains("indirection table") })
    }
}
