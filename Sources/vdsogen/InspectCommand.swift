import ArgumentParser
import VDSOKit

/// Output formats of `vdsogen inspect`.
enum InspectFormat: String, ExpressibleByArgument {
    case text, json
}

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Dump a vDSO image: segments, sections, exports, notes, data-page symbols, consumer lookups.",
        discussion: """
            Exports are listed with their version, size and (from DWARF, in the image or --debug) the \
            file:line of their definition; notes with the build-id, the Linux version note and what the \
            GNU property note claims (IBT, SHSTK, BTI, PAC); data-page symbols from the debug image's \
            full symbol table, as offsets from the image base; and the symbols × consumers table \
            (glibc, musl, Go, rustix) that the consumers rule checks. --format json for scripts.
            Exit status: 0; 2 for a file that cannot be read or is not ELF.
            """)

    @Argument(help: "The vDSO image to inspect.")
    var image: String

    @Option(help: "The unstripped debug image (DWARF, full symbol table).")
    var debug: String?

    @Option(help: "Take the required symbols (for the consumer table) from this manifest.")
    var manifest: String?

    @Option(help: "text (default) or json.")
    var format: InspectFormat = .text

    func run() throws {
        let img = try ELFReader.read(path: image)
        let dbg = try debug.map { try ELFReader.read(path: $0) }
        let expectations = try manifest.map { try Manifest.load($0).expectations }
        let inspection = Inspection(image: img, debug: dbg, expectations: expectations)
        Console.out(format == .json ? inspection.json.render() : inspection.text())
    }
}
