/// Which data-page layout an image's routines read, as `vdsogen run` decides whether the page its
/// writer fills is the one the image expects.
///
/// vdsogen's images say so in a note (owner `vdsogen`, type 1, descriptor the ABI name with a NUL,
/// from kernel-vdso/lib/note.S). Linux's images carry no such note; they are known by the soname
/// and version node of their architecture's Linux ABI, and read the writer's Linux-layout mirror.
public enum DataPageABI: Sendable, Equatable {
    /// A vdsogen note naming an ABI `run` fills (`vdsogen-1`: kernel-vdso/include/vdso/datapage.h).
    case vdsogen(String)
    /// No vdsogen note; the soname and version node of the architecture's Linux ABI.
    case linux(soname: String, node: String)
    /// A vdsogen note naming an ABI `run` does not fill.
    case unknown(String)
    /// Neither a vdsogen note nor a Linux soname and node.
    case undeclared

    /// The note's owner.
    public static let noteOwner = "vdsogen"
    /// The note's type: "the data-page ABI this image reads".
    public static let noteType: UInt32 = 1
    /// The ABI names whose layout `run`'s writer fills.
    public static let known: Set<String> = ["vdsogen-1"]

    /// What `image` declares. A note with no NUL, or with bytes that are not UTF-8, is read as
    /// an ABI name nobody knows (`unknown`), never as no note at all.
    public static func declared(by image: ELFImage) -> DataPageABI {
        if let note = image.notes.first(where: { $0.owner == noteOwner && $0.type == noteType }) {
            guard let nul = note.descriptor.firstIndex(of: 0) else { return .unknown(printable(note.descriptor)) }
            let name = printable(Array(note.descriptor[..<nul]))
            return known.contains(name) ? .vdsogen(name) : .unknown(name)
        }
        let d = DynamicView(image)
        guard let abi = ArchABI.forHeader(image.header), let soname = d.soname, soname == abi.expectations.soname,
              let node = abi.expectations.nodes.first?.name,
              d.versionDefinitions.contains(where: { !$0.isBase && $0.name == node }) else { return .undeclared }
        return .linux(soname: soname, node: node)
    }

    /// True when `run`'s writer fills the page this image reads.
    public var isServed: Bool {
        switch self {
        case .vdsogen, .linux: return true
        case .unknown, .undeclared: return false
        }
    }

    /// How `inspect` names it: `vdsogen-1`, `Linux (linux-vdso.so.1, LINUX_2.6)`, `unknown "x"`, `none`.
    public var summary: String {
        switch self {
        case .vdsogen(let name): return name
        case .linux(let soname, let node): return "Linux (\(soname), \(node))"
        case .unknown(let name): return "unknown \"\(name)\" (run maps it only under a kernel side that serves it)"
        case .undeclared: return "none (run refuses it)"
        }
    }

    /// The one-line refusal for an image that is not served, or nil.
    public func refusal(image path: String) -> String? {
        let fix = "its routines would read a page run does not fill — give it a note (see Docs/run.md), or a kernel side of its own (--kernel-side)"
        let served = (Self.known.sorted() + ["or a Linux image"]).joined(separator: ", ")
        switch self {
        case .vdsogen, .linux: return nil
        case .undeclared: return "\(path): declares no data-page ABI run knows (\(served)); \(fix)"
        case .unknown(let name): return "\(path): declares data-page ABI \"\(name)\", which run does not know (\(served)); \(fix)"
        }
    }

    /// A name of at most 64 printable ASCII characters, others shown as `?`: it came from the file.
    private static func printable(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(64).map { $0 >= 0x20 && $0 < 0x7f ? Character(Unicode.Scalar($0)) : "?" }
        return String(shown) + (bytes.count > 64 ? "..." : "")
    }
}
