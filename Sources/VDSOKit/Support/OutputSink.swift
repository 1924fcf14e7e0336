import Synchronization

/// Where everything vdsogen prints goes: one sink per command, passed to the build driver and the
/// check session, so that what they print appears in the order the work happened, on a terminal
/// and on a pipe alike (`make | tee`, every CI log).
///
/// The split is Kbuild's: progress (`  CC      file.c`, `  LD      out/vdso.so.dbg`) on stdout;
/// tool output (the compiler's and linker's warnings) and diagnostics (findings, notes, errors) on
/// stderr. Writes are unbuffered — each call is one `write(2)` loop — so two streams merged into one
/// pipe (`2>&1`) keep their order, and `2>/dev/null` removes every diagnostic and nothing else.
public struct OutputSink: Sendable {
    /// The two streams a command writes.
    public enum Stream: Sendable, Equatable {
        /// stdout: progress lines, and a command's result (check's report, emit's listing).
        case progress
        /// stderr: tool output, findings, notes and errors.
        case diagnostic
    }

    private let sink: @Sendable (Stream, String) -> Void

    /// A sink that hands every write to `write`, in order.
    public init(_ write: @escaping @Sendable (Stream, String) -> Void) { self.sink = write }

    /// stdout and stderr of this process, unbuffered.
    public static let standard = OutputSink { stream, text in
        _ = FileDescriptorWriter.writeAll(stream == .progress ? 1 : 2, Array(text.utf8))
    }

    /// Discards everything (library callers that only want the result).
    public static let discard = OutputSink { _, _ in }

    /// Writes `text` to stdout, a newline appended when it has none.
    public func progress(_ text: String) { sink(.progress, Self.line(text)) }

    /// Writes `text` to stderr, a newline appended when it has none.
    public func diagnostic(_ text: String) { sink(.diagnostic, Self.line(text)) }

    /// Writes `text` as it is (no newline added), for rendered reports and tool output.
    public func write(_ stream: Stream, _ text: String) {
        if !text.isEmpty { sink(stream, text) }
    }

    private static func line(_ text: String) -> String { text.hasSuffix("\n") ? text : text + "\n" }
}

/// Every write to a sink, in order, with the stream it went to: for tests and for callers that
/// embed vdsogen and show its output themselves.
public final class CapturedOutput: Sendable {
    private let writes = Mutex<[(OutputSink.Stream, String)]>([])

    public init() {}

    /// A sink that appends to this capture.
    public var sink: OutputSink {
        OutputSink { [self] stream, text in writes.withLock { $0.append((stream, text)) } }
    }

    /// Everything written, both streams interleaved as they were written (what `2>&1` shows).
    public var merged: String { writes.withLock { $0.map(\.1).joined() } }

    /// Everything written to one stream.
    public func text(of stream: OutputSink.Stream) -> String {
        writes.withLock { $0.filter { $0.0 == stream }.map(\.1).joined() }
    }
}
