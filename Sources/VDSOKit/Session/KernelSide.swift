#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A kernel side of the user's own (`run --kernel-side FILE.c`): FILE.c, written against
/// `kernel-vdso/include/vdso/kernel_side.h`, linked with vdso-run's driver into a writer program
/// that the loader starts in place of its own writer, for an image of the data-page ABI FILE.c
/// declares. vdso-run is static and cannot dlopen the user's code, hence a program of its own.
public struct KernelSide: Sendable {
    /// FILE.c as given.
    public var source: String
    /// The writer program built from it (in the cache).
    public var writer: String
    /// `vdso_kernel_side_abi`: the ABI name the image's note must carry.
    public var abi: String
    /// `vdso_kernel_side_pages`: the area's size, in pages, ending where the image begins.
    public var pages: Int
    /// How often the driver calls the update function.
    public var periodMicroseconds: Int

    /// A kernel side already built (`build` makes one).
    public init(source: String, writer: String, abi: String, pages: Int, periodMicroseconds: Int) {
        self.source = source
        self.writer = writer
        self.abi = abi
        self.pages = pages
        self.periodMicroseconds = periodMicroseconds
    }

    /// The compiler's flags: part of the cache key, so a change of them rebuilds.
    static let cflags = ["-std=gnu11", "-O2", "-Wall", "-fPIE"]

    /// Builds the writer for `source`, or finds it in the cache, and asks it what it declares.
    /// The driver and the header are looked up beside `loader` (`../lib/vdso-run/`). The
    /// compiler's or linker's messages go to `diagnostics`; the error is then one line.
    public static func build(source: String, loader: String, diagnostics: (String) -> Void) throws(VDSOError) -> KernelSide {
        guard access(source, R_OK) == 0 else {
            throw .usage("--kernel-side \(source): \(FileIO.errnoString()); name the C file of your kernel side")
        }
        let lib = Path.join(Path.directory(of: Path.directory(of: loader)), "lib/vdso-run")
        let driver = Path.join(lib, "kernel-side-driver.o")
        let include = Path.join(lib, "include")
        guard FileIO.exists(driver), FileIO.exists(Path.join(include, "vdso/kernel_side.h")) else {
            throw .usage("--kernel-side: vdso-run's kernel-side driver is not in \(lib): build it with `make loader`")
        }
        let clang = try Toolchain.find(env: "CLANG", names: ["clang"], package: "clang")
        let cache = try cacheDirectory()
        let compile = [clang] + cflags + ["-I", include, "-c", source]
        // The key: the preprocessed source (so a change in a header it includes rebuilds), the
        // driver's bytes, the compiler's identity and the command lines.
        let pre = Path.join(cache, ".pre-\(getpid()).i")
        let preprocessed = try Subprocess.run(Command(compile.filter { $0 != "-c" } + ["-E", "-o", pre]), logDirectory: cache)
        guard preprocessed.status == 0, let text = try? FileIO.read(pre) else {
            FileIO.remove(pre)
            diagnostics(preprocessed.output)
            throw .usage("--kernel-side \(source): the kernel side does not compile (the compiler's messages above)")
        }
        FileIO.remove(pre)
        var key = ContentHash()
        key.add(text)
        _ = key.addFile(driver)
        key.add(compile.joined(separator: " "))
        key.add(ToolIdentity.fileIdentity(clang) ?? clang)
        let dir = Path.join(cache, key.hex)
        let writer = Path.join(dir, "writer")
        if access(writer, X_OK) != 0 {
            try link(source: source, compile: compile, clang: clang, driver: driver, into: dir, diagnostics: diagnostics)
        }
        return try describe(source: source, writer: writer, cache: cache)
    }

    /// Compiles and links into `dir/writer`, atomically (a concurrent run sees it whole or not at all).
    private static func link(source: String, compile: [String], clang: String, driver: String, into dir: String,
                             diagnostics: (String) -> Void) throws(VDSOError) {
        try FileIO.makeDirectories(dir)
        let object = Path.join(dir, "kernel_side-\(getpid()).o")
        let temporary = Path.join(dir, "writer-\(getpid()).tmp")
        defer { FileIO.remove(object); FileIO.remove(temporary) }
        let prefixMap = "-ffile-prefix-map=\(Path.directory(of: Path.absolute(source)))=."
        let compiled = try Subprocess.run(Command(compile + [prefixMap, "-o", object]), logDirectory: dir)
        guard compiled.status == 0 else {
            diagnostics(compiled.output)
            throw .usage("--kernel-side \(source): the kernel side does not compile (the compiler's messages above)")
        }
        if !compiled.output.isEmpty { diagnostics(compiled.output) }
        let linked = try Subprocess.run(Command([clang, "-static-pie", "-fuse-ld=lld", "-Wl,--build-id=sha1", object, driver,
                                                 "-pthread", "-lm", "-o", temporary]), logDirectory: dir)
        guard linked.status == 0 else {
            diagnostics(linked.output)
            throw .usage("--kernel-side \(source): the kernel side does not link (the linker's messages above): it must define vdso_kernel_side_abi, vdso_kernel_side_pages, vdso_kernel_side_init and vdso_kernel_side_update (vdso/kernel_side.h)")
        }
        guard rename(temporary, Path.join(dir, "writer")) == 0 else {
            throw .cannotWrite(path: Path.join(dir, "writer"), reason: FileIO.errnoString())
        }
    }

    /// `writer --describe`: the ABI, the pages and the period, one a line (the driver checked them).
    private static func describe(source: String, writer: String, cache: String) throws(VDSOError) -> KernelSide {
        let answer = try Subprocess.run(Command([writer, "--describe"]), logDirectory: cache)
        let lines = answer.output.split(separator: "\n").map(String.init)
        guard answer.status == 0 else {
            throw .usage("--kernel-side \(source): " + (lines.last ?? "its writer fails (exit \(answer.status))"))
        }
        guard lines.count == 3, let pages = Int(lines[1]), (1...64).contains(pages), let period = Int(lines[2]) else {
            throw .usage("--kernel-side \(source): its writer \(writer) does not describe itself as vdso-run's driver does; rebuild it (remove \(Path.directory(of: writer)))")
        }
        return KernelSide(source: source, writer: writer, abi: lines[0], pages: pages, periodMicroseconds: period)
    }

    /// `$XDG_CACHE_HOME/vdsogen/kernel-side`, else `~/.cache/vdsogen/kernel-side`, else one in /tmp per user.
    static func cacheDirectory() throws(VDSOError) -> String {
        let env = { (name: String) -> String? in getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        let base = env("XDG_CACHE_HOME") ?? env("HOME").map { Path.join($0, ".cache") } ?? "/tmp/vdsogen-cache-\(getuid())"
        let dir = Path.join(base, "vdsogen/kernel-side")
        try FileIO.makeDirectories(dir)
        return dir
    }

    /// The one-line refusal of an image this kernel side does not serve: its note must name
    /// exactly the ABI the kernel side declares. Nil when it does.
    public func refusal(of image: ELFImage) -> String? {
        let theirs = "the kernel side \(source) serves \"\(abi)\""
        let fix = "give the image a note naming \"\(abi)\" (Docs/run.md), or run it without --kernel-side"
        switch DataPageABI.declared(by: image) {
        case .vdsogen(let name), .unknown(let name):
            return name == abi ? nil : "\(image.path): declares data-page ABI \"\(name)\", but \(theirs); \(fix)"
        case .linux:
            return "\(image.path): reads Linux's data-page layout (no vdsogen note), but \(theirs); \(fix)"
        case .undeclared:
            return "\(image.path): declares no data-page ABI, but \(theirs); \(fix)"
        }
    }

    /// The `--verbose` line.
    public var summary: String {
        "kernel side \(source): ABI \(abi), \(pages) page\(pages == 1 ? "" : "s") below the image, updated every \(periodMicroseconds) us, by \(writer)"
    }
}
