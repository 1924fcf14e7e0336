/// Every failure vdsogen reports, typed so the front end can pick the exit code and print one line
/// that says what is wrong, where, and what to do.
public enum VDSOError: Error, CustomStringConvertible, Sendable {
    /// A file could not be opened or read (missing, unreadable, a directory, ...).
    case cannotRead(path: String, reason: String)
    /// A file was read but is not an ELF file vdsogen can look into.
    case notELF(path: String, reason: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// The command line or a manifest asks for something that cannot be done.
    case usage(String)
    /// A manifest is not TOML, or not a manifest vdsogen knows: the place (1-based line and
    /// column, in characters) and what is wrong.
    case manifest(path: String, line: Int, column: Int, message: String)
    /// A required external tool is not installed.
    case toolMissing(tool: String, package: String)
    /// An external command failed.
    case commandFailed(command: String, status: Int32, output: String)
    /// An image (or several) was rejected by the checker; the findings were already reported.
    case rejected(path: String, errors: Int)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "\(path): cannot read: \(reason)"
        case let .notELF(path, reason): return "\(path): not an ELF file: \(reason)"
        case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
        case let .usage(message): return message
        case let .manifest(path, line, column, message): return "\(path):\(line):\(column): \(message)"
        case let .toolMissing(tool, package):
            return "\(tool) not found: install it with `apt-get install \(package)` (or put it on PATH)"
        case let .commandFailed(command, status, output):
            let tail = output.isEmpty ? "" : "\n" + output
            return "command failed (exit \(status)): \(command)\(tail)"
        case let .rejected(path, errors):
            return "\(path): rejected with \(errors) error\(errors == 1 ? "" : "s")"
        }
    }

    /// The process exit status this error maps to: 1 for a rejected image, 2 for everything else
    /// (usage, I/O, not ELF, a failed tool).
    public var exitCode: Int32 {
        switch self {
        case .rejected: return 1
        default: return 2
        }
    }
}
