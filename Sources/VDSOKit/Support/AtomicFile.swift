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
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(VDSOError) {
        let dir = Path.directory(of: path)
        try FileIO.makeDirectories(dir)
        var template = Array(Path.join(dir, ".\(Path.basename(path)).tmp.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw .cannotWrite(path: path, reason: FileIO.errnoString()) }
        let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        do {
            defer { close(fd) }
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw VDSOError.cannotWrite(path: path, reason: FileIO.errnoString())
                }
                done += n
            }
            if fchmod(fd, mode) != 0 || fsync(fd) != 0 {
                throw VDSOError.cannotWrite(path: path, reason: FileIO.errnoString())
            }
        } catch let error as VDSOError {
            throw error
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        if rename(tmp, path) != 0 { throw .cannotWrite(path: path, reason: FileIO.errnoString()) }
        ok = true
        // Make the rename itself durable.
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Writes UTF-8 text to `path` atomically.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(VDSOError) {
        try write(Array(text.utf8), to: path, mode: mode)
    }
}
