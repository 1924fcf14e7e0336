import ArgumentParser
import VDSOKit

/// The root command: only lists subcommands.
@main
struct VDSOGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vdsogen",
        abstract: "Build, validate and emit vDSO images.",
        discussion: """
            Exit status: 0 success; 1 an image was rejected; 2 usage error, unreadable file, \
            a file that is not ELF, or a failed tool.
            """,
        version: VDSOGenVersion.string,
        subcommands: [BuildCommand.self, CheckCommand.self, EmitCommand.self, InspectCommand.self, InstallDebugCommand.self, RunCommand.self])

    static func main() { Entry.run(self) }
}
