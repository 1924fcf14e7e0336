/// Kbuild-style progress: one `  TAG     path` line per step, or every command with V=1, on the
/// progress stream of the build's sink; the tools' own output and the findings go to its
/// diagnostic stream, through the same sink, so both appear in the order the work happened.
public struct BuildLog: Sendable {
    public var verbose: Bool
    public var quiet: Bool
    public var output: OutputSink

    public init(verbose: Bool, quiet: Bool = false, output: OutputSink = .standard) {
        self.verbose = verbose
        self.quiet = quiet
        self.output = output
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

    /// What a tool printed (a compiler's or linker's warnings): diagnostics, shown even with -q.
    public func toolOutput(_ text: String) { output.write(.diagnostic, text) }

    /// A diagnostic line (a note, a finding).
    public func diagnostic(_ text: String) { output.diagnostic(text) }

    private func emit(_ text: String) { output.write(.progress, text) }
}
