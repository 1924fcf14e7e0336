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

    /// Finds clang, ld.lld and an objcopy. `$CLANG`, `$LD_LLD` and `$OBJCOPY` override the search;
    /// a missing tool is one clear error naming the Debian package that provides it.
    public static func locate() throws(VDSOError) -> Toolchain {
        Toolchain(
            clang: try find(env: "CLANG", names: ["clang"], package: "clang"),
            lld: try find(env: "LD_LLD", names: ["ld.lld"], package: "lld"),
            objcopy: try find(env: "OBJCOPY", names: ["llvm-objcopy", "objcopy"], package: "binutils (objcopy) or llvm (llvm-objcopy)"))
    }

    static func find(env: String, names: [String], package: String) throws(VDSOError) -> String {
        if let v = getenv(env).map({ String(cString: $0) }), !v.isEmpty {
            if let found = which(v) { return found }
            throw .toolMissing(tool: "\(v) (from $\(env))", package: package)
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
