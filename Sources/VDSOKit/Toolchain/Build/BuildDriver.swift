/// Compiles, links, strips, checks and emits one vDSO image. Nothing reaches the output directory
/// unless both images pass the checker: intermediate files live in the object directory and are
/// moved into place (atomically) at the end, so a rejected build leaves the previous good outputs
/// untouched.
///
/// Everything the build prints goes through the request's `OutputSink`, as it happens: the
/// Kbuild-style progress lines on its progress stream, the tools' output and the findings (text,
/// as `check` prints them) on its diagnostic stream.
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

    /// Builds the request. A rejection — a defect in an object, at the link, or in either image —
    /// is a result whose `passed` is false (its findings already printed); only usage errors,
    /// I/O errors and failed tools throw.
    public static func build(_ r: BuildRequest) throws(VDSOError) -> BuildResult {
        try run(r, log: BuildLog(verbose: r.verbose, quiet: r.quiet, output: r.output))
    }

    /// A defect found before an image existed: a report named after the manifest (or the image
    /// that was to be made), its findings naming the source, object or node they are in.
    private static func rejectedBeforeImage(_ r: BuildRequest, _ findings: [Finding], log: BuildLog) -> BuildResult {
        let report = ImageReport(image: r.manifest.path ?? r.imagePath, findings: findings)
        log.toolOutput(ReportRenderer.text([report], summary: false))
        return BuildResult(reports: [report], rebuilt: true, prerequisites: [])
    }

    /// The verdicts on the outputs an up-to-date build left (a no-op build runs no check): what a
    /// report of every finding needs when nothing was rebuilt.
    public static func verdictOnOutputs(_ r: BuildRequest) throws(VDSOError) -> [ImageReport] {
        let debug = try ELFReader.read(path: r.debugImagePath)
        return PairCheck.check(r.manifest, debug, try ELFReader.read(path: r.imagePath))
    }

    private static func run(_ r: BuildRequest, log: BuildLog) throws(VDSOError) -> BuildResult {
        let tools = try Toolchain.locate()
        let m = r.manifest
        let objdir = r.objectDirectory
        try FileIO.makeDirectories(objdir)
        for s in m.sources + [m.linkerScript] where !FileIO.exists(s) {
            throw .usage("\(s): no such file (named by \(m.path ?? "the command line"))")
        }
        try FlagHygiene.check(m, fromCommandLine: r.commandLineCFlags)
        let toolVersions = ToolIdentity.versions(of: tools.programs, memo: Path.join(objdir, "tools.key"),
                                                 logDirectory: objdir)

        // 1. Compile, in parallel, every source whose command or inputs changed.
        let compiled = try CompileStep.run(r, tools: tools, root: r.resolvedSourceRoot, compiler: toolVersions[0], log: log)
        if !compiled.findings.isEmpty { return rejectedBeforeImage(r, compiled.findings, log: log) }
        let linked = LinkStep(r, tools: tools, objects: compiled.objects)
        let prerequisites = BuildInputs.prerequisites(m, compiled.compiles, tools: tools)
        let imageKey = BuildInputs.imageKey(m, link: linked, objectKeys: compiled.keys, outputs: r.outputs,
                                            tools: [ToolIdentity.vdsogen] + toolVersions.dropFirst())
        let stamp = Path.join(objdir, r.name + ".key")

        // 2. Nothing to do if every output is what this very input produced last time.
        if !r.force && !compiled.ranAny && BuildCache.recordedKey(stamp) == imageKey
            && BuildCache.recordedKey(stamp + ".outputs") == BuildInputs.outputsKey(r.outputs) {
            try BuildInputs.writeDepfile(r, prerequisites)
            return BuildResult(reports: [], rebuilt: false, prerequisites: prerequisites)
        }

        // 3, 4. Link the debug image, strip it into the runtime image.
        let debug: ELFImage, image: ELFImage
        switch try linked.run(r, log: log) {
        case let .images(d, i): (debug, image) = (d, i)
        case let .rejected(findings): return rejectedBeforeImage(r, findings, log: log)
        }

        // 5. Check both; a rejected pair is kept aside and never reaches the output directory.
        let verdict = try PairCheck.judge(r, linked: linked, debug: debug, image: image, log: log)
        let shown = PairCheck.onceEach(verdict.reports).filter { !$0.findings.isEmpty }
        log.toolOutput(ReportRenderer.text(shown, summary: false))
        guard verdict.passed else {
            FileIO.remove(stamp)
            // The cause behind findings that name only effects (a section the script misplaced).
            let notes = LayoutAdvice.notes(for: debug).map { "\(verdict.reports[0].image): note: \($0)" }
            for note in notes { log.diagnostic(note) }
            return BuildResult(reports: verdict.reports, rebuilt: true, prerequisites: prerequisites,
                               notes: notes, keptRejected: verdict.kept)
        }

        // 6. Emit, then move the images into place.
        try emitOutputs(r, debug: debug, image: image, log: log)
        try BuildInputs.removeOutputsNoLongerMade(listedIn: stamp + ".written", now: r.outputs, log: log)
        try BuildInputs.recordManifest(r)
        try BuildCache.record(imageKey, stamp)
        try BuildCache.record(BuildInputs.outputsKey(r.outputs), stamp + ".outputs")
        try BuildInputs.writeDepfile(r, prerequisites)
        return BuildResult(reports: verdict.reports, rebuilt: true, prerequisites: prerequisites)
    }

    /// Writes the header, C source (and blob, `.incbin` wrapper, Swift source when asked) and the
    /// two images, every output in one batch: one flush to disk, then the renames.
    private static func emitOutputs(_ r: BuildRequest, debug: ELFImage, image: ELFImage, log: BuildLog) throws(VDSOError) {
        let m = r.manifest
        var emit = EmitRequest(image: r.imagePath, header: r.headerPath, source: r.sourcePath)
        emit.prefix = m.prefix
        emit.dataSymbol = m.dataSymbol
        emit.extraSymbols = m.extraSymbols
        if r.blob {
            emit.blob = r.blobPath
            emit.asm = r.asmPath
        }
        emit.swift = r.swiftSource
        for path in r.outputs.dropFirst(2) { log.step("EMIT", path) }
        log.action("vdsogen emit --debug \(r.debugImagePath) --header \(r.headerPath) --source \(r.sourcePath) \(r.imagePath)")
        try AtomicFile.writeAll(try Emitter.files(image: image, debug: debug, request: emit)
                                + [(r.debugImagePath, debug.bytes.bytes), (r.imagePath, image.bytes.bytes)])
    }
}
