import Foundation
import Testing
import VDSOKit

/// `run` maps only an image whose data-page ABI its writer fills: a vdsogen note naming a known
/// ABI, or a Linux soname and node. A hobby OS's image with its own soname, node and page is
/// refused in one line, at once, instead of spinning on a seqlock nobody writes.
@Suite("run: the data-page ABI")
struct RunABITests {
    static let env = ["VDSOGEN_LOADER": TestSupport.path("out/bin/vdso-run"), "PATH": "/usr/bin:/bin"]

    /// A data-page ABI note naming `abi`, as an assembler source.
    static func note(_ abi: String) -> String {
        """
        \t.section .note.vdsogen, "a", %note
        \t.balign 4
        \t.long 8, \(abi.utf8.count + 1), 1
        \t.asciz "vdsogen"
        \t.balign 4
        \t.asciz "\(abi)"
        \t.balign 4
        \t.section .note.GNU-stack, "", %progbits

        """
    }

    /// Builds a myos image (soname myos-vdso.so.1, node MYOS_1.0, its own names), with a note
    /// naming `abi` when given; returns the image's path.
    static func myos(abi: String?) throws -> String {
        let dir = TestSupport.temporaryDirectory("runabi")
        try AtomicFile.write(CustomVDSOTests.gettime, to: dir + "/myos.c")
        var sources = "\"myos.c\""
        if let abi {
            try AtomicFile.write(note(abi), to: dir + "/note.S")
            sources += ", \"note.S\""
        }
        try AtomicFile.write("""
            arch = "x86_64"
            soname = "myos-vdso.so.1"
            linker-script = "\(TestSupport.path("linker-scripts/x86_64.lds"))"
            sources = [\(sources)]

            [[version]]
            name = "MYOS_1.0"
            symbols = ["myos_clock_gettime"]
            """, to: dir + "/myos.toml")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", "myos.toml", "-q", "-o", "out"], in: dir)
        try #require(r.status == 0, "\(r.output)")
        return dir + "/out/vdso.so"
    }

    static func run(_ args: [String]) throws -> (status: Int32, output: String, seconds: Double) {
        let start = Date()
        let r = try TestSupport.run([TestSupport.vdsogen, "run"] + args, environment: env)
        return (r.status, r.output, Date().timeIntervalSince(start))
    }

    @Test("an image with its own soname and node and no note: one line, exit 2, in under a second")
    func undeclaredRefused() throws {
        let image = try Self.myos(abi: nil)
        #expect(try DataPageABI.declared(by: ELFReader.read(path: image)) == .undeclared)
        let r = try Self.run(["--image", image, "--", "/bin/true"])
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.split(separator: "\n").count == 1, "\(r.output)")
        #expect(r.output.hasPrefix("vdsogen: \(image): declares no data-page ABI run knows (vdsogen-1, or a Linux image)"), "\(r.output)")
        #expect(r.seconds < 1, "refused after \(r.seconds) s")
    }

    @Test("a note naming an ABI run does not know is refused, named; --force maps it with a warning")
    func unknownRefused() throws {
        let image = try Self.myos(abi: "myos-page-3")
        #expect(try DataPageABI.declared(by: ELFReader.read(path: image)) == .unknown("myos-page-3"))
        let r = try Self.run(["--image", image, "--", "/bin/true"])
        #expect(r.status == 2 && r.output.split(separator: "\n").count == 1, "\(r.output)")
        #expect(r.output.contains("declares data-page ABI \"myos-page-3\", which run does not know"), "\(r.output)")
        #expect(r.seconds < 1, "refused after \(r.seconds) s")
        let forced = try Self.run(["--force", "--image", image, "--", "/bin/true"])
        #expect(forced.status == 0 && forced.output.contains("warning: mapping it anyway (--force)"), "\(forced.output)")
    }

    @Test("the default images carry the vdsogen-1 note; the running kernel's vDSO is a Linux image")
    func defaultsAndKernelAdmitted() throws {
        for arch in ["x86_64", "i386", "aarch64", "riscv64", "arm"] {
            let path = TestSupport.path(arch == "x86_64" ? "out/vdso.so" : "out/\(arch)/vdso.so")
            try #require(FileIO.exists(path), "run `make` first: \(path)")
            #expect(try DataPageABI.declared(by: ELFReader.read(path: path)) == .vdsogen("vdsogen-1"), "\(arch)")
        }
        let running = try RunningVDSO.image()
        let declared = DataPageABI.declared(by: running)
        #expect(declared.isServed, "the running kernel's vDSO: \(declared)")
        if case .linux(let soname, _) = declared { #expect(soname.hasPrefix("linux-")) } else { Issue.record("\(declared)") }
        let good = try Self.run(["--image", TestSupport.path("out/vdso.so"), "--", "/bin/true"])
        #expect(good.status == 0, "\(good.output)")
        let copy = TestSupport.temporaryDirectory("runabi-kernel") + "/kernel-vdso.so"
        try AtomicFile.write(RunningVDSO.bytes(), to: copy)
        let kernel = try Self.run(["--image", copy, "--", "/bin/true"])
        #expect(kernel.status == 0 && !kernel.output.contains("data-page ABI"), "\(kernel.output)")
    }

    @Test("--verbose names the glibc lookups served, and warns when none is")
    func verboseLookups() throws {
        let good = try Self.run(["--verbose", "--image", TestSupport.path("out/vdso.so"), "--", "/bin/true"])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("vdsogen: run: glibc's lookups on x86_64: served __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time, __vdso_getcpu, __vdso_clock_getres, __vdso_getrandom\n"), "\(good.output)")
        #expect(!good.output.contains("serves none"), "\(good.output)")
        let image = try Self.myos(abi: "vdsogen-1")
        let mine = try Self.run(["--verbose", "--force", "--image", image, "--", "/bin/true"])
        #expect(mine.status == 0, "\(mine.output)")
        #expect(mine.output.contains("glibc's lookups on x86_64: served none; not served (the kernel answers): __vdso_clock_gettime"), "\(mine.output)")
        #expect(mine.output.contains("vdsogen: run: warning: \(image) serves none of glibc's names on x86_64"), "\(mine.output)")
        let quiet = try Self.run(["--force", "--image", image, "--", "/bin/true"])
        #expect(!quiet.output.contains("glibc"), "\(quiet.output)")
    }
}
