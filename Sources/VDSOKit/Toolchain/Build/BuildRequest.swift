/// What `vdsogen build` should produce.
public struct BuildRequest: Sendable {
    public var manifest: Manifest
    /// Directory of the outputs (default `out`).
    public var outputDirectory = "out"
    /// Base name of the outputs: NAME.so, NAME.so.dbg, NAME-image.h, NAME-image.c.
    public var name = "vdso"
    /// Also write NAME.bin (the page-padded blob) and NAME-blob.S (its .incbin wrapper).
    public var blob = false
    public var verbose = false
    public var quiet = false
    public var jobs = Subprocess.cpuCount
    /// The directory whose path is mapped to `.` in debug info (default: the common root of the
    /// manifest, sources and include directories).
    public var sourceRoot: String?
    /// Also write a Make-style dependency file of every input here (for Make, Ninja, CMake, Meson).
    public var depfile: String?
    /// Also write a Swift source embedding the image here (the SwiftPM plugin uses it).
    public var swiftSource: String?
    /// Rebuild everything even if the outputs are up to date.
    public var force = false
    /// The compiler flags of `manifest.cflags` that `--cflag` added (a refused one is blamed on
    /// the option, not the manifest).
    public var commandLineCFlags: [String] = []
    /// Where progress, tool output and findings go, in the order they happen.
    public var output: OutputSink = .standard

    public init(manifest: Manifest) { self.manifest = manifest }

    public var debugImagePath: String { Path.join(outputDirectory, name + ".so.dbg") }
    public var imagePath: String { Path.join(outputDirectory, name + ".so") }
    public var headerPath: String { Path.join(outputDirectory, name + "-image.h") }
    public var sourcePath: String { Path.join(outputDirectory, name + "-image.c") }
    public var blobPath: String { Path.join(outputDirectory, name + ".bin") }
    public var asmPath: String { Path.join(outputDirectory, name + "-blob.S") }
    /// Where objects and intermediate files go.
    public var objectDirectory: String { Path.join(outputDirectory, "obj/" + name) }
    /// Where a rejected pair is kept for the user (and CI's annotations) to inspect.
    public var rejectedDirectory: String { Path.join(objectDirectory, "rejected") }

    /// Every file a successful build writes, the two images first.
    public var outputs: [String] {
        [debugImagePath, imagePath, headerPath, sourcePath] + (blob ? [blobPath, asmPath] : [])
            + (swiftSource.map { [$0] } ?? [])
    }

    /// The directory mapped to `.` in debug info and the SARIF report's `SRCROOT`.
    /// `--source-root`, else the manifest's `source-root`, else the inputs' common root.
    public var resolvedSourceRoot: String {
        (sourceRoot ?? manifest.sourceRoot).map(Path.absolute) ?? BuildInputs.commonRoot(manifest)
    }
}

/// The outcome of a build: the verdicts on both images (or on the sources, when a defect stopped
/// the build before an image existed), and whether anything had to be done.
public struct BuildResult: Sendable {
    /// Every finding, by image; a defect found before the link is in a report named after the
    /// manifest (or the image that was to be made), its findings naming the source or object.
    public var reports: [ImageReport]
    /// False when every output was already up to date (by content) and nothing ran.
    public var rebuilt: Bool
    /// Every file the outputs depend on.
    public var prerequisites: [String]
    /// Causes behind the findings (a section the linker script misplaced), one line each.
    public var notes: [String] = []
    /// Where a rejected pair was kept (`obj/NAME/rejected/`), nil when none was made or kept.
    public var keptRejected: (debug: String, image: String)?

    /// True when no report has an error: the outputs were written.
    public var passed: Bool { reports.allSatisfy(\.passed) }
    /// Distinct errors over every report (a defect both images share counts, and prints, once).
    public var errors: Int {
        var seen: [Finding] = []
        for r in reports { for f in r.findings where f.severity == .error && !seen.contains(f) { seen.append(f) } }
        return seen.count
    }
}
