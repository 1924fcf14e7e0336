#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The external tools a build needs, found on PATH (or named by the environment).
public struct Toolchain: Sendable {
    public var clang: String
    public var lld: String
    public var objcopy: String

    /// The three, in the order above: what a build runs, and so part of what it depends on.
    public var programs: [String] { [clang, lld, objcopy] }

    /// Finds clang, ld.lld and an objcopy. `$CLANG`, `$LD_LLD` and `$OBJCOPY` override the search;
    /// a missing tool is one clear error naming the Debian package that provides it.
    /// ld.lld and llvm-objcopy are taken from clang's own directory first: the tools of one LLVM
    /// release belong together (and a distribution's older llvm-objcopy on PATH can be several
    /// times slower to start).
    public static func locate() throws(VDSOError) -> Toolchain {
        let clang = try find(env: "CLANG", names: ["clang"], package: "clang")
        let beside = Path.directory(of: clang)
        return Toolchain(
            clang: clang,
            lld: try find(env: "LD_LLD", names: ["ld.lld"], package: "lld", preferring: beside),
            objcopy: try find(env: "OBJCOPY", names: ["llvm-objcopy", "objcopy"],
                              package: "binutils (objcopy) or llvm (llvm-objcopy)", preferring: beside))
    }

    static func find(env: String, names: [String], package: String, preferring dir: String? = nil) throws(VDSOError) -> String {
        if let v = getenv(env).map({ String(cString: $0) }), !v.isEmpty {
            if let found = which(v) { return found }
            throw .toolMissing(tool: "\(v) (from $\(env))", package: package)
        }
        if let dir {
            for n in names where access(Path.join(dir, n), X_OK) == 0 { return Path.join(dir, n) }
        }
        for n in names {
            if let found = which(n) { return found }
        }
        throw .toolMissing(tool: names[0], package: package)
    }

    /// Resolves a program name through PATH as a shell would.
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = Path.join(dir.isEmpty ? "." : String(dir), name)
            if access(candidate, X_OK) == 0 && !FileIO.isDirectory(candidate) { return candidate }
        }
        return nil
    }
}
