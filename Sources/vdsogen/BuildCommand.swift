import ArgumentParser
import VDSOKit
#if canImport(Glibc)
import Glibc
#endif

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile, link, strip, check and emit a vDSO image.",
        discussion: """
            Compiles each source with clang (in parallel), links with ld.lld under the manifest's \
            linker script and a generated version script, strips the debug image (NAME.so.dbg) into \
            the runtime image (NAME.so), checks both with every rule (strict profile) and writes \
            NAME-image.h and NAME-image.c. Nothing reaches the output directory unless both images \
            pass. Prints one Kbuild-style line per step; every command with --verbose or V=1. \
            Incremental: a source is recompiled only when its command line, its bytes or a header it \
            includes changed, and nothing runs when every output is what the same inputs produced \
            (compared by content, not by timestamp).
            """)

    @Argument(help: "The image's manifest (see vdsogen-manifest(5), or Docs/manifest.md).")
    var manifest: String?

    @Option(name: [.customShort("o"), .customLong("output-dir")], help: "Output directory.")
    var outputDir = "out"

    @Option(help: "Base name of the outputs (NAME.so, NAME.so.dbg, NAME-image.h, NAME-image.c).")
    var name = "vdso"

    @Flag(help: "Also write NAME.bin (the page-padded raw blob) and NAME-blob.S (an .incbin wrapper).")
    var blob = false

    @Option(help: "Architecture: x86_64, i386, aarch64, riscv64, arm.")
    var arch: String?
    @Option(help: "DT_SONAME of the image.")
    var soname: String?
    @Option(name: .customLong("linker-script"), help: "Linker script.")
    var linkerScript: String?
    @Option(name: .customLong("source"), help: "A C or assembly source (repeatable; replaces the manifest's list).")
    var sources: [String] = []
    @Option(name: .customLong("include-dir"), help: "An include directory (repeatable; added).")
    var includeDirs: [String] = []
    @Option(name: .customLong("cflag"), parsing: .unconditionalSingleValue, help: "An extra compiler flag (repeatable; added).")
    var cflags: [String] = []
    @Option(name: .customLong("ldflag"), parsing: .unconditionalSingleValue, help: "An extra linker flag (repeatable; added).")
    var ldflags: [String] = []
    @Option(name: .customLong("data-symbol"), help: "The hidden symbol at the start of the data pages.")
    var dataSymbol: String?
    @Option(name: .customLong("extra-symbol"), help: "A local symbol whose offset the header carries (repeatable; added).")
    var extraSymbols: [String] = []
    @Option(name: .customLong("size-limit"), help: "Largest acceptable image, in bytes.")
    var sizeLimit: UInt64?
    @Option(help: "C identifier prefix of the emitted header and array.")
    var prefix: String?
    @Option(name: .customLong("version-node"), help: "NAME:SYM,SYM,ALIAS=TARGET (repeatable; replaces the manifest's nodes).")
    var versionNodes: [String] = []
    @Option(name: .customLong("source-root"), help: "Directory mapped to `.` in debug info (default: the sources' common root).")
    var sourceRoot: String?

    @Option(help: "Also write a Swift source embedding the image (enum PREFIXImage), as the SwiftPM plugin does.")
    var swift: String?

    @Option(help: "Also write a Make-style dependency file of every input (Make, Ninja, CMake DEPFILE, Meson depfile:).")
    var depfile: String?

    @Flag(name: .customLong("force"), help: "Rebuild even if every output is up to date.")
    var force = false

    @Option(name: .shortAndLong, help: "Parallel compile jobs (default: one per CPU).")
    var jobs: Int?

    @Flag(name: [.short, .long], help: "Print every command (also V=1 in the environment).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print one line, '  VDSO    OUTDIR/NAME.so', if anything was rebuilt, and nothing for a no-op: for Make rules that run vdsogen every time and let it decide by content (vdsogen.mk).")
    var summary = false

    @Option(help: "Check profile: strict (default), linux or qemu; overrides the manifest's check.profile.")
    var profile: String?

    @Option(name: .customLong("skip"), help: "A rule id not to apply (repeatable; added to the manifest's check.skip).")
    var skipRules: [String] = []

    @Flag(help: "Treat warnings as errors (as check --werror; also check.werror in the manifest).")
    var werror = false

    @Option(help: "Report of every finding (pre-link ones too): text (default; the findings as check prints them), json, or sarif (SARIF 2.1.0 for CI annotations). json and sarif go to --report, or to stdout with the progress lines silenced.")
    var format: ReportFormat = .text

    @Option(help: "Write the report in --format to this file (also when the build is rejected, and when nothing was rebuilt).")
    var report: String?

    func validate() throws {
        if let profile, Profile(rawValue: profile) == nil {
            throw ValidationError("--profile \(profile): not one of \(Profile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let problem = CheckPolicy.problem(skipping: skipRules) { throw ValidationError("--skip: \(problem)") }
        if name.isEmpty { throw ValidationError("--name is empty: the outputs would be .so, .so.dbg, -image.h; give a base name such as vdso") }
        if name.contains("/") || name.hasPrefix(".") {
            throw ValidationError("--name \(name) is not a plain base name: put directories in --output-dir")
        }
    }

    func run() throws {
        var o = ManifestOverrides()
        o.arch = arch
        o.soname = soname
        o.linkerScript = linkerScript
        o.sources = sources
        o.includeDirs = includeDirs
        o.cflags = cflags
        o.ldflags = ldflags
        o.dataSymbol = dataSymbol
        o.extraSymbols = extraSymbols
        o.sizeLimit = sizeLimit
        o.prefix = prefix
        o.versionNodes = versionNodes
        let base = try manifest.map { (path: String) throws(VDSOError) in try Manifest.load(path) }
        var built = try o.apply(to: base)
        if let profile { built.check.profile = Profile(rawValue: profile)! }
        built.check.skip.formUnion(skipRules)
        built.check.werror = built.check.werror || werror
        var request = BuildRequest(manifest: built)
        request.outputDirectory = outputDir
        request.name = name
        request.blob = blob
        request.verbose = verbose || (getenv("V").map { String(cString: $0) == "1" } ?? false)
        request.quiet = quiet || summary || (format != .text && report == nil)
        if let jobs { request.jobs = jobs }
        request.sourceRoot = sourceRoot
        request.commandLineCFlags = cflags
        request.depfile = depfile
        request.swiftSource = swift
        request.force = force
        let result = try BuildDriver.build(request)
        try writeReport(result, request)
        if !result.passed {
            let rejected = result.reports.first { !$0.passed }?.image ?? request.imagePath
            throw VDSOError.rejected(path: rejected, errors: result.errors)
        }
        if summary && result.rebuilt && !quiet { Console.out("  VDSO    \(request.imagePath)") }
    }

    /// The report --format and --report ask for: every finding of this build, or of the outputs
    /// an up-to-date build left in place (a no-op build checks nothing itself).
    func writeReport(_ result: BuildResult, _ request: BuildRequest) throws {
        guard format != .text || report != nil else { return }
        let reports = result.rebuilt ? result.reports : try BuildDriver.verdictOnOutputs(request)
        let text: String
        switch format {
        case .text: text = ReportRenderer.text(reports)
        case .json: text = ReportRenderer.json(reports)
        case .sarif: text = SARIFRenderer.render(reports, sourceRoot: request.resolvedSourceRoot)
        }
        if let report {
            try AtomicFile.write(text, to: report)
        } else {
            Console.write(1, text)
        }
    }
}
