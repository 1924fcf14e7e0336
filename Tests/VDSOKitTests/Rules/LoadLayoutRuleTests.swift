import Testing
import VDSOKit

/// `load-layout`: each fixture that breaks it (Tests/fixtures/make-images.sh), with every finding the
/// checker gives it, exactly — rule id and severity, no more, no fewer.
@Suite("rule load-layout")
struct LoadLayoutRuleTests {
    static let cases: [RuleCase] = [
        RuleCase("load-layout-two-loads.so", debug: "load-layout-two-loads.so.dbg", findings: ["consumers:error", "load-layout:error", "load-layout:error"]),
        RuleCase("load-layout-offset.so", debug: "load-layout-offset.so.dbg", findings: ["load-layout:error"]),
        RuleCase("load-layout-memsz.so", debug: "load-layout-memsz.so.dbg", findings: ["load-layout:error"]),
        RuleCase("load-layout-bss-end.so", debug: "load-layout-bss-end.so.dbg", findings: ["load-layout:error", "writable-data:error"]),
        RuleCase("load-layout-noexec.so", debug: "load-layout-noexec.so.dbg", findings: ["consumers:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "exports:error", "load-layout:error"]),
        RuleCase("load-layout-relro.so", debug: "load-layout-relro.so.dbg", findings: ["consumers:error", "load-layout:error"]),
        RuleCase("load-layout-note-outside.so", debug: "good.so.dbg", findings: ["build-id:error", "debug-match:error", "elf-header:error", "load-layout:error", "section-headers:error"]),
    ]

    @Test("exact findings", arguments: cases)
    func findings(_ c: RuleCase) throws { try c.verify(rule: "load-layout") }
}
