import Foundation
import Testing
import VDSOKit

/// Processor-specific segment and section types by name, and a riscv64 linker script that keeps
/// `.riscv.attributes` in the loaded segment told to discard it.
@Suite("Type names and layout advice", .serialized)
struct TypeNamesTests {
    @Test("0x70000003 is PT_RISCV_ATTRIBUTES on RISC-V, PT_MIPS_ABIFLAGS on MIPS, and hex where it means nothing")
    func processorSpecific() {
        #expect(TypeNames.segment(0x7000_0003, machine: EM.riscv) == "RISCV_ATTRIBUTES")
        #expect(TypeNames.segmentConstant(0x7000_0003, machine: EM.riscv) == "PT_RISCV_ATTRIBUTES")
        #expect(TypeNames.segment(0x7000_0003, machine: EM.mips) == "MIPS_ABIFLAGS")
        #expect(TypeNames.segment(0x7000_0003, machine: EM.x86_64) == "0x70000003")
        #expect(TypeNames.segmentConstant(0x7000_0003, machine: EM.x86_64) == "0x70000003")
        #expect(TypeNames.segment(0x7000_0001, machine: EM.arm) == "ARM_EXIDX")
        #expect(TypeNames.segment(0x7000_0002, machine: EM.aarch64) == "AARCH64_MEMTAG_MTE")
        #expect(TypeNames.segment(PT.load, machine: EM.riscv) == "LOAD")
        #expect(TypeNames.segment(0x6474_e554, machine: EM.x86_64) == "GNU_SFRAME")
        #expect(TypeNames.sectionConstant(0x7000_0003, machine: EM.riscv) == "SHT_RISCV_ATTRIBUTES")
        #expect(TypeNames.section(0x7000_0003, machine: EM.arm) == "ARM_ATTRIBUTES")
        #expect(TypeNames.section(0x7000_0001, machine: EM.x86_64) == "X86_64_UNWIND")
        #expect(TypeNames.section(SHT.gnuHash, machine: EM.i386) == "GNU_HASH")
        #expect(TypeNames.section(0x7000_0003, machine: EM.i386) == "0x70000003")
    }

    /// The shipped riscv64 script with `.riscv.attributes` moved from /DISCARD/ into the text
    /// segment, as a hand-written script might keep it.
    static func scriptKeepingAttributes(in dir: String) throws -> String {
        var script = try FileIO.readText(TestSupport.path("linker-scripts/riscv64.lds"))
        script = script.replacingOccurrences(of: "\t\t*(.riscv.attributes)\n", with: "")
        let text = "\t.text\t\t: { *(.text .text.*) }\t\t:text\t=0x00000000\n"
        #expect(script.contains(text), "linker-scripts/riscv64.lds changed its .text line")
        script = script.replacingOccurrences(of: text, with: text + "\t.riscv.attributes : { *(.riscv.attributes) } :text\n")
        let path = dir + "/myos.lds"
        try AtomicFile.write(script, to: path, durable: false)
        return path
    }

    @Test("a riscv64 script keeping .riscv.attributes in the PT_LOAD: the build says to discard it, inspect names the segment")
    func riscvAttributesInLoad() throws {
        let dir = TestSupport.temporaryDirectory("rv-attr-in-load")
        let script = try Self.scriptKeepingAttributes(in: dir)
        let r = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/riscv64/vdso.toml"),
                                     "-o", dir + "/out", "-q", "--linker-script", script])
        #expect(r.status == 1, "\(r.output)")
        let note = r.output.split(separator: "\n").filter { $0.contains(": note: section .riscv.attributes (SHT_RISCV_ATTRIBUTES") }
        #expect(note.count == 1 && note[0].hasSuffix("discard it with /DISCARD/ : { *(.riscv.attributes) }"), "\(r.output)")
        let kept = dir + "/out/obj/vdso/rejected/vdso.so.dbg"
        let image = try ELFReader.read(path: kept)
        let attributes = try #require(image.segments.first { $0.type == 0x7000_0003 })
        #expect(attributes.typeName == "RISCV_ATTRIBUTES")
        let inspect = try TestSupport.run([TestSupport.vdsogen, "inspect", kept])
        #expect(inspect.output.contains("RISCV_ATTRIBUTES offset") && !inspect.output.contains("0x70000003"), "\(inspect.output)")
        #expect(inspect.output.contains("Layout:\n  section .riscv.attributes"), "\(inspect.output)")
    }

    @Test("the shipped riscv64 image, which discards .riscv.attributes, gets no layout advice")
    func shippedScriptClean() throws {
        let image = try ELFReader.read(path: TestSupport.path("out/riscv64/vdso.so.dbg"))
        #expect(LayoutAdvice.notes(for: image).isEmpty)
        #expect(!(try TestSupport.run([TestSupport.vdsogen, "inspect", image.path]).output.contains("Layout:")))
    }
}
