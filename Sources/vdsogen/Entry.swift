import ArgumentParser
import VDSOKit
#if canImport(Glibc)
import Glibc
#endif

/// Runs the command line with vdsogen's exit codes: 0 success, 1 an image was rejected, 2 usage,
/// I/O or tool errors. Every failure is one line on stderr (tool output may follow it).
enum Entry {
    static func run(_ type: VDSOGen.Type) -> Never {
        do {
            // `check` in its plain forms skips swift-argument-parser's start-up cost (see
            // CheckArguments); everything else, help and errors included, takes the full parser.
            if getenv("VDSOGEN_FULL_PARSER") == nil, let request = CheckArguments.parse(Array(CommandLine.arguments.dropFirst())) {
                try CheckCommand.execute(request)
                exit(0)
            }
            let commands = type.configuration.subcommands.compactMap { $0.configuration.commandName }
            if let problem = CommandSuggestion.problem(Array(CommandLine.arguments.dropFirst()), commands: commands) {
                Console.error(problem)
                exit(2)
            }
            var command = try type.parseAsRoot()
            try command.run()
            exit(0)
        } catch let error as VDSOError {
            Console.error("vdsogen: " + error.description)
            exit(error.exitCode)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let status = type.exitCode(for: error)
            if status == .success {
                Console.out(type.fullMessage(for: error))  // --help, --version
                exit(0)
            }
            Console.error(oneLine(type.message(for: error), commands: type.configuration.subcommands))
            exit(2)
        }
    }
}

/// A usage error as one line, like every other failure: `vdsogen: build: MESSAGE (see vdsogen
/// build --help)` — swift-argument-parser's own form spans several lines (error, usage, hint).
func oneLine(_ message: String, commands: [ParsableCommand.Type]) -> String {
    let text = message.split(whereSeparator: \.isNewline)
        .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        .filter { !$0.isEmpty }.joined(separator: "; ")
    let names = commands.compactMap { $0.configuration.commandName }
    let sub = CommandLine.arguments.dropFirst().first { names.contains($0) }
    let body = text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
    return "vdsogen: " + (sub.map { "\($0): " } ?? "") + body + " (see vdsogen \(sub.map { $0 + " " } ?? "")--help)"
}

/// The command line's writes, through VDSOKit's one sink (unbuffered; progress and results on
/// stdout, diagnostics on stderr), so that they interleave with the library's in order.
enum Console {
    static func out(_ text: String) { if !text.isEmpty { OutputSink.standard.progress(text) } }
    static func error(_ text: String) { OutputSink.standard.diagnostic(text) }
    static func write(_ fd: Int32, _ text: String) { OutputSink.standard.write(fd == 1 ? .progress : .diagnostic, text) }
    static var stdoutIsTerminal: Bool { isatty(1) != 0 && getenv("NO_COLOR") == nil }
}
