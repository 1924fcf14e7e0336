import Testing
import VDSOKit

/// `.pre-commit-hooks.yaml`'s entry, run as the pre-commit framework runs it (the staged images as
/// arguments): each image is paired with its debug twin and checked under the manifest that
/// built it.
@Suite("The pre-commit hook")
struct PreCommitHookTests {
    static var hook: String { TestSupport.path("examples/ci/pre-commit-check.sh") }

    static func hook(_ args: [String], in dir: String) throws -> (status: Int32, output: String) {
        try TestSupport.run(["/bin/sh", hook, "--vdsogen", TestSupport.vdsogen] + args, in: dir)
    }

    @Test("the hook file names the script, and the script pairs the project's own image with its .dbg")
    func ownImage() throws {
        #expect(try FileIO.readText(TestSupport.path(".pre-commit-hooks.yaml")).contains("entry: examples/ci/pre-commit-check.sh"))
        let dir = TestSupport.temporaryDirectory("hook-own")
        let built = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"), "-q", "-o", "out"], in: dir)
        #expect(built.status == 0, "\(built.output)")
        for args in [["out/vdso.so"], ["out/vdso.so", "out/vdso.so.dbg"], ["out/vdso.so.dbg"]] {
            let r = try Self.hook(args, in: dir)
            #expect(r.status == 0 && r.output.isEmpty, "\(args): \(r.output)")
        }
        // What the old hook did: the stripped image alone, without its twin, is rejected.
        #expect(try TestSupport.run([TestSupport.vdsogen, "check", "--quiet", "out/vdso.so"], in: dir).status == 1)
    }

    @Test("a custom image is checked under the manifest that built it, else the nearest vdso.toml")
    func customImage() throws {
        let r = try CustomVDSOTests.build(CustomVDSOTests.gettime
            + "int myos_gettime_alias(int c, long *t) __attribute__((alias(\"myos_clock_gettime\")));\n")
        #expect(r.status == 0, "\(r.output)")
        #expect(try Self.hook(["out/vdso.so"], in: r.dir).status == 0)
        // The recorded manifest is the one used: make it require a name the image lacks.
        let manifest = r.dir + "/myos.toml"
        try AtomicFile.write(try FileIO.readText(manifest).replacingOccurrences(of: "[\"myos_clock_gettime\"]", with: "[\"myos_clock_gettime\", \"myos_time\"]"), to: manifest)
        let strict = try Self.hook(["out/vdso.so"], in: r.dir)
        #expect(strict.status == 1 && strict.output.contains("myos_time is not exported"), "\(strict.output)")
        // Without the record, the nearest vdso.toml above the image.
        FileIO.remove(r.dir + "/out/obj/vdso/manifest.path")
        #expect(try Self.hook(["out/vdso.so"], in: r.dir).status == 0, "no manifest: judged generically")
        try AtomicFile.write(try FileIO.readText(manifest), to: r.dir + "/vdso.toml")
        let found = try Self.hook(["out/vdso.so"], in: r.dir)
        #expect(found.status == 1 && found.output.contains("myos_time is not exported"), "\(found.output)")
        let given = try Self.hook(["--manifest", TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"), "out/vdso.so"], in: r.dir)
        #expect(given.status == 1 && given.output.contains("error[soname]"), "\(given.output)")
    }
}
