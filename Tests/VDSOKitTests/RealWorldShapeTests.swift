import Testing
@testable import VDSOKit

/// Shapes real images have and the default build does not: each built here the way a user
/// would (the default sources with one more flag) and checked as the real thing must be.
@Suite("Real-world shapes")
struct RealWorldShapeTests {
    static func build(_ arch: String, _ extra: [String], name: String) throws -> (so: String, dbg: String) {
        let out = TestSupport.temporaryDirectory("shape-\(name)")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/\(arch)/vdso.toml"),
                                     "-o", out, "-q"] + extra)
        #expect(r.status == 0, "\(r.output)")
        return (out + "/vdso.so", out + "/vdso.so.dbg")
    }

    @Test("a Thumb-2 arm image: odd st_values, every export covered by DWARF and CFI, no finding")
    func thumb() throws {
        let (so, dbg) = try Self.build("arm", ["--cflag=-mthumb"], name: "thumb")
        let image = try ELFReader.read(path: so)
        let functions = DynamicView(image).exports.filter { $0.type == STT.function }
        #expect(!functions.isEmpty && functions.allSatisfy { $0.value & 1 == 1 }, "the build made Thumb code")
        let report = try Checker.check(path: so, debugPath: dbg)
        #expect(report.findings.isEmpty, "\(ReportRenderer.text([report]))")
        let inspection = Inspection(image: image, debug: try ELFReader.read(path: dbg))
        #expect(inspection.exports.filter { $0.type == "FUNC" }.allSatisfy { $0.location != nil }, "inspect finds each source line")
    }

    /// The default linker script of `arch`, changed as a distribution's would be to keep the
    /// GNU property note: in its own 8-aligned output section, PT_NOTE and PT_GNU_PROPERTY,
    /// apart from the 4-byte notes of `.note`.
    static func propertyKeepingScript(_ arch: String) throws -> String {
        var script = try FileIO.readText(TestSupport.path("linker-scripts/\(arch).lds"))
        script = script.replacingOccurrences(of: "\t\t*(.note.gnu.property)\n", with: "")
        script = script.replacingOccurrences(of: "\tnote\t\tPT_NOTE\t\tFLAGS(4);\n",
                                             with: "\tnote\t\tPT_NOTE\t\tFLAGS(4);\n\tproperty\tPT_NOTE\t\tFLAGS(4);\n\tgnu_property\t0x6474e553\tFLAGS(4);\n")
        script = script.replacingOccurrences(of: "\t.note\t\t: { *(.note.*) }",
                                             with: "\t.note.gnu.property : { *(.note.gnu.property) } :text :property :gnu_property\n\t.note\t\t: { *(.note.*) }")
        let path = TestSupport.temporaryDirectory("shape-lds-\(arch)") + "/\(arch).lds"
        try AtomicFile.write(script, to: path, durable: false)
        return path
    }

    @Test("IBT and BTI claimed and honoured pass; claimed without landing pads fail under cet-bti and nothing else",
          arguments: [("x86_64", "-fcf-protection=full", "-fcf-protection=none", "-zforce-ibt", "IBT"),
                      ("aarch64", "-mbranch-protection=standard", "-mbranch-protection=none", "-zforce-bti", "BTI")])
    func landingPads(_ arch: String, _ on: String, _ off: String, _ force: String, _ claim: String) throws {
        let script = try Self.propertyKeepingScript(arch)
        let good = try Self.build(arch, ["--linker-script", script, "--cflag=\(on)", "--ldflag=\(force)"], name: "\(arch)-pads")
        let image = try ELFReader.read(path: good.so)
        #expect(GNUProperties.read(image).claims.contains(claim), "the image claims \(claim)")
        let passed = try Checker.check(path: good.so, debugPath: good.dbg)
        #expect(passed.findings.isEmpty, "\(ReportRenderer.text([passed]))")

        // The same sources without landing pads, the claim forced by the linker: only the claim is
        // false, and `build` rejects the image with cet-bti findings alone.
        let out = TestSupport.temporaryDirectory("shape-\(arch)-nopads")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/\(arch)/vdso.toml"),
                                     "-o", out, "-q", "--linker-script", script, "--cflag=\(off)", "--ldflag=\(force)"])
        #expect(r.status == 1 && r.output.contains("error[cet-bti]"), "\(r.output)")
        let lines = r.output.split(separator: "\n").filter { $0.contains("error[") }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("error[cet-bti]") }, "\(r.output)")
    }

    @Test("riscv64 keeping .riscv.attributes: PT_RISCV_ATTRIBUTES is file-only, not judged as mapped")
    func riscvAttributes() throws {
        var script = try FileIO.readText(TestSupport.path("linker-scripts/riscv64.lds"))
        script = script.replacingOccurrences(of: "\t\t*(.riscv.attributes)\n", with: "")
        script += "SECTIONS { .riscv.attributes 0 : { *(.riscv.attributes) } }\n"
        let path = TestSupport.temporaryDirectory("shape-lds-rvattr") + "/riscv64.lds"
        try AtomicFile.write(script, to: path, durable: false)
        let (so, dbg) = try Self.build("riscv64", ["--linker-script", path], name: "rvattr")
        let image = try ELFReader.read(path: so)
        #expect(image.segments.contains { $0.type == PT.riscvAttributes && $0.offset != $0.vaddr }, "the image has a PT_RISCV_ATTRIBUTES outside the mapping")
        let report = try Checker.check(path: so, debugPath: dbg)
        #expect(report.findings.isEmpty, "\(ReportRenderer.text([report]))")
    }

    @Test("riscv64 with .riscv.attributes left an orphan: the build passes; strip moving it is no debug-match defect")
    func riscvAttributesOrphan() throws {
        let script = try FileIO.readText(TestSupport.path("linker-scripts/riscv64.lds"))
            .replacingOccurrences(of: "\t\t*(.riscv.attributes)\n", with: "")
        let dir = TestSupport.temporaryDirectory("shape-lds-rvorphan")
        try AtomicFile.write(script, to: dir + "/riscv64.lds", durable: false)
        let r = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/riscv64/vdso.toml"),
                                     "-o", dir + "/out", "-q", "--linker-script", dir + "/riscv64.lds"])
        #expect(r.status == 0 && !r.output.contains("["), "\(r.output)")
        let image = try ELFReader.read(path: dir + "/out/vdso.so")
        #expect(image.segments.contains { $0.type == PT.riscvAttributes }, "the orphan keeps its PT_RISCV_ATTRIBUTES")
    }

    /// arm64's trampoline as Linux wrote it before 5.10: assembly, with a signal-frame CIE whose
    /// CFA is x29 (the signal frame), not the call-entry rule.
    static let signalFrameTrampoline = """
        \t.text
        \t.balign 8
        \t.cfi_startproc
        \t.cfi_signal_frame
        \t.cfi_def_cfa x29, 0
        \t.cfi_offset x29, 0 * 8
        \t.cfi_offset x30, 1 * 8
        \tnop
        \t.globl __kernel_rt_sigreturn
        \t.type __kernel_rt_sigreturn, %function
        __kernel_rt_sigreturn:
        \tmov x8, #139
        \tsvc #0
        \t.size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn
        \t.cfi_endproc

        """

    @Test("an assembly trampoline with a signal-frame CFA: no unwind-info finding; no subprogram is a dwarf warning under linux; the rejected build is kept")
    func signalFrameCFA() throws {
        let dir = TestSupport.temporaryDirectory("shape-sigframe")
        try AtomicFile.write(Self.signalFrameTrampoline, to: dir + "/sigreturn.S", durable: false)
        let k = TestSupport.path("kernel-vdso")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", k + "/arch/aarch64/vdso.toml", "-o", dir + "/out", "-q",
                                     "--source", k + "/arch/aarch64/vgettimeofday.c", "--source", k + "/arch/aarch64/vgetrandom.c",
                                     "--source", k + "/arch/aarch64/vgetrandom-chacha.S",
                                     "--source", dir + "/sigreturn.S", "--source", k + "/lib/note.S"])
        // Strict (what build applies) rejects it for the missing subprogram alone.
        let errors = r.output.split(separator: "\n").filter { $0.contains("error[") }
        #expect(r.status == 1 && !errors.isEmpty && errors.allSatisfy { $0.contains("error[dwarf]") && $0.contains("__kernel_rt_sigreturn") }, "\(r.output)")
        // The rejected pair is kept, named in the messages; the output directory holds nothing.
        let kept = dir + "/out/obj/vdso/rejected/vdso.so"
        #expect(r.output.contains("/out/obj/vdso/rejected/vdso.so.dbg: error[dwarf]") && !FileIO.exists(dir + "/out/vdso.so"), "\(r.output)")
        let linux = try Checker.check(path: kept, debugPath: kept + ".dbg", options: CheckOptions(profile: .linux))
        #expect(linux.passed && linux.findings.map(\.rule) == ["dwarf"], "\(ReportRenderer.text([linux]))")
    }

    /// The default arm manifest and script changed to unwind as Linux's arm image does: EHABI
    /// (.ARM.exidx through PT_ARM_EXIDX) instead of .eh_frame; `cflags` replace the default's.
    static func ehabiBuild(_ name: String, cflags: [String]) throws -> (so: String, dbg: String) {
        let dir = TestSupport.temporaryDirectory("shape-\(name)")
        var script = try FileIO.readText(TestSupport.path("linker-scripts/arm.lds"))
        script = script.replacingOccurrences(of: "\teh_frame_hdr\tPT_GNU_EH_FRAME\tFLAGS(4);\n", with: "\texidx\t\t0x70000001\tFLAGS(4);\n")
            .replacingOccurrences(of: "\t.eh_frame_hdr\t: { *(.eh_frame_hdr) }\t\t:text\t:eh_frame_hdr\n", with: "\t.ARM.exidx\t: { *(.ARM.exidx*) }\t\t:text\t:exidx\n")
        try AtomicFile.write(script, to: dir + "/arm.lds", durable: false)
        // The personality routine the compact entries name: a marker ld.lld would otherwise export.
        try AtomicFile.write("__attribute__((visibility(\"hidden\"))) void __aeabi_unwind_cpp_pr0(void) {}\n",
                             to: dir + "/pr0.c", durable: false)
        let k = TestSupport.path("kernel-vdso")
        let manifest = """
            arch = "arm"
            soname = "linux-vdso.so.1"
            linker-script = "\(dir)/arm.lds"
            sources = ["\(k)/arch/arm/vgettimeofday.c", "\(k)/lib/note.S", "\(dir)/pr0.c"]
            include-dirs = ["\(k)/include", "\(k)/arch/arm/include"]
            cflags = [\(cflags.map { "\"\($0)\"" }.joined(separator: ", "))]
            data-symbol = "vdso_time_data"
            size-limit = 8192
            prefix = "vdso"

            [[version]]
            name = "LINUX_2.6"
            symbols = ["__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_clock_getres"]

            """
        try AtomicFile.write(manifest, to: dir + "/vdso.toml", durable: false)
        let r = try TestSupport.run([TestSupport.vdsogen, "build", dir + "/vdso.toml", "-o", dir + "/out", "-q"])
        let kept = r.status == 0 ? dir + "/out/vdso.so" : dir + "/out/obj/vdso/rejected/vdso.so"
        return (kept, kept + ".dbg")
    }

    @Test("arm with EHABI unwind tables (.ARM.exidx), as Linux's arm image: passes; an export marked CANTUNWIND does not")
    func armEHABI() throws {
        let good = try Self.ehabiBuild("ehabi", cflags: ["-marm", "-march=armv7-a", "-mfloat-abi=soft"])
        let image = try ELFReader.read(path: good.so)
        guard case .success(let exidx)? = ARMExidx.read(image) else { Issue.record("no .ARM.exidx"); return }
        #expect(!exidx.entries.isEmpty && image.section(named: ".eh_frame") == nil)
        let report = try Checker.check(path: good.so, debugPath: good.dbg)
        #expect(report.findings.isEmpty, "\(ReportRenderer.text([report]))")

        // Without unwind tables every function is EXIDX_CANTUNWIND.
        let bad = try Self.ehabiBuild("ehabi-none", cflags: ["-marm", "-march=armv7-a", "-mfloat-abi=soft",
                                                             "-fno-asynchronous-unwind-tables", "-fno-unwind-tables"])
        let rejected = try Checker.check(path: bad.so, debugPath: bad.dbg)
        let unwind = rejected.findings.filter { $0.rule == "unwind-info" && $0.severity == .error }
        #expect(!unwind.isEmpty && unwind.allSatisfy { $0.message.contains("EXIDX_CANTUNWIND") || $0.message.contains(".ARM.exidx entry") },
                "\(ReportRenderer.text([rejected]))")
    }
}
