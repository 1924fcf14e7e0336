/// How demanding the checker is.
public enum Profile: String, Sendable, CaseIterable {
    /// Everything a well-formed vDSO should be (the default; what `vdsogen build` requires).
    case strict
    /// What the Linux kernel's own images are: real-world oddities they ship with (a DT_RUNPATH
    /// left by a build system, no `.eh_frame_hdr` on arm64, extra Linux exports) are warnings.
    case linux
    /// What QEMU's linux-user images are: the linux profile, and an image linked writable and
    /// executable (QEMU's loader relocates the image in place, then maps it R+X) is a warning.
    case qemu

    /// True for the profiles that judge images someone else shipped: what real kernels (and
    /// QEMU) do that a new image should not is a warning there.
    public var acceptsShippedOddities: Bool { self != .strict }
}

/// A version node and the symbols that must be exported in it.
public struct ExpectedNode: Sendable, Equatable {
    public var name: String
    public var symbols: [String]
    /// Names earlier releases of the same ABI gave the node (parisc's LINUX_5.18 before
    /// LINUX_6.11): accepted under the profiles for shipped images.
    public var earlierNames: [String]

    public init(name: String, symbols: [String], earlierNames: [String] = []) {
        self.name = name
        self.symbols = symbols
        self.earlierNames = earlierNames
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
    /// The node symbols every released kernel exports, for an architecture's Linux ABI: under
    /// the linux profile only these are required and a missing other one is a warning. Nil
    /// (a manifest's own expectations): every node symbol is required under every profile.
    public var baseline: Set<String>?
    /// Sonames earlier releases of the same ABI used (s390x's `linux-vdso64.so.1` before the
    /// generic vDSO build): accepted under the linux profile.
    public var earlierSonames: Set<String> = []

    /// `alias = target` pairs a manifest declares: both exported, at one address (one function
    /// under two names), which the `exports` rule verifies.
    public var aliases: [(alias: String, target: String)] = []

    /// Set when no expectations were given and the image's soname is no Linux vDSO's: only the
    /// generic rules judge it, and the `soname` rule says so once.
    public var judgedGenerically = false

    /// Expectations for an image with its own ABI and no manifest: its own soname, no nodes.
    public static func generic(soname: String) -> Expectations {
        var e = Expectations(soname: soname, nodes: [])
        e.judgedGenerically = true
        return e
    }

    /// True if `name` is this ABI's soname, or (under a profile for shipped images) an
    /// earlier release's.
    /// The expectations with each node renamed to the earlier name the image defines, where it
    /// defines that one and not the current one, under a profile for shipped images.
    public func resolvingEarlierNodes(defined: Set<String>, under profile: Profile) -> Expectations {
        guard profile.acceptsShippedOddities else { return self }
        var out = self
        for i in out.nodes.indices where !defined.contains(out.nodes[i].name) {
            if let earlier = out.nodes[i].earlierNames.first(where: defined.contains) { out.nodes[i].name = earlier }
        }
        return out
    }

    public func acceptsSoname(_ name: String, under profile: Profile) -> Bool {
        name == soname || (profile.acceptsShippedOddities && earlierSonames.contains(name))
    }

    public init(soname: String, nodes: [ExpectedNode], knownExtras: Set<String> = [],
                sizeLimit: UInt64 = Expectations.defaultSizeLimit, baseline: Set<String>? = nil) {
        self.soname = soname
        self.nodes = nodes
        self.knownExtras = knownExtras
        self.sizeLimit = sizeLimit
        self.baseline = baseline
    }

    /// 64 KiB: far above any real vDSO (Linux's x86-64 image is 8 KiB), far below a mistake.
    public static let defaultSizeLimit: UInt64 = 64 * 1024

    /// Every symbol some node requires.
    public var requiredSymbols: [String] { nodes.flatMap(\.symbols) }

    /// True if `name` must be exported under `profile`.
    public func requires(_ name: String, under profile: Profile) -> Bool {
        guard profile.acceptsShippedOddities, let baseline else { return true }
        // QEMU's loader looks nothing up: its images export what its emulation implements.
        return profile != .qemu && baseline.contains(name)
    }
}
