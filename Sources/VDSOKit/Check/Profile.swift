/// How demanding the checker is.
public enum Profile: String, Sendable, CaseIterable {
    /// Everything a well-formed vDSO should be (the default; what `vdsogen build` requires).
    case strict
    /// What the Linux kernel's own images are: real-world oddities they ship with (a DT_RUNPATH
    /// left by a build system, no `.eh_frame_hdr` on arm64, extra Linux exports) are warnings.
    case linux
}

/// A version node and the symbols that must be exported in it.
public struct ExpectedNode: Sendable, Equatable {
    public var name: String
    public var symbols: [String]

    public init(name: String, symbols: [String]) {
        self.name = name
        self.symbols = symbols
    }
}

/// What an image is expected to provide: from the architecture's Linux ABI, overridden by a
/// manifest or the command line.
public struct Expectations: Sendable {
    /// The DT_SONAME the image must carry.
    public var soname: String
    /// Version nodes with their required exports.
    public var nodes: [ExpectedNode]
    /// Exports that are known and not worth a warning (e.g. Linux's `__vdso_getrandom`).
    public var knownExtras: Set<String>
    /// Largest acceptable file size, in bytes.
    public var sizeLimit: UInt64

    public init(soname: String, nodes: [ExpectedNode], knownExtras: Set<String> = [], sizeLimit: UInt64 = Expectations.defaultSizeLimit) {
        self.soname = soname
        self.nodes = nodes
        self.knownExtras = knownExtras
        self.sizeLimit = sizeLimit
    }

    /// 64 KiB: far above any real vDSO (Linux's x86-64 image is 8 KiB), far below a mistake.
    public static let defaultSizeLimit: UInt64 = 64 * 1024

    /// Every symbol some node requires.
    public var requiredSymbols: [String] { nodes.flatMap(\.symbols) }

    /// The defaults for an ELF machine (and class, which tells i386 from x86-64 compat cases).
    public static func forMachine(_ machine: UInt16) -> Expectations {
        ArchABI.forMachine(machine)?.expectations ?? Expectations(soname: "linux-vdso.so.1", nodes: [])
    }
}
