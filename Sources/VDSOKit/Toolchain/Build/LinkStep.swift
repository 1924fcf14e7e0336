/// Steps 3 and 4 of a build: link the debug image under the linker script and a generated version
/// script, then strip it into the runtime image, both in the object directory.
struct LinkStep {
    var link: Command
    var strip: Command
    var versionScript: String
    /// The images as linked and stripped, before any check (in the object directory).
    var debugImage: String
    var image: String

    init(_ r: BuildRequest, tools: Toolchain, objects: [String]) {
        let m = r.manifest
        let objdir = r.objectDirectory
        versionScript = Path.join(objdir, r.name + ".ver")
        debugImage = Path.join(objdir, r.name + ".so.dbg")
        image = Path.join(objdir, r.name + ".so")
        link = Command([tools.lld] + BuildDriver.baseLDFlags(soname: m.soname) + m.ldflags
                       + ["--version-script", versionScript, "-T", m.linkerScript] + objects + ["-o", debugImage])
        strip = Command([tools.objcopy, "--strip-all", debugImage, image])
    }

    /// What a link gave: both images, or the defects it found in the user's code or version nodes.
    enum Outcome {
        case images(debug: ELFImage, image: ELFImage)
        case rejected([Finding])
    }

    /// Links and strips; returns both images as read back. A link that fails for a defect in the
    /// user's code or version nodes is a rejection with rule ids (`LinkDiagnosis`), any other
    /// failure a failed tool.
    func run(_ r: BuildRequest, log: BuildLog) throws(VDSOError) -> Outcome {
        let m = r.manifest
        try AtomicFile.write(m.versionScript, to: versionScript, durable: false)
        log.step("LD", r.debugImagePath)
        log.command(link)
        let linked = try Subprocess.run(link, logDirectory: r.objectDirectory)
        if linked.status != 0 {
            if let defects = LinkDiagnosis.defects(in: linked.output, manifest: m.path ?? "--version-node",
                                                   aliases: m.versions.flatMap(\.aliases)) {
                return .rejected(defects.map(\.finding))
            }
            log.toolOutput(Self.explainUndefined(linked.output) + "\n")
            throw .commandFailed(command: link.shellLine, status: linked.status, output: "")
        }
        log.toolOutput(linked.output)
        log.step("STRIP", r.imagePath)
        log.command(strip)
        let stripped = try Subprocess.run(strip, logDirectory: r.objectDirectory)
        log.toolOutput(stripped.output)
        if stripped.status != 0 { throw .commandFailed(command: strip.shellLine, status: stripped.status, output: "") }
        return .images(debug: try ELFReader.read(path: debugImage), image: try ELFReader.read(path: image))
    }

    /// The linker's "undefined symbol: X" lines, each followed by what X is and what to do.
    static func explainUndefined(_ output: String) -> String {
        var out: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            out.append(String(line))
            if let r = line.range(of: "undefined symbol: ") {
                let name = line[r.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                out.append(">>> vdsogen: " + NoUndefinedSymbolsRule.advice(for: name))
            }
        }
        return out.joined(separator: "\n")
    }
}
