import Testing
import VDSOKit

/// `w-xor-x`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule w-xor-x")
struct WXorXRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("w-xor-x-execstack.so", debug: "w-xor-x-execstack.so.dbg", findings: ["w-xor-x:error"]),
        RuleCase("w-xor-x-rwx-load.so", debug: "w-xor-x-rwx-load.so.dbg", findings: ["w-xor-x:error", "writable-data:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "w-xor-x") }
}
