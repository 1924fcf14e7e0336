/// Which of glibc's vDSO lookups on an image's architecture the image serves, each simulated as
/// glibc does it (name, version node, hash table): what `run --verbose` reports before the
/// program starts. A lookup the image does not serve sends that call to the kernel, where a
/// `run` offset does not apply.
public struct GlibcLookups: Sendable {
    /// The architecture the names are glibc's for, or nil for a machine glibc has no vDSO on.
    public var architecture: String?
    /// The names glibc looks up that it finds in the image, in glibc's lookup order.
    public var served: [String] = []
    /// The names it looks up and does not find.
    public var missed: [String] = []

    /// The lookups glibc makes in `image`, by the architecture of its ELF header.
    public init(_ image: ELFImage) {
        guard let abi = ArchABI.forHeader(image.header) else { return }
        architecture = abi.name
        let sim = ConsumerSimulator(DynamicView(image))
        for l in ConsumerSymbols.lookups(.glibc, abi) {
            if case .found = sim.lookup(.glibc, name: l.name, version: l.version) { served.append(l.name) } else { missed.append(l.name) }
        }
    }

    /// One line saying what is served, then a warning line when glibc would find nothing.
    public func lines(image path: String) -> [String] {
        guard let arch = architecture, !(served.isEmpty && missed.isEmpty) else {
            return ["vdsogen: run: glibc looks nothing up in a vDSO of this machine"]
        }
        let miss = missed.isEmpty ? "" : "; not served (the kernel answers): " + missed.joined(separator: ", ")
        var out = ["vdsogen: run: glibc's lookups on \(arch): served \(served.isEmpty ? "none" : served.joined(separator: ", "))\(miss)"]
        if served.isEmpty {
            out.append("vdsogen: run: warning: \(path) serves none of glibc's names on \(arch): a glibc program never calls it, and an offset given to run silently does not apply to it; export glibc's names in the architecture's version node (see vdsogen check, rule consumers)")
        }
        return out
    }
}
