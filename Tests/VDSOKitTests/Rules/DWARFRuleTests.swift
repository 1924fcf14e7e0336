import Testing
import VDSOKit

/// `dwarf`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule dwarf")
struct DWARFRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("good.so", findings: ["dwarf:error"]),
        RuleCase("dwarf-none.so", findings: ["dwarf:error"]),
        RuleCase("dwarf-none.so", debug: "dwarf-none.so.dbg", findings: ["dwarf:error"]),
        RuleCase("dwarf-garbage.so.dbg", findings: ["dwarf:error"]),
        RuleCase("good.so", debug: "dwarf-garbage.so.dbg", findings: ["dwarf:error"]),
        RuleCase("dwarf-no-subprogram.so", debug: "dwarf-no-subprogram.so.dbg", findings: ["dwarf:error"]),
        RuleCase("good.so", debug: "dwarf-no-lines.so.dbg", findings: ["dwarf:error", "dwarf:error", "dwarf:error", "dwarf:error", "dwarf:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "dwarf") }
}
