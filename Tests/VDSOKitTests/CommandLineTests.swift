import Foundation
import Testing
import VDSOKit

/// The executable's contract: output format and exit codes.
@Suite("vdsogen command line")
struct CommandLineTests {
    @Test("unreadable or non-ELF files: exit 2 and one line naming the file")
    func unreadable() throws {
        let dir = TestSupport.temporaryDirectory("cli")
        try AtomicFile.write("hello\n", to: dir + "/text")
        try AtomicFile.write([UInt8](), to: dir + "/empty")
        for path in [dir + "/text", dir + "/empty", dir + "/missing", dir] {
            let r = try TestSupport.run([TestSupport.vdsogen, "check", path])
            #expect(r.status == 2, "\(path): \(r.output)")
            let lines = r.output.split(separator: "\n")
            #expect(lines.count == 1, "\(r.output)")
            #expect(r.output.contains(path))
        }
    }

    @Test("a rejected image: exit 1 and IMAGE: error[RULE]: lines")
    func rejected() throws {
        let image = TestSupport.fixtures + "/soname-wrong.so"
        let r = try TestSupport.run([TestSupport.vdsogen, "check", image, "--debug", image + ".dbg", "--arch", "x86_64"])
        #expect(r.status == 1)
        #expect(r.output.contains("\(image): error[soname]: DT_SONAME is"))
    }

    @Test("an image with its own soname and no manifest: the generic rules only, and one warning that says so")
    func customSonameWithoutManifest() throws {
        let image = TestSupport.fixtures + "/soname-wrong.so"
        let report = try Checker.check(path: image, debugPath: image + ".dbg")
        #expect(report.findings.map(\.rule) == ["soname"] && report.findings.map(\.severity) == [.warning],
                "\(ReportRenderer.text([report]))")
        #expect(report.findings.first?.message.contains("--manifest") == true)
    }

    @Test("--skip drops a rule; an unknown id is a usage error")
    func skip() throws {
        let image = TestSupport.fixtures + "/soname-wrong.so"
        let ok = try TestSupport.run([TestSupport.vdsogen, "check", image, "--debug", image + ".dbg", "--arch", "x86_64", "--skip", "soname"])
        #expect(ok.status == 0, "\(ok.output)")
        let bad = try TestSupport.run([TestSupport.vdsogen, "check", image, "--skip", "no-such-rule"])
        #expect(bad.status == 2)
        #expect(bad.output.contains("unknown rule"))
    }

    @Test("JSON output has image, passed and findings")
    func json() throws {
        let image = TestSupport.fixtures + "/soname-wrong.so"
        let r = try TestSupport.run([TestSupport.vdsogen, "check", "--format", "json", image, "--debug", image + ".dbg", "--arch", "x86_64"])
        #expect(r.status == 1)
        // Parsed, not grepped: the document's shape and every value.
        let doc = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [[String: Any]]
        #expect(doc?.count == 1)
        let report = try #require(doc?.first)
        #expect(Set(report.keys) == ["image", "passed", "findings"])
        #expect(report["image"] as? String == image && report["passed"] as? Bool == false)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.map { "\($0["rule"] ?? ""):\($0["severity"] ?? "")" } == ["soname:error"], "\(findings)")
        #expect((findings.first?["message"] as? String)?.contains("linux-vdso.so.1") == true)
    }

    @Test("the running kernel's vDSO passes --profile linux --skip dwarf")
    func running() throws {
        let r = try TestSupport.run([TestSupport.vdsogen, "check", "--running", "--profile", "linux", "--skip", "dwarf"])
        #expect(r.status == 0, "\(r.output)")
    }

    @Test("usage errors exit 2")
    func usage() throws {
        #expect(try TestSupport.run([TestSupport.vdsogen, "check"]).status == 2)
        #expect(try TestSupport.run([TestSupport.vdsogen, "check", "--profile", "lenient", "x"]).status == 2)
        #expect(try TestSupport.run([TestSupport.vdsogen, "frobnicate"]).status == 2)
        #expect(try TestSupport.run([TestSupport.vdsogen, "--help"]).status == 0)
    }

    @Test("every usage error is one line, vdsogen: ..., whichever parser finds it")
    func oneLineUsageErrors() throws {
        let cases: [[String]] = [
            ["check"], ["check", "--profile", "lenient", "x"], ["frobnicate"], ["bulid"], ["build", "--no-such-option"],
            ["build", "--name", ""], ["emit"], ["run", "--clock-mode", "sometimes", "--", "true"], ["inspect", "--format", "xml", "x"],
            ["check", "--size-limit", "ten", "x"],
        ]
        for args in cases {
            let r = try TestSupport.run([TestSupport.vdsogen] + args)
            let lines = r.output.split(separator: "\n")
            #expect(r.status == 2 && lines.count == 1 && lines[0].hasPrefix("vdsogen: ") && !r.output.contains("Usage:"),
                    "\(args): \(r.output)")
        }
    }
}
