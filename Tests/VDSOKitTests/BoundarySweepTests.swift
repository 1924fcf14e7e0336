import Foundation
import Testing
import VDSOFieldMutator
import VDSOKit

/// The short form of the boundary sweep (issues 15 and 21): mutants of the default images of the
/// five architectures (out/, built by `make`), each one field of the ELF header, a program or
/// section header, a dynamic entry, a `.dynsym` symbol, a version definition, a hash-table header,
/// a note header or `.eh_frame_hdr`/`.eh_frame` set to a boundary value, or the whole image rebased
/// near the top of the address space. Each goes through every rule (strict profile, with and
/// without the debug twin), inspect and emit, in process: a trap ends the test process (the
/// failure), and a case over one second of CPU time fails the test.
///
/// The short form runs the mutations `always` names in full and a 1-in-`stride` sample of the rest,
/// at a different residue per architecture so that the five together cover different fields and values;
/// `VDSOGEN_SWEEP=full swift test --filter BoundarySweep` runs all of them, and
/// `Tests/fuzz/sweep.sh` runs all of them in a child process that lists every crash site.
@Suite("Boundary sweep")
struct BoundarySweepTests {
    static let arches = ["x86_64", "i386", "aarch64", "riscv64", "arm"]
    /// One case in this many of the rest (about 2,000 cases in all, ~25 ms of CPU each in a debug build).
    static let stride = 37
    static var full: Bool { ProcessInfo.processInfo.environment["VDSOGEN_SWEEP"] == "full" }

    static func image(_ arch: String) -> String {
        TestSupport.path(arch == "x86_64" ? "out/vdso.so" : "out/\(arch)/vdso.so")
    }

    /// CPU seconds of this thread spent in `body`: the bound is on the work a case does, not on
    /// how busy the machine is (parallel tests share the cores).
    static func seconds(_ body: () -> Void) -> Double {
        func now() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
        let start = now()
        body()
        return now() - start
    }

    @Test("the mutator finds every table of the default images", arguments: arches)
    func enumeratesTables(_ arch: String) throws {
        let bytes = try #require(try? FileIO.read(Self.image(arch)), "no \(Self.image(arch)): run make first")
        let m = try #require(FieldMutator(bytes))
        let names = m.fields.map(\.name)
        for prefix in ["ehdr.e_phoff", "phdr[0].p_vaddr", "shdr[", "dynamic[", "dynsym[1].st_value", "dynsym[1].st_info",
                       "verdef[0].vd_cnt", "verdef[0].aux[0].vda_name", "note[", "eh_frame_hdr.fde_count",
                       "eh_frame_hdr.table[0].initial_loc", "eh_frame[0].length"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "\(arch): no field \(prefix)...")
        }
        #expect(names.contains { $0.hasPrefix("hash.") || $0.hasPrefix("gnu_hash.") }, "\(arch): no hash table header")
        // The rebase moves every address field, and nothing else.
        let delta = try #require(m.rebaseDeltas.first)
        let rebased = m.apply(.init(kind: .rebase(delta)))
        #expect(m.addressFields.contains { $0.name.hasSuffix(".p_vaddr") } && m.addressFields.contains { $0.name.hasSuffix(".sh_addr") })
        for f in m.fields {
            let old = Self.read(bytes, f, littleEndian: m.littleEndian), new = Self.read(rebased, f, littleEndian: m.littleEndian)
            let want = f.isAddress ? (old &+ delta) & f.maxValue : old
            #expect(new == want, "\(arch): \(f.name) \(old) -> \(new), want \(want)")
        }
    }

    @Test("the mutator finds the DWARF unit headers and abbreviations of the default debug images", arguments: arches)
    func enumeratesDWARF(_ arch: String) throws {
        let bytes = try #require(try? FileIO.read(Self.image(arch) + ".dbg"), "no \(Self.image(arch)).dbg: run make first")
        let names = try #require(FieldMutator(bytes)).fields.map(\.name)
        for prefix in ["debug_info[0].version", "debug_info[0].debug_abbrev_offset", "debug_line[0].header_length",
                       "debug_line[0].line_range", "debug_line[0].opcode_base"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "\(arch): no field \(prefix)...")
        }
        #expect(names.contains { $0.hasPrefix("debug_abbrev[") && $0.hasSuffix(".form") }, "\(arch): no abbreviation forms")
    }

    /// A debug image by GCC with DWARF 5, whose abbreviations carry DW_FORM_implicit_const values
    /// (clang's do not): the pair's paths.
    static func gccDWARF5() throws -> (image: String, debug: String) {
        let dir = TestSupport.temporaryDirectory("sweep-gcc-dwarf5")
        try AtomicFile.write("""
            struct ts { long s, ns; };
            static int helper(int c) { return c * 3; }
            int __vdso_clock_gettime(int c, struct ts *t) { t->s = helper(c); t->ns = 0; return 0; }
            int __vdso_gettimeofday(void *tv, void *tz) { return helper(1); }
            int __vdso_getcpu(unsigned *cpu, unsigned *node, void *u) { if (cpu) *cpu = 0; return 0; }
            """, to: dir + "/v.c", durable: false)
        try AtomicFile.write("LINUX_2.6 { global: __vdso_clock_gettime; __vdso_gettimeofday; __vdso_getcpu; local: *; };\n",
                             to: dir + "/v.map", durable: false)
        for step in [["gcc", "-O2", "-g", "-gdwarf-5", "-fPIC", "-fno-stack-protector", "-c", "v.c", "-o", "v.o"],
                     ["gcc", "-shared", "-nostdlib", "-Wl,--hash-style=both", "-Wl,--build-id=sha1", "-Wl,-soname,linux-vdso.so.1",
                      "-Wl,--version-script,v.map", "v.o", "-o", "v.so.dbg"],
                     ["objcopy", "-S", "v.so.dbg", "v.so"]] {
            let r = try TestSupport.run(step, in: dir)
            #expect(r.status == 0, "\(step[0]): \(r.output)")
        }
        return (dir + "/v.so", dir + "/v.so.dbg")
    }

    @Test("GCC's DWARF 5: every boundary value of each unit header and implicit_const, a sample of the forms")
    func sweepDWARF() throws {
        let pair = try Self.gccDWARF5()
        let bytes = try FileIO.read(pair.image), debugBytes = try FileIO.read(pair.debug)
        let debug = try #require(FieldMutator(debugBytes))
        var cases = 0, slow: [String] = []
        for (i, mutation) in debug.mutations.enumerated() {
            guard case .set(let field, _) = mutation.kind, field.name.hasPrefix("debug_") else { continue }
            guard !field.name.hasSuffix(".form") || i % 7 == 0 else { continue }
            cases += 1
            let t = Self.seconds { _ = MutantExercise.run(image: bytes, debug: debug.apply(mutation)) }
            if t > 1 { slow.append("\(mutation): \(String(format: "%.2f", t)) s") }
        }
        #expect(debug.fields.contains { $0.name.hasSuffix(".implicit_const") }, "GCC's abbreviations carry implicit_const")
        #expect(cases > 100 && slow.isEmpty, "\(cases) cases; over 1 s of CPU time:\n\(slow.joined(separator: "\n"))")
    }

    /// What the short form runs in full: the rebases, the CFI edits, and every boundary value of
    /// every `.dynsym` symbol's st_value and st_size in the stripped image (the class issue 15
    /// found 23 crashes in).
    static func always(_ m: FieldMutator.Mutation, debugSide: Bool) -> Bool {
        switch m.kind {
        case .rebase, .patch: return true
        case .set(let f, _): return !debugSide && f.name.hasPrefix("dynsym[") && (f.name.hasSuffix(".st_value") || f.name.hasSuffix(".st_size"))
        }
    }

    static func read(_ bytes: [UInt8], _ f: ELFField, littleEndian: Bool) -> UInt64 {
        (0..<f.width).reduce(UInt64(0)) { v, i in v << 8 | UInt64(bytes[f.offset + (littleEndian ? f.width - 1 - i : i)]) }
    }

    @Test("no boundary mutant of a default image crashes or hangs check, inspect or emit", arguments: Array(arches.enumerated()))
    func sweep(_ index: Int, _ arch: String) throws {
        let path = Self.image(arch)
        let bytes = try #require(try? FileIO.read(path), "no \(path): run make first")
        let debugBytes = try #require(try? FileIO.read(path + ".dbg"), "no \(path).dbg: run make first")
        let image = try #require(FieldMutator(bytes)), debug = try #require(FieldMutator(debugBytes))
        var cases: [(debug: Bool, mutation: FieldMutator.Mutation)] = []
        for (side, m) in [(false, image), (true, debug)] {
            for (i, mutation) in m.mutations.enumerated() {
                if Self.full || Self.always(mutation, debugSide: side) || i % Self.stride == index % Self.stride {
                    cases.append((side, mutation))
                }
            }
        }
        var slow: [String] = [], parsed = 0
        for c in cases {
            var findings = 0
            let t = Self.seconds {
                findings = c.debug ? MutantExercise.run(image: bytes, debug: debug.apply(c.mutation))
                    : MutantExercise.run(image: image.apply(c.mutation), debug: debugBytes)
            }
            if findings >= 0 { parsed += 1 }
            if t > 1 { slow.append("\(c.debug ? "debug" : "image") \(c.mutation): \(String(format: "%.2f", t)) s") }
        }
        #expect(slow.isEmpty, "\(arch): cases over 1 s of CPU time:\n\(slow.joined(separator: "\n"))")
        // Most mutants still parse: the sweep exercises the rules, not only the reader's refusals.
        #expect(parsed * 2 > cases.count, "\(arch): only \(parsed) of \(cases.count) mutants parse")
    }
}
