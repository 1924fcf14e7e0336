import Testing
import VDSOKit

/// A build read through a pipe, as every CI log and `make | tee` reads it: progress, the
/// compiler's warnings, the findings and the verdict appear in the order the work happened, and
/// the split is Kbuild's (progress on stdout; tool output and diagnostics on stderr).
@Suite("Output order")
struct OutputOrderTests {
    /// A rejected build whose source draws a compiler warning, its stdout and stderr through one
    /// pipe (`2>&1 | cat`), or its stdout alone (`2>/dev/null | cat`).
    static func build(_ redirect: String) throws -> (status: Int32, output: String) {
        let dir = TestSupport.temporaryDirectory("order")
        try AtomicFile.write("int __vdso_f(int i) { int unused_here; return i; }\n", to: dir + "/v.c")
        let command = [TestSupport.vdsogen, "build", "--arch", "x86_64", "-o", dir + "/out", "--size-limit", "100",
                       "--linker-script", TestSupport.path("linker-scripts/x86_64.lds"), "--source", dir + "/v.c",
                       "--version-node", "LINUX_2.6:__vdso_f"].map { "'\($0)'" }.joined(separator: " ")
        return try TestSupport.run(["/bin/sh", "-c", "\(command) \(redirect) | cat; exit $(( $? ))"], in: dir)
    }

    @Test("through one pipe: CC, its warning, LD, CHECK, the finding, then the verdict")
    func mergedOrder() throws {
        let out = try Self.build("2>&1").output
        let marks = ["  CC      v.c", "warning: unused variable 'unused_here'", "  LD      ", "  CHECK   ",
                     "error[image-size]", "rejected with"]
        let at = marks.map { out.range(of: $0)?.lowerBound }
        #expect(at.allSatisfy { $0 != nil }, "\(out)")
        let found = at.compactMap { $0 }
        #expect(found == found.sorted(), "out of order:\n\(out)")
        #expect(!out.contains("  EMIT"), "a rejected build emits nothing:\n\(out)")
    }

    @Test("2>/dev/null leaves the progress lines and nothing else")
    func progressOnly() throws {
        let out = try Self.build("2>/dev/null").output
        let lines = out.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("  ") }, "\(out)")
        #expect(!out.contains("warning:") && !out.contains("error["), "\(out)")
    }

    @Test("the sink gets progress and diagnostics as separate streams, in order")
    func capturedStreams() throws {
        let dir = TestSupport.temporaryDirectory("order-sink")
        try AtomicFile.write("int __vdso_f(int i) { int unused_here; return i; }\n", to: dir + "/v.c")
        var o = ManifestOverrides()
        o.arch = "x86_64"
        o.linkerScript = TestSupport.path("linker-scripts/x86_64.lds")
        o.sources = [dir + "/v.c"]
        o.versionNodes = ["LINUX_2.6:__vdso_f"]
        o.sizeLimit = 100
        var r = BuildRequest(manifest: try o.apply(to: nil))
        r.outputDirectory = dir + "/out"
        let captured = CapturedOutput()
        r.output = captured.sink
        let result = try BuildDriver.build(r)
        #expect(!result.passed && result.keptRejected != nil)
        let progress = captured.text(of: .progress), diagnostics = captured.text(of: .diagnostic)
        #expect(progress.contains("  LD      ") && !progress.contains("warning") && !progress.contains("error["), "\(progress)")
        #expect(diagnostics.contains("unused variable") && diagnostics.contains("error[image-size]"), "\(diagnostics)")
        #expect(!diagnostics.contains("  CC  "), "\(diagnostics)")
    }
}
