import CPlatform
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes files all-or-nothing: the bytes go to a temporary file in the same directory, which is
/// flushed to disk and then renamed over the target, so a reader (or a build interrupted by
/// `kill -9`) sees either the old file or the complete new one, never a truncated mix.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically, with the given permission bits.
    /// With `durable: false` (intermediate files: build stamps, scripts) nothing is flushed to
    /// disk: the rename still makes the file appear whole, and losing it to a crash only costs a
    /// rebuild.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = true) throws(VDSOError) {
        try writeAll([(path, bytes)], mode: mode, durable: durable)
    }

    /// Writes several files, each all-or-nothing, with one flush to disk for the lot: every
    /// temporary file is written, the file system is synced once (one journal commit instead of
    /// one per file; a single file is fsync'd alone), then each is renamed into place and the
    /// directories are synced. A crash leaves every target either as it was or complete.
    public static func writeAll(_ files: [(path: String, bytes: [UInt8])], mode: mode_t = 0o644, durable: Bool = true) throws(VDSOError) {
        var temps: [(tmp: String, path: String)] = []
        var ok = false
        defer { if !ok { for t in temps { unlink(t.tmp) } } }
        var syncFD: Int32 = -1
        defer { if syncFD >= 0 { close(syncFD) } }
        for (path, bytes) in files {
            let (fd, tmp) = try createTemporary(for: path)
            temps.append((tmp, path))
            defer { close(fd) }
            try writeFully(fd, bytes, path)
            if fchmod(fd, mode) != 0 { throw .cannotWrite(path: path, reason: FileIO.errnoString()) }
            if !durable {
                continue
            } else if files.count == 1 {
                if fsync(fd) != 0 { throw .cannotWrite(path: path, reason: FileIO.errnoString()) }
            } else if syncFD < 0 {
                syncFD = dup(fd)
            }
        }
        if syncFD >= 0 && syncfs(syncFD) != 0 { throw .cannotWrite(path: files[0].path, reason: FileIO.errnoString()) }
        for t in temps where rename(t.tmp, t.path) != 0 {
            throw .cannotWrite(path: t.path, reason: FileIO.errnoString())
        }
        ok = true
        guard durable else { return }
        var dirs: [String] = []
        for t in temps where !dirs.contains(Path.directory(of: t.path)) { dirs.append(Path.directory(of: t.path)) }
        for dir in dirs { syncDirectory(dir) }
    }

    private static func createTemporary(for path: String) throws(VDSOError) -> (Int32, String) {
        let dir = Path.directory(of: path)
        try FileIO.makeDirectories(dir)
        removeStaleTemporaries(for: path)
        // The writer's pid is part of the name, so a later write can tell a temporary file left by
        // a killed process (kill -9 between mkstemp and rename) from one still being written.
        var template = Array(Path.join(dir, ".\(Path.basename(path)).tmp.\(getpid()).XXXXXX").utf8CString)
        // Close-on-exec: a child another thread forks meanwhile must not inherit the write end,
        // or executing the file once it is renamed into place fails with ETXTBSY.
        let fd = template.withUnsafeMutableBufferPointer { mkostemp($0.baseAddress!, O_CLOEXEC) }
        if fd < 0 { throw .cannotWrite(path: path, reason: FileIO.errnoString()) }
        return (fd, String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Removes `.NAME.tmp.PID.XXXXXX` files next to `path` whose process no longer exists: what an
    /// interrupted write of the same file left behind. Files of live writers are left alone.
    static func removeStaleTemporaries(for path: String) {
        let dir = Path.directory(of: path)
        let prefix = ".\(Path.basename(path)).tmp."
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(prefix) else { continue }
            let rest = name.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let pid = pid_t(rest[..<dot]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(Path.join(dir, name)) }
        }
    }

    private static func writeFully(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(VDSOError) {
        if let code = FileDescriptorWriter.writeAll(fd, bytes) { throw .cannotWrite(path: path, reason: FileIO.errnoString(code)) }
    }

    private static func syncDirectory(_ dir: String) {
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Writes UTF-8 text to `path` atomically.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644, durable: Bool = true) throws(VDSOError) {
        try write(Array(text.utf8), to: path, mode: mode, durable: durable)
    }
}
