import Testing
import VDSOKit

/// What `vdsogen build` refuses before or at the link, with the cause and the fix.
@Suite("Build-time checks")
struct BuildHygieneTests {
    /// A one-function vDSO from `body`, built with the default x86-64 linker script.
    static func request(_ body: String, cflags: [String] = []) throws -> BuildRequest {
        let dir = TestSupport.temporaryDirectory("hygiene")
        try AtomicFile.write(body, to: dir + "/v.c")
        var o = ManifestOverrides()
        o.arch = "x86_64"
        o.linkerScript = TestSupport.path("linker-scripts/x86_64.lds")
        o.sources = [dir + "/v.c"]
        o.versionNodes = ["LINUX_2.6:__vdso_f"]
        o.cflags = cflags
        var r = BuildRequest(manifest: try o.apply(to: nil))
        r.outputDirectory = dir + "/out"
        r.quiet = true
        return r
    }

    static func failure(_ r: BuildRequest) -> String {
        do {
            let result = try BuildDriver.build(r)
            if result.passed { return "built" }
            return result.reports.flatMap(\.findings).map { "\($0.subject ?? ""): \($0.message)" }.joined(separator: "\n")
        } catch {
            return error.description
        }
    }

    @Test("flags that cannot work in a vDSO are refused, each with its reason", arguments: [
        "-pg", "-mfentry", "-fstack-protector-strong", "-fsanitize=address", "-fstack-check", "-flto",
        "-mretpoline-external-thunk",
    ])
    func refusedFlag(_ flag: String) throws {
        let message = Self.failure(try Self.request("int __vdso_f(void) { return 1; }\n", cflags: [flag]))
        #expect(message.contains(flag) && message.contains("cannot work in a vDSO"), "\(message)")
    }

    @Test("a refused flag is blamed on where it came from, in one line: --cflag or the manifest's cflags")
    func blame() throws {
        let manifest = TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml")
        let option = try TestSupport.run([TestSupport.vdsogen, "build", manifest, "-o", TestSupport.temporaryDirectory("blame"), "--cflag", "-pg"])
        #expect(option.status == 2 && option.output.split(separator: "\n").count == 1
                    && option.output.hasPrefix("vdsogen: --cflag -pg cannot work in a vDSO: "), "\(option.output)")
        var m = try Manifest.load(manifest)
        m.cflags.append("-flto")
        #expect(throws: VDSOError.self) { try FlagHygiene.check(m, fromCommandLine: []) }
        do { try FlagHygiene.check(m, fromCommandLine: []) } catch {
            #expect(error.description.hasPrefix("\(manifest): -flto in cflags cannot work"), "\(error)")
        }
    }

    @Test("-fcf-protection is refused on arm64 but accepted on x86-64")
    func cfProtection() {
        #expect(FlagHygiene.problem(with: "-fcf-protection=full", arch: .aarch64) != nil)
        #expect(FlagHygiene.problem(with: "-fcf-protection=full", arch: .x86_64) == nil)
        #expect(FlagHygiene.problem(with: "-O2", arch: .x86_64) == nil)
    }

    @Test("an absolute relocation in an object is refused, naming object, section, symbol and function")
    func absoluteRelocation() throws {
        let r = try Self.request("""
            static const int a = 1, b = 2;
            static const int *const table[2] = { &a, &b };
            int __vdso_f(int i) { const int *const *t = table; __asm__("" : "+r"(t)); return *t[i & 1]; }
            """)
        let message = Self.failure(r)
        #expect(message.contains("R_X86_64_64"), "\(message)")
        #expect(message.contains("v.o") && message.contains("table"), "\(message)")
    }

    @Test("a compiler-inserted memset is reported as such, with the fix")
    func libcall() throws {
        let r = try Self.request("""
            struct big { long a[64]; };
            long __vdso_f(long x) { struct big b = {0}; b.a[x & 63] = x; long s = 0; for (int i = 0; i < 64; i++) s += b.a[i] * i; return s; }
            """)
        let message = Self.failure(r)
        #expect(message.contains("memset"), "\(message)")
        #expect(message.contains("the compiler inserted a call to memset"), "\(message)")
    }
}
