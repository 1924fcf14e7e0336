import Testing
import VDSOKit

/// `hash-tables`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule hash-tables")
struct HashTablesRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("hash-gnu-only.so", debug: "hash-gnu-only.so.dbg", findings: ["consumers:error", "hash-tables:error"]),
        RuleCase("hash-gnu-only.so", profile: .linux, debug: "hash-gnu-only.so.dbg", findings: ["consumers:warning", "hash-tables:warning"]),
        RuleCase("hash-sysv-broken.so", debug: "good.so.dbg", findings: ["debug-match:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error"]),
        RuleCase("hash-gnu-broken.so", debug: "good.so.dbg", findings: ["consumers:error", "debug-match:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "hash-tables") }
}
