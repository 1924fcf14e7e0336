import Testing
import VDSOKit

/// Defects `build` finds before or at the link exit 1 with a rule id, as `check` reports them:
/// a defect in the user's code is a rejection whichever stage finds it; a tool failing is exit 2.
@Suite("Pre-link findings")
struct PreLinkFindingsTests {
    /// `vdsogen build` of a one-function x86-64 vDSO from `body`, exporting `node`.
    static func build(_ body: String, node: String = "LINUX_2.6:__vdso_f", script: String? = nil) throws -> (status: Int32, output: String) {
        let dir = TestSupport.temporaryDirectory("prelink")
        try AtomicFile.write(body, to: dir + "/v.c")
        return try TestSupport.run([TestSupport.vdsogen, "build", "--arch", "x86_64", "-q", "-o", dir + "/out",
                                    "--linker-script", script ?? TestSupport.path("linker-scripts/x86_64.lds"),
                                    "--source", dir + "/v.c", "--version-node", node], in: dir)
    }

    static func expectRejected(_ r: (status: Int32, output: String), rule: String, at location: String, saying: String, count: Int = 1) {
        #expect(r.status == 1, "exit \(r.status): \(r.output)")
        let lines = r.output.split(separator: "\n").filter { $0.contains("error[") }
        #expect(lines.count == count && lines.allSatisfy { $0.hasPrefix("\(location): error[\(rule)]: ") && $0.contains(saying) }, "\(r.output)")
    }

    @Test("a table of pointers (absolute relocations in the object): exit 1, error[no-dynamic-relocations]")
    func pointerTable() throws {
        let r = try Self.build("""
            static const int a = 1, b = 2;
            static const int *const table[2] = { &a, &b };
            int __vdso_f(int i) { const int *const *t = table; __asm__("" : "+r"(t)); return *t[i & 1]; }
            """)
        Self.expectRejected(r, rule: "no-dynamic-relocations", at: "v.c", saying: "R_X86_64_64 against", count: 2)
    }

    @Test("a struct initialisation that became memset: exit 1, error[no-undefined-symbols] at its line")
    func memset() throws {
        let r = try Self.build("""
            struct big { long a[64]; };
            long __vdso_f(long x) { struct big b = {0}; b.a[x & 63] = x; long s = 0; for (int i = 0; i < 64; i++) s += b.a[i] * i; return s; }
            """)
        Self.expectRejected(r, rule: "no-undefined-symbols", at: "v.c:2", saying: "the compiler inserted a call to memset")
    }

    @Test("thread-local storage: exit 1, error[no-initializers]")
    func tls() throws {
        let r = try Self.build("static __thread int t;\nint __vdso_f(int i) { t += i; return t; }\n")
        Self.expectRejected(r, rule: "no-initializers", at: "v.c:2", saying: "thread-local storage")
    }

    @Test("a typo in a version node: exit 1, error[exports] naming node and symbol")
    func versionNodeTypo() throws {
        let r = try Self.build("int __vdso_f(int i) { return i; }\n", node: "MYOS_1.0:__vdso_fx")
        Self.expectRejected(r, rule: "exports", at: "--version-node", saying: "version node MYOS_1.0 lists __vdso_fx, which no source defines")
    }

    @Test("a linker script the linker cannot read is still a failed tool: exit 2")
    func brokenScriptIsToolFailure() throws {
        let dir = TestSupport.temporaryDirectory("prelink-script")
        try AtomicFile.write("SECTIONS { .text : { *(.text) \n", to: dir + "/bad.lds")
        let r = try Self.build("int __vdso_f(int i) { return i; }\n", script: dir + "/bad.lds")
        #expect(r.status == 2 && !r.output.contains("error["), "\(r.output)")
    }

    @Test("lld's lines are read as what they say, and an unknown error is not a defect")
    func parsing() {
        let out = """
            ld.lld: error: undefined symbol: memcpy
            >>> referenced by a.c:7 (./a.c:7)
            >>>               obj/a.o:(__vdso_f)
            ld.lld: error: version script assignment of 'LINUX_2.6' to symbol 'x' failed: symbol not defined
            """
        let d = LinkDiagnosis.defects(in: out, manifest: "v.toml")
        #expect(d?.map(\.rule) == ["no-undefined-symbols", "exports"] && d?.map(\.location) == ["a.c:7", "v.toml"])
        #expect(LinkDiagnosis.defects(in: out + "\nld.lld: error: unable to open output file", manifest: "v.toml") == nil)
        #expect(LinkDiagnosis.defects(in: "", manifest: "v.toml") == nil)
    }
}
