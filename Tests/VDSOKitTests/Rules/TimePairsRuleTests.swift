import Testing
import VDSOKit

/// `time-pairs`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule time-pairs")
struct TimePairsRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("time-pairs-i386-no-time32.so", debug: "time-pairs-i386-no-time32.so.dbg", findings: ["exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "symbol-versions:error", "time-pairs:error"]),
        RuleCase("time-pairs-no-bare.so", debug: "time-pairs-no-bare.so.dbg", findings: ["exports:error", "time-pairs:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "time-pairs") }
}
