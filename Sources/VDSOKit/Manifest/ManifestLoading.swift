/// Reading a manifest: TOML 1.0 (TOMLParser), then every key of every table checked against what
/// vdsogen knows, each value against its type. Every error is `FILE:LINE:COLUMN: message`.
extension Manifest {
    /// The top-level keys, in the documented order.
    static let knownKeys = [
        "arch", "soname", "linker-script", "sources", "include-dirs", "cflags", "ldflags", "data-symbol",
        "extra-symbols", "size-limit", "prefix", "source-root", "version", "check",
    ]

    /// The keys of a `[[version]]` table.
    static let versionKeys = ["name", "symbols", "aliases"]

    /// Loads a manifest file; relative paths in it are taken from the manifest's directory.
    public static func load(_ path: String) throws(VDSOError) -> Manifest {
        try parse(bytes: FileIO.read(path), path: path)
    }

    /// The manifest in the file contents `bytes`, read as if from the file `path` (what `load`
    /// does after reading the file; the fuzz target feeds it inputs that are not ELF).
    public static func parse(bytes: [UInt8], path: String) throws(VDSOError) -> Manifest {
        try parse(try text(of: bytes, path: path), path: path)
    }

    /// The manifest in `text`, read as if from the file `path`.
    static func parse(_ text: String, path: String) throws(VDSOError) -> Manifest {
        let doc: TOMLTable
        do { doc = try TOMLParser.parse(text) } catch {
            throw .manifest(path: path, line: error.position.line, column: error.position.column, message: error.message)
        }
        return try from(doc, path: path)
    }

    /// `bytes` as UTF-8 text; a byte sequence that is not UTF-8 is an error at its place.
    static func text(of bytes: [UInt8], path: String) throws(VDSOError) -> String {
        var scalars = String.UnicodeScalarView()
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let c):
                scalars.append(c)
                if c == "\n" { (line, column) = (line + 1, 1) } else { column += 1 }
            case .emptyInput:
                return String(scalars)
            case .error:
                throw .manifest(path: path, line: line, column: column, message: "the file is not UTF-8 text (TOML is UTF-8): re-save it as UTF-8")
            }
        }
    }

    static func from(_ doc: TOMLTable, path: String) throws(VDSOError) -> Manifest {
        let top = ManifestTable(table: doc, path: path, name: "", place: "at the top level")
        try top.refuseUnknownKeys(knownKeys)
        let dir = Path.directory(of: Path.absolute(path))
        let archNames = ArchABI.all.map(\.name)
        guard let (archName, archAt) = try top.string("arch", example: "\"x86_64\"") else {
            throw top.error("arch is required: add arch = \"x86_64\" (or \(archNames.dropFirst().joined(separator: ", ")))", at: .start)
        }
        guard let arch = ArchABI.named(archName) else {
            throw top.error("unknown arch \"\(archName)\" (known: \(archNames.joined(separator: ", ")))", at: archAt)
        }
        guard let script = try top.string("linker-script", example: "\"../../../linker-scripts/\(arch.name).lds\"") else {
            throw top.error("linker-script is required: add linker-script = \"PATH.lds\" (relative to the manifest)", at: .start)
        }
        let sources = try top.strings("sources", example: "[\"vdso.c\"]")
        if sources?.isEmpty ?? true {
            let at = top.table.entry("sources")?.valuePosition ?? .start
            throw top.error("sources must list at least one C or assembly file: sources = [\"vdso.c\"]", at: at)
        }
        var sizeLimit = Expectations.defaultSizeLimit
        if let (n, at) = try top.integer("size-limit", example: "65536") {
            guard n > 0 else { throw top.error("size-limit must be a positive number of bytes, not \(n)", at: at) }
            sizeLimit = UInt64(n)
        }
        let versions = try versionNodes(top)
        let prefix = try top.string("prefix", example: "\"vdso\"") ?? ("vdso", .start)
        guard CIdentifier.isValid(prefix.value) else {
            throw top.error("prefix \"\(prefix.value)\" is not a C identifier (letters, digits, _; not starting with a digit)", at: prefix.position)
        }
        func list(_ key: String, _ example: String) throws(VDSOError) -> [String] { try top.strings(key, example: example)?.map(\.value) ?? [] }
        var manifest = Manifest(
            arch: arch, soname: try top.string("soname", example: "\"linux-vdso.so.1\"")?.value ?? arch.expectations.soname,
            linkerScript: Path.join(dir, script.value), sources: (sources ?? []).map { Path.join(dir, $0.value) },
            includeDirs: try list("include-dirs", "[\"include\"]").map { Path.join(dir, $0) }, cflags: try list("cflags", "[\"-O2\"]"),
            ldflags: try list("ldflags", "[\"--hash-style=both\"]"), dataSymbol: try top.string("data-symbol", example: "\"vdso_data\"")?.value,
            extraSymbols: try list("extra-symbols", "[\"vdso_rng_data\"]"), sizeLimit: sizeLimit, prefix: prefix.value,
            versions: versions, path: path)
        if let (root, _) = try top.string("source-root", example: "\".\"") { manifest.sourceRoot = Path.join(dir, root) }
        if let check = try top.subtable("check", place: "in [check]", example: "{ profile = \"linux\" }") {
            manifest.check = try CheckPolicy.from(check)
        }
        return manifest
    }

    /// The `[[version]]` tables: a name, symbols, and aliases `{ alias = "target" }`.
    private static func versionNodes(_ top: ManifestTable) throws(VDSOError) -> [VersionNodeSpec] {
        guard let nodes = try top.tables("version", place: "in [[version]]"), !nodes.isEmpty else {
            throw top.error("at least one version node is required: add [[version]] with name = \"LINUX_2.6\" and symbols = [...]", at: .start)
        }
        var out: [VersionNodeSpec] = []
        for node in nodes {
            try node.refuseUnknownKeys(versionKeys)
            guard let (name, _) = try node.string("name", example: "\"LINUX_2.6\"") else {
                throw node.error("this [[version]] has no name: add name = \"LINUX_2.6\" (the version node's name)", at: node.table.position)
            }
            var aliases: [(alias: String, target: String)] = []
            if let a = try node.subtable("aliases", place: "in aliases", example: "{ time = \"__vdso_time\" }") {
                for e in a.table.entries {
                    guard case .string(let target) = e.value else {
                        throw a.error(
                            "alias '\(e.key)' of \(name) must name its target as a string (\(e.key) = \"__vdso_\(e.key)\"), "
                                + "not \(e.value.typeName)", at: e.valuePosition)
                    }
                    aliases.append((e.key, target))
                }
            }
            let symbols = try node.strings("symbols", example: "[\"__vdso_time\"]")?.map(\.value) ?? []
            out.append(VersionNodeSpec(name: name, symbols: symbols, aliases: aliases))
        }
        return out
    }
}
