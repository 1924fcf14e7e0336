import Testing
import VDSOKit

/// `image-size`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule image-size")
struct ImageSizeRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("image-size-huge.so", debug: "image-size-huge.so.dbg", findings: ["image-size:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "image-size") }
}
