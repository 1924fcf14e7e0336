import Foundation
import Testing
import VDSOKit

/// Hostile input through the command line (issue 7): every case is generated here, from the
/// default image, and checked with `vdsogen check --skip dwarf` (the stripped image has no DWARF
/// of its own; skipping that rule leaves the good image with no finding, so every finding below is
/// the malformation's). Each case must give, under a time limit and an address-space limit:
///
///   - exit 2 with exactly one line on stderr, `vdsogen: FILE: ...`, for a file that cannot be read
///     or is not ELF; or
///   - exit 1 with a `FILE: error[RULE]: ...` line, for a readable ELF with malformed tables;
///
/// never a crash (a signal), never a hang (killed after `timeLimit` seconds), never more memory
/// than `memoryLimitKiB` of address space (a 2 GiB e_shnum claim must not be allocated).
///
/// `HOSTILE_TABLE=FILE swift test --filter HostileInput` also writes the table of cases and
/// their first message as Markdown (Docs/hostile-input.md is made from it).
@Suite("Hostile input", .serialized)
struct HostileInputTests {
    static let timeLimit = 30
    static let memoryLimitKiB = 1 << 20 // 1 GiB of address space

    /// What a case must produce.
    enum Expect {
        /// Exit 2, one stderr line naming the file that contains this text.
        case unreadable(String)
        /// Exit 1, a finding of this rule whose message contains this text (nil: any).
        case malformed(rule: String, String?)
        /// Exit 1 or 2 with the shapes above (used for the byte-by-byte truncations).
        case either
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The line that says what is wrong: stderr's, or the first error finding.
        var headline: String {
            let lines = (stderr + stdout).split(separator: "\n").map(String.init)
            return lines.first { $0.contains("error[") || $0.hasPrefix("vdsogen:") } ?? lines.first ?? ""
        }
    }

    // MARK: - the default image and the machinery

    /// The default x86-64 image (stripped), built once.
    static let image: [UInt8] = {
        let dir = TestSupport.temporaryDirectory("hostile-build")
        var r = BuildRequest(manifest: try! Manifest.load(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml")))
        r.outputDirectory = dir
        r.quiet = true
        _ = try! BuildDriver.build(r)
        return try! FileIO.read(r.imagePath)
    }()

    static let parsed: ELFImage = try! ELFReader.parse(image, path: "default")
    static let work = TestSupport.temporaryDirectory("hostile")

    /// Table rows gathered for HOSTILE_TABLE.
    nonisolated(unsafe) static var rows: [(String, String, Outcome)] = []

    /// Runs `vdsogen check --skip dwarf PATH` under the time and memory limits.
    static func check(_ path: String) throws -> Outcome {
        let out = work + "/.stdout", err = work + "/.stderr"
        let script = "ulimit -v \(memoryLimitKiB); exec timeout -s KILL \(timeLimit) \"$0\" check --skip dwarf \"$1\" >\"$2\" 2>\"$3\""
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script, TestSupport.vdsogen, path, out, err]
        try p.run()
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return Outcome(status: status,
                       stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Checks one outcome against what the case expects.
    static func verify(_ name: String, _ path: String, _ o: Outcome, _ expect: Expect,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        rows.append((name, path, o))
        let what = "\(name): exit \(o.status)\nstdout: \(o.stdout.prefix(600))\nstderr: \(o.stderr.prefix(600))"
        // Never a crash, a hang (timeout's SIGKILL: 137) or an allocation failure (Swift traps: 132/133/134).
        #expect(o.status == 1 || o.status == 2, "\(what)", sourceLocation: sourceLocation)
        #expect(!o.stderr.contains("Fatal error") && !o.stderr.contains("Crash"), "\(what)", sourceLocation: sourceLocation)
        let errLines = o.stderr.split(separator: "\n")
        switch (expect, o.status) {
        case (.unreadable(let text), _):
            #expect(o.status == 2, "\(what)", sourceLocation: sourceLocation)
            #expect(errLines.count == 1 && errLines[0].hasPrefix("vdsogen: \(path): ") && errLines[0].contains(text),
                    "expected one line naming \(path) and \"\(text)\"; \(what)", sourceLocation: sourceLocation)
            #expect(o.stdout.isEmpty, "\(what)", sourceLocation: sourceLocation)
        case (.malformed(let rule, let text), _):
            #expect(o.status == 1, "\(what)", sourceLocation: sourceLocation)
            #expect(o.stderr.isEmpty, "\(what)", sourceLocation: sourceLocation)
            let prefix = "\(path): error[\(rule)]: "
            let hit = o.stdout.split(separator: "\n").contains { line in line.hasPrefix(prefix) && (text.map { line.contains($0) } ?? true) }
            #expect(hit, "expected a line starting \"\(prefix)\"\(text.map { " containing \"\($0)\"" } ?? ""); \(what)",
                    sourceLocation: sourceLocation)
        case (.either, 2):
            #expect(errLines.count == 1 && errLines[0].hasPrefix("vdsogen: \(path): "), "\(what)", sourceLocation: sourceLocation)
        case (.either, _):
            #expect(o.stderr.isEmpty && o.stdout.contains("\(path): error["), "\(what)", sourceLocation: sourceLocation)
        }
    }

    /// Writes `bytes` to a fresh file, checks it and verifies the outcome.
    static func run(_ name: String, _ bytes: [UInt8], _ expect: Expect, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let path = work + "/" + name + ".so"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        verify(name, path, try check(path), expect, sourceLocation: sourceLocation)
    }

    // MARK: - byte surgery on the default image

    static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8], bigEndian: Bool = false) {
        let v = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: v) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }

    static func get<T: FixedWidthInteger>(_: T.Type, at offset: Int, in bytes: [UInt8]) -> T {
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { for i in 0..<$0.count { $0[i] = bytes[offset + i] } }
        return T(littleEndian: v)
    }

    static func patched(_ body: (inout [UInt8]) -> Void) -> [UInt8] {
        var b = image
        body(&b)
        return b
    }

    static func section(_ name: String) -> Section {
        guard let s = parsed.section(named: name) else { fatalError("the default image has no \(name)") }
        return s
    }

    /// File offset of the `index`th dynamic entry with `tag`.
    static func dynamicEntry(_ tag: Int64) -> Int {
        let d = section(".dynamic")
        for i in 0..<Int(d.size / 16) where get(Int64.self, at: Int(d.offset) + 16 * i, in: image) == tag {
            return Int(d.offset) + 16 * i
        }
        fatalError("no dynamic tag \(tag)")
    }

    static var phoff: Int { Int(parsed.header.phoff) }
    static var shoff: Int { Int(parsed.header.shoff) }

    /// File offset of the first program header of this type.
    static func programHeader(_ type: UInt32) -> Int {
        let i = parsed.segments.firstIndex { $0.type == type }!
        return phoff + 56 * parsed.segments[i].index
    }

    // MARK: - files that are not ELF, or cannot be read (exit 2)

    @Test("files that cannot be read or are not ELF: exit 2, one line")
    func unreadable() throws {
        try Self.run("empty", [], .unreadable("the file is empty"))
        try Self.run("text", Array("hello, world\n".utf8), .unreadable("no ELF magic"))
        try Self.run("magic-only", [0x7f, 0x45, 0x4c, 0x46], .unreadable("ends inside the ELF identification"))
        try Self.run("class-3", Self.patched { $0[4] = 3 }, .unreadable("unknown ELF class 3"))
        try Self.run("data-encoding-3", Self.patched { $0[5] = 3 }, .unreadable("unknown ELF data encoding 3"))

        let dir = Self.work + "/a-directory.so"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        Self.verify("directory", dir, try Self.check(dir), .unreadable("is a directory"))

        let missing = Self.work + "/missing.so"
        Self.verify("missing file", missing, try Self.check(missing), .unreadable("No such file or directory"))

        // Unreadable, case 1: tests run as root, so chmod 000 does not stop a read. A path through a
        // regular file (ENOTDIR) cannot be opened by anyone.
        let notDir = Self.work + "/empty.so/vdso.so"
        Self.verify("path through a non-directory", notDir, try Self.check(notDir), .unreadable("Not a directory"))

        // Unreadable, case 2: a FIFO no process writes to. Opening it must not block forever.
        let fifo = Self.work + "/fifo.so"
        unlink(fifo)
        #expect(mkfifo(fifo, 0o644) == 0)
        Self.verify("FIFO without a writer", fifo, try Self.check(fifo), .unreadable("FIFO"))

        // An endless source: reading must not grow without bound.
        Self.verify("character device (/dev/zero)", "/dev/zero", try Self.check("/dev/zero"), .unreadable("character device"))
    }

    // MARK: - truncation

    @Test("truncated at every header boundary and at every byte of the first 256")
    func truncated() throws {
        let h = Self.parsed.header
        let phEnd = Self.phoff + 56 * h.phnum, shEnd = Self.shoff + 64 * h.shnum
        try Self.run("truncated-in-ident", Array(Self.image[..<8]), .unreadable("shorter than the 64-byte ELF header"))
        try Self.run("truncated-after-ident", Array(Self.image[..<16]), .unreadable("shorter than the 64-byte ELF header"))
        try Self.run("truncated-in-ehdr", Array(Self.image[..<63]), .unreadable("shorter than the 64-byte ELF header"))
        try Self.run("truncated-after-ehdr", Array(Self.image[..<64]), .unreadable("program header table"))
        try Self.run("truncated-in-phdrs", Array(Self.image[..<(Self.phoff + 56 + 20)]), .unreadable("program header table"))
        try Self.run("truncated-after-phdrs", Array(Self.image[..<phEnd]), .malformed(rule: "load-layout", "truncated"))
        try Self.run("truncated-before-shdrs", Array(Self.image[..<Self.shoff]), .malformed(rule: "elf-header", "section header table"))
        try Self.run("truncated-in-shdrs", Array(Self.image[..<(Self.shoff + 64 * 3 + 7)]), .malformed(rule: "elf-header", "section header table"))
        try Self.run("truncated-last-byte", Array(Self.image[..<(shEnd - 1)]), .malformed(rule: "elf-header", "section header table"))
        for sectionName in [".dynamic", ".dynsym", ".gnu.hash", ".gnu.version_d"] {
            let s = Self.section(sectionName)
            let name = "truncated-in-\(sectionName.dropFirst())"
            try Self.run(name, Array(Self.image[..<(Int(s.offset) + Int(s.size) / 2)]), .malformed(rule: "load-layout", "truncated"))
            // A cut inside the PT_LOAD is one cause: one finding, then the verdict, not a finding
            // from every rule that misses a table past the cut.
            let o = try Self.check(Self.work + "/" + name + ".so")
            let lines = o.stdout.split(separator: "\n")
            #expect(lines.count == 2 && lines[0].contains("error[load-layout]") && lines[1].hasSuffix("REJECTED (1 error, 0 warnings)"),
                    "\(name): \(o.stdout)")
        }
        for n in 1...256 {
            try Self.run("truncated-\(n)", Array(Self.image[..<n]), .either)
        }
        // The library: only load-layout on a cut file, unless every rule is asked for.
        let cut = try ELFReader.parse(Array(Self.image[..<(Int(Self.section(".dynsym").offset) + 8)]), path: "cut")
        #expect(cut.isTruncated && !Self.parsed.isTruncated)
        #expect(Checker.check(cut).findings.map(\.rule) == ["load-layout"])
        #expect(Checker.check(cut, options: CheckOptions(skip: ["load-layout"])).findings.map(\.rule) == ["load-layout"])
        #expect(Set(Checker.check(cut, options: CheckOptions(stopAtTruncation: false)).findings.map(\.rule)).count > 3)
    }

    // MARK: - header tables

    @Test("header tables past the end, overlapping, or with huge counts")
    func headerTables() throws {
        let size = UInt64(Self.image.count)
        try Self.run("phoff-past-eof", Self.patched { Self.put(size + 8, at: 32, in: &$0) }, .unreadable("program header table"))
        try Self.run("phoff-overflows", Self.patched { Self.put(UInt64.max - 15, at: 32, in: &$0) }, .unreadable("program header table"))
        try Self.run("shoff-past-eof", Self.patched { Self.put(size + 8, at: 40, in: &$0) }, .malformed(rule: "elf-header", "section header table"))
        try Self.run("shoff-overflows", Self.patched { Self.put(UInt64.max - 15, at: 40, in: &$0) }, .malformed(rule: "elf-header", "section header table"))
        try Self.run("phnum-0xffff", Self.patched { Self.put(UInt16(0xffff), at: 56, in: &$0) }, .malformed(rule: "elf-header", nil))
        try Self.run("phnum-0xffff-sh-info-huge", Self.patched {
            Self.put(UInt16(0xffff), at: 56, in: &$0)
            Self.put(UInt32(0x7fff_ffff), at: Self.shoff + 44, in: &$0)
        }, .either)
        try Self.run("shnum-0xffff", Self.patched { Self.put(UInt16(0xffff), at: 60, in: &$0) }, .malformed(rule: "elf-header", "65535 entries"))
        // e_shnum 0: the count is section 0's sh_size; 2^31 entries = 128 GiB of headers claimed.
        try Self.run("shnum-extended-2g", Self.patched {
            Self.put(UInt16(0), at: 60, in: &$0)
            Self.put(UInt64(0x8000_0000), at: Self.shoff + 32, in: &$0)
        }, .malformed(rule: "elf-header", "2147483648 entries"))
        try Self.run("shstrndx-out-of-range", Self.patched { Self.put(UInt16(0xfffe), at: 62, in: &$0) }, .malformed(rule: "elf-header", "e_shstrndx"))
        try Self.run("phentsize-0", Self.patched { Self.put(UInt16(0), at: 54, in: &$0) }, .malformed(rule: "elf-header", "e_phentsize is 0"))
        try Self.run("shentsize-0", Self.patched { Self.put(UInt16(0), at: 58, in: &$0) }, .malformed(rule: "elf-header", "e_shentsize is 0"))
        try Self.run("shdrs-overlap-phdrs", Self.patched { Self.put(UInt64(Self.phoff), at: 40, in: &$0) }, .malformed(rule: "elf-header", nil))
        try Self.run("pt-dynamic-over-the-elf-header", Self.patched { Self.put(UInt64(0), at: Self.programHeader(PT.dynamic) + 8, in: &$0) },
                     .malformed(rule: "load-layout", nil))
        try Self.run("pt-dynamic-filesz-huge", Self.patched { Self.put(UInt64.max - 255, at: Self.programHeader(PT.dynamic) + 32, in: &$0) },
                     .malformed(rule: "dynamic-section", "extends past the end of the file"))
        try Self.run("pt-load-filesz-huge", Self.patched { Self.put(UInt64.max - 255, at: Self.programHeader(PT.load) + 32, in: &$0) },
                     .malformed(rule: "load-layout", nil))
        try Self.run("pt-load-offset-huge", Self.patched { Self.put(UInt64.max - 4095, at: Self.programHeader(PT.load) + 8, in: &$0) },
                     .malformed(rule: "load-layout", nil))
        try Self.run("pt-note-filesz-huge", Self.patched { Self.put(UInt64.max - 255, at: Self.programHeader(PT.note) + 32, in: &$0) },
                     .malformed(rule: "elf-header", "note area"))
        let note = Self.section(".note")
        try Self.run("note-namesz-huge", Self.patched { Self.put(UInt32(0xffff_fff0), at: Int(note.offset), in: &$0) },
                     .malformed(rule: "elf-header", "runs past the end"))
        let dynsym = Self.parsed.sections.first { $0.type == SHT.dynsym }!
        try Self.run("dynsym-size-huge", Self.patched { Self.put(UInt64.max - 31, at: Self.shoff + 64 * dynsym.index + 32, in: &$0) },
                     .malformed(rule: "elf-header", "extends past the end of the file"))
        try Self.run("dynsym-entsize-1", Self.patched { Self.put(UInt64(1), at: Self.shoff + 64 * dynsym.index + 56, in: &$0) },
                     .malformed(rule: "elf-header", "sh_entsize 1"))
    }

    // MARK: - string tables

    @Test("string-table offsets out of range")
    func strings() throws {
        try Self.run("sh-name-out-of-range", Self.patched { Self.put(UInt32(0xffff_fff0), at: Self.shoff + 64, in: &$0) },
                     .malformed(rule: "elf-header", "lies outside the section-name string table"))
        try Self.run("dt-soname-out-of-range", Self.patched { Self.put(UInt64(0xff_ffff), at: Self.dynamicEntry(DT.soname) + 8, in: &$0) },
                     .malformed(rule: "dynamic-section", "DT_SONAME offset 16777215 lies outside the dynamic string table"))
        try Self.run("dt-strsz-huge", Self.patched { Self.put(UInt64(Int64.max), at: Self.dynamicEntry(DT.strsz) + 8, in: &$0) },
                     .malformed(rule: "dynamic-section", "DT_STRSZ"))
        let dynsym = Self.section(".dynsym")
        try Self.run("st-name-out-of-range", Self.patched { Self.put(UInt32(0xffff_fff0), at: Int(dynsym.offset) + 24, in: &$0) },
                     .malformed(rule: "dynamic-section", "name offset 4294967280 lies outside the dynamic string table"))
    }

    // MARK: - dynamic table, hash tables, version definitions

    @Test("dynamic table without DT_NULL, cyclic hash chains, looping version definitions")
    func dynamicStructures() throws {
        let dyn = Self.section(".dynamic")
        try Self.run("dynamic-without-dt-null", Self.patched { b in
            for i in 0..<Int(dyn.size / 16) where Self.get(Int64.self, at: Int(dyn.offset) + 16 * i, in: b) == DT.null {
                Self.put(Int64(21), at: Int(dyn.offset) + 16 * i, in: &b) // DT_DEBUG
            }
        }, .malformed(rule: "dynamic-section", "no DT_NULL"))

        // DT_HASH: every bucket's first symbol chains to itself.
        let hash = Int(Self.section(".hash").offset)
        let nbucket = Int(Self.get(UInt32.self, at: hash, in: Self.image))
        try Self.run("dt-hash-chain-loops", Self.patched { b in
            for k in 0..<nbucket {
                let i = Int(Self.get(UInt32.self, at: hash + 8 + 4 * k, in: b))
                if i != 0 { Self.put(UInt32(i), at: hash + 8 + 4 * nbucket + 4 * i, in: &b) }
            }
        }, .malformed(rule: "hash-tables", "loops"))
        try Self.run("dt-hash-nchain-huge", Self.patched { Self.put(UInt32.max, at: hash + 4, in: &$0) }, .malformed(rule: "hash-tables", "run past the end"))
        try Self.run("dt-hash-nbucket-huge", Self.patched { Self.put(UInt32.max, at: hash, in: &$0) }, .malformed(rule: "hash-tables", "run past the end"))

        // DT_GNU_HASH: no hash value has its end bit, so no chain ever ends.
        let gnu = Self.section(".gnu.hash")
        let g = Int(gnu.offset)
        let nb = Int(Self.get(UInt32.self, at: g, in: Self.image)), bloom = Int(Self.get(UInt32.self, at: g + 8, in: Self.image))
        let chain = g + 16 + 8 * bloom + 4 * nb
        let endless = Self.patched { b in
            for at in stride(from: chain, to: g + Int(gnu.size), by: 4) { b[at] &= 0xfe }
        }
        try Self.run("gnu-hash-chain-never-ends", endless, .malformed(rule: "hash-tables", "does not end"))
        var gnuOnly = endless
        Self.put(Int64(21), at: Self.dynamicEntry(DT.hash), in: &gnuOnly) // DT_HASH -> DT_DEBUG
        try Self.run("gnu-hash-only-chain-never-ends", gnuOnly, .malformed(rule: "hash-tables", nil))
        try Self.run("gnu-hash-bloom-huge", Self.patched { Self.put(UInt32.max, at: g + 8, in: &$0) }, .malformed(rule: "hash-tables", "run past the end"))
        try Self.run("gnu-hash-symoffset-huge", Self.patched { Self.put(UInt32(0xffff_fff0), at: g + 4, in: &$0) }, .malformed(rule: "hash-tables", "symoffset"))
        // The fuzz regression: a run of hash values up to index 0xffffffff (a UInt32 overflow).
        try Self.run("gnu-hash-symcount-overflow", Self.patched { b in
            Self.put(Int64(21), at: Self.dynamicEntry(DT.hash), in: &b)
            Self.put(UInt32(0xffff_fff0), at: g + 4, in: &b)
            for k in 0..<nb { Self.put(UInt32(0xffff_fff0), at: g + 16 + 8 * bloom + 4 * k, in: &b) }
            for k in 0..<16 { Self.put(UInt32(0), at: chain + 4 * k, in: &b) }
        }, .malformed(rule: "hash-tables", nil))

        // Version definitions. Unsigned, vd_next and vda_next only step forward; a "loop" is a link
        // that wraps around in a 32-bit loader's pointer arithmetic, or a count larger than the list.
        let vd = Int(Self.section(".gnu.version_d").offset)
        var defs = [vd]
        while true {
            let next = Int(Self.get(UInt32.self, at: defs.last! + 16, in: Self.image))
            if next == 0 { break }
            defs.append(defs.last! + next)
        }
        #expect(defs.count >= 2)
        // The last definition's vd_next steps back to the first (for a 32-bit loader: a cycle).
        try Self.run("verdef-next-loops-back", Self.patched { b in
            Self.put(UInt32(truncatingIfNeeded: -(defs.last! - defs[0])), at: defs.last! + 16, in: &b)
        }, .malformed(rule: "symbol-versions", "vd_next"))
        // DT_VERDEFNUM claims 65535 definitions: the walk must stop at the chain's real end.
        try Self.run("verdefnum-huge", Self.patched { Self.put(UInt64(0xffff), at: Self.dynamicEntry(DT.verdefnum) + 8, in: &$0) },
                     .malformed(rule: "symbol-versions", "DT_VERDEFNUM"))
        let aux = vd + Int(Self.get(UInt32.self, at: vd + 12, in: Self.image))
        try Self.run("verdaux-next-loops", Self.patched { b in
            Self.put(UInt16(5), at: vd + 6, in: &b) // vd_cnt 5
            Self.put(UInt32(0xffff_fff8), at: aux + 4, in: &b) // vda_next -8: back to itself for a 32-bit loader
        }, .malformed(rule: "symbol-versions", "Verdaux"))
        try Self.run("verdaux-count-huge", Self.patched { b in
            Self.put(UInt16(0xffff), at: vd + 6, in: &b)
            Self.put(UInt32(8), at: aux + 4, in: &b)
        }, .malformed(rule: "symbol-versions", nil))
        try Self.run("versym-out-of-range", Self.patched { Self.put(UInt64(0xffff_ffff_fff0), at: Self.dynamicEntry(DT.versym) + 8, in: &$0) },
                     .malformed(rule: "symbol-versions", "DT_VERSYM"))
    }

    // MARK: - class and byte order

    /// A minimal ELF32 ET_DYN for i386: header and one PT_LOAD, padded to 256 bytes.
    static func elf32(phentsize: UInt16 = 32, ehsize: UInt16 = 52) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 256)
        b[0] = 0x7f; b[1] = 0x45; b[2] = 0x4c; b[3] = 0x46; b[4] = 1; b[5] = 1; b[6] = 1
        put(UInt16(3), at: 16, in: &b)      // ET_DYN
        put(UInt16(3), at: 18, in: &b)      // EM_386
        put(UInt32(1), at: 20, in: &b)      // EV_CURRENT
        put(UInt32(52), at: 28, in: &b)     // e_phoff
        put(ehsize, at: 40, in: &b)
        put(phentsize, at: 42, in: &b)
        put(UInt16(1), at: 44, in: &b)      // e_phnum
        put(UInt16(40), at: 46, in: &b)     // e_shentsize
        put(UInt32(1), at: 52, in: &b)      // PT_LOAD
        put(UInt32(256), at: 52 + 16, in: &b) // p_filesz
        put(UInt32(256), at: 52 + 20, in: &b) // p_memsz
        put(UInt32(5), at: 52 + 24, in: &b)   // R+X
        put(UInt32(4096), at: 52 + 28, in: &b)
        return b
    }

    @Test("32-bit files claiming 64-bit sizes; big-endian files")
    func classAndByteOrder() throws {
        try Self.run("elf32-minimal", Self.elf32(), .malformed(rule: "dynamic-section", nil))
        try Self.run("elf32-phentsize-56", Self.elf32(phentsize: 56), .malformed(rule: "elf-header", "e_phentsize is 56, not 32"))
        try Self.run("elf32-ehsize-64", Self.elf32(ehsize: 64), .malformed(rule: "elf-header", "e_ehsize"))
        // The 64-bit image relabelled ELFCLASS32: every header field is read at the wrong place.
        try Self.run("elf64-relabelled-elf32", Self.patched { $0[4] = 1 }, .either)

        // Big-endian: the good image's ELF header byte-swapped (EI_DATA = ELFDATA2MSB); the tables
        // behind it stay little-endian, so a clean report of malformed tables is expected.
        let swapped = Self.patched { b in
            b[5] = 2
            for (offset, size) in [(16, 2), (18, 2), (20, 4), (24, 8), (32, 8), (40, 8), (48, 4), (52, 2), (54, 2), (56, 2), (58, 2), (60, 2), (62, 2)] {
                b[offset..<(offset + size)].reverse()
            }
        }
        try Self.run("big-endian-header", swapped, .malformed(rule: "elf-header", nil))
        // Only EI_DATA flipped: every field reads byte-swapped, the program headers land far away.
        try Self.run("big-endian-flag-only", Self.patched { $0[5] = 2 }, .unreadable("program header table"))
    }

    // MARK: - the table for the docs

    @Test("writes the table of cases when HOSTILE_TABLE is set", .disabled(if: ProcessInfo.processInfo.environment["HOSTILE_TABLE"] == nil))
    func table() throws {
        Self.rows = []
        try unreadable(); try truncated(); try headerTables(); try strings(); try dynamicStructures(); try classAndByteOrder()
        var out = "| case | exit | first line (file path shortened to FILE) |\n|---|---|---|\n"
        var seen = Set<String>()
        for (name, path, o) in Self.rows where !name.hasPrefix("truncated-") || !name.dropFirst(10).allSatisfy(\.isNumber) {
            guard seen.insert(name).inserted else { continue }
            let line = o.headline.replacingOccurrences(of: path, with: "FILE").replacingOccurrences(of: "|", with: "\\|")
            out += "| \(name) | \(o.status) | `\(line)` |\n"
        }
        let truncs = Self.rows.filter { $0.0.hasPrefix("truncated-") && $0.0.dropFirst(10).allSatisfy(\.isNumber) }
        let two = truncs.filter { $0.2.status == 2 }.count, one = truncs.filter { $0.2.status == 1 }.count
        out += "| truncated-1 … truncated-256 (every length) | 2 ×\(two), 1 ×\(one) | (see the boundary cases above) |\n"
        try out.write(toFile: ProcessInfo.processInfo.environment["HOSTILE_TABLE"]!, atomically: true, encoding: .utf8)
    }
}
