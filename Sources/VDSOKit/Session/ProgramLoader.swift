#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds and starts `vdso-run`, the C program loader behind `vdsogen run`.
public enum ProgramLoader {
    /// The loader: `$VDSOGEN_LOADER`, else `vdso-run` next to this executable, else on PATH.
    public static func locate() throws(VDSOError) -> String {
        if let env = getenv("VDSOGEN_LOADER").map({ String(cString: $0) }), !env.isEmpty {
            if access(env, X_OK) == 0 { return env }
            throw .usage("$VDSOGEN_LOADER names \(env), which is not an executable")
        }
        if let exe = try? FileIO.readLink("/proc/self/exe") {
            let beside = Path.join(Path.directory(of: exe), "vdso-run")
            if access(beside, X_OK) == 0 { return beside }
        }
        if let found = Toolchain.which("vdso-run") { return found }
        throw .usage("vdso-run (the program loader) not found next to vdsogen or on PATH: build it with `make` (out/bin/vdso-run)")
    }

    /// Checks the image `run` would map, as Linux's own images are judged (`--profile linux`,
    /// without DWARF, which a stripped image lacks): an image the checker rejects can crash the
    /// program in ways that look like the program's fault, or make ld.so abort. Returns the
    /// report of its errors when it is rejected, nil when it may be mapped.
    public static func rejection(of image: ELFImage) -> ImageReport? {
        let report = Checker.check(image, options: CheckOptions(profile: .linux, skip: ["dwarf"]))
        return report.passed ? nil : ImageReport(image: image.path, findings: report.findings.filter { $0.severity == .error })
    }

    /// The one-line refusal for an image whose data-page ABI `run`'s writer does not fill
    /// (no vdsogen note and no Linux soname and node, or a note naming an unknown ABI): its
    /// seqlock would spin on a page nobody writes. Nil when the writer serves it.
    public static func abiRefusal(of image: ELFImage) -> String? {
        DataPageABI.declared(by: image).refusal(image: image.path)
    }

    /// The `--verbose` lines on which of glibc's lookups the image serves.
    public static func lookupLines(of image: ELFImage) -> [String] {
        GlibcLookups(image).lines(image: image.path)
    }

    /// Replaces this process with the loader, so the program keeps this process's id and its
    /// exit status and signals reach the caller unchanged. Returns only by throwing.
    public static func exec(arguments: [String]) throws(VDSOError) -> Never {
        let loader = try locate()
        var argv: [UnsafeMutablePointer<CChar>?] = ([loader] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(loader, argv)
        throw .cannotRead(path: loader, reason: "cannot execute the loader: \(FileIO.errnoString())")
    }
}
