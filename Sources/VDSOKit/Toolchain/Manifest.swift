/// A version node of a manifest: exported symbols and their aliases.
public struct VersionNodeSpec: Sendable, Equatable {
    public var name: String
    /// Symbols defined under their own name.
    public var symbols: [String]
    /// `alias = target`: the alias is exported too and must have the target's address.
    public var aliases: [(alias: String, target: String)]

    public init(name: String, symbols: [String], aliases: [(alias: String, target: String)] = []) {
        self.name = name
        self.symbols = symbols
        self.aliases = aliases
    }

    /// Every name the node exports.
    public var exportedNames: [String] { symbols + aliases.map(\.alias) }

    public static func == (a: VersionNodeSpec, b: VersionNodeSpec) -> Bool {
        a.name == b.name && a.symbols == b.symbols && a.aliases.map(\.alias) == b.aliases.map(\.alias)
            && a.aliases.map(\.target) == b.aliases.map(\.target)
    }
}

/// What one vDSO image is built from. Read from a manifest file (a subset of TOML, see the README);
/// every field can be overridden from the command line. Paths are absolute once loaded.
public struct Manifest: Sendable {
    public var path: String?
    public var arch: ArchABI
    public var soname: String
    public var linkerScript: String
    public var sources: [String]
    public var includeDirs: [String]
    public var cflags: [String]
    public var ldflags: [String]
    /// The hidden symbol the linker script defines at the start of the data pages.
    public var dataSymbol: String?
    /// Local symbols (e.g. sigreturn landing pads) whose offsets the header must carry.
    public var extraSymbols: [String]
    public var sizeLimit: UInt64
    /// The C identifier prefix of the emitted header and blob.
    public var prefix: String
    public var versions: [VersionNodeSpec]
    /// How `build` checks the image (`[check]`): profile, rules to skip, warnings as errors.
    public var check = CheckPolicy()

    public init(arch: ArchABI, soname: String, linkerScript: String, sources: [String], includeDirs: [String] = [],
                cflags: [String] = [], ldflags: [String] = [], dataSymbol: String? = nil, extraSymbols: [String] = [],
                sizeLimit: UInt64 = Expectations.defaultSizeLimit, prefix: String = "vdso", versions: [VersionNodeSpec],
                path: String? = nil) {
        self.arch = arch
        self.soname = soname
        self.linkerScript = linkerScript
        self.sources = sources
        self.includeDirs = includeDirs
        self.cflags = cflags
        self.ldflags = ldflags
        self.dataSymbol = dataSymbol
        self.extraSymbols = extraSymbols
        self.sizeLimit = sizeLimit
        self.prefix = prefix
        self.versions = versions
        self.path = path
    }

    /// What `vdsogen check` should require of the image this manifest builds.
    public var expectations: Expectations {
        var e = Expectations(soname: soname, nodes: versions.map { ExpectedNode(name: $0.name, symbols: $0.exportedNames) },
                             knownExtras: [], sizeLimit: sizeLimit)
        e.aliases = versions.flatMap(\.aliases)
        return e
    }

    private static let knownKeys: Set<String> = [
        "arch", "soname", "linker-script", "sources", "include-dirs", "cflags", "ldflags", "data-symbol",
        "extra-symbols", "size-limit", "prefix", "version", "check",
    ]

    /// Loads a manifest file; relative paths in it are taken from the manifest's directory.
    public static func load(_ path: String) throws(VDSOError) -> Manifest {
        let text = try FileIO.readText(path)
        let doc: TOMLValue
        do { doc = try MiniTOML.parse(text) } catch { throw .manifest(path: path, line: error.line, message: error.message) }
        return try from(doc, path: path)
    }

    static func from(_ doc: TOMLValue, path: String) throws(VDSOError) -> Manifest {
        guard case .table(let pairs) = doc else { throw .manifest(path: path, line: nil, message: "not a table") }
        for (k, _) in pairs where !knownKeys.contains(k) {
            throw .manifest(path: path, line: nil, message: "unknown key \"\(k)\" (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        let dir = Path.directory(of: Path.absolute(path))
        func string(_ key: String) throws(VDSOError) -> String? {
            guard let v = doc[key] else { return nil }
            guard case .string(let s) = v else { throw .manifest(path: path, line: nil, message: "\(key) must be a string") }
            return s
        }
        func strings(_ key: String, in table: TOMLValue? = nil) throws(VDSOError) -> [String] {
            guard let v = (table ?? doc)[key] else { return [] }
            guard case .array(let items) = v else { throw .manifest(path: path, line: nil, message: "\(key) must be an array of strings") }
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw .manifest(path: path, line: nil, message: "\(key) must hold only strings") }
                out.append(s)
            }
            return out
        }
        guard let archName = try string("arch") else { throw .manifest(path: path, line: nil, message: "arch is required (x86_64, i386, aarch64, riscv64, arm)") }
        guard let arch = ArchABI.named(archName) else {
            throw .manifest(path: path, line: nil, message: "unknown arch \"\(archName)\" (known: \(ArchABI.all.map(\.name).joined(separator: ", ")))")
        }
        guard let script = try string("linker-script") else { throw .manifest(path: path, line: nil, message: "linker-script is required") }
        let sources = try strings("sources")
        if sources.isEmpty { throw .manifest(path: path, line: nil, message: "sources must list at least one C or assembly file") }
        var sizeLimit = Expectations.defaultSizeLimit
        if let v = doc["size-limit"] {
            guard case .integer(let n) = v, n > 0 else { throw .manifest(path: path, line: nil, message: "size-limit must be a positive integer (bytes)") }
            sizeLimit = UInt64(n)
        }
        var versions: [VersionNodeSpec] = []
        if let v = doc["version"] {
            guard case .array(let nodes) = v else { throw .manifest(path: path, line: nil, message: "version must be an array of tables ([[version]])") }
            for node in nodes {
                guard case .string(let name)? = node["name"] else { throw .manifest(path: path, line: nil, message: "each [[version]] needs a name") }
                var aliases: [(String, String)] = []
                if let a = node["aliases"] {
                    guard case .table(let pairs) = a else { throw .manifest(path: path, line: nil, message: "aliases of \(name) must be an inline table { alias = \"target\" }") }
                    for (alias, target) in pairs {
                        guard case .string(let t) = target else { throw .manifest(path: path, line: nil, message: "alias \(alias) must name its target as a string") }
                        aliases.append((alias, t))
                    }
                }
                versions.append(VersionNodeSpec(name: name, symbols: try strings("symbols", in: node), aliases: aliases))
            }
        }
        if versions.isEmpty { throw .manifest(path: path, line: nil, message: "at least one [[version]] node is required") }
        let prefix = try string("prefix") ?? "vdso"
        guard CIdentifier.isValid(prefix) else { throw .manifest(path: path, line: nil, message: "prefix \"\(prefix)\" is not a C identifier") }
        var manifest = Manifest(
            arch: arch, soname: try string("soname") ?? arch.expectations.soname,
            linkerScript: Path.join(dir, script), sources: sources.map { Path.join(dir, $0) },
            includeDirs: try strings("include-dirs").map { Path.join(dir, $0) }, cflags: try strings("cflags"),
            ldflags: try strings("ldflags"), dataSymbol: try string("data-symbol"),
            extraSymbols: try strings("extra-symbols"), sizeLimit: sizeLimit, prefix: prefix,
            versions: versions, path: path)
        manifest.check = try CheckPolicy.from(doc["check"], path: path)
        return manifest
    }

    /// The version script handed to the linker: every node with its symbols global, the rest local.
    public var versionScript: String {
        var out = "/* Generated by vdsogen from \(path.map(Path.basename) ?? "the command line"). */\n"
        for (i, node) in versions.enumerated() {
            out += "\(node.name) {\n"
            let names = node.exportedNames
            if !names.isEmpty { out += "\tglobal:\n" + names.map { "\t\t\($0);\n" }.joined() }
            if i == versions.count - 1 { out += "\tlocal: *;\n" }
            out += "};\n"
        }
        return out
    }
}

/// C identifier helpers for emitted names.
public enum CIdentifier {
    public static func isValid(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// `s` with every character that cannot appear in a C identifier replaced by `_`.
    public static func sanitize(_ s: String) -> String {
        var out = String(s.unicodeScalars.map { c -> Character in
            c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) ? Character(c) : "_"
        })
        if let f = out.unicodeScalars.first, ("0"..."9").contains(f) { out = "_" + out }
        return out
    }
}
