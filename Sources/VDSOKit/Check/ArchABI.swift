/// An architecture's Linux vDSO ABI: soname, version nodes and exported names, as the kernel
/// ships them (arch/*/kernel/vdso/vdso.lds.S, arch/x86/entry/vdso/*.lds.S).
public struct ArchABI: Sendable {
    /// The name vdsogen and its manifests use: x86_64, i386, aarch64, riscv64, arm.
    public var name: String
    public var machine: UInt16
    public var is64: Bool
    public var clangTarget: String
    public var expectations: Expectations

    public static let x86_64 = ArchABI(
        name: "x86_64", machine: EM.x86_64, is64: true, clangTarget: "x86_64-linux-gnu",
        expectations: Expectations(
            soname: "linux-vdso.so.1",
            nodes: [ExpectedNode(name: "LINUX_2.6", symbols: [
                "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_clock_getres",
                "__vdso_getcpu", "clock_gettime", "gettimeofday", "time", "clock_getres", "getcpu",
            ])],
            knownExtras: ["__vdso_getrandom", "getrandom", "__vdso_sgx_enter_enclave"]))

    public static let i386 = ArchABI(
        name: "i386", machine: EM.i386, is64: false, clangTarget: "i386-linux-gnu",
        expectations: Expectations(
            soname: "linux-gate.so.1",
            nodes: [
                ExpectedNode(name: "LINUX_2.6", symbols: [
                    "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_clock_getres",
                    "__vdso_clock_gettime64", "__vdso_clock_getres_time64",
                ]),
                ExpectedNode(name: "LINUX_2.5", symbols: [
                    "__kernel_vsyscall", "__kernel_sigreturn", "__kernel_rt_sigreturn",
                ]),
            ],
            knownExtras: ["__vdso_getcpu", "__vdso_getrandom"]))

    public static let aarch64 = ArchABI(
        name: "aarch64", machine: EM.aarch64, is64: true, clangTarget: "aarch64-linux-gnu",
        expectations: Expectations(
            soname: "linux-vdso.so.1",
            nodes: [ExpectedNode(name: "LINUX_2.6.39", symbols: [
                "__kernel_rt_sigreturn", "__kernel_gettimeofday", "__kernel_clock_gettime",
                "__kernel_clock_getres",
            ])],
            knownExtras: ["__kernel_getrandom"]))

    public static let riscv64 = ArchABI(
        name: "riscv64", machine: EM.riscv, is64: true, clangTarget: "riscv64-linux-gnu",
        expectations: Expectations(
            soname: "linux-vdso.so.1",
            nodes: [ExpectedNode(name: "LINUX_4.15", symbols: [
                "__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime",
                "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache",
            ])],
            knownExtras: ["__vdso_riscv_hwprobe", "__vdso_getrandom"]))

    public static let arm = ArchABI(
        name: "arm", machine: EM.arm, is64: false, clangTarget: "armv7a-linux-gnueabihf",
        expectations: Expectations(
            soname: "linux-vdso.so.1",
            // arch/arm/vdso/vdso.lds.S since 5.5 (generic vDSO): clock_gettime64 next to the time32 calls.
            nodes: [ExpectedNode(name: "LINUX_2.6", symbols: [
                "__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_clock_getres",
            ])],
            knownExtras: ["__vdso_clock_getres_time64", "__vdso_getrandom"]))

    public static let all: [ArchABI] = [.x86_64, .i386, .aarch64, .riscv64, .arm]

    /// True where the Linux ABI exports every `__vdso_x` also as bare `x` at the same address
    /// (arch/x86/entry/vdso/vdso.lds.S): x86-64 only among ours.
    public var exportsBareNames: Bool { machine == EM.x86_64 }

    public static func named(_ name: String) -> ArchABI? {
        switch name {
        case "x86_64", "x86-64", "amd64": return .x86_64
        case "i386", "i686", "x86": return .i386
        case "aarch64", "arm64": return .aarch64
        case "riscv64", "riscv": return .riscv64
        case "arm", "armv7": return .arm
        default: return nil
        }
    }

    public static func forMachine(_ machine: UInt16) -> ArchABI? { all.first { $0.machine == machine } }
}
