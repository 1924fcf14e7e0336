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

/// The outcome of a build: the reports of both checks.
public struct BuildResult: Sendable {
    public var reports: [ImageReport]
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
        let root = r.sourceRoot.map(Path.absolute) ?? commonRoot(m)
        let cwd = FileIO.currentDirectory()

        // 1. Compile every source, in parallel.
        var objects: [String] = []
        var compiles: [Command] = []
        var used = Set<String>()
        for src in m.sources {
            var stem = Path.basename(src)
            if let dot = stem.lastIndex(of: ".") { stem = String(stem[..<dot]) }
            var obj = Path.join(objdir, stem + ".o")
            var n = 1
            while !used.insert(obj).inserted { n += 1; obj = Path.join(objdir, "\(stem)-\(n).o") }
            objects.append(obj)
            var args = [tools.clang] + baseCFlags(for: m.arch)
            args += ["-ffile-prefix-map=\(root)=.", "-ffile-prefix-map=\(Path.absolute(r.outputDirectory))=out",
                     "-fdebug-compilation-dir=."]
            args += m.includeDirs.map { "-I" + $0 }
            args += m.cflags
            args += ["-MD", "-MF", obj + ".d", "-c", src, "-o", obj]
            compiles.append(Command(args))
        }
        for (src, cmd) in zip(m.sources, compiles) {
            log.step(src.hasSuffix(".S") || src.hasSuffix(".s") ? "AS" : "CC", Path.relative(src, to: cwd))
            log.command(cmd)
        }
        let results = try Subprocess.run(compiles, jobs: r.jobs, logDirectory: objdir)
        for res in results where res.status != 0 {
            throw .commandFailed(command: res.command.shellLine, status: res.status, output: res.output)
        }
        for res in results where !res.output.isEmpty { print(res.output, terminator: "") }

        // 2. Link the debug image under the linker script and a generated version script.
        let versionScript = Path.join(objdir, r.name + ".ver")
        try AtomicFile.write(m.versionScript, to: versionScript)
        let dbgTmp = Path.join(objdir, r.name + ".so.dbg")
        let link = Command([tools.lld] + baseLDFlags(soname: m.soname) + m.ldflags
                           + ["--version-script", versionScript, "-T", m.linkerScript] + objects + ["-o", dbgTmp])
        log.step("LD", r.debugImagePath)
        log.command(link)
        try runChecked(link, objdir)

        // 3. Strip it into the runtime image.
        let soTmp = Path.join(objdir, r.name + ".so")
        let strip = Command([tools.objcopy, "--strip-all", dbgTmp, soTmp])
        log.step("STRIP", r.imagePath)
        log.command(strip)
        try runChecked(strip, objdir)

        // 4. Check both; a rejected image never reaches the output directory.
        var options = CheckOptions(profile: .strict, expectations: m.expectations, expectedMachine: m.arch.machine)
        options.sizeLimit = m.sizeLimit
        log.step("CHECK", r.debugImagePath)
        log.action("vdsogen check --manifest \(m.path ?? "-") \(dbgTmp)")
        let dbgImage = try ELFReader.read(path: dbgTmp)
        let dbgReport = Checker.check(dbgImage, options: options)
        log.step("CHECK", r.imagePath)
        log.action("vdsogen check --manifest \(m.path ?? "-") --debug \(dbgTmp) \(soTmp)")
        let soImage = try ELFReader.read(path: soTmp)
        let soReport = Checker.check(soImage, debug: dbgImage, options: options)
        let reports = [dbgReport, soReport].map { rep in
            ImageReport(image: rep.image == dbgTmp ? r.debugImagePath : r.imagePath, findings: rep.findings)
        }
        if reports.contains(where: { !$0.findings.isEmpty }) {
            print(ReportRenderer.text(reports.filter { !$0.findings.isEmpty }, summary: false), terminator: "")
        }
        if let bad = reports.first(where: { !$0.passed }) {
            FileIO.remove(dbgTmp)
            FileIO.remove(soTmp)
            throw .rejected(path: bad.image, errors: bad.errors)
        }

        // 5. Emit, then move the images into place.
        var emit = EmitRequest(image: r.imagePath, header: r.headerPath, source: r.sourcePath)
        emit.prefix = m.prefix
        emit.dataSymbol = m.dataSymbol
        emit.extraSymbols = m.extraSymbols
        if r.blob {
            emit.blob = r.blobPath
            emit.asm = r.asmPath
        }
        for path in [r.headerPath, r.sourcePath] + (r.blob ? [r.blobPath, r.asmPath] : []) { log.step("EMIT", path) }
        log.action("vdsogen emit --debug \(r.debugImagePath) --header \(r.headerPath) --source \(r.sourcePath) \(r.imagePath)")
        try Emitter.emit(image: soImage, debug: dbgImage, request: emit)
        try AtomicFile.write(dbgImage.bytes.bytes, to: r.debugImagePath)
        try AtomicFile.write(soImage.bytes.bytes, to: r.imagePath)
        return BuildResult(reports: reports)
    }

    private static func runChecked(_ c: Command, _ objdir: String) throws(VDSOError) {
        let res = try Subprocess.run(c, logDirectory: objdir)
        if res.status != 0 { throw .commandFailed(command: c.shellLine, status: res.status, output: res.output) }
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
