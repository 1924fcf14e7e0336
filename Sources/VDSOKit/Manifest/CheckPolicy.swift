/// How `vdsogen build` judges what it links: the same vocabulary as `vdsogen check` (a profile,
/// rules to skip, warnings as errors), from the manifest's `[check]` table and the command line.
public struct CheckPolicy: Sendable, Equatable {
    public var profile: Profile = .strict
    public var skip: Set<String> = []
    public var werror = false

    public init(profile: Profile = .strict, skip: Set<String> = [], werror: Bool = false) {
        self.profile = profile
        self.skip = skip
        self.werror = werror
    }

    /// The checker's options for this policy.
    func options(expectations: Expectations, machine: UInt16, sizeLimit: UInt64) -> CheckOptions {
        var o = CheckOptions(profile: profile, skip: skip, expectations: expectations, expectedMachine: machine)
        o.sizeLimit = sizeLimit
        return o
    }

    /// `report` as this policy judges it: with --werror every warning is an error.
    func judge(_ report: ImageReport) -> ImageReport {
        guard werror else { return report }
        return ImageReport(image: report.image, findings: report.findings.map { var f = $0; f.severity = .error; return f },
                           consumers: report.consumers)
    }

    /// A stable text of the policy, for the build key: a changed policy re-checks.
    var key: String { "\(profile.rawValue) \(skip.sorted().joined(separator: ",")) \(werror)" }

    /// What is wrong with a list of rule ids to skip (one the registry does not know), if anything.
    public static func problem(skipping ids: some Sequence<String>) -> String? {
        let known = Set(RuleRegistry.ids)
        guard let bad = ids.first(where: { !known.contains($0) }) else { return nil }
        return "unknown rule \"\(bad)\" (known: \(RuleRegistry.ids.joined(separator: ", ")))"
    }

    /// The keys of `[check]`, in the documented order.
    static let keys = ["profile", "skip", "werror"]

    /// The manifest's `[check]` table: `profile = "linux"`, `skip = ["stack-usage"]`, `werror = true`.
    static func from(_ table: ManifestTable) throws(VDSOError) -> CheckPolicy {
        var policy = CheckPolicy()
        try table.refuseUnknownKeys(keys)
        let profiles = Profile.allCases.map(\.rawValue)
        if let (s, at) = try table.string("profile", example: "\"linux\"") {
            guard let p = Profile(rawValue: s) else {
                throw table.error("unknown check.profile \"\(s)\" (known: \(profiles.joined(separator: ", ")))", at: at)
            }
            policy.profile = p
        }
        for (id, at) in try table.strings("skip", example: "[\"stack-usage\"]") ?? [] {
            if let problem = problem(skipping: [id]) { throw table.error("check.skip: \(problem)", at: at) }
            policy.skip.insert(id)
        }
        if let b = try table.bool("werror") { policy.werror = b }
        return policy
    }
}
