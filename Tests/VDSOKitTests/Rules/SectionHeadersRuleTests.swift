import Testing
import VDSOKit

/// `section-headers`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule section-headers")
struct SectionHeadersRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("section-headers-sh0.so", debug: "good.so.dbg", findings: ["section-headers:error"]),
        RuleCase("section-headers-note-type.so", debug: "good.so.dbg", findings: ["section-headers:error", "section-headers:error"]),
        RuleCase("section-headers-outside.so", debug: "good.so.dbg", findings: ["elf-header:error", "section-headers:error"]),
        RuleCase("section-headers-shstrndx.so", debug: "good.so.dbg", findings: ["elf-header:error", "section-headers:error", "unwind-info:error", "writable-data:warning"]),
        RuleCase("section-headers-renamed.so", debug: "good.so.dbg", findings: ["section-headers:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "section-headers") }
}
