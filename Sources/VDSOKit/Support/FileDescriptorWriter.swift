#if canImport(Glibc)
import Glibc
#endif

/// Whole writes to a file descriptor: the one loop behind atomic files and the output sink.
enum FileDescriptorWriter {
    /// Writes all of `bytes` to `fd`, retrying on EINTR and short writes. Returns nil when every
    /// byte was written, else the errno of the write that failed (EIO for one that wrote nothing).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n < 0 ? errno : EIO }
            done += n
        }
        return nil
    }
}
