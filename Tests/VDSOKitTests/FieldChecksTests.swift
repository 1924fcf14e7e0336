import Testing
@testable import VDSOKit

/// The rules from the field (issue 10) beyond what FixtureRuleTests checks: what their messages
/// say, the stack-probe byte patterns no fixture is built for, and the whole-FDE CFI walk.
@Suite("Checks from the field: stack-usage, section-headers, time-pairs")
struct FieldChecksTests {
    static func findings(_ file: String, debug: String? = nil, profile: Profile = .strict, rule: String) throws -> [Finding] {
        let dir = TestSupport.fixtures
        let report = try Checker.check(path: dir + "/" + file, debugPath: debug.map { dir + "/" + $0 },
                                       options: CheckOptions(profile: profile))
        return report.findings.filter { $0.rule == rule }
    }

    @Test("an 8 KiB frame is measured from the CFI, against each profile's limit")
    func bigFrame() throws {
        let strict = try Self.findings("stack-usage-big.so", debug: "stack-usage-big.so.dbg", rule: "stack-usage")
        #expect(strict.count == 1)
        #expect(strict.first?.message.contains("__vdso_getcpu/getcpu") == true)
        #expect(strict.first?.message.contains("uses a 8072-byte stack frame (CFA up to rsp+8080") == true, "\(strict)")
        #expect(strict.first?.message.contains("over the 512-byte limit of the strict profile") == true)
        let linux = try Self.findings("stack-usage-big.so", debug: "stack-usage-big.so.dbg", profile: .linux, rule: "stack-usage")
        #expect(linux.first?.message.contains("over the 4096-byte limit of the linux profile") == true, "\(linux)")
    }

    @Test("-fstack-clash-protection probes are found, and a frame pointer does not hide the frame")
    func probesAndFramePointer() throws {
        let probe = try Self.findings("stack-usage-probe.so", debug: "stack-usage-probe.so.dbg", rule: "stack-usage")
        #expect(probe.contains { $0.message.contains("probes the stack (sub $0x1000, %rsp then a zero store to (%rsp)") }, "\(probe)")
        let fp = try Self.findings("stack-usage-frame-pointer.so", debug: "stack-usage-frame-pointer.so.dbg", rule: "stack-usage")
        #expect(fp.count == 1)
        #expect(fp.first?.message.contains("bytes of stack-pointer subtractions below the frame pointer") == true, "\(fp)")
    }

    @Test("stack-probe byte patterns of GCC and clang, x86 and arm64; plain zero stores are not probes")
    func probePatterns() {
        let rule = StackUsageRule()
        func probe(_ bytes: [UInt8], _ machine: UInt16) -> String? {
            rule.probe(in: bytes, at: 0x1000, machine: machine, littleEndian: true, names: [:])
        }
        // GCC -fstack-clash-protection: sub $0x1000,%rsp; orq $0x0,(%rsp)
        #expect(probe([0x48, 0x81, 0xec, 0x00, 0x10, 0x00, 0x00, 0x48, 0x83, 0x0c, 0x24, 0x00], EM.x86_64) != nil)
        // GCC -fstack-check (golang/go#20427): orq $0x0,-0x1000(%rsp)
        #expect(probe([0x48, 0x83, 0x8c, 0x24, 0x00, 0xf0, 0xff, 0xff, 0x00], EM.x86_64)?.contains("-0x1000(%rsp)") == true)
        // i386: orl $0x0,(%esp)
        #expect(probe([0x83, 0x0c, 0x24, 0x00, 0xc3], EM.i386) != nil)
        // arm64: sub sp, sp, #1, lsl #12; str xzr, [sp]
        #expect(probe([0xff, 0x07, 0x40, 0xd1, 0xff, 0x03, 0x00, 0xf9], EM.aarch64) != nil)
        // not probes: movq $0,(%rsp) alone; str xzr, [sp, #8] alone
        #expect(probe([0x48, 0xc7, 0x04, 0x24, 0x00, 0x00, 0x00, 0x00, 0xc3], EM.x86_64) == nil)
        #expect(probe([0xff, 0x07, 0x00, 0xf9, 0xc0, 0x03, 0x5f, 0xd6], EM.aarch64) == nil)
        // a call to __rust_probestack
        #expect(probe([0xe8, 0x0b, 0x00, 0x00, 0x00], EM.x86_64) == nil)
        #expect(rule.probe(in: [0xe8, 0x0b, 0x00, 0x00, 0x00], at: 0x1000, machine: EM.x86_64, littleEndian: true,
                           names: [0x1010: "__rust_probestack"])?.contains("call __rust_probestack") == true)
        // arm64 stack-pointer subtractions: sub sp, sp, #2, lsl #12; sub sp, sp, #16
        #expect(rule.stackPointerSubtractions(in: [0xff, 0x0b, 0x40, 0xd1, 0xff, 0x43, 0x00, 0xd1], machine: EM.aarch64, littleEndian: true) == 8208)
    }

    @Test("the whole-FDE walk starts at the call-entry rule and returns to it")
    func cfiRows() throws {
        let image = try ELFReader.read(path: TestSupport.fixtures + "/good.so")
        let d = DynamicView(image)
        let eh = try #require(image.segments(ofType: PT.gnuEHFrame).first)
        guard case .success(let header) = EHFrame.header(d, address: eh.vaddr) else { Issue.record("no header"); return }
        #expect(!header.table.isEmpty)
        for e in header.table {
            guard case .success(let fde) = EHFrame.fde(d, address: e.fde) else { Issue.record("bad FDE"); continue }
            let rows = CFARule.rows(fde: fde, is64: true, littleEndian: true)
            #expect(rows.first?.location == fde.pcBegin)
            #expect(rows.first?.rule.register == 7 && rows.first?.rule.offset == 8)
            #expect(rows.allSatisfy { $0.rule.stoppedAt == nil && $0.location < fde.pcEnd })
            #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.location < $1.location })
            // the single-address evaluator agrees with the walk at every row
            for r in rows {
                #expect(CFARule.at(r.location, fde: fde, is64: true, littleEndian: true).offset == r.rule.offset)
            }
        }
    }

    @Test("section-headers messages")
    func sectionHeaders() throws {
        let sh0 = try Self.findings("section-headers-sh0.so", debug: "good.so.dbg", rule: "section-headers")
        #expect(sh0.map(\.message) == ["section 0 has type SHT_PROGBITS, not SHT_NULL: the gABI reserves index 0 (SHN_UNDEF) and tools skip it, so whatever it describes is lost; relink instead of editing the section table"])
        let note = try Self.findings("section-headers-note-type.so", debug: "good.so.dbg", rule: "section-headers")
        #expect(note.contains { $0.message.hasPrefix("section .note has type SHT_PROGBITS, not SHT_NOTE") })
        #expect(note.contains { $0.message.contains("is not covered by any SHT_NOTE section") })
        let outside = try Self.findings("section-headers-outside.so", debug: "good.so.dbg", rule: "section-headers")
        #expect(outside.contains { $0.message.hasPrefix("section 11 .text (offset 0x") && $0.message.contains("extends past the end") })
        let strndx = try Self.findings("section-headers-shstrndx.so", debug: "good.so.dbg", rule: "section-headers")
        #expect(strndx.map(\.message).count == 1, "no name comparison without names: \(strndx)")
        #expect(strndx.first?.message.hasPrefix("e_shstrndx 99 is not a section (there are 13)") == true)
        let renamed = try Self.findings("section-headers-renamed.so", debug: "good.so.dbg", rule: "section-headers")
        #expect(renamed.map(\.message).first?.hasPrefix("allocated section .gnu.versym at 0x") == true, "\(renamed)")
        #expect(renamed.first?.message.contains("is named .gnu.version in good.so.dbg") == true)
        // the debug image alone, and the good image with its own debug image: nothing
        #expect(try Self.findings("good.so", debug: "good.so.dbg", rule: "section-headers").isEmpty)
    }

    @Test("time-pairs messages")
    func timePairs() throws {
        let t32 = try Self.findings("time-pairs-i386-no-time32.so", debug: "time-pairs-i386-no-time32.so.dbg", rule: "time-pairs")
        #expect(t32.map(\.message).first?.hasPrefix("__vdso_clock_gettime64@@LINUX_2.6 is exported without __vdso_clock_gettime: musl") == true, "\(t32)")
        let bare = try Self.findings("time-pairs-no-bare.so", debug: "time-pairs-no-bare.so.dbg", rule: "time-pairs")
        #expect(bare.count == 1)
        #expect(bare.first?.severity == .error)
        #expect(bare.first?.message.hasPrefix("__vdso_time@@LINUX_2.6 is exported without time: the x86_64 Linux vDSO exports every function under both names") == true, "\(bare)")
        let linux = try Self.findings("time-pairs-no-bare.so", debug: "time-pairs-no-bare.so.dbg", profile: .linux, rule: "time-pairs")
        #expect(linux.first?.severity == .warning)
        // a __vdso_ name the ABI does not list, without its bare alias: a warning
        let extra = try Self.findings("exports-unexpected.so", debug: "exports-unexpected.so.dbg", rule: "time-pairs")
        #expect(extra.allSatisfy { $0.severity == .warning })
    }
}
