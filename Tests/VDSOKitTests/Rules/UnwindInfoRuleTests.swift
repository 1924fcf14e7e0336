import Testing
import VDSOKit

/// `unwind-info`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule unwind-info")
struct UnwindInfoRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("unwind-none.so", debug: "unwind-none.so.dbg", findings: ["unwind-info:error", "unwind-info:error"]),
        RuleCase("unwind-no-hdr.so", debug: "unwind-no-hdr.so.dbg", findings: ["unwind-info:error"]),
        RuleCase("unwind-empty-hdr.so", debug: "unwind-empty-hdr.so.dbg", findings: ["unwind-info:error"]),
        RuleCase("unwind-empty-hdr.so", profile: .linux, debug: "unwind-empty-hdr.so.dbg", findings: ["unwind-info:warning"]),
        RuleCase("unwind-no-fde.so", debug: "unwind-no-fde.so.dbg", findings: ["dwarf:error", "unwind-info:error"]),
        RuleCase("unwind-bad-cfa.so", debug: "unwind-bad-cfa.so.dbg", findings: ["dwarf:error", "unwind-info:error"]),
        RuleCase("unwind-hdr-unsorted.so", debug: "good.so.dbg", findings: ["debug-match:error", "unwind-info:error", "unwind-info:error"]),
        RuleCase("unwind-hdr-bad-fde.so", debug: "good.so.dbg", findings: ["debug-match:error", "unwind-info:error", "unwind-info:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "unwind-info") }
}
