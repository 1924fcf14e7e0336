import Testing
import VDSOKit

/// `consumers`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule consumers")
struct ConsumersRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("versions-none.so", debug: "versions-none.so.dbg", findings: ["consumers:error", "symbol-versions:error", "symbol-versions:error"]),
        RuleCase("hash-gnu-only.so", debug: "hash-gnu-only.so.dbg", findings: ["consumers:error", "hash-tables:error"]),
        RuleCase("load-layout-noexec.so", debug: "load-layout-noexec.so.dbg", findings: ["consumers:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "load-layout:error"]),
        RuleCase("hash-gnu-broken.so", debug: "good.so.dbg", findings: ["consumers:error", "debug-match:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error", "hash-tables:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "consumers") }
}
