import Foundation
import PackagePlugin

/// A SwiftPM build-tool plugin: every `NAME.vdso.toml` manifest in a target is built with
/// `vdsogen build` (compiled, linked, stripped and checked; a rejected image fails the build), and
/// the image is compiled into the target as `enum PREFIXImage` (bytes, sizes, data-page offset,
/// symbol offsets, build-id) — no script needed.
@main
struct VDSOGenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let vdsogen = try context.tool(named: "vdsogen")
        return target.sourceFiles.filter { $0.url.lastPathComponent.hasSuffix(".vdso.toml") }.map { file in
            let name = String(file.url.lastPathComponent.dropLast(".vdso.toml".count))
            let out = context.pluginWorkDirectoryURL.appending(path: name)
            let swift = out.appending(path: "\(name)-image.swift")
            let depfile = out.appending(path: "\(name).d")
            return .buildCommand(
                displayName: "vdsogen build \(file.url.lastPathComponent)",
                executable: vdsogen.url,
                arguments: ["build", file.url.path, "--output-dir", out.path, "--name", name,
                            "--swift", swift.path, "--depfile", depfile.path, "--quiet"],
                // The sources, headers and linker script the last build read, from its depfile:
                // the image is rebuilt when any of them changes.
                inputFiles: [file.url] + Self.prerequisites(depfile),
                outputFiles: [swift])
        }
    }

    /// The prerequisites of a Make-style depfile (empty before the first build).
    static func prerequisites(_ depfile: URL) -> [URL] {
        guard let text = try? String(contentsOf: depfile, encoding: .utf8),
              let colon = text.range(of: ": ") else { return [] }
        return text[colon.upperBound...]
            .replacingOccurrences(of: "\\\n", with: " ")
            .replacingOccurrences(of: "\\ ", with: "\u{0}")
            .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            .map { URL(fileURLWithPath: $0.replacingOccurrences(of: "\u{0}", with: " ")) }
    }
}
