/// One validation rule: a stable id users grep and `--skip`, what it checks, what it protects
/// against, and the check itself. Each rule lives in its own file under `Rules/`.
public protocol Rule: Sendable {
    /// The stable id, e.g. `no-dynamic-relocations`. Never rename one.
    var id: String { get }
    /// One line: what the rule requires.
    var summary: String { get }
    /// What breaks in the field when the requirement is not met.
    var protects: String { get }
    /// Runs the rule. Findings carry this rule's id.
    func check(_ context: CheckContext) -> [Finding]
}

extension Rule {
    /// A finding of this rule.
    func error(_ message: String, at location: SourceLocation? = nil) -> Finding {
        Finding(rule: id, severity: .error, message: message, location: location)
    }
    func warning(_ message: String, at location: SourceLocation? = nil) -> Finding {
        Finding(rule: id, severity: .warning, message: message, location: location)
    }
    /// An error under `strict`, a warning under `linux` (for what real kernel images do).
    func strictError(_ message: String, _ context: CheckContext, at location: SourceLocation? = nil) -> Finding {
        context.profile == .strict ? error(message, at: location) : warning(message, at: location)
    }
}
