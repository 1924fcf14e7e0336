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

    private static let keys: Set<String> = ["profile", "skip", "werror"]

    /// The manifest's `[check]` table: `profile = "linux"`, `skip = ["stack-usage"]`, `werror = true`.
    static func from(_ table: TOMLValue?, path: String) throws(VDSOError) -> CheckPolicy {
        var policy = CheckPolicy()
        guard let table else { return policy }
        guard case .table(let pairs) = table else { throw .manifest(path: path, line: nil, message: "check must be a table ([check])") }
        for (k, _) in pairs where !keys.contains(k) {
            throw .manifest(path: path, line: nil, message: "unknown key \"\(k)\" in [check] (known: \(keys.sorted().joined(separator: ", ")))")
        }
        if let v = table["profile"] {
            guard case .string(let s) = v, let p = Profile(rawValue: s) else {
                throw .manifest(path: path, line: nil, message: "check.profile must be one of \(Profile.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            policy.profile = p
        }
        if let v = table["skip"] {
            guard case .array(let items) = v else { throw .manifest(path: path, line: nil, message: "check.skip must be an array of rule ids") }
            for item in items {
                guard case .string(let id) = item else { throw .manifest(path: path, line: nil, message: "check.skip must hold only rule ids") }
                policy.skip.insert(id)
            }
            if let problem = problem(skipping: policy.skip) { throw .manifest(path: path, line: nil, message: "check.skip: \(problem)") }
        }
        if let v = table["werror"] {
            guard case .bool(let b) = v else { throw .manifest(path: path, line: nil, message: "check.werror must be true or false") }
            policy.werror = b
        }
        return policy
    }
}
