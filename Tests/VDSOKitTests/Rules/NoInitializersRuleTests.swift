import Testing
import VDSOKit

/// `no-initializers`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule no-initializers")
struct NoInitializersRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("init-dt-init.so", debug: "init-dt-init.so.dbg", findings: ["no-initializers:error"]),
        RuleCase("init-dt-fini.so", debug: "init-dt-fini.so.dbg", findings: ["no-initializers:error"]),
        RuleCase("init-ctor.so", debug: "init-ctor.so.dbg", findings: ["no-dynamic-relocations:error", "no-initializers:error", "writable-data:warning"]),
        RuleCase("init-tls.so", debug: "init-tls.so.dbg", findings: ["consumers:error", "no-initializers:error", "writable-data:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "no-initializers") }
}
