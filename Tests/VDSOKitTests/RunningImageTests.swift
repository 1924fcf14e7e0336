import Testing
import VDSOKit

/// The vDSO the kernel gave this test process: a real image no one here wrote.
@Suite("The running kernel's vDSO")
struct RunningImageTests {
    @Test("parses, and every export resolves through both hash tables")
    func lookups() throws {
        let image = try RunningVDSO.image()
        let view = DynamicView(image)
        #expect(view.soname == "linux-vdso.so.1")
        #expect(!view.exports.isEmpty)
        // Linux links every x86 vDSO with --hash-style=both (arch/x86/entry/vdso/Makefile): both
        // tables must be read, not skipped when a reader returns nothing.
        guard let sysv = view.sysvHash, let gnu = view.gnuHash else {
            Issue.record("the running image's hash tables were not read: DT_HASH \(view.sysvHash != nil), DT_GNU_HASH \(view.gnuHash != nil)")
            return
        }
        for s in view.exports {
            #expect(sysv.lookup(s.name, in: view) == .found(s.index), "DT_HASH: \(s.name)")
            #expect(gnu.lookup(s.name, in: view) == .found(s.index), "DT_GNU_HASH: \(s.name)")
            #expect(s.versionName == "LINUX_2.6")
        }
    }

    @Test("passes the linux profile without DWARF, and strict reports what Linux ships")
    func profiles() throws {
        let image = try RunningVDSO.image()
        let linux = Checker.check(image, options: CheckOptions(profile: .linux, skip: ["dwarf"]))
        #expect(linux.passed, "\(ReportRenderer.text([linux]))")
        let strict = Checker.check(image, options: CheckOptions(profile: .strict, skip: ["dwarf"]))
        // Some kernels' images carry a stray DT_RUNPATH, which strict (and only strict) rejects
        // under no-needed: the finding must be there exactly when the entry is.
        let runpath = DynamicView(image).has(DT.runpath)
        #expect(strict.findings.contains { $0.rule == "no-needed" && $0.severity == .error } == runpath,
                "\(ReportRenderer.text([strict]))")
        #expect(!linux.findings.contains { $0.rule == "no-needed" && $0.severity == .error })
    }

    @Test("the ELF and GNU hash functions match the image's own tables")
    func hashes() {
        #expect(elfHash("LINUX_2.6") == 0x3ae75f6)
        #expect(gnuHash("") == 5381)
        // gnuHash("") is only the seed: these need the multiplier and the add. 0x156b2bb8 is the
        // published dl_new_hash("printf"); the other is the same djb2 (h * 33 + c) worked outside
        // vdsogen.
        #expect(gnuHash("printf") == 0x156b_2bb8)
        #expect(gnuHash("__vdso_clock_gettime") == 0x6e43_a318)
    }
}
