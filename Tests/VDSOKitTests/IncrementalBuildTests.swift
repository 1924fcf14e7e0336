import Foundation
import Testing
@testable import VDSOKit

/// `vdsogen build` skips what is up to date, by content, and writes a depfile.
@Suite("Incremental builds")
struct IncrementalBuildTests {
    @Test("no-op, a changed header, a touched file, a deleted output")
    func incremental() throws {
        let dir = TestSupport.temporaryDirectory("incremental")
        try ReproducibilityTests.checkout(into: dir)
        var r = BuildRequest(manifest: try Manifest.load(dir + "/kernel-vdso/arch/x86_64/vdso.toml"))
        r.outputDirectory = dir + "/out"
        r.quiet = true
        r.depfile = dir + "/out/vdso.d"
        #expect(try BuildDriver.build(r).rebuilt)
        #expect(try !BuildDriver.build(r).rebuilt, "nothing changed: nothing must run")

        // The depfile names the headers clang read, the linker script and the manifest.
        let deps = try FileIO.readText(dir + "/out/vdso.d")
        for needed in ["datapage.h", "helpers.h", "x86_64.lds", "vdso.toml", "gettimeofday.c"] {
            #expect(deps.contains(needed), "depfile lacks \(needed)")
        }
        #expect(deps.hasPrefix("\(r.debugImagePath) \(r.imagePath) \(r.headerPath) \(r.sourcePath):"))

        // Same bytes, new timestamp: still nothing to do.
        let header = dir + "/kernel-vdso/include/vdso/helpers.h"
        let old = try FileIO.read(header)
        try AtomicFile.write(old, to: header)
        #expect(try !BuildDriver.build(r).rebuilt)

        // A real change to an included header rebuilds.
        try AtomicFile.write(old + Array("\n/* changed */\n".utf8), to: header)
        #expect(try BuildDriver.build(r).rebuilt)
        #expect(try !BuildDriver.build(r).rebuilt)

        // A deleted or altered output is made again.
        try FileManager.default.removeItem(atPath: r.headerPath)
        #expect(try BuildDriver.build(r).rebuilt)
        #expect(FileIO.exists(r.headerPath))
        try AtomicFile.write("garbage", to: r.sourcePath)
        #expect(try BuildDriver.build(r).rebuilt)
        #expect(try FileIO.readText(r.sourcePath).contains("vdso_image"))
    }

    @Test("a different compiler behind an unchanged wrapper rebuilds; the same one does not")
    func newCompilerRebuilds() throws {
        let dir = TestSupport.temporaryDirectory("newcompiler")
        try ReproducibilityTests.checkout(into: dir)
        let realClang = try #require(Toolchain.which("clang"))
        // A "clang" installed in dir/llvm/bin: the real one, except for what it says it is (with
        // the InstalledDir line real clang prints). Installing it renames a new file into place,
        // as a package manager does.
        try FileIO.makeDirectories(dir + "/llvm/bin")
        let driver = dir + "/llvm/bin/clang"
        func install(version: String) throws {
            try AtomicFile.write("""
                #!/bin/sh
                [ "$1" = --version ] && { printf '\(version)\\nInstalledDir: \(dir)/llvm/bin\\n'; exit 0; }
                exec \(realClang) "$@"

                """, to: driver)
            chmod(driver, 0o755)
        }
        // What the build is told to run: a wrapper (as ccache's links are) that never changes.
        let wrapper = dir + "/cc-wrapper"
        try AtomicFile.write("#!/bin/sh\nexec \(driver) \"$@\"\n", to: wrapper)
        chmod(wrapper, 0o755)
        try install(version: "clang version 21.0.0")
        // Without --quiet: every step that runs prints its Kbuild-style line (CC, LD, ..., EMIT).
        let build = [TestSupport.vdsogen, "build", dir + "/kernel-vdso/arch/x86_64/vdso.toml", "--output-dir", dir + "/out"]
        let steps = ["  CC ", "  AS ", "  LD ", "  STRIP ", "  CHECK ", "  EMIT "]
        // ld.lld and objcopy stay the real ones beside the real clang.
        let env = ["CLANG": wrapper, "LD_LLD": Path.directory(of: realClang) + "/ld.lld"]
        var r = try TestSupport.run(build, environment: env)
        #expect(r.status == 0 && r.output.contains("  CC ") && r.output.contains("  EMIT "), "\(r.output)")
        r = try TestSupport.run(build, environment: env)
        #expect(r.status == 0 && !steps.contains { r.output.contains($0) }, "same tools: no step runs: \(r.output)")
        // The answers are remembered per tool, clang's with the directory it names.
        let memo = try FileIO.readText(dir + "/out/obj/vdso/tools.key")
        #expect(memo.split(separator: "\n").count == 3 && memo.contains(wrapper + "\t" + dir + "/llvm/bin\t"), "\(memo)")
        // The same clang reinstalled behind the wrapper: asked again, same answer, nothing to do.
        try install(version: "clang version 21.0.0")
        r = try TestSupport.run(build, environment: env)
        #expect(r.status == 0 && !steps.contains { r.output.contains($0) }, "same version: no step runs: \(r.output)")
        #expect(try FileIO.readText(dir + "/out/obj/vdso/tools.key") != memo, "the reinstalled clang was asked again")

        // A new clang behind the same wrapper.
        try install(version: "clang version 22.0.0")
        r = try TestSupport.run(build, environment: env)
        #expect(r.status == 0 && r.output.contains("  CC ") && r.output.contains("vclock_gettime.c")
                && r.output.contains("  EMIT "), "a new compiler recompiles and relinks: \(r.output)")
    }

    @Test("the build key names this very vdsogen by its build-id")
    func toolIdentity() throws {
        let exe = try FileIO.readLink("/proc/self/exe")
        let own = try ELFReader.read(path: exe).buildID
        #expect(ToolIdentity.ownBuildID() == own)
        if let own {
            #expect(ToolIdentity.vdsogen.hasSuffix("build-id " + hexBytes(own)))
        } else {
            #expect(ToolIdentity.vdsogen.contains(" executable "))
        }
    }
}
