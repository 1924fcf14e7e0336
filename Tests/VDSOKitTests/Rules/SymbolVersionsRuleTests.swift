import Testing
import VDSOKit

/// `symbol-versions`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule symbol-versions")
struct SymbolVersionsRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("versions-none.so", debug: "versions-none.so.dbg", findings: ["consumers:error", "symbol-versions:error", "symbol-versions:error"]),
        RuleCase("versions-wrong-node.so", debug: "versions-wrong-node.so.dbg", findings: ["consumers:error", "consumers:error", "consumers:error", "consumers:error", "consumers:error", "consumers:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "symbol-versions:error"]),
        RuleCase("versions-bad-hash.so", debug: "good.so.dbg", findings: ["consumers:error", "consumers:error", "consumers:error", "consumers:error", "debug-match:error", "symbol-versions:error"]),
        RuleCase("versions-base-bound.so", debug: "versions-base-bound.so.dbg", findings: ["exports:warning", "symbol-versions:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "symbol-versions") }
}
