import Testing
@testable import VDSOKit

/// What a kernel embedding the image needs from the header and the blob: every object the header
/// declares defined by the `.incbin` wrapper alone, the blob's bounds declared in C, the soname
/// and version node as macros, no stale blob, and no data offset silently left out.
@Suite("Header and blob", .serialized)
struct HeaderAndBlobTests {
    /// The default x86-64 image built with --blob into a fresh directory.
    static func build(blob: Bool, into dir: String) throws -> BuildRequest {
        var r = BuildRequest(manifest: try Manifest.load(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml")))
        r.outputDirectory = dir
        r.quiet = true
        r.blob = blob
        _ = try BuildDriver.build(r)
        return r
    }

    static func compile(_ arguments: [String]) throws {
        let cc = try TestSupport.run(["clang", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"] + arguments)
        #expect(cc.status == 0, "clang \(arguments.joined(separator: " ")):\n\(cc.output)")
    }

    /// A program that uses what the header declares: the image, the build-id, the blob's bounds,
    /// the soname and the version node with its hash (computed again here, as a libc would).
    static let kernelProgram = """
        #include <string.h>
        #include "vdso-image.h"
        static unsigned long elf_hash(const char *s) {
            unsigned long h = 0, g;
            for (; *s; s++) { h = (h << 4) + (unsigned char)*s; g = h & 0xf0000000; if (g) h ^= g >> 24; h &= ~g; }
            return h;
        }
        int main(void) {
            static const unsigned char id[VDSO_BUILD_ID_SIZE] = VDSO_BUILD_ID_INIT;
            if (vdso_blob_size != VDSO_IMAGE_SIZE) return 2;
            if ((unsigned long)(vdso_blob_end - vdso_blob_start) != vdso_blob_size) return 3;
            if (((unsigned long)vdso_blob_start & (VDSO_PAGE_SIZE - 1)) != 0) return 4;
            if (memcmp(vdso_image, vdso_blob_start, 4) != 0 || vdso_image[1] != 'E') return 5;
            if (memcmp(vdso_build_id, id, VDSO_BUILD_ID_SIZE) != 0) return 6;
            if (strcmp(VDSO_SONAME, "linux-vdso.so.1") != 0 || strcmp(VDSO_VERSION_NODE, "LINUX_2.6") != 0) return 7;
            if (strcmp(VDSO_VERSION_LINUX_2_6, VDSO_VERSION_NODE) != 0 || elf_hash(VDSO_VERSION_NODE) != VDSO_VERSION_NODE_HASH) return 8;
            return 0;
        }
        """

    @Test("a program linking only the .incbin wrapper gets the image, build-id, blob bounds, soname and version node")
    func blobOnlyProgram() throws {
        let dir = TestSupport.temporaryDirectory("blob-only")
        let r = try Self.build(blob: true, into: dir)
        try AtomicFile.write(Self.kernelProgram, to: dir + "/kernel.c")
        // Not the C source: the wrapper alone, as a kernel that .incbin's its vDSO links it.
        try Self.compile(["-I", dir, dir + "/kernel.c", "-x", "assembler-with-cpp", r.asmPath, "-o", dir + "/kernel"])
        let run = try TestSupport.run([dir + "/kernel"])
        #expect(run.status == 0, "exit \(run.status)")
        // With the C source as well: the wrapper's image and build-id are weak, the array's win.
        try Self.compile(["-I", dir, dir + "/kernel.c", r.sourcePath, "-x", "assembler-with-cpp", r.asmPath, "-o", dir + "/both"])
        #expect(try TestSupport.run([dir + "/both"]).status == 0)
    }

    @Test("the header's new declarations compile as freestanding C with -Wall -Werror")
    func headerCompiles() throws {
        let dir = TestSupport.temporaryDirectory("header-c")
        let r = try Self.build(blob: false, into: dir)
        try AtomicFile.write("""
            #include "vdso-image.h"
            const char *soname(void) { return VDSO_SONAME; }
            unsigned long size(void) { return vdso_blob_size + (unsigned long)(vdso_blob_end - vdso_blob_start); }
            """, to: dir + "/use.c")
        try Self.compile(["-ffreestanding", "-nostdinc", "-I", dir, "-c", dir + "/use.c", "-o", dir + "/use.o"])
        #expect(try FileIO.readText(r.headerPath).contains("#define VDSO_SONAME \"linux-vdso.so.1\""))
    }

    @Test("a build without --blob removes the NAME.bin and NAME-blob.S an earlier --blob build wrote, and nothing else")
    func staleBlobRemoved() throws {
        let dir = TestSupport.temporaryDirectory("stale-blob")
        let r = try Self.build(blob: true, into: dir)
        #expect(FileIO.exists(r.blobPath) && FileIO.exists(r.asmPath))
        try AtomicFile.write("mine\n", to: dir + "/other.bin")
        _ = try Self.build(blob: false, into: dir)
        #expect(!FileIO.exists(r.blobPath) && !FileIO.exists(r.asmPath))
        #expect(FileIO.exists(dir + "/other.bin") && FileIO.exists(r.imagePath) && FileIO.exists(r.headerPath))
        // A NAME.bin this build never wrote (a fresh object directory) is the user's: kept.
        let fresh = TestSupport.temporaryDirectory("user-blob")
        try AtomicFile.write("user's\n", to: fresh + "/vdso.bin")
        _ = try Self.build(blob: false, into: fresh)
        #expect(try FileIO.readText(fresh + "/vdso.bin") == "user's\n")
    }

    @Test("emit without --debug says, in the header and on stderr, that DATA_OFFSET needs the debug image")
    func emitWithoutDebugSaysWhy() throws {
        let dir = TestSupport.temporaryDirectory("emit-nodebug")
        let r = try Self.build(blob: false, into: dir)
        let cli = try TestSupport.run([TestSupport.vdsogen, "emit", r.imagePath, "--header", dir + "/s.h", "--source", dir + "/s.c"])
        #expect(cli.status == 0, "\(cli.output)")
        #expect(cli.output.contains("note:") && cli.output.contains("--debug") && cli.output.contains("DATA_OFFSET"), "\(cli.output)")
        let header = try FileIO.readText(dir + "/s.h")
        #expect(header.contains("No VDSO_DATA_OFFSET:") && header.contains("pass the unstripped image with --debug"), "\(header)")
        try Self.compile(["-ffreestanding", "-nostdinc", "-c", dir + "/s.c", "-o", dir + "/s.o"])
        // With --debug: the offset, and no note.
        let full = try TestSupport.run([TestSupport.vdsogen, "emit", r.imagePath, "--debug", r.debugImagePath,
                                        "--header", dir + "/d.h", "--source", dir + "/d.c"])
        #expect(full.status == 0 && !full.output.contains("note:"), "\(full.output)")
        #expect(try FileIO.readText(dir + "/d.h").contains("#define VDSO_DATA_OFFSET "))
    }

    @Test("C string macros escape what a soname could hold")
    func cStringEscapes() {
        #expect(CEmitter.cString("myos-vdso.so.1") == "\"myos-vdso.so.1\"")
        #expect(CEmitter.cString("a\"b\\c??=") == "\"a\\042b\\134c\\077\\077=\"")
    }
}
