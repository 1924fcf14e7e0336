import Testing

@testable import VDSOKit

/// `build` judges with the same vocabulary as `check`: profile, skip, werror, from the manifest's
/// `[check]` table and the command line.
@Suite("Build check policy")
struct CheckPolicyTests {
    static func manifest(_ check: String) throws(VDSOError) -> Manifest {
        let text = """
            arch = "x86_64"
            linker-script = "x.lds"
            sources = ["a.c"]
            \(check)

            [[version]]
            name = "LINUX_2.6"
            symbols = ["__vdso_time"]
            """
        return try Manifest.parse(text, path: "t.toml")
    }

    @Test("[check] sets profile, skip and werror; unknown keys, profiles and rule ids are refused")
    func manifestTable() throws {
        #expect(try Self.manifest("").check == CheckPolicy())
        let m = try Self.manifest("[check]\nprofile = \"linux\"\nskip = [\"stack-usage\", \"dwarf\"]\nwerror = true")
        #expect(m.check == CheckPolicy(profile: .linux, skip: ["stack-usage", "dwarf"], werror: true))
        for bad in ["[check]\nskipp = []", "[check]\nprofile = \"lenient\"", "[check]\nskip = [\"stack-usge\"]", "[check]\nwerror = 1"] {
            #expect(throws: VDSOError.self, "\(bad)") { _ = try Self.manifest(bad) }
        }
    }

    @Test("build --skip, --profile and --werror decide as check's would")
    func commandLine() throws {
        let dir = TestSupport.temporaryDirectory("policy")
        try AtomicFile.write(RealWorldShapeTests.signalFrameTrampoline, to: dir + "/sigreturn.S", durable: false)
        let k = TestSupport.path("kernel-vdso")
        func build(_ extra: [String]) throws -> Int32 {
            try TestSupport.run([TestSupport.vdsogen, "build", k + "/arch/aarch64/vdso.toml", "-o", dir + "/out", "-q",
                                 "--source", k + "/arch/aarch64/vgettimeofday.c", "--source", k + "/arch/aarch64/vgetrandom.c",
                                 "--source", k + "/arch/aarch64/vgetrandom-chacha.S",
                                 "--source", dir + "/sigreturn.S", "--source", k + "/lib/note.S"] + extra).status
        }
        // The assembly trampoline has no DW_TAG_subprogram: an error under strict, a warning under linux.
        #expect(try build([]) == 1)
        #expect(try build(["--skip", "dwarf"]) == 0)
        #expect(try build(["--profile", "linux"]) == 0)
        #expect(try build(["--profile", "linux", "--werror"]) == 1)
        #expect(try build(["--skip", "no-such-rule"]) == 2)
    }
}
