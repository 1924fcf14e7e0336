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
}
