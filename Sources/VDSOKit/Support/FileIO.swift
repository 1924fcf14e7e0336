#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plain POSIX file access, kept free of Foundation so the checker starts in milliseconds.
public enum FileIO {
    /// The largest file `read` accepts: far beyond any vDSO or its debug image, small enough that
    /// an endless source (a character device, a pipe that never closes) cannot exhaust memory.
    public static let maxReadSize = 256 << 20

    /// Reads a whole file: a regular file, or a FIFO / pipe (`<(...)`) until its writer closes it.
    /// Directories, devices and sockets are refused, and so is anything over `maxReadSize`.
    public static func read(_ path: String) throws(VDSOError) -> [UInt8] {
        // O_NONBLOCK so that opening a FIFO no process writes to cannot hang; cleared below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw .cannotRead(path: path, reason: errnoString()) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw .cannotRead(path: path, reason: errnoString()) }
        let kind = st.st_mode & S_IFMT
        switch kind {
        case S_IFDIR: throw .cannotRead(path: path, reason: "is a directory")
        case S_IFCHR: throw .cannotRead(path: path, reason: "is a character device, not a file")
        case S_IFBLK: throw .cannotRead(path: path, reason: "is a block device, not a file")
        case S_IFSOCK: throw .cannotRead(path: path, reason: "is a socket, not a file")
        default: break
        }
        if Int(st.st_size) > maxReadSize {
            throw .cannotRead(path: path, reason: "\(st.st_size) bytes, over the \(maxReadSize >> 20) MiB limit (no vDSO is that large)")
        }
        // Blocking reads from here on: a FIFO with a writer is read until the writer closes it; one
        // without a writer reads as end-of-file at once.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        // st_size is a hint: files in /proc report 0, and a file may grow while it is read.
        var bytes = [UInt8](repeating: 0, count: max(Int(st.st_size), 4096))
        var done = 0
        while true {
            if done == bytes.count {
                if done > maxReadSize {
                    throw .cannotRead(path: path, reason: "more than \(maxReadSize >> 20) MiB (no vDSO is that large)")
                }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, maxReadSize + 1 - bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.read(fd, buf.baseAddress! + done, buf.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: errnoString())
            }
            if n == 0 { break }
            done += n
        }
        if done > maxReadSize {
            throw .cannotRead(path: path, reason: "more than \(maxReadSize >> 20) MiB (no vDSO is that large)")
        }
        if done == 0 && kind == S_IFIFO {
            throw .cannotRead(path: path, reason: "is a FIFO that no process writes to (nothing to read)")
        }
        bytes.removeLast(bytes.count - done)
        return bytes
    }

    /// Reads a file as UTF-8 text.
    public static func readText(_ path: String) throws(VDSOError) -> String {
        let bytes = try read(path)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True if `path` names an existing file or directory.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// True if `path` names a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a directory and its parents (like `mkdir -p`).
    public static func makeDirectories(_ path: String) throws(VDSOError) {
        if path.isEmpty || isDirectory(path) { return }
        let parent = Path.directory(of: path)
        if parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw .cannotWrite(path: path, reason: errnoString())
        }
    }

    /// Removes a file if it exists.
    public static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// The canonical absolute path of `path`, symbolic links resolved (realpath(3)).
    public static func realPath(_ path: String) throws(VDSOError) -> String {
        guard let p = realpath(path, nil) else { throw .cannotRead(path: path, reason: errnoString()) }
        defer { free(p) }
        return String(cString: p)
    }

    /// The target of a symbolic link.
    public static func readLink(_ path: String) throws(VDSOError) -> String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buf, buf.count - 1)
        if n < 0 { throw .cannotRead(path: path, reason: errnoString()) }
        return String(decoding: buf.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The current working directory.
    public static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The text of the current `errno`.
    public static func errnoString(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}

/// Minimal path arithmetic on POSIX path strings.
public enum Path {
    /// Joins two paths; an absolute `rhs` wins.
    public static func join(_ lhs: String, _ rhs: String) -> String {
        if rhs.hasPrefix("/") || lhs.isEmpty { return rhs }
        if lhs.hasSuffix("/") { return lhs + rhs }
        return lhs + "/" + rhs
    }

    /// The directory part of a path (`.` for a bare file name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a path.
    public static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The path made absolute against the current directory, with `.` and `..` folded.
    public static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : join(FileIO.currentDirectory(), path)
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` relative to `base` where it lies below it, otherwise `path` unchanged.
    public static func relative(_ path: String, to base: String) -> String {
        let p = absolute(path), b = absolute(base)
        if p == b { return "." }
        let prefix = b.hasSuffix("/") ? b : b + "/"
        return p.hasPrefix(prefix) ? String(p.dropFirst(prefix.count)) : path
    }
}
