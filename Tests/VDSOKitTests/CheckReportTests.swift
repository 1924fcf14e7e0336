import Testing
@testable import VDSOKit

/// What a check returns besides its findings.
@Suite("Check report")
struct CheckReportTests {
    @Test("the report carries the consumer table the consumers rule computed, and none when the rule is skipped")
    func consumerTable() throws {
        let so = TestSupport.path("out/vdso.so")
        let report = try Checker.check(path: so)
        let table = try #require(report.consumers)
        #expect(table.symbols.contains { $0.name == "__vdso_clock_gettime" } && table.outcomes.count == table.symbols.count)
        let skipped = try Checker.check(path: so, options: CheckOptions(skip: ["consumers"]))
        #expect(skipped.consumers == nil)
    }
}
