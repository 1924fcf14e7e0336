import Testing
import VDSOKit

/// The default image, built by the library the way `vdsogen build` does, and what emit makes of it.
@Suite("Build and emit", .serialized)
struct BuildAndEmitTests {
    /// The default x86-64 image built once into a temporary directory.
    static let built: (dir: String, request: BuildRequest) = {
        let dir = TestSupport.temporaryDirectory("build")
        var r = BuildRequest(manifest: try! Manifest.load(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml")))
        r.outputDirectory = dir
        r.quiet = true
        r.blob = true
        _ = try! BuildDriver.build(r)
        return (dir, r)
    }()

    @Test("the default image and its debug twin pass every rule with zero findings")
    func defaultImageIsClean() throws {
        let r = Self.built.request
        for (image, debug) in [(r.debugImagePath, nil), (r.imagePath, r.debugImagePath)] {
            let report = try Checker.check(path: image, debugPath: debug, options: CheckOptions(expectations: r.manifest.expectations))
            #expect(report.findings.isEmpty, "\(ReportRenderer.text([report]))")
        }
    }

    @Test("the stripped image has the debug image's build-id, no .symtab and no DWARF")
    func stripped() throws {
        let r = Self.built.request
        let so = try ELFReader.read(path: r.imagePath), dbg = try ELFReader.read(path: r.debugImagePath)
        #expect(so.buildID != nil && so.buildID == dbg.buildID)
        #expect(so.symbols.isEmpty && !dbg.symbols.isEmpty)
        #expect(so.section(named: ".debug_info") == nil && dbg.section(named: ".debug_info") != nil)
    }

    @Test("the array is the image plus zero padding, and the blob is the same bytes")
    func arrayMatchesImage() throws {
        let (dir, r) = Self.built
        let image = try FileIO.read(r.imagePath)
        let padded = image + [UInt8](repeating: 0, count: (4096 - image.count % 4096) % 4096)
        #expect(try FileIO.read(r.blobPath) == padded)
        // Compile the emitted C into a program that writes the array out, and compare.
        let main = dir + "/dump.c"
        try AtomicFile.write("""
            #include <stdio.h>
            #include "vdso-image.h"
            int main(int argc, char **argv) {
                FILE *f = fopen(argv[1], "wb");
                (void)argc;
                if (((unsigned long)vdso_image & (VDSO_PAGE_SIZE - 1)) != 0) return 3;
                return fwrite(vdso_image, 1, VDSO_IMAGE_SIZE, f) == VDSO_IMAGE_SIZE && fclose(f) == 0 ? 0 : 1;
            }
            """, to: main)
        let exe = dir + "/dump"
        let cc = try TestSupport.run(["clang", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", dir, main, r.sourcePath, "-o", exe])
        #expect(cc.status == 0, "\(cc.output)")
        #expect(try TestSupport.run([exe, dir + "/dumped"]).status == 0)
        #expect(try FileIO.read(dir + "/dumped") == padded)
    }

    @Test("generated C compiles freestanding and pedantic, and two prefixes link into one program")
    func twoPrefixes() throws {
        let (dir, r) = Self.built
        for prefix in ["vdso64", "vdsox"] {
            var e = EmitRequest(image: r.imagePath, header: "\(dir)/\(prefix)-image.h", source: "\(dir)/\(prefix)-image.c")
            e.debug = r.debugImagePath
            e.prefix = prefix
            e.dataSymbol = "vdso_time_data"
            try Emitter.emit(e)
            let cc = try TestSupport.run(["clang", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-ffreestanding",
                                          "-nostdinc", "-c", "\(dir)/\(prefix)-image.c", "-o", "\(dir)/\(prefix)-image.o"])
            #expect(cc.status == 0, "\(cc.output)")
        }
        try AtomicFile.write("""
            #include "vdso64-image.h"
            #include "vdsox-image.h"
            int main(void) {
                return (vdso64_image[0] == 0x7f && vdsox_image[1] == 'E' && VDSO64_SYM_clock_gettime == VDSOX_SYM_clock_gettime
                        && VDSO64_DATA_OFFSET == -VDSO64_PAGE_SIZE && vdso64_build_id[0] == vdsox_build_id[0]) ? 0 : 1;
            }
            """, to: dir + "/both.c")
        let link = try TestSupport.run(["clang", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", dir, dir + "/both.c",
                                        dir + "/vdso64-image.o", dir + "/vdsox-image.o", "-o", dir + "/both"])
        #expect(link.status == 0, "\(link.output)")
        #expect(try TestSupport.run([dir + "/both"]).status == 0)
    }

    @Test("the header's symbol offsets are the image's own")
    func headerOffsets() throws {
        let r = Self.built.request
        let header = try FileIO.readText(r.headerPath)
        let view = DynamicView(try ELFReader.read(path: r.imagePath))
        for s in view.exports {
            #expect(header.contains("#define VDSO_SYM_\(s.name) 0x\(String(s.value, radix: 16)) "), "\(s.name)")
        }
        #expect(header.contains("#define VDSO_DATA_OFFSET (-0x1000)"))
        // x86-64 has getrandom: the data area starts at the rng page, two pages below the image.
        #expect(header.contains("#define VDSO_SYM_vdso_rng_data (-0x2000)"))
        #expect(header.contains("#define VDSO_DATA_AREA_OFFSET (-0x2000)\n#define VDSO_DATA_AREA_SIZE 0x2000\n"))
    }

    @Test("emitting twice gives identical bytes (reproducible)")
    func reproducible() throws {
        let (dir, r) = Self.built
        var e = EmitRequest(image: r.imagePath, header: dir + "/again.h", source: dir + "/again.c")
        e.debug = r.debugImagePath
        try Emitter.emit(e)
        let first = try FileIO.read(dir + "/again.c")
        try Emitter.emit(e)
        #expect(try FileIO.read(dir + "/again.c") == first)
    }

    @Test("a rejected build leaves earlier outputs untouched and writes no new ones")
    func rejectedBuildWritesNothing() throws {
        let dir = TestSupport.temporaryDirectory("rejected")
        var r = BuildRequest(manifest: try Manifest.load(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml")))
        r.outputDirectory = dir
        r.quiet = true
        _ = try BuildDriver.build(r)
        let before = try FileIO.read(r.headerPath)
        // A 1-byte size limit rejects the very same sources.
        r.manifest.sizeLimit = 1
        #expect(try !BuildDriver.build(r).passed)
        #expect(try FileIO.read(r.headerPath) == before)
        r.name = "fresh"
        #expect(try !BuildDriver.build(r).passed)
        #expect(!FileIO.exists(r.imagePath) && !FileIO.exists(r.headerPath) && !FileIO.exists(r.debugImagePath))
    }
}
