import Testing
import VDSOKit

/// `dynamic-section`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule dynamic-section")
struct DynamicSectionRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("dynamic-no-null.so", debug: "good.so.dbg", findings: ["consumers:error", "debug-match:error", "dynamic-section:error"]),
        RuleCase("dynamic-no-syment.so", debug: "good.so.dbg", findings: ["consumers:error", "debug-match:error", "dynamic-section:error"]),
        RuleCase("dynamic-no-soname.so", debug: "dynamic-no-soname.so.dbg", findings: ["dynamic-section:error"]),
        RuleCase("dynamic-no-pt-dynamic.so", debug: "dynamic-no-pt-dynamic.so.dbg", findings: ["dynamic-section:error"]),
        RuleCase("dynamic-size-mismatch.so", debug: "good.so.dbg", findings: ["dynamic-section:error", "section-headers:error", "section-headers:error"]),
        RuleCase("dynamic-strsz-past-dynstr.so", debug: "good.so.dbg", findings: ["dynamic-section:error", "elf-header:error", "elf-header:error", "elf-header:error", "elf-header:error", "elf-header:error", "elf-header:error", "elf-header:error", "elf-header:error", "elf-header:error", "elf-header:error", "section-headers:error", "section-headers:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "dynamic-section") }
}
