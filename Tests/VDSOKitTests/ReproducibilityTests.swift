import Foundation
import Testing
import VDSOKit

/// Two builds of the same sources from two checkouts at different paths, at different times,
/// must give byte-identical images, debug images, headers and C sources (path leaks are the
/// common cause of vDSO build-id drift: NixOS/nixpkgs#227800).
@Suite("Reproducible builds")
struct ReproducibilityTests {
    /// Copies the parts of the repository a build reads into `dir`.
    static func checkout(into dir: String) throws {
        for part in ["kernel-vdso", "linker-scripts"] {
            let r = try TestSupport.run(["/bin/cp", "-R", TestSupport.path(part), dir + "/" + part])
            #expect(r.status == 0, "\(r.output)")
        }
    }

    @Test("two checkout paths, two times: identical bytes")
    func twoPaths() throws {
        // Nothing in vdsogen reads the clock, and the sources use no __DATE__/__TIME__ (checked:
        // no date appears in any output); SOURCE_DATE_EPOCH is set anyway, as a distribution build
        // would, so that clang's __DATE__/__TIME__ (which honour it) could not differ either.
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let a = TestSupport.temporaryDirectory("repro-a")
        let b = TestSupport.temporaryDirectory("repro-b") + "/a/much/longer/path/to/the/checkout"
        try FileManager.default.createDirectory(atPath: b, withIntermediateDirectories: true)
        var outputs: [[[UInt8]]] = []
        for (i, dir) in [a, b].enumerated() {
            try Self.checkout(into: dir)
            if i == 1 { Thread.sleep(forTimeInterval: 1.1) } // a different second on the clock
            var r = BuildRequest(manifest: try Manifest.load(dir + "/kernel-vdso/arch/x86_64/vdso.toml"))
            r.outputDirectory = dir + "/out"
            r.quiet = true
            r.blob = true
            _ = try BuildDriver.build(r)
            outputs.append(try [r.imagePath, r.debugImagePath, r.headerPath, r.sourcePath, r.blobPath, r.asmPath].map(FileIO.read))
        }
        for (name, pair) in zip(["vdso.so", "vdso.so.dbg", "vdso-image.h", "vdso-image.c", "vdso.bin", "vdso-blob.S"], zip(outputs[0], outputs[1])) {
            #expect(pair.0 == pair.1, "\(name) differs between \(a) and \(b)")
        }
        // And neither checkout's path appears in the debug image.
        let dbg = String(decoding: outputs[1][1], as: UTF8.self)
        #expect(!dbg.contains(b) && !dbg.contains(a))
    }
}
