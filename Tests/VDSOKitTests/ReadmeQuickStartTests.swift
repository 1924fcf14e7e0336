import Testing
import VDSOKit

/// The README's "Your own vDSO" section, run as a newcomer would: its one `sh` block, verbatim,
/// from a directory laid out like the checkout (linker-scripts/ and out/bin/vdsogen beside it).
@Suite("The README's quick start")
struct ReadmeQuickStartTests {
    static func block() throws -> String {
        let readme = try FileIO.readText(TestSupport.path("README.md"))
        let section = try #require(readme.firstRange(of: "## Your own vDSO"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.firstRange(of: "```sh\n"))
        let close = try #require(rest[open.upperBound...].firstRange(of: "\n```"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    @Test("the block builds and checks the custom image, exit 0, and the header says what the README says")
    func runsAsWritten() throws {
        let dir = TestSupport.temporaryDirectory("quickstart")
        #expect(try TestSupport.run(["/bin/ln", "-s", TestSupport.path("linker-scripts"), dir + "/linker-scripts"]).status == 0)
        try FileIO.makeDirectories(dir + "/out/bin")
        #expect(try TestSupport.run(["/bin/ln", "-s", TestSupport.vdsogen, dir + "/out/bin/vdsogen"]).status == 0)
        try AtomicFile.write(try Self.block() + "\n", to: dir + "/quickstart.sh")
        let r = try TestSupport.run(["/bin/sh", "-e", dir + "/quickstart.sh"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("out/vdso.so: ok (0 errors, 0 warnings)"), "\(r.output)")
        let header = try FileIO.readText(dir + "/myos/out/vdso-image.h")
        for fact in ["VDSO_SONAME \"myos-vdso.so.1\"", "VDSO_VERSION_NODE \"MYOS_1.0\"", "VDSO_DATA_OFFSET (-0x1000)",
                     "VDSO_SYM_myos_ticks"] {
            #expect(header.contains(fact), "\(fact)")
        }
    }
}
