import Foundation
import Testing
import VDSOKit

/// Issue 4: DWARF and unwind coverage, consumers, CET/BTI, debug-match, source-line messages.
@Suite("Deep validation")
struct DeepValidationTests {
    let dir = TestSupport.fixtures

    func report(_ image: String, debug: String? = nil) throws -> ImageReport {
        try Checker.check(path: dir + "/" + image, debugPath: debug.map { dir + "/" + $0 })
    }

    func messages(_ r: ImageReport, _ rule: String) -> [String] {
        r.findings.filter { $0.rule == rule }.map(\.message)
    }

    @Test("DWARF 4 and DWARF 5 images both read fully: subprograms, lines, variables", arguments: [4, 5])
    func dwarfVersions(_ version: Int) throws {
        let dbg = try ELFReader.read(path: dir + "/dwarf-v\(version).so.dbg")
        guard case .success(let d)? = DWARFSummary.read(dbg) else { Issue.record("no DWARF"); return }
        #expect(d.versions == [version])
        let exports = DynamicView(dbg).exports.filter { $0.type == STT.function }
        #expect(!exports.isEmpty)
        for s in exports {
            #expect(d.subprograms.contains { $0.covers(s.value, s.value + s.size) }, "\(s.name)")
            #expect(d.line(at: s.value)?.file == "vdso.c", "\(s.name)")
        }
        #expect(try report("dwarf-v\(version).so", debug: "dwarf-v\(version).so.dbg").findings.isEmpty)
    }

    @Test("an export without a subprogram, and a debug image without a line table")
    func dwarfDeep() throws {
        let a = messages(try report("dwarf-no-subprogram.so", debug: "dwarf-no-subprogram.so.dbg"), "dwarf")
        #expect(a.count == 1 && a[0].contains("__vdso_getcpu/getcpu") && a[0].contains("DW_TAG_subprogram"))
        let b = messages(try report("good.so", debug: "dwarf-no-lines.so.dbg"), "dwarf")
        #expect(b.count == 5 && b.allSatisfy { $0.contains("maps no source line") })
    }

    @Test("the .eh_frame_hdr table of the good image: sorted, real FDEs, call-entry CFA")
    func ehFrameGood() throws {
        let img = try ELFReader.read(path: dir + "/good.so")
        let d = DynamicView(img)
        let hdrSeg = img.segments(ofType: PT.gnuEHFrame)[0]
        guard case .success(let h) = EHFrame.header(d, address: hdrSeg.vaddr) else { Issue.record("header"); return }
        #expect(h.tableEncoding == EHFrame.PE.searchTable)
        #expect(h.table.count == Int(h.fdeCount) && h.fdeCount >= 5)
        #expect(zip(h.table, h.table.dropFirst()).allSatisfy { $0.location < $1.location })
        let rule = try #require(CallEntryRule.forMachine(EM.x86_64))
        for s in d.exports {
            let e = try #require(h.search(s.value))
            guard case .success(let fde) = EHFrame.fde(d, address: e.fde) else { Issue.record("fde"); continue }
            #expect(fde.covers(s.value, s.value + s.size))
            let cfa = CFARule.at(s.value, fde: fde, is64: true, littleEndian: true)
            #expect(rule.matches(cfa), "\(s.name): \(cfa)")
        }
    }

    @Test("unwind-info: no FDE, wrong CFA, unsorted table, entry at a CIE")
    func unwindDeep() throws {
        #expect(messages(try report("unwind-no-fde.so", debug: "unwind-no-fde.so.dbg"), "unwind-info").contains { $0.contains("not covered by any FDE") })
        #expect(messages(try report("unwind-bad-cfa.so", debug: "unwind-bad-cfa.so.dbg"), "unwind-info").contains { $0.contains("is rsp+16, not the call-entry rule rsp+8") })
        #expect(messages(try report("unwind-hdr-unsorted.so"), "unwind-info").contains { $0.contains("not sorted") })
        #expect(messages(try report("unwind-hdr-bad-fde.so"), "unwind-info").contains { $0.contains("is a CIE, not an FDE") })
    }

    @Test("consumers: the good image is found by all; each broken image by the right one")
    func consumers() throws {
        let good = ConsumerMatrix(DynamicView(try ELFReader.read(path: dir + "/good.so")), expectations: ArchABI.x86_64.expectations, abi: .x86_64)
        #expect(good.allFound)
        if case .found = good.outcome("__vdso_clock_gettime", .go)! {} else { Issue.record("Go finds __vdso_clock_gettime") }
        #expect(good.outcome("__vdso_time", .go) == .notLookedUp)
        // rustix looks up no signal trampoline, musl no gettimeofday: neither is ever reported.
        #expect(good.outcome("__vdso_gettimeofday", .musl) == .notLookedUp)
        func matrix(_ f: String) throws -> ConsumerMatrix {
            ConsumerMatrix(DynamicView(try ELFReader.read(path: dir + "/" + f)), expectations: ArchABI.x86_64.expectations, abi: .x86_64)
        }
        if case .crash = try matrix("versions-none.so").outcome("__vdso_clock_gettime", .go)! {} else { Issue.record("Go should crash without DT_VERDEF") }
        if case .notFound = try matrix("hash-gnu-only.so").outcome("__vdso_clock_gettime", .musl)! {} else { Issue.record("musl needs DT_HASH") }
        if case .found = try matrix("hash-gnu-only.so").outcome("__vdso_clock_gettime", .glibc)! {} else { Issue.record("glibc reads DT_GNU_HASH") }
        if case .notFound = try matrix("load-layout-noexec.so").outcome("__vdso_clock_gettime", .rustix)! {} else { Issue.record("rustix needs R+X") }
        if case .notFound = try matrix("hash-gnu-broken.so").outcome("__vdso_clock_gettime", .glibc)! {} else { Issue.record("glibc trusts the Bloom filter") }
        if case .notFound = try matrix("versions-wrong-node.so").outcome("__vdso_clock_gettime", .go)! {} else { Issue.record("Go needs LINUX_2.6") }
    }

    @Test("cet-bti: IBT claimed and honoured passes; a function without endbr64 or bti c is named")
    func cetBTI() throws {
        #expect(GNUProperties.read(try ELFReader.read(path: dir + "/cet-ibt.so")).claimsIBT)
        #expect(messages(try report("cet-ibt.so", debug: "cet-ibt.so.dbg"), "cet-bti").isEmpty)
        let ibt = messages(try report("cet-ibt-missing.so", debug: "cet-ibt-missing.so.dbg"), "cet-bti")
        #expect(ibt.count == 1 && ibt[0].contains("__vdso_getcpu/getcpu") && ibt[0].contains("vdso.c:"))
        let bti = messages(try report("cet-bti-arm64-missing.so"), "cet-bti")
        #expect(bti.count == 1 && bti[0].contains("__kernel_clock_getres") && bti[0].contains("bti.c:3"))
        #expect(messages(try report("good.so", debug: "good.so.dbg"), "cet-bti").isEmpty, "claiming nothing is fine")
    }

    @Test("debug-match: changed bytes and a left-over .symtab; nothing without --debug")
    func debugMatch() throws {
        #expect(messages(try report("debug-match-bytes.so", debug: "good.so.dbg"), "debug-match").contains { $0.contains(".text+0x") })
        #expect(messages(try report("debug-match-symtab.so", debug: "good.so.dbg"), "debug-match").contains { $0.contains(".symtab") })
        #expect(messages(try report("debug-match-symtab.so"), "debug-match").isEmpty)
    }

    @Test("messages name the symbol and file:line: relocation, undefined call, writable data")
    func sourceLines() throws {
        let rel = try report("reloc-c-table.so", debug: "reloc-c-table.so.dbg").findings.first { $0.rule == "no-dynamic-relocations" }
        #expect(rel?.message.contains("in vdso_getres_table (declared at vdso.c:") == true)
        #expect(rel?.location?.file == "vdso.c")
        let und = messages(try report("undefined-c-call.so", debug: "undefined-c-call.so.dbg"), "no-undefined-symbols")
        #expect(und.contains { $0.contains("vdso_helper is undefined (called from __vdso_getcpu at vdso.c:") })
        let data = messages(try report("writable-data-data.so", debug: "writable-data-data.so.dbg"), "writable-data")
        #expect(data.contains { $0.contains("holding vdso_calls (declared at vdso.c:") })
    }

    @Test("the default image passes every rule with zero findings; the running vDSO passes --profile linux --skip dwarf")
    func defaultAndRunning() throws {
        let out = TestSupport.temporaryDirectory("deep-default")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"), "-o", out, "-q"])
        #expect(r.status == 0, "\(r.output)")
        let rep = try Checker.check(path: out + "/vdso.so", debugPath: out + "/vdso.so.dbg")
        #expect(rep.findings.isEmpty, "\(ReportRenderer.text([rep]))")
        let running = try Checker.check(RunningVDSO.image(), options: CheckOptions(profile: .linux, skip: ["dwarf"]))
        #expect(running.passed, "\(ReportRenderer.text([running]))")
    }

    @Test("text output: one line per finding, then the consumer table only when a consumer fails")
    func textMatrix() throws {
        let r = try TestSupport.run([TestSupport.vdsogen, "check", dir + "/hash-gnu-only.so"])
        #expect(r.output.contains("what each consumer finds of the symbols it looks up (absent: not in the image, the consumer falls back to the system call; -: not looked up):"))
        #expect(r.output.contains("  __vdso_clock_gettime  found    MISSING  found    found"), "\(r.output)")
        let g = try TestSupport.run([TestSupport.vdsogen, "check", dir + "/good.so", "--debug", dir + "/good.so.dbg"])
        #expect(g.status == 0 && !g.output.contains("consumer"))
    }
}
