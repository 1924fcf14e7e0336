import Testing
import VDSOKit

/// A hobby OS's own vDSO (own soname, own node, own names), as its developer builds and checks it:
/// manifest aliases are verified, and an image checked without its manifest is judged by the
/// generic rules with one note, not by Linux's expectations.
@Suite("A custom vDSO")
struct CustomVDSOTests {
    static let gettime = "int myos_clock_gettime(int c, long *t) { if (t) *t = c; return 0; }\n"

    /// Builds `source` from a manifest whose node exports myos_clock_gettime and the alias
    /// myos_gettime_alias = myos_clock_gettime; returns the directory, status and output.
    static func build(_ source: String) throws -> (dir: String, status: Int32, output: String) {
        let dir = TestSupport.temporaryDirectory("custom")
        try AtomicFile.write(source, to: dir + "/myos.c")
        try AtomicFile.write("""
            arch = "x86_64"
            soname = "myos-vdso.so.1"
            linker-script = "\(TestSupport.path("linker-scripts/x86_64.lds"))"
            sources = ["myos.c"]

            [[version]]
            name = "MYOS_1.0"
            symbols = ["myos_clock_gettime"]
            aliases = { myos_gettime_alias = "myos_clock_gettime" }
            """, to: dir + "/myos.toml")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", "myos.toml", "-q", "-o", "out"], in: dir)
        return (dir, r.status, r.output)
    }

    static func errorLines(_ output: String) -> [Substring] { output.split(separator: "\n").filter { $0.contains("error[") } }

    @Test("an alias the C points at another function: exit 1, one error[exports] naming both addresses")
    func aliasElsewhere() throws {
        let r = try Self.build(Self.gettime + """
            int other(int c, long *t) { return 1; }
            int myos_gettime_alias(int c, long *t) __attribute__((alias("other")));
            """)
        #expect(r.status == 1, "\(r.output)")
        let lines = Self.errorLines(r.output)
        #expect(lines.count == 1 && lines[0].contains("error[exports]: myos_gettime_alias@@MYOS_1.0 is at 0x")
                    && lines[0].contains("though the manifest makes it an alias"), "\(r.output)")
        #expect(r.output.contains("rejected with 1 error"), "\(r.output)")
    }

    @Test("an alias the C does not define: exit 1, error[exports] at the manifest saying how to define it")
    func aliasMissing() throws {
        let r = try Self.build(Self.gettime)
        #expect(r.status == 1, "\(r.output)")
        let lines = Self.errorLines(r.output)
        #expect(lines.count == 1 && lines[0].hasPrefix("myos.toml: error[exports]: version node MYOS_1.0 lists the alias")
                    && lines[0].contains("__attribute__((alias(\"myos_clock_gettime\")))"), "\(r.output)")
    }

    @Test("a right alias builds; checked without its manifest, the image gets exactly one note")
    func withoutManifest() throws {
        let r = try Self.build(Self.gettime + "int myos_gettime_alias(int c, long *t) __attribute__((alias(\"myos_clock_gettime\")));\n")
        #expect(r.status == 0, "\(r.output)")
        let plain = try TestSupport.run([TestSupport.vdsogen, "check", "--debug", "out/vdso.so.dbg", "out/vdso.so"], in: r.dir)
        #expect(plain.status == 0, "\(plain.output)")
        let findings = plain.output.split(separator: "\n").filter { $0.contains("error[") || $0.contains("warning[") }
        #expect(findings.count == 1 && findings[0].contains("warning[soname]") && findings[0].contains("--manifest"), "\(plain.output)")
        let manifest = try TestSupport.run([TestSupport.vdsogen, "check", "--manifest", "myos.toml", "--debug", "out/vdso.so.dbg", "out/vdso.so"], in: r.dir)
        #expect(manifest.status == 0 && !manifest.output.contains("["), "\(manifest.output)")
    }

    @Test("judged by Linux's expectations, absent names are not blamed on the hash table")
    func absentIsNotAHashProblem() throws {
        let r = try Self.build(Self.gettime + "int myos_gettime_alias(int c, long *t) __attribute__((alias(\"myos_clock_gettime\")));\n")
        let linux = try TestSupport.run([TestSupport.vdsogen, "check", "--arch", "x86_64", "out/vdso.so"], in: r.dir)
        #expect(linux.status == 1 && linux.output.contains("error[exports]: __vdso_clock_gettime is not exported"), "\(linux.output)")
        #expect(!linux.output.contains("hash-style") && !linux.output.contains("error[consumers]"), "\(linux.output)")
    }
}

/// Where debug info's paths are relative to: `source-root` in the manifest, else the inputs'
/// common root, else (when that is `/`) the directory the build runs in — never `/`.
@Suite("The source root")
struct SourceRootTests {
    static func prefixMap(_ manifestExtra: String, includeDirs: String = "[]") throws -> (dir: String, map: String?) {
        let dir = TestSupport.temporaryDirectory("srcroot")
        try FileIO.makeDirectories(dir + "/src")
        try FileIO.makeDirectories(dir + "/cfg")
        try AtomicFile.write(CustomVDSOTests.gettime, to: dir + "/src/myos.c")
        try AtomicFile.write("""
            arch = "x86_64"
            soname = "myos-vdso.so.1"
            linker-script = "\(TestSupport.path("linker-scripts/x86_64.lds"))"
            sources = ["../src/myos.c"]
            include-dirs = \(includeDirs)
            \(manifestExtra)

            [[version]]
            name = "MYOS_1.0"
            symbols = ["myos_clock_gettime"]
            """, to: dir + "/cfg/myos.toml")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", "cfg/myos.toml", "-v", "-o", "out"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        let map = r.output.split(separator: " ").first { $0.hasPrefix("-ffile-prefix-map=") && $0.hasSuffix("=.") }
        return (dir, map.map { String($0.dropFirst("-ffile-prefix-map=".count).dropLast(2)) })
    }

    @Test("the common root of manifest and sources, not counting the linker script elsewhere")
    func commonRoot() throws {
        let r = try Self.prefixMap("")
        let real = try FileIO.realPath(r.dir)
        #expect(r.map == real || r.map == r.dir, "\(r.map ?? "none")")
    }

    @Test("source-root in the manifest, relative to it")
    func manifestKey() throws {
        let r = try Self.prefixMap("source-root = \"../src\"")
        let real = try FileIO.realPath(r.dir + "/src")
        #expect(r.map == r.dir + "/src" || r.map == real, "\(r.map ?? "none")")
    }

    @Test("inputs that share only / map the build's directory, not /")
    func neverSlash() throws {
        let r = try Self.prefixMap("", includeDirs: "[\"/usr/include\"]")
        let real = try FileIO.realPath(r.dir)
        #expect(r.map != "/" && (r.map == r.dir || r.map == real), "\(r.map ?? "none")")
    }
}
