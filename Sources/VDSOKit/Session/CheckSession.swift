/// One `vdsogen check` invocation: reads every image, runs the rules, renders the reports and
/// decides the exit status. The CLI only fills in the request.
public struct CheckRequest: Sendable, Equatable {
    public var images: [String] = []
    /// Also check the vDSO of this process.
    public var running = false
    public var debugPath: String?
    public var manifestPath: String?
    public var profile: Profile = .strict
    public var skip: [String] = []
    public var format: ReportFormat = .text
    public var sizeLimit: UInt64?
    public var arch: String?
    /// Print errors only (no warnings, no summary lines).
    public var quiet = false
    /// Treat warnings as errors.
    public var werror = false
    public var color = false
    /// The directory source locations are relative to, for SARIF's `SRCROOT` (default: the
    /// current directory).
    public var sourceRoot: String?

    public init() {}
}

public struct CheckOutcome: Sendable {
    /// 0: every image passed; 1: some image was rejected; 2: some file could not be read.
    public var status: Int32
    public var reports: [ImageReport]
}

public enum CheckSession {
    /// Validates the request's options, throwing a usage error for what cannot work.
    public static func validate(_ r: CheckRequest) throws(VDSOError) {
        if r.images.isEmpty && !r.running { throw .usage("check: name at least one IMAGE, or --running (see vdsogen check --help)") }
        if r.debugPath != nil && r.images.count + (r.running ? 1 : 0) != 1 {
            throw .usage("check: --debug pairs with exactly one image")
        }
        for id in r.skip where RuleRegistry.rule(id) == nil {
            throw .usage("check: unknown rule \"\(id)\" in --skip (rules: \(RuleRegistry.ids.joined(separator: " ")))")
        }
        if let a = r.arch, ArchABI.named(a) == nil {
            throw .usage("check: unknown --arch \(a) (known: \(ArchABI.all.map(\.name).joined(separator: ", ")))")
        }
    }

    /// Checks every image of the request, writing to `output` as it goes: each unreadable file on
    /// the diagnostic stream when it is met, the report on the progress stream (text: image by
    /// image; json and sarif: whole, at the end). Returns the verdicts and the exit status.
    @discardableResult
    public static func run(_ r: CheckRequest, output: OutputSink = .standard) throws(VDSOError) -> CheckOutcome {
        try validate(r)
        let options = try options(for: r)
        let debug = try r.debugPath.map { (p: String) throws(VDSOError) in try ELFReader.read(path: p) }
        var reports: [ImageReport] = []
        var unreadable = false
        let sources: [String?] = (r.running ? [nil] : []) + r.images.map { Optional($0) }
        for path in sources {
            do throws(VDSOError) {
                let image: ELFImage
                if let path { image = try ELFReader.read(path: path) } else { image = try RunningVDSO.image() }
                let rep = shaped(Checker.check(image, debug: debug, options: options), r)
                reports.append(rep)
                if r.format == .text {
                    output.write(.progress, ReportRenderer.text([rep], color: r.color, summary: !r.quiet, consumerTables: !r.quiet))
                }
            } catch {
                output.diagnostic("vdsogen: " + error.description)
                unreadable = true
            }
        }
        switch r.format {
        case .text: break
        case .json: output.write(.progress, ReportRenderer.json(reports))
        case .sarif: output.write(.progress, SARIFRenderer.render(reports, sourceRoot: r.sourceRoot ?? FileIO.currentDirectory()))
        }
        let status: Int32 = unreadable ? 2 : (reports.allSatisfy(\.passed) ? 0 : 1)
        return CheckOutcome(status: status, reports: reports)
    }

    /// The rule options the request's profile, skips, size limit, manifest and --arch ask for.
    static func options(for r: CheckRequest) throws(VDSOError) -> CheckOptions {
        var options = CheckOptions(profile: r.profile, skip: Set(r.skip), sizeLimit: r.sizeLimit)
        if let m = r.manifestPath {
            let manifest = try Manifest.load(m)
            options.expectations = manifest.expectations
            options.expectedMachine = manifest.arch.machine
        }
        if let a = r.arch, let abi = ArchABI.named(a) {
            options.expectedMachine = abi.machine
            if options.expectations == nil { options.expectations = abi.expectations }
        }
        return options
    }

    /// A report as --werror (warnings become errors) and --quiet (errors only) shape it.
    static func shaped(_ rep: ImageReport, _ r: CheckRequest) -> ImageReport {
        var findings = rep.findings
        if r.werror { findings = findings.map { var f = $0; f.severity = .error; return f } }
        if r.quiet { findings = findings.filter { $0.severity == .error } }
        return ImageReport(image: rep.image, findings: findings, consumers: rep.consumers)
    }
}
