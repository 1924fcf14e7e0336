import Testing
import VDSOKit

/// `elf-header`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule elf-header")
struct ELFHeaderRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("elf-header-et-exec.so", debug: "good.so.dbg", findings: ["debug-match:error", "elf-header:error"]),
        RuleCase("elf-header-e-version.so", debug: "good.so.dbg", findings: ["debug-match:error", "elf-header:error"]),
        RuleCase("elf-header-phentsize.so", debug: "good.so.dbg", findings: ["build-id:error", "debug-match:error", "dynamic-section:error", "elf-header:error", "load-layout:error", "unwind-info:error"]),
        RuleCase("elf-header-shentsize.so", debug: "good.so.dbg", findings: ["debug-match:error", "elf-header:error"]),
        RuleCase("elf-header-shoff-eof.so", debug: "good.so.dbg", findings: ["elf-header:error", "section-headers:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "elf-header") }
}
