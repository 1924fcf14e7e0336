/// How serious a finding is. Errors reject the image; warnings are reported and let it pass.
public enum Severity: String, Sendable, Comparable {
    case error
    case warning

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}

/// One thing a rule found wrong with an image.
public struct Finding: Sendable, Equatable {
    /// The stable id of the rule that produced it (`load-layout`, `exports`, ...).
    public var rule: String
    public var severity: Severity
    /// What is wrong, where (section, symbol, offset), and what to do about it.
    public var message: String
    /// The source line the finding is about (from DWARF), when known: SARIF and editors point
    /// at it; the message cites it too.
    public var location: SourceLocation?
    /// What the finding is about when it is not the image its report names: the source line, the
    /// object or the manifest a build found a defect in before an image existed. Text reports
    /// print it in the image's place (`src/vdso.c:56: error[RULE]: ...`).
    public var subject: String?

    public init(rule: String, severity: Severity, message: String, location: SourceLocation? = nil,
                subject: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.location = location
        self.subject = subject
    }
}

/// The verdict on one image: every finding of every rule that ran.
public struct ImageReport: Sendable {
    public var image: String
    public var findings: [Finding]
    /// What each consumer finds of the symbols it looks up, as the `consumers` rule computed it
    /// (nil when that rule did not run): the table the text report shows under its findings.
    public var consumers: ConsumerMatrix?

    public init(image: String, findings: [Finding], consumers: ConsumerMatrix? = nil) {
        self.image = image
        self.findings = findings
        self.consumers = consumers
    }

    public var errors: Int { findings.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) } }
    public var warnings: Int { findings.count - errors }
    /// True when no finding is an error.
    public var passed: Bool { !findings.contains { $0.severity == .error } }
}
