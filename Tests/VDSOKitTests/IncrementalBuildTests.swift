import Foundation
import Testing
import VDSOKit

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
}
