/// Command-line overrides of manifest fields; each set field replaces (lists: as documented) the
/// manifest's value. Without a manifest, the overrides must name everything a build needs.
public struct ManifestOverrides: Sendable {
    public var arch: String?
    public var soname: String?
    public var linkerScript: String?
    /// Replaces the manifest's sources.
    public var sources: [String] = []
    /// Added to the manifest's include directories.
    public var includeDirs: [String] = []
    /// Added after the manifest's flags.
    public var cflags: [String] = []
    public var ldflags: [String] = []
    public var dataSymbol: String?
    /// Added to the manifest's extra symbols.
    public var extraSymbols: [String] = []
    public var sizeLimit: UInt64?
    public var prefix: String?
    /// `NAME:SYM,SYM,ALIAS=TARGET` — replaces the manifest's version nodes.
    public var versionNodes: [String] = []

    public init() {}

    /// Applies the overrides to `base` (or builds a manifest from them alone).
    public func apply(to base: Manifest?) throws(VDSOError) -> Manifest {
        var archABI = base?.arch
        if let a = arch {
            guard let abi = ArchABI.named(a) else {
                throw .usage("unknown --arch \(a) (known: \(ArchABI.all.map(\.name).joined(separator: ", ")))")
            }
            archABI = abi
        }
        guard let abi = archABI else { throw .usage("build: name a MANIFEST or --arch") }
        guard let script = linkerScript.map(Path.absolute) ?? base?.linkerScript else {
            throw .usage("build: name a MANIFEST or --linker-script")
        }
        let srcs = sources.isEmpty ? (base?.sources ?? []) : sources.map(Path.absolute)
        if srcs.isEmpty { throw .usage("build: name a MANIFEST or at least one --source") }
        var nodes = base?.versions ?? []
        if !versionNodes.isEmpty { nodes = try versionNodes.map(Self.parseNode) }
        if nodes.isEmpty { throw .usage("build: name a MANIFEST or at least one --version-node NAME:SYM,...") }
        let p = prefix ?? base?.prefix ?? "vdso"
        guard CIdentifier.isValid(p) else { throw .usage("--prefix \(p) is not a C identifier") }
        var m = Manifest(
            arch: abi, soname: soname ?? base?.soname ?? abi.expectations.soname, linkerScript: script,
            sources: srcs, includeDirs: (base?.includeDirs ?? []) + includeDirs.map(Path.absolute),
            cflags: (base?.cflags ?? []) + cflags, ldflags: (base?.ldflags ?? []) + ldflags,
            dataSymbol: dataSymbol ?? base?.dataSymbol, extraSymbols: (base?.extraSymbols ?? []) + extraSymbols,
            sizeLimit: sizeLimit ?? base?.sizeLimit ?? Expectations.defaultSizeLimit, prefix: p,
            versions: nodes, path: base?.path)
        // What no option overrides is the manifest's own.
        m.check = base?.check ?? CheckPolicy()
        m.sourceRoot = base?.sourceRoot
        return m
    }

    static func parseNode(_ text: String) throws(VDSOError) -> VersionNodeSpec {
        guard let colon = text.firstIndex(of: ":") else {
            throw .usage("--version-node \(text): expected NAME:SYMBOL,SYMBOL,ALIAS=TARGET")
        }
        let name = String(text[..<colon])
        var symbols: [String] = [], aliases: [(alias: String, target: String)] = []
        for item in text[text.index(after: colon)...].split(separator: ",") {
            if let eq = item.firstIndex(of: "=") {
                aliases.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
            } else {
                symbols.append(String(item))
            }
        }
        return VersionNodeSpec(name: name, symbols: symbols, aliases: aliases)
    }
}
