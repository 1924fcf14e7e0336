import ArgumentParser
import VDSOKit

struct InstallDebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-debug",
        abstract: "Install a debug image where gdb and perf find it by build-id.",
        discussion: """
            Writes DBG to ROOT/usr/lib/debug/.build-id/xx/yyyy.debug (xx: the first byte of the \
            build-id in hex, yyyy: the rest), as Linux's `make vdso_install` does. gdb \
            (`set debug-file-directory ROOT/usr/lib/debug`), perf and elfutils then symbolise \
            addresses inside the vDSO of any process whose image has that build-id.
            """)

    @Argument(help: "The unstripped debug image (NAME.so.dbg).")
    var debugImage: String

    @Option(help: "The root to install under (e.g. / or a staging directory).")
    var root: String

    @Flag(name: .shortAndLong, help: "Print nothing.")
    var quiet = false

    func run() throws {
        let path = try DebugInstall.install(debugImage: debugImage, root: root)
        if !quiet { Console.out("  INSTALL \(path)") }
    }
}
