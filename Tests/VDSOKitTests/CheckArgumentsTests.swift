import Testing
import VDSOKit

@testable import vdsogen

/// The direct `check` parser must agree with swift-argument-parser wherever it answers, and
/// defer to it everywhere else.
@Suite("check's fast argument parser")
struct CheckArgumentsTests {
    @Test("plain forms parse to the request the options describe")
    func parses() {
        var expected = CheckRequest()
        expected.images = ["a.so", "b.so"]
        expected.debugPath = "a.dbg"
        expected.profile = .linux
        expected.skip = ["dwarf", "consumers"]
        expected.format = .json
        expected.sizeLimit = 4096
        expected.quiet = true
        #expect(CheckArguments.parse(["check", "a.so", "--debug", "a.dbg", "--profile=linux", "--skip", "dwarf",
                                      "--skip=consumers", "--format", "json", "--size-limit", "4096", "--quiet", "b.so"]) == expected)
        var dashes = CheckRequest()
        dashes.images = ["--weird.so"]
        #expect(CheckArguments.parse(["check", "--", "--weird.so"]) == dashes)
    }

    @Test("help, unknown options, bad or missing values defer to the full parser", arguments: [
        ["check", "--help"], ["check", "-h"], ["check", "--list-rules"], ["check", "--profile", "lenient", "x"],
        ["check", "--format"], ["check", "--debug"], ["check", "--frobnicate", "x"], ["check", "--size-limit", "big", "x"],
        ["check", "--running=yes"], ["build", "x"], [],
    ])
    func defers(_ args: [String]) {
        #expect(CheckArguments.parse(args) == nil)
    }

    @Test("the executable answers the same through either parser")
    func sameOutput() throws {
        let fx = TestSupport.fixtures
        let cases: [[String]] = [
            ["check", fx + "/good.so", "--debug", fx + "/good.so.dbg"],
            ["check", fx + "/soname-wrong.so", "--format=json"],
            ["check", "--running", "--profile", "linux", "--skip", "dwarf"],
            ["check", fx + "/soname-wrong.so", "--quiet", "--werror", "--format", "sarif"],
            ["check", fx + "/malformed-empty.so", fx + "/good.so.dbg"],
            ["check", fx + "/good.so", "--skip", "no-such-rule"],
            ["check"],
        ]
        for args in cases {
            let fast = try TestSupport.run([TestSupport.vdsogen] + args)
            let full = try TestSupport.run([TestSupport.vdsogen] + args, environment: ["VDSOGEN_FULL_PARSER": "1"])
            #expect(fast.status == full.status, "\(args)")
            #expect(fast.output == full.output, "\(args)")
        }
    }
}
