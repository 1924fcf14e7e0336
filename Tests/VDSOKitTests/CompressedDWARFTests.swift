import Foundation
import Testing

@testable import VDSOKit

/// zstd-compressed debug sections (`objcopy --compress-debug-sections=zstd`, GCC 13+'s
/// `-gz=zstd`), which libelf before elfutils 0.189 cannot inflate: vdsogen inflates them itself.
@Suite("Compressed DWARF")
struct CompressedDWARFTests {
    /// `image` with its debug sections compressed by `objcopy` (a target's own GNU objcopy).
    static func compressed(_ image: String, objcopy: String = "objcopy", _ name: String) throws -> String {
        let out = TestSupport.temporaryDirectory("zstd-\(name)") + "/v.so.dbg"
        let run = try TestSupport.run([objcopy, "--compress-debug-sections=zstd", image, out])
        #expect(run.status == 0, "\(run.output)")
        let readelf = try TestSupport.run(["readelf", "-t", out])
        #expect(readelf.output.contains("ZSTD"), "objcopy compressed with zstd")
        return out
    }

    @Test("the default debug images of x86-64 (ELF64), i386 (ELF32) and arm64, zstd-compressed: DWARF read as plain",
          arguments: [("out/vdso.so.dbg", "objcopy"), ("out/i386/vdso.so.dbg", "objcopy"),
                      ("out/aarch64/vdso.so.dbg", "aarch64-linux-gnu-objcopy")])
    func defaultImages(_ image: String, _ objcopy: String) throws {
        let plain = try ELFReader.read(path: TestSupport.path(image))
        let path = try Self.compressed(TestSupport.path(image), objcopy: objcopy, image.replacingOccurrences(of: "/", with: "-"))
        let packed = try ELFReader.read(path: path)
        guard case .success(let want)? = DWARFSummary.read(plain), case .success(let got)? = DWARFSummary.read(packed) else {
            Issue.record("DWARF of \(image) not read (plain and zstd)")
            return
        }
        #expect(got.subprograms.map(\.name) == want.subprograms.map(\.name) && got.lines.count == want.lines.count && !got.lines.isEmpty)
        let report = try Checker.check(path: path)
        #expect(report.passed && !report.findings.contains { $0.rule == "dwarf" }, "\(ReportRenderer.text([report]))")
    }

    @Test("big-endian (s390x, GNU ld and objcopy): zstd DWARF read")
    func bigEndian() throws {
        let so = try GNULinkedShapeTests.s390x("zstd", linker: ["s390x-linux-gnu-ld.bfd"])
        let path = try Self.compressed(so, objcopy: "s390x-linux-gnu-objcopy", "s390x")
        guard case .success(let dwarf)? = DWARFSummary.read(try ELFReader.read(path: path)) else {
            Issue.record("no DWARF read")
            return
        }
        #expect(dwarf.subprograms.contains { $0.name == "__kernel_clock_gettime" } && !dwarf.lines.isEmpty)
    }

    /// The compressed image with its first zstd section's bytes edited by `edit` (offset, data).
    static func damaged(_ name: String, _ edit: (UInt64, inout [UInt8]) -> Void) throws -> ELFImage {
        let path = try Self.compressed(TestSupport.path("out/vdso.so.dbg"), name)
        let image = try ELFReader.read(path: path)
        let info = try #require(image.section(named: ".debug_info"))
        var bytes = image.bytes.bytes
        edit(info.offset, &bytes)
        try AtomicFile.write(bytes, to: path, durable: false)
        return try ELFReader.read(path: path)
    }

    @Test("hostile zstd sections: a wrong Elf_Chdr size, a huge one, broken data -- each one line, no crash")
    func hostile() throws {
        let cases: [(String, (UInt64, inout [UInt8]) -> Void, String)] = [
            ("size", { at, b in b[Int(at) + 8] &+= 1 }, "but its Elf_Chdr says"),
            ("huge", { at, b in for i in 8..<16 { b[Int(at) + i] = 0xff } }, "more than vdsogen reads"),
            ("data", { at, b in for i in 24..<40 { b[Int(at) + i] = 0x5a } }, "cannot be inflated"),
        ]
        for (name, edit, message) in cases {
            let image = try Self.damaged(name, edit)
            guard case .failure(let problem)? = DWARFSummary.read(image) else {
                Issue.record("\(name): a damaged zstd .debug_info was read")
                continue
            }
            #expect(problem.message.contains(".debug_info") && problem.message.contains(message) && !problem.message.contains("\n"),
                    "\(name): \(problem.message)")
        }
    }
}
