import Testing
import VDSOKit

/// `emit --linux-x86`: the vdso-image-*.c Linux's x86 build would compile, compiled against each
/// known kernel version's struct vdso_image (a shim of the declarations, Tests/linux-x86/shim-V,
/// checked against linux-source-V by Tests/linux-x86/check-struct.sh) and read back by a stand-in
/// for the kernel's consumer.
@Suite("emit --linux-x86")
struct LinuxX86EmitTests {
    /// Emits, compiles with the consumer and runs it; returns its `field value` lines.
    static let versions = LinuxX86Emitter.versions.map(\.version)

    static func consume(_ dir: String, version: String = "6.12", image: String = "vdso_image_64") throws -> [String: String] {
        let tmp = TestSupport.temporaryDirectory("linux-x86-\(version)")
        let emitted = try TestSupport.run([TestSupport.vdsogen, "emit", "--debug", dir + "/vdso.so.dbg", dir + "/vdso.so",
                                           "--header", tmp + "/h.h", "--source", tmp + "/c.c", "--linux-x86", tmp + "/vdso-image.c",
                                           "--linux-version", version])
        #expect(emitted.status == 0, "\(emitted.output)")
        // What each kernel's vdso2c writes (arch/x86/{entry/vdso,tools}/vdso2c.h): the initcall
        // from 6.12 on; 6.1's vma.c calls init_vdso_image() itself.
        let initcall = try #require(["7.2": true, "6.12": true, "6.1": false][version], "\(version): no expectation")
        let source = try FileIO.readText(tmp + "/vdso-image.c")
        #expect(source.contains("subsys_initcall(") == initcall && source.contains("<linux/init.h>") == initcall,
                "\(version): the initcall as vdso2c writes it for that kernel")
        let clang = Toolchain.which("clang") ?? "clang"
        let built = try TestSupport.run([clang, "-Wall", "-Werror", "-I", TestSupport.path("Tests/linux-x86/shim"),
                                         "-I", TestSupport.path("Tests/linux-x86/shim-\(version)"),
                                         initcall ? "-DVDSO_TEST_INITCALL" : "-DIMAGE=\(image)", "-o", tmp + "/consumer",
                                         TestSupport.path("Tests/linux-x86/consumer.c"), tmp + "/vdso-image.c"])
        #expect(built.status == 0, "\(built.output)")
        let r = try TestSupport.run([tmp + "/consumer", dir + "/vdso.so"])
        #expect(r.status == 0, "\(r.output)")
        var fields: [String: String] = [:]
        for line in r.output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }

    static func symbol(_ name: String, in dbg: String) throws -> String {
        let image = try ELFReader.read(path: dbg)
        return try #require(image.symbols.first { $0.name == name && $0.isDefined }).value.description
    }

    @Test("x86-64: the bytes, a page-multiple size, no alternatives or extable, no vvar symbols", arguments: versions)
    func x86_64(_ version: String) throws {
        let f = try Self.consume(TestSupport.path("out"), version: version)
        #expect(f["bytes"] == "same" && f["size"] == "8192" && f["alt"] == "0 0" && f["extable"] == "0 0 null", "\(f)")
    }

    @Test("i386: the sigreturn, vsyscall and int80 landing-pad offsets the kernel looks for", arguments: versions)
    func i386(_ version: String) throws {
        let dir = TestSupport.path("out/i386")
        let f = try Self.consume(dir, version: version, image: "vdso_image_32")
        #expect(f["bytes"] == "same", "\(f)")
        for (field, name) in [("sigreturn", "__kernel_sigreturn"), ("rt_sigreturn", "__kernel_rt_sigreturn"),
                              ("vsyscall", "__kernel_vsyscall"), ("int80", "int80_landing_pad")] {
            #expect(f[field] == (try Self.symbol(name, in: dir + "/vdso.so.dbg")), "\(field): \(f)")
        }
    }

    @Test("an unknown kernel version, or no --debug, is one usage line, exit 2")
    func refusals() throws {
        let out = TestSupport.path("out")
        let tmp = TestSupport.temporaryDirectory("linux-x86-bad")
        for extra in [["--debug", out + "/vdso.so.dbg", "--linux-version", "2.4"], []] {
            let r = try TestSupport.run([TestSupport.vdsogen, "emit", out + "/vdso.so", "--header", tmp + "/h.h", "--source", tmp + "/c.c",
                                         "--linux-x86", tmp + "/v.c"] + extra)
            #expect(r.status == 2 && r.output.split(separator: "\n").count == 1 && !FileIO.exists(tmp + "/v.c"), "\(r.output)")
        }
    }
}
