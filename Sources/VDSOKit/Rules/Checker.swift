/// What to check and how strictly.
public struct CheckOptions: Sendable {
    public var profile: Profile
    /// Rule ids not to run.
    public var skip: Set<String>
    /// Expectations overriding the machine defaults (from a manifest), if any.
    public var expectations: Expectations?
    /// Overrides the size limit of whatever expectations apply.
    public var sizeLimit: UInt64?
    /// The machine the image must be for, if known.
    public var expectedMachine: UInt16?
    /// On a truncated file (`ELFImage.isTruncated`), run only `load-layout`, which names the cut,
    /// instead of every rule reporting its own consequence of it (a missing DT_HASH, missing
    /// exports, ...). Off only where every rule must run on every input (the fuzz target).
    public var stopAtTruncation: Bool

    public init(profile: Profile = .strict, skip: Set<String> = [], expectations: Expectations? = nil,
                sizeLimit: UInt64? = nil, expectedMachine: UInt16? = nil, stopAtTruncation: Bool = true) {
        self.profile = profile
        self.skip = skip
        self.expectations = expectations
        self.sizeLimit = sizeLimit
        self.expectedMachine = expectedMachine
        self.stopAtTruncation = stopAtTruncation
    }
}

/// Runs every rule of the registry over an image.
public enum Checker {
    /// Checks an already parsed image (and its debug twin).
    public static func check(_ image: ELFImage, debug: ELFImage? = nil, options: CheckOptions = CheckOptions()) -> ImageReport {
        var expectations = options.expectations ?? defaultExpectations(image)
        if let limit = options.sizeLimit { expectations.sizeLimit = limit }
        if options.expectations == nil, expectations.nodes.contains(where: { !$0.earlierNames.isEmpty }) {
            let defined = Set(DynamicView(image).versionDefinitions.filter { !$0.isBase }.map(\.name))
            expectations = expectations.resolvingEarlierNodes(defined: defined, under: options.profile)
        }
        let context = CheckContext(image: image, debug: debug, profile: options.profile,
                                   expectations: expectations, expectedMachine: options.expectedMachine)
        if options.stopAtTruncation && image.isTruncated {
            // One cause, one line. load-layout runs even if skipped: a truncated file never passes.
            let cut = RuleRegistry.all.filter { $0.id == "load-layout" }.flatMap { $0.check(context) }
            if cut.contains(where: { $0.severity == .error }) {
                return ImageReport(image: image.path, findings: cut)
            }
        }
        var findings: [Finding] = []
        for rule in RuleRegistry.all where !options.skip.contains(rule.id) {
            findings += rule.check(context)
        }
        let consumers = options.skip.contains("consumers") ? nil : context.consumerMatrix
        return ImageReport(image: image.path, findings: findings, consumers: consumers)
    }

    /// The architecture's Linux ABI, unless the image names itself otherwise: an image whose
    /// soname is no Linux vDSO's (a hobby kernel's `myos-vdso.so.1`) is judged by the generic
    /// rules only, since its nodes and exports are its own (a manifest says what they are).
    static func defaultExpectations(_ image: ELFImage) -> Expectations {
        let linux = Expectations.forImage(image.header)
        guard let soname = DynamicView(image).soname, !soname.isEmpty,
              !linux.acceptsSoname(soname, under: .linux),
              !ArchABI.linux.contains(where: { $0.expectations.acceptsSoname(soname, under: .linux) }) else { return linux }
        return .generic(soname: soname)
    }

    /// Reads and checks the image at `path` (and `debugPath`). Throws for files that cannot be
    /// read or are not ELF (exit 2); everything else is a finding.
    public static func check(path: String, debugPath: String? = nil, options: CheckOptions = CheckOptions()) throws(VDSOError) -> ImageReport {
        let image = try ELFReader.read(path: path)
        let debug = try debugPath.map { (p: String) throws(VDSOError) in try ELFReader.read(path: p) }
        return check(image, debug: debug, options: options)
    }
}
