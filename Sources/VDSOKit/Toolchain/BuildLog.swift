#if canImport(Glibc)
import Glibc
#endif

/// Kbuild-style progress: one `  TAG     path` line per step, or every command with V=1.
public struct BuildLog: Sendable {
    public var verbose: Bool
    public var quiet: Bool

    public init(verbose: Bool, quiet: Bool = false) {
        self.verbose = verbose
        self.quiet = quiet
    }

    /// A step, as Kbuild prints it: `  LD      out/vdso.so.dbg`.
    public func step(_ tag: String, _ path: String) {
        guard !quiet && !verbose else { return }
        let pad = String(repeating: " ", count: max(1, 8 - tag.count))
        emit("  \(tag)\(pad)\(Path.relative(path, to: FileIO.currentDirectory()))\n")
    }

    /// A command about to run (shown with V=1 only).
    public func command(_ command: Command) {
        guard verbose && !quiet else { return }
        emit(command.shellLine + "\n")
    }

    /// A step done in-process, shown with V=1 as what it did.
    public func action(_ text: String) {
        guard verbose && !quiet else { return }
        emit(text + "\n")
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
