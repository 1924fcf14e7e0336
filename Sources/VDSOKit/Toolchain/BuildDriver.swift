/// What `vdsogen build` should produce.
public struct BuildRequest: Sendable {
    public var manifest: Manifest
    /// Directory of the outputs (default `out`).
    public var outputDirectory = "out"
    /// Base name of the outputs: NAME.so, NAME.so.dbg, NAME-image.h, NAME-image.c.
    public var name = "vdso"
    /// Also write NAME.bin (the page-padded blob) and NAME-blob.S (its .incbin wrapper).
    public var blob = false
    public var verbose = false
    public var quiet = false
    public var jobs = Subprocess.cpuCount
    /// The directory whose path is mapped to `.` in debug info (default: the common root of the
    /// manifest, sources, include directories and linker script).
    public var sourceRoot: String?
    /// Also write a Make-style dependency file of every input here (for Make, Ninja, CMake, Meson).
    public var depfile: String?
    /// Also write a Swift source embedding the image here (the SwiftPM plugin uses it).
    public var swiftSource: String?
    /// Rebuild everything even if the outputs are up to date.
    public var force = false

    public init(manifest: Manifest) { self.manifest = manifest }

    public var debugImagePath: String { Path.join(outputDirectory, name + ".so.dbg") }
    public var imagePath: String { Path.join(outputDirectory, name + ".so") }
    public var headerPath: String { Path.join(outputDirectory, name + "-image.h") }
    public var sourcePath: String { Path.join(outputDirectory, name + "-image.c") }
    public var blobPath: String { Path.join(outputDirectory, name + ".bin") }
    public var asmPath: String { Path.join(outputDirectory, name + "-blob.S") }
    /// Where objects and intermediate files go.
    public var objectDirectory: String { Path.join(outputDirectory, "obj/" + name) }
}

/// The outcome of a build: the reports of both checks, and whether anything had to be done.
public struct BuildResult: Sendable {
    public var reports: [ImageReport]
    /// False when every output was already up to date (by content) and nothing ran.
    public var rebuilt: Bool
    /// Every file the outputs depend on.
    public var prerequisites: [String]
}

/// Compiles, links, strips, checks and emits one vDSO image. Nothing reaches the output directory
/// unless both images pass the checker: intermediate files live in the object directory and are
/// moved into place (atomically) at the end, so a rejected build leaves the previous good outputs
/// untouched.
public enum BuildDriver {
    /// The compiler flags every vDSO object gets, before the manifest's own.
    public static func baseCFlags(for arch: ArchABI) -> [String] {
        ["--target=\(arch.clangTarget)", "-fPIC", "-O2", "-g", "-ffreestanding", "-fno-builtin",
         "-fno-stack-protector", "-fasynchronous-unwind-tables", "-fno-jump-tables", "-fno-common",
         "-std=gnu11", "-Wall"]
    }

    /// The linker flags every vDSO gets, before the manifest's own.
    public static func baseLDFlags(soname: String) -> [String] {
        ["-shared", "-nostdlib", "-soname", soname, "--hash-style=both", "--build-id=sha1", "-Bsymbolic",
         "--no-undefined", "--eh-frame-hdr", "-z", "max-page-size=4096", "-z", "noexecstack", "-z", "norelro"]
    }

    public static func build(_ r: BuildRequest) throws(VDSOError) -> BuildResult {
        let tools = try Toolchain.locate()
        let log = BuildLog(verbose: r.verbose, quiet: r.quiet)
        let m = r.manifest
        let objdir = r.objectDirectory
        try FileIO.makeDirectories(objdir)
        for s in m.sources + [m.linkerScript] where !FileIO.exists(s) {
            throw .usage("\(s): no such file (named by \(m.path ?? "the command line"))")
        }
        try FlagHygiene.check(m)
        let root = r.sourceRoot.map(Path.absolute) ?? commonRoot(m)
        let cwd = FileIO.currentDirectory()
        let compiles = compileCommands(r, tools: tools, root: root)
        let objects = compiles.map(\.object)

        // 1. Compile, in parallel, every source whose command or inputs changed.
        var keys: [String] = []
        var stale: [(Int, Command)] = []
        let toolVersions = ToolIdentity.versions(of: tools.programs, memo: Path.join(objdir, "tools.key"),
                                                 logDirectory: objdir)
        let compiler = toolVersions[0]  // programs[0] is clang
        for (i, c) in compiles.enumerated() {
            let key = objectKey(c, compiler: compiler)
            keys.append(key)
            if r.force || !FileIO.exists(c.object) || BuildCache.recordedKey(c.object + ".key") != key {
                stale.append((i, c.command))
            }
        }
        for (i, cmd) in stale {
            let src = m.sources[i]
            log.step(src.hasSuffix(".S") || src.hasSuffix(".s") ? "AS" : "CC", Path.relative(src, to: cwd))
            log.command(cmd)
        }
        let results = try Subprocess.run(stale.map(\.1), jobs: r.jobs, logDirectory: objdir)
        for res in results where res.status != 0 {
            throw .commandFailed(command: res.command.shellLine, status: res.status, output: res.output)
        }
        for res in results where !res.output.isEmpty { print(res.output, terminator: "") }
        // Refuse absolute relocations in the objects: some vanish at link time without a trace.
        var problems: [ObjectScan.Problem] = []
        for c in compiles { problems += try ObjectScan.scan(object: c.object, source: Path.relative(c.source, to: cwd)) }
        if !problems.isEmpty {
            for c in compiles { FileIO.remove(c.object + ".key") }
            throw .rejectedBeforeImage(path: m.path ?? r.imagePath,
                                       findings: problems.map { "\($0.source): error[no-dynamic-relocations]: \($0.description)" })
        }
        for (i, _) in stale {
            // Key again: the fresh depfile may name headers the old one did not.
            keys[i] = objectKey(compiles[i], compiler: compiler)
            try BuildCache.record(keys[i], compiles[i].object + ".key")
        }

        let versionScript = Path.join(objdir, r.name + ".ver")
        let dbgTmp = Path.join(objdir, r.name + ".so.dbg")
        let soTmp = Path.join(objdir, r.name + ".so")
        let link = Command([tools.lld] + baseLDFlags(soname: m.soname) + m.ldflags
                           + ["--version-script", versionScript, "-T", m.linkerScript] + objects + ["-o", dbgTmp])
        let strip = Command([tools.objcopy, "--strip-all", dbgTmp, soTmp])
        let outputs = [r.debugImagePath, r.imagePath, r.headerPath, r.sourcePath] + (r.blob ? [r.blobPath, r.asmPath] : [])
            + (r.swiftSource.map { [$0] } ?? [])
        let prerequisites = prerequisiteList(m, compiles, tools: tools)
        let makers = [ToolIdentity.vdsogen] + toolVersions.dropFirst()
        let imageKey = self.imageKey(m, link: link, strip: strip, objectKeys: keys, outputs: outputs, tools: makers)
        let stamp = Path.join(objdir, r.name + ".key")

        // 2. Nothing to do if every output is what this very input produced last time.
        if !r.force && stale.isEmpty && BuildCache.recordedKey(stamp) == imageKey
            && BuildCache.recordedKey(stamp + ".outputs") == outputsKey(outputs) {
            try writeDepfile(r, outputs, prerequisites)
            return BuildResult(reports: [], rebuilt: false, prerequisites: prerequisites)
        }

        // 3. Link the debug image under the linker script and a generated version script.
        try AtomicFile.write(m.versionScript, to: versionScript, durable: false)
        log.step("LD", r.debugImagePath)
        log.command(link)
        try runLink(link, objdir, manifest: m.path ?? "--version-node", image: m.path ?? r.imagePath)

        // 4. Strip it into the runtime image.
        log.step("STRIP", r.imagePath)
        log.command(strip)
        try runChecked(strip, objdir)

        // 5. Check both; a rejected image never reaches the output directory.
        let options = m.check.options(expectations: m.expectations, machine: m.arch.machine, sizeLimit: m.sizeLimit)
        log.step("CHECK", r.debugImagePath)
        log.action("vdsogen check --manifest \(m.path ?? "-") \(dbgTmp)")
        let dbgImage = try ELFReader.read(path: dbgTmp)
        let dbgReport = m.check.judge(Checker.check(dbgImage, options: options))
        log.step("CHECK", r.imagePath)
        log.action("vdsogen check --manifest \(m.path ?? "-") --debug \(dbgTmp) \(soTmp)")
        let soImage = try ELFReader.read(path: soTmp)
        let soReport = m.check.judge(Checker.check(soImage, debug: dbgImage, options: options))
        // A rejected pair is kept under obj/NAME/rejected/ for the user (and CI's annotations) to
        // inspect, and checked there again so that every finding names the files that exist:
        // the output directory keeps what it held.
        let rejectedDir = Path.join(objdir, "rejected")
        let kept = (Path.join(rejectedDir, r.name + ".so.dbg"), Path.join(rejectedDir, r.name + ".so"))
        FileIO.remove(kept.0)
        FileIO.remove(kept.1)
        var reports = [dbgReport, soReport].map { rep in
            ImageReport(image: rep.image == dbgTmp ? r.debugImagePath : r.imagePath, findings: rep.findings)
        }
        if !(dbgReport.passed && soReport.passed) {
            try FileIO.makeDirectories(rejectedDir)
            try AtomicFile.writeAll([(kept.0, dbgImage.bytes.bytes), (kept.1, soImage.bytes.bytes)], durable: false)
            FileIO.remove(dbgTmp)
            FileIO.remove(soTmp)
            FileIO.remove(stamp)
            let keptDbg = try ELFReader.read(path: kept.0)
            reports = [m.check.judge(Checker.check(keptDbg, options: options)),
                       m.check.judge(Checker.check(try ELFReader.read(path: kept.1), debug: keptDbg, options: options))]
        }
        let shown = onceEach(reports).filter { !$0.findings.isEmpty }
        if !shown.isEmpty { print(ReportRenderer.text(shown, summary: false), terminator: "") }
        if let bad = reports.first(where: { !$0.passed }) {
            // The cause behind findings that name only effects (a section the script misplaced).
            for note in LayoutAdvice.notes(for: dbgImage) { print("\(reports[0].image): note: \(note)") }
            throw .rejected(path: bad.image, errors: bad.errors)
        }

        // 6. Emit, then move the images into place.
        var emit = EmitRequest(image: r.imagePath, header: r.headerPath, source: r.sourcePath)
        emit.prefix = m.prefix
        emit.dataSymbol = m.dataSymbol
        emit.extraSymbols = m.extraSymbols
        if r.blob {
            emit.blob = r.blobPath
            emit.asm = r.asmPath
        }
        emit.swift = r.swiftSource
        for path in outputs.dropFirst(2) { log.step("EMIT", path) }
        log.action("vdsogen emit --debug \(r.debugImagePath) --header \(r.headerPath) --source \(r.sourcePath) \(r.imagePath)")
        // Every output in one batch: one flush to disk, then the renames.
        try AtomicFile.writeAll(try Emitter.files(image: soImage, debug: dbgImage, request: emit)
                                + [(r.debugImagePath, dbgImage.bytes.bytes), (r.imagePath, soImage.bytes.bytes)])
        try removeOutputsNoLongerMade(listedIn: stamp + ".written", now: outputs, log: log)
        try BuildCache.record(imageKey, stamp)
        try BuildCache.record(outputsKey(outputs), stamp + ".outputs")
        try writeDepfile(r, outputs, prerequisites)
        return BuildResult(reports: reports, rebuilt: true, prerequisites: prerequisites)
    }

    /// The linker's "undefined symbol: X" lines, each followed by what X is and what to do.
    static func explainUndefined(_ output: String) -> String {
        var out: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(String(line))
            if let r = line.range(of: "undefined symbol: ") {
                let name = line[r.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                out.append(">>> vdsogen: " + NoUndefinedSymbolsRule.advice(for: name))
            }
        }
        return out.joined(separator: "\n")
    }

    /// One compile: its command and the object it writes.
    struct Compile {
        var source: String
        var object: String
        var command: Command
    }

    static func compileCommands(_ r: BuildRequest, tools: Toolchain, root: String) -> [Compile] {
        let m = r.manifest
        var used = Set<String>()
        return m.sources.map { src in
            var stem = Path.basename(src)
            if let dot = stem.lastIndex(of: ".") { stem = String(stem[..<dot]) }
            var obj = Path.join(r.objectDirectory, stem + ".o")
            var n = 1
            while !used.insert(obj).inserted { n += 1; obj = Path.join(r.objectDirectory, "\(stem)-\(n).o") }
            var args = [tools.clang] + baseCFlags(for: m.arch)
            args += ["-ffile-prefix-map=\(root)=.", "-ffile-prefix-map=\(Path.absolute(r.outputDirectory))=out",
                     "-fdebug-compilation-dir=."]
            args += m.includeDirs.map { "-I" + $0 }
            args += m.cflags
            args += ["-MD", "-MF", obj + ".d", "-c", src, "-o", obj]
            return Compile(source: src, object: obj, command: Command(args))
        }
    }

    /// What an object depends on: the compiler (`clang --version`), its command line, its source
    /// and every header the last compile read (from clang's depfile).
    static func objectKey(_ c: Compile, compiler: String) -> String {
        var h = ContentHash()
        h.add(VDSOGenVersion.string)
        h.add(compiler)
        h.add(c.command.shellLine)
        _ = h.addFile(c.source)
        for dep in BuildCache.prerequisites(ofDepfile: c.object + ".d") ?? [] where dep != c.source {
            if !h.addFile(dep) { h.add("missing:" + dep) }
        }
        _ = h.addFile(c.object)
        return h.hex
    }

    /// What the images and emitted files depend on besides the objects, `tools` naming the
    /// programs that make them (this vdsogen — it checks and emits —, ld.lld, objcopy).
    static func imageKey(_ m: Manifest, link: Command, strip: Command, objectKeys: [String], outputs: [String],
                         tools: [String]) -> String {
        var h = ContentHash()
        for t in tools { h.add(t) }
        h.add(link.shellLine)
        h.add(strip.shellLine)
        h.add(m.versionScript)
        h.add(m.expectations.requiredSymbols.joined(separator: ","))
        h.add("\(m.prefix) \(m.dataSymbol ?? "") \(m.extraSymbols) \(m.sizeLimit) \(m.soname) \(m.check.key)")
        _ = h.addFile(m.linkerScript)
        if let p = m.path { _ = h.addFile(p) }
        for k in objectKeys { h.add(k) }
        h.add(outputs.joined(separator: "\n"))
        return h.hex
    }

    /// The outputs' own contents: a changed or deleted output is rebuilt.
    /// The reports with each finding kept only for the first image that has it: the stripped
    /// image shares most of its twin's defects, and one defect is one line.
    static func onceEach(_ reports: [ImageReport]) -> [ImageReport] {
        var seen: [Finding] = []
        return reports.map { report in
            let fresh = report.findings.filter { f in !seen.contains(f) }
            seen += fresh
            return ImageReport(image: report.image, findings: fresh)
        }
    }

    /// Removes what an earlier build into the same object directory wrote and this one does not
    /// (NAME.bin and NAME-blob.S after --blob is dropped, a --swift source no longer asked for),
    /// then records this build's outputs in `list`. Only files the list names are removed.
    static func removeOutputsNoLongerMade(listedIn list: String, now outputs: [String], log: BuildLog) throws(VDSOError) {
        let current = outputs.map(Path.absolute)
        let before = (try? FileIO.readText(list))?.split(separator: "\n").map(String.init) ?? []
        for path in before where !path.isEmpty && !current.contains(path) && FileIO.exists(path) {
            log.step("RM", path)
            FileIO.remove(path)
        }
        try AtomicFile.write(current.joined(separator: "\n") + "\n", to: list, durable: false)
    }

    static func outputsKey(_ outputs: [String]) -> String {
        var h = ContentHash()
        for o in outputs where !h.addFile(o) { h.add("missing:" + o) }
        return h.hex
    }

    static func prerequisiteList(_ m: Manifest, _ compiles: [Compile], tools: Toolchain) -> [String] {
        var seen = Set<String>(), list: [String] = []
        func add(_ p: String) { let a = Path.absolute(p); if seen.insert(a).inserted { list.append(a) } }
        if let p = m.path { add(p) }
        add(m.linkerScript)
        for c in compiles {
            add(c.source)
            for d in BuildCache.prerequisites(ofDepfile: c.object + ".d") ?? [] { add(d) }
        }
        if let exe = try? FileIO.readLink("/proc/self/exe") { add(exe) }
        // The tools, by the files their paths resolve to (by timestamp, all a depfile can say; the
        // build itself compares their --version).
        for t in tools.programs { add((try? FileIO.realPath(t)) ?? t) }
        return list
    }

    static func writeDepfile(_ r: BuildRequest, _ outputs: [String], _ prerequisites: [String]) throws(VDSOError) {
        guard let path = r.depfile else { return }
        let text = BuildCache.depfile(targets: outputs, prerequisites: prerequisites)
        if (try? FileIO.readText(path)) == text { return }
        try AtomicFile.write(text, to: path)
    }

    /// Links; a failure the linker blames on the user's code or version nodes is a rejection with
    /// rule ids (LinkDiagnosis), any other a failed tool.
    private static func runLink(_ c: Command, _ objdir: String, manifest: String, image: String) throws(VDSOError) {
        let res = try Subprocess.run(c, logDirectory: objdir)
        if res.status != 0 {
            if let defects = LinkDiagnosis.defects(in: res.output, manifest: manifest) {
                throw .rejectedBeforeImage(path: image, findings: defects.map(\.description))
            }
            throw .commandFailed(command: c.shellLine, status: res.status, output: explainUndefined(res.output))
        }
        if !res.output.isEmpty { print(res.output, terminator: "") }
    }

    private static func runChecked(_ c: Command, _ objdir: String) throws(VDSOError) {
        let res = try Subprocess.run(c, logDirectory: objdir)
        if res.status != 0 { throw .commandFailed(command: c.shellLine, status: res.status, output: explainUndefined(res.output)) }
        if !res.output.isEmpty { print(res.output, terminator: "") }
    }

    /// The deepest directory containing the manifest, every source, include directory and the
    /// linker script: mapped to `.` so debug info does not depend on where the checkout lies.
    static func commonRoot(_ m: Manifest) -> String {
        var paths = m.sources.map { Path.directory(of: Path.absolute($0)) } + m.includeDirs.map(Path.absolute)
        paths.append(Path.directory(of: Path.absolute(m.linkerScript)))
        if let p = m.path { paths.append(Path.directory(of: Path.absolute(p))) }
        var common = paths[0].split(separator: "/").map(String.init)
        for p in paths.dropFirst() {
            let parts = p.split(separator: "/").map(String.init)
            var n = 0
            while n < common.count && n < parts.count && common[n] == parts[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return "/" + common.joined(separator: "/")
    }
}
