/// What a build depends on and what it leaves behind: the content keys that make a build
/// incremental, the prerequisite list of the depfile, the source root, and the bookkeeping of
/// outputs an earlier build wrote.
enum BuildInputs {
    /// What the images and emitted files depend on besides the objects, `tools` naming the
    /// programs that make them (this vdsogen — it checks and emits —, ld.lld, objcopy).
    static func imageKey(_ m: Manifest, link: LinkStep, objectKeys: [String], outputs: [String],
                         tools: [String]) -> String {
        var h = ContentHash()
        for t in tools { h.add(t) }
        h.add(link.link.shellLine)
        h.add(link.strip.shellLine)
        h.add(m.versionScript)
        h.add(m.expectations.requiredSymbols.joined(separator: ","))
        h.add("\(m.prefix) \(m.dataSymbol ?? "") \(m.extraSymbols) \(m.sizeLimit) \(m.soname) \(m.check.key)")
        _ = h.addFile(m.linkerScript)
        if let p = m.path { _ = h.addFile(p) }
        for k in objectKeys { h.add(k) }
        h.add(outputs.joined(separator: "\n"))
        return h.hex
    }

    /// The outputs' own contents: a changed or deleted output is rebuilt.
    static func outputsKey(_ outputs: [String]) -> String {
        var h = ContentHash()
        for o in outputs where !h.addFile(o) { h.add("missing:" + o) }
        return h.hex
    }

    /// Every file the outputs depend on, absolute, each once: the manifest, the linker script,
    /// each source and the headers its last compile read, this executable and the tools.
    static func prerequisites(_ m: Manifest, _ compiles: [CompileStep.Compile], tools: Toolchain) -> [String] {
        var seen = Set<String>(), list: [String] = []
        func add(_ p: String) { let a = Path.absolute(p); if seen.insert(a).inserted { list.append(a) } }
        if let p = m.path { add(p) }
        add(m.linkerScript)
        for c in compiles {
            add(c.source)
            for d in BuildCache.prerequisites(ofDepfile: c.object + ".d") ?? [] { add(d) }
        }
        if let exe = try? FileIO.readLink("/proc/self/exe") { add(exe) }
        // The tools, by the files their paths resolve to (by timestamp, all a depfile can say; the
        // build itself compares their --version).
        for t in tools.programs { add((try? FileIO.realPath(t)) ?? t) }
        return list
    }

    static func writeDepfile(_ r: BuildRequest, _ prerequisites: [String]) throws(VDSOError) {
        guard let path = r.depfile else { return }
        let text = BuildCache.depfile(targets: r.outputs, prerequisites: prerequisites)
        if (try? FileIO.readText(path)) == text { return }
        try AtomicFile.write(text, to: path)
    }

    /// Removes what an earlier build into the same object directory wrote and this one does not
    /// (NAME.bin and NAME-blob.S after --blob is dropped, a --swift source no longer asked for),
    /// then records this build's outputs in `list`. Only files the list names are removed.
    static func removeOutputsNoLongerMade(listedIn list: String, now outputs: [String], log: BuildLog) throws(VDSOError) {
        let current = outputs.map(Path.absolute)
        let before = (try? FileIO.readText(list))?.split(separator: "\n").map(String.init) ?? []
        for path in before where !path.isEmpty && !current.contains(path) && FileIO.exists(path) {
            log.step("RM", path)
            FileIO.remove(path)
        }
        try AtomicFile.write(current.joined(separator: "\n") + "\n", to: list, durable: false)
    }

    /// Records which manifest built NAME.so in `obj/NAME/manifest.path` (one absolute path), for
    /// tools that meet the image later — the pre-commit hook checks it with its own expectations.
    static func recordManifest(_ r: BuildRequest) throws(VDSOError) {
        let record = Path.join(r.objectDirectory, "manifest.path")
        guard let path = r.manifest.path else { FileIO.remove(record); return }
        let text = Path.absolute(path) + "\n"
        if (try? FileIO.readText(record)) != text { try AtomicFile.write(text, to: record, durable: false) }
    }

    /// The deepest directory holding the manifest, every source and include directory: mapped to
    /// `.` so debug info does not depend on where the checkout lies. The linker script is not in
    /// the debug info and does not count. When they share no directory but `/` (sources in one
    /// tree, headers in another), the current directory is the root: paths under it read as the
    /// user typed them, others stay absolute — never relative to `/`.
    static func commonRoot(_ m: Manifest) -> String {
        var paths = m.sources.map { Path.directory(of: Path.absolute($0)) } + m.includeDirs.map(Path.absolute)
        if let p = m.path { paths.append(Path.directory(of: Path.absolute(p))) }
        guard let first = paths.first else { return FileIO.currentDirectory() }
        var common = first.split(separator: "/").map(String.init)
        for p in paths.dropFirst() {
            let parts = p.split(separator: "/").map(String.init)
            var n = 0
            while n < common.count && n < parts.count && common[n] == parts[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return common.isEmpty ? FileIO.currentDirectory() : "/" + common.joined(separator: "/")
    }
}
