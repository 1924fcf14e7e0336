import Testing
import VDSOKit

/// `build-id`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule build-id")
struct BuildIDRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("build-id-none.so", debug: "build-id-none.so.dbg", findings: ["build-id:error", "debug-match:error"]),
        RuleCase("build-id-outside-note.so", debug: "build-id-outside-note.so.dbg", findings: ["build-id:error"]),
        RuleCase("build-id-outside-note.so", profile: .linux, debug: "build-id-outside-note.so.dbg", findings: ["build-id:warning"]),
        RuleCase("build-id-behind-property.so", debug: "build-id-behind-property.so.dbg", findings: ["build-id:error"]),
        RuleCase("build-id-behind-property.so", profile: .linux, debug: "build-id-behind-property.so.dbg", findings: ["build-id:warning"]),
        RuleCase("good.so", debug: "build-id-other.so.dbg", findings: ["build-id:error", "debug-match:error", "debug-match:error", "dwarf:error", "dwarf:error", "dwarf:error", "section-headers:error", "section-headers:error", "section-headers:error", "section-headers:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "build-id") }
}
