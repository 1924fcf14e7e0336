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
