import ArgumentParser
import VDSOKit

extension Profile: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate vDSO images (ours, Linux's, anyone's).",
        discussion: """
            Rules, by their stable ids (grep for them, --skip them; --list-rules explains each):
            \(RuleRegistry.ids.joined(separator: " "))

            Output: one finding per line, `IMAGE: error[RULE]: message`, then a summary line per image.
            Exit status: 0 no errors; 1 some image has an error; 2 usage error, or a file that cannot \
            be read or is not ELF.
            """)

    @Argument(help: "vDSO images to check (ELF32 or ELF64, either byte order).")
    var images: [String] = []

    @Flag(help: "Also check the vDSO the kernel mapped into this process.")
    var running = false

    @Option(help: "strict (default): everything a well-formed vDSO needs; linux: accept what Linux's own images do.")
    var profile: Profile = .strict

    @Option(help: "The unstripped debug image (DWARF, full symbol table, same build-id).")
    var debug: String?

    @Option(help: "Take the expected soname, version nodes, exports and size limit from this manifest.")
    var manifest: String?

    @Option(help: "Expect the defaults of this architecture (x86_64, i386, aarch64, riscv64, arm).")
    var arch: String?

    @Option(name: .customLong("skip"), help: "Do not run this rule (repeatable).")
    var skip: [String] = []

    @Option(help: "text (default; a symbols × consumers table follows an image's findings when a consumer fails), json, or sarif (SARIF 2.1.0 for CI annotations).")
    var format: ReportFormat = .text

    @Option(name: .customLong("size-limit"), help: "Largest acceptable image, in bytes.")
    var sizeLimit: UInt64?

    @Flag(help: "Print errors only.")
    var quiet = false

    @Flag(help: "Treat warnings as errors.")
    var werror = false

    @Flag(name: .customLong("list-rules"), help: "Describe every rule, as Markdown (Docs/rules.md), and exit.")
    var listRules = false

    func run() throws {
        if listRules {
            Console.out(RuleRegistry.markdown())
            return
        }
        try CheckCommand.execute(request)
    }

    /// The request these options describe.
    var request: CheckRequest {
        var r = CheckRequest()
        r.images = images
        r.running = running
        r.debugPath = debug
        r.manifestPath = manifest
        r.profile = profile
        r.skip = skip
        r.format = format
        r.sizeLimit = sizeLimit
        r.arch = arch
        r.quiet = quiet
        r.werror = werror
        return r
    }

    /// Runs a check request: the report on stdout, unreadable files on stderr as they are met, the
    /// exit status.
    static func execute(_ request: CheckRequest) throws {
        var r = request
        r.color = r.format == .text && Console.stdoutIsTerminal
        let outcome = try CheckSession.run(r, output: .standard)
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }
}
