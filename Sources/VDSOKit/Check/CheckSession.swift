/// One `vdsogen check` invocation: reads every image, runs the rules, renders the reports and
/// decides the exit status. The CLI only fills in the request.
public struct CheckRequest: Sendable {
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

    public init() {}
}

public struct CheckOutcome: Sendable {
    /// The rendered report, for stdout.
    public var report: String
    /// One line per file that could not be read, for stderr.
    public var failures: [String]
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

    public static func run(_ r: CheckRequest) throws(VDSOError) -> CheckOutcome {
        try validate(r)
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
        let debug = try r.debugPath.map { (p: String) throws(VDSOError) in try ELFReader.read(path: p) }
        var reports: [ImageReport] = [], failures: [String] = []
        var unreadable = false
        if r.running {
            do {
                let image = try RunningVDSO.image()
                reports.append(Checker.check(image, debug: debug, options: options))
            } catch {
                failures.append("vdsogen: " + error.description); unreadable = true
            }
        }
        for path in r.images {
            do {
                let image = try ELFReader.read(path: path)
                reports.append(Checker.check(image, debug: debug, options: options))
            } catch {
                failures.append("vdsogen: " + error.description); unreadable = true
            }
        }
        if r.werror {
            reports = reports.map { rep in
                ImageReport(image: rep.image, findings: rep.findings.map { var f = $0; f.severity = .error; return f }, consumers: rep.consumers)
            }
        }
        if r.quiet {
            reports = reports.map { ImageReport(image: $0.image, findings: $0.findings.filter { $0.severity == .error }, consumers: $0.consumers) }
        }
        let text: String
        switch r.format {
        // The consumer table, for the text report (only images with a `consumers` finding show it).
        case .text: text = ReportRenderer.text(reports, color: r.color, summary: !r.quiet, consumerTables: !r.quiet)
        case .json: text = ReportRenderer.json(reports)
        case .sarif: text = SARIFRenderer.render(reports)
        }
        let status: Int32 = unreadable ? 2 : (reports.allSatisfy(\.passed) ? 0 : 1)
        return CheckOutcome(report: text, failures: failures, status: status, reports: reports)
    }
}
