#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plain POSIX file access, kept free of Foundation so the checker starts in milliseconds.
public enum FileIO {
    /// Reads a whole regular file.
    public static func read(_ path: String) throws(VDSOError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .cannotRead(path: path, reason: errnoString()) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw .cannotRead(path: path, reason: errnoString()) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw .cannotRead(path: path, reason: "is a directory") }
        // st_size is a hint: files in /proc report 0, and a file may grow while it is read.
        var bytes = [UInt8](repeating: 0, count: max(Int(st.st_size), 4096))
        var done = 0
        while true {
            if done == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
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
