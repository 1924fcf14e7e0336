/// Step 1 of a build: compile every source whose command or inputs changed, in parallel, then scan
/// every object for relocations a vDSO cannot have.
struct CompileStep {
    /// One compile: its command and the object it writes.
    struct Compile {
        var source: String
        var object: String
        var command: Command
    }

    var compiles: [Compile]
    /// Each object's content key (see `objectKey`), in source order.
    var keys: [String]
    /// True when some source was compiled now.
    var ranAny: Bool
    /// Absolute relocations found in the objects: a rejection before any image exists.
    var findings: [Finding] = []

    var objects: [String] { compiles.map(\.object) }

    /// Compiles what is stale; tool output goes to the log's diagnostic stream as each compile
    /// ends. An object with an absolute relocation is a result with `findings`.
    static func run(_ r: BuildRequest, tools: Toolchain, root: String, compiler: String, log: BuildLog) throws(VDSOError) -> CompileStep {
        let cwd = FileIO.currentDirectory()
        let compiles = commands(r, tools: tools, root: root)
        var keys: [String] = []
        var stale: [(Int, Command)] = []
        for (i, c) in compiles.enumerated() {
            let key = objectKey(c, compiler: compiler)
            keys.append(key)
            if r.force || !FileIO.exists(c.object) || BuildCache.recordedKey(c.object + ".key") != key {
                stale.append((i, c.command))
            }
        }
        for (i, cmd) in stale {
            let src = r.manifest.sources[i]
            log.step(src.hasSuffix(".S") || src.hasSuffix(".s") ? "AS" : "CC", Path.relative(src, to: cwd))
            log.command(cmd)
        }
        let results = try Subprocess.run(stale.map(\.1), jobs: r.jobs, logDirectory: r.objectDirectory)
        for res in results {
            log.toolOutput(res.output)
            if res.status != 0 { throw .commandFailed(command: res.command.shellLine, status: res.status, output: "") }
        }
        // Refuse absolute relocations in the objects: some vanish at link time without a trace.
        var findings: [Finding] = []
        for c in compiles {
            let source = Path.relative(c.source, to: cwd)
            findings += try ObjectScan.scan(object: c.object, source: source).map {
                Finding(rule: "no-dynamic-relocations", severity: .error, message: $0.description, subject: source)
            }
        }
        if !findings.isEmpty {
            for c in compiles { FileIO.remove(c.object + ".key") }
            return CompileStep(compiles: compiles, keys: keys, ranAny: !stale.isEmpty, findings: findings)
        }
        for (i, _) in stale {
            // Key again: the fresh depfile may name headers the old one did not.
            keys[i] = objectKey(compiles[i], compiler: compiler)
            try BuildCache.record(keys[i], compiles[i].object + ".key")
        }
        return CompileStep(compiles: compiles, keys: keys, ranAny: !stale.isEmpty)
    }

    static func commands(_ r: BuildRequest, tools: Toolchain, root: String) -> [Compile] {
        let m = r.manifest
        var used = Set<String>()
        return m.sources.map { src in
            var stem = Path.basename(src)
            if let dot = stem.lastIndex(of: ".") { stem = String(stem[..<dot]) }
            var obj = Path.join(r.objectDirectory, stem + ".o")
            var n = 1
            while !used.insert(obj).inserted { n += 1; obj = Path.join(r.objectDirectory, "\(stem)-\(n).o") }
            var args = [tools.clang] + BuildDriver.baseCFlags(for: m.arch)
            args += ["-ffile-prefix-map=\(root)=.", "-ffile-prefix-map=\(Path.absolute(r.outputDirectory))=out",
                     "-fdebug-compilation-dir=."]
            args += m.includeDirs.map { "-I" + $0 }
            args += m.cflags
            args += ["-MD", "-MF", obj + ".d", "-c", src, "-o", obj]
            return Compile(source: src, object: obj, command: Command(args))
        }
    }

    /// What an object depends on: the compiler (`clang --version`), its command line, its source
    /// and every header the last compile read (from clang's depfile).
    static func objectKey(_ c: Compile, compiler: String) -> String {
        var h = ContentHash()
        h.add(VDSOGenVersion.string)
        h.add(compiler)
        h.add(c.command.shellLine)
        _ = h.addFile(c.source)
        for dep in BuildCache.prerequisites(ofDepfile: c.object + ".d") ?? [] where dep != c.source {
            if !h.addFile(dep) { h.add("missing:" + dep) }
        }
        _ = h.addFile(c.object)
        return h.hex
    }
}
