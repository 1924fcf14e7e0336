/// Lays a debug image out the way gdb, perf and elfutils find debug files by build-id
/// (`usr/lib/debug/.build-id/xx/yyyy….debug`), as Linux's `make vdso_install` does.
public enum DebugInstall {
    /// The path, relative to the root, where the debug file for `buildID` goes.
    public static func relativePath(buildID: [UInt8]) -> String {
        let hex = hexBytes(buildID)
        return "usr/lib/debug/.build-id/" + String(hex.prefix(2)) + "/" + String(hex.dropFirst(2)) + ".debug"
    }

    /// Installs `debugImage` under `root`; returns the installed path. Refuses an image without a
    /// build-id or without DWARF (there would be nothing for a debugger to find).
    @discardableResult
    public static func install(debugImage path: String, root: String) throws(VDSOError) -> String {
        let image = try ELFReader.read(path: path)
        guard let id = image.buildID, !id.isEmpty else {
            throw .usage("\(path): no build-id note, so debuggers could not find it by build-id; link with --build-id=sha1")
        }
        if !DWARFSummary.hasDebugInfo(image) {
            throw .usage("\(path): no .debug_info: install the unstripped image (NAME.so.dbg), not the runtime one")
        }
        let target = Path.join(root, relativePath(buildID: id))
        try AtomicFile.write(image.bytes.bytes, to: target)
        return target
    }
}
