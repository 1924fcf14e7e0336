/// An architecture's Linux vDSO ABI: soname, version node and exported names, as the kernel
/// ships them (arch/*/kernel/vdso*/vdso*.lds.S, arch/x86/entry/vdso/*.lds.S), across releases.
///
/// Two sets of names matter. `expectations.nodes` holds what a current image exports (and what
/// vdsogen's own images must export, for the architectures it builds); `expectations.baseline`
/// is the part every released kernel with a vDSO on this architecture exports. Names outside
/// the baseline arrived in later releases, so under the linux profile a missing one is a
/// warning, never an error.
public struct ArchABI: Sendable {
    /// The name vdsogen, its manifests and `--arch` use: x86_64, i386, aarch64, ppc64, s390x ...
    public var name: String
    public var machine: UInt16
    public var is64: Bool
    /// Extra condition on the ELF header that tells ABIs of one machine and class apart
    /// (MIPS n32 from o32 by EF_MIPS_ABI2).
    var headerMatches: @Sendable (ELFHeader) -> Bool = { _ in true }
    /// The clang target triple vdsogen builds with, for the architectures it builds.
    public var clangTarget: String
    public var expectations: Expectations
    /// Signal-return trampolines: reached by the kernel's signal frame, never called.
    public var signalTrampolines: Set<String>

    /// The architectures vdsogen builds images for (with a default source set and linker script).
    public static let all: [ArchABI] = [.x86_64, .i386, .aarch64, .riscv64, .arm]
    /// Every architecture Linux builds a vDSO for, in the order they are matched.
    public static let linux: [ArchABI] = all + [
        .x32, .riscv32, .ppc64, .ppc, .s390x, .s390, .loongarch64, .mips64, .mipsn32, .mips,
        .csky, .sparc64, .sparc, .parisc64, .parisc, .sh,
    ]

    /// True where the Linux ABI exports every `__vdso_x` also as bare `x` at the same address
    /// (arch/x86/entry/vdso/vdso.lds.S, arch/sparc/vdso/vdso.lds.S).
    public var exportsBareNames: Bool { name == "x86_64" || name == "sparc64" || name == "sparc" }

    /// True when vdsogen has default sources and a linker script for this architecture.
    public var isBuildable: Bool { Self.all.contains { $0.name == name } }

    /// The ABI a name or common alias (`amd64`, `arm64`, `ppc64le` ...) stands for.
    public static func named(_ name: String) -> ArchABI? {
        let canonical: String
        switch name {
        case "x86-64", "amd64": canonical = "x86_64"
        case "i686", "x86": canonical = "i386"
        case "arm64": canonical = "aarch64"
        case "riscv": canonical = "riscv64"
        case "armv7", "armhf", "armel": canonical = "arm"
        case "ppc64le", "ppc64el", "powerpc64", "powerpc64le": canonical = "ppc64"
        case "powerpc": canonical = "ppc"
        case "loong64", "loongarch": canonical = "loongarch64"
        case "mips64el": canonical = "mips64"
        case "mipsel": canonical = "mips"
        case "hppa": canonical = "parisc"
        case "sh4", "sh4eb": canonical = "sh"
        default: canonical = name
        }
        return linux.first { $0.name == canonical }
    }

    /// The ABI of an image, from its machine, class and flags.
    public static func forHeader(_ h: ELFHeader) -> ArchABI? {
        linux.first { $0.machine == h.machine && $0.is64 == h.is64 && $0.headerMatches(h) }
    }

    /// The ABI of a machine, taking its usual class (for callers without a header).
    public static func forMachine(_ machine: UInt16) -> ArchABI? { linux.first { $0.machine == machine } }
}

extension Expectations {
    /// The defaults for an image: its architecture's Linux ABI, or (for a machine Linux builds
    /// no vDSO for) nothing beyond the generic rules.
    public static func forImage(_ header: ELFHeader) -> Expectations {
        ArchABI.forHeader(header)?.expectations ?? Expectations(soname: "linux-vdso.so.1", nodes: [])
    }
}
