/// The Linux vDSO ABI of each architecture, from its linker script's VERSION block. `current`
/// is the newest release's export list, `baseline` the part every release since the vDSO's
/// introduction on that architecture has, `extras` names some releases export beyond `current`.
extension ArchABI {
    private init(_ name: String, _ machine: UInt16, is64: Bool, clang: String, soname: String = "linux-vdso.so.1",
                 node: String, current: [String], baseline: Set<String>, extras: Set<String> = [],
                 trampolines: Set<String> = [], matches: @escaping @Sendable (ELFHeader) -> Bool = { _ in true },
                 extraNodes: [ExpectedNode] = [], earlierSonames: Set<String> = [], earlierNodes: [String] = []) {
        self.name = name
        self.machine = machine
        self.is64 = is64
        self.headerMatches = matches
        self.clangTarget = clang
        self.expectations = Expectations(soname: soname, nodes: [ExpectedNode(name: node, symbols: current, earlierNames: earlierNodes)] + extraNodes,
                                         knownExtras: extras, baseline: baseline)
        self.expectations.earlierSonames = earlierSonames
        self.signalTrampolines = trampolines
    }

    // MARK: x86

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // Named as the architecture is, like the other ABIs.
    public static let x86_64 = ArchABI(
        "x86_64", EM.x86_64, is64: true, clang: "x86_64-linux-gnu", node: "LINUX_2.6",
        current: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_clock_getres",
                  "__vdso_getcpu", "clock_gettime", "gettimeofday", "time", "clock_getres", "getcpu"],
        // clock_getres arrived in 5.1 (and bare names with it), getrandom in 6.11, SGX in 5.11;
        // User-mode Linux's image (arch/x86/um/vdso) has no getcpu.
        baseline: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                   "clock_gettime", "gettimeofday", "time"],
        extras: ["__vdso_getrandom", "getrandom", "__vdso_sgx_enter_enclave"])

    public static let i386 = ArchABI(
        "i386", EM.i386, is64: false, clang: "i386-linux-gnu", soname: "linux-gate.so.1", node: "LINUX_2.6",
        current: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_clock_getres",
                  "__vdso_clock_gettime64", "__vdso_clock_getres_time64"],
        // clock_getres 5.1, clock_gettime64 5.6, clock_getres_time64 2026: no shipped kernel
        // before that has the last, so none of them can be required of Linux's images.
        baseline: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                   "__kernel_vsyscall", "__kernel_sigreturn", "__kernel_rt_sigreturn"],
        extras: ["__vdso_getcpu", "__vdso_getrandom"],
        trampolines: ["__kernel_sigreturn", "__kernel_rt_sigreturn"],
        extraNodes: [ExpectedNode(name: "LINUX_2.5", symbols: ["__kernel_vsyscall", "__kernel_sigreturn", "__kernel_rt_sigreturn"])])

    /// x32: EM_X86_64 in ELFCLASS32; only the `__vdso_` names (arch/x86/entry/vdso/vdsox32.lds.S).
    public static let x32 = ArchABI(
        "x32", EM.x86_64, is64: false, clang: "x86_64-linux-gnux32", node: "LINUX_2.6",
        current: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_getcpu", "__vdso_time", "__vdso_clock_getres"],
        baseline: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_getcpu", "__vdso_time"])

    // MARK: Arm

    public static let aarch64 = ArchABI(
        "aarch64", EM.aarch64, is64: true, clang: "aarch64-linux-gnu", node: "LINUX_2.6.39",
        current: ["__kernel_rt_sigreturn", "__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres"],
        baseline: ["__kernel_rt_sigreturn", "__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres"],
        extras: ["__kernel_getrandom"],
        trampolines: ["__kernel_rt_sigreturn"])

    /// 32-bit Arm, also arm64's compat image (arch/arm64/kernel/vdso32): same names and node.
    public static let arm = ArchABI(
        "arm", EM.arm, is64: false, clang: "armv7a-linux-gnueabihf", node: "LINUX_2.6",
        current: ["__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_clock_getres"],
        // clock_getres and clock_gettime64 came with the generic vDSO (5.5).
        baseline: ["__vdso_gettimeofday", "__vdso_clock_gettime"],
        extras: ["__vdso_clock_getres_time64", "__vdso_getrandom"])

    // MARK: RISC-V

    public static let riscv64 = ArchABI(
        "riscv64", EM.riscv, is64: true, clang: "riscv64-linux-gnu", node: "LINUX_4.15",
        current: ["__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime",
                  "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache"],
        baseline: ["__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime",
                   "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache"],
        extras: ["__vdso_riscv_hwprobe", "__vdso_getrandom"],
        trampolines: ["__vdso_rt_sigreturn"])

    /// RV32 (and rv64's compat image): no time calls (HAS_VGETTIMEOFDAY is 64-bit only).
    public static let riscv32 = ArchABI(
        "riscv32", EM.riscv, is64: false, clang: "riscv32-linux-gnu", node: "LINUX_4.15",
        current: ["__vdso_rt_sigreturn", "__vdso_getcpu", "__vdso_flush_icache"],
        baseline: ["__vdso_rt_sigreturn", "__vdso_getcpu", "__vdso_flush_icache"],
        extras: ["__vdso_riscv_hwprobe"],
        trampolines: ["__vdso_rt_sigreturn"])

    // MARK: Power

    /// ppc64 big- and little-endian (arch/powerpc/kernel/vdso/vdso64.lds.S).
    public static let ppc64 = ArchABI(
        "ppc64", EM.ppc64, is64: true, clang: "powerpc64le-linux-gnu", soname: "linux-vdso64.so.1", node: "LINUX_2.6.15",
        current: ["__kernel_get_syscall_map", "__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres",
                  "__kernel_get_tbfreq", "__kernel_sync_dicache", "__kernel_sigtramp_rt64", "__kernel_getcpu", "__kernel_time"],
        baseline: ["__kernel_get_syscall_map", "__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres",
                   "__kernel_get_tbfreq", "__kernel_sync_dicache", "__kernel_sigtramp_rt64"],
        extras: ["__kernel_getrandom", "__kernel_sync_dicache_p5"],
        trampolines: ["__kernel_sigtramp_rt64"])

    /// 32-bit Power, also ppc64's compat image (vdso32.lds.S); the time32 calls depend on
    /// CONFIG_COMPAT_32BIT_TIME.
    public static let ppc = ArchABI(
        "ppc", EM.ppc, is64: false, clang: "powerpc-linux-gnu", soname: "linux-vdso32.so.1", node: "LINUX_2.6.15",
        current: ["__kernel_get_syscall_map", "__kernel_clock_gettime64", "__kernel_clock_getres_time64",
                  "__kernel_get_tbfreq", "__kernel_sync_dicache", "__kernel_sigtramp32", "__kernel_sigtramp_rt32"],
        baseline: ["__kernel_get_syscall_map", "__kernel_get_tbfreq", "__kernel_sync_dicache",
                   "__kernel_sigtramp32", "__kernel_sigtramp_rt32"],
        extras: ["__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres", "__kernel_time",
                 "__kernel_getcpu", "__kernel_getrandom", "__kernel_sync_dicache_p5"],
        trampolines: ["__kernel_sigtramp32", "__kernel_sigtramp_rt32"])

    // MARK: IBM Z

    /// Linux 7 builds s390x's image as `linux-vdso.so.1`; earlier releases as `linux-vdso64.so.1`.
    public static let s390x = ArchABI(
        "s390x", EM.s390, is64: true, clang: "s390x-linux-gnu", node: "LINUX_2.6.29",
        current: ["__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres", "__kernel_getcpu",
                  "__kernel_restart_syscall", "__kernel_rt_sigreturn", "__kernel_sigreturn"],
        // getcpu, the trampolines and restart_syscall moved into the vDSO in 5.x.
        baseline: ["__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres"],
        extras: ["__kernel_getrandom"],
        trampolines: ["__kernel_rt_sigreturn", "__kernel_sigreturn", "__kernel_restart_syscall"],
        earlierSonames: ["linux-vdso64.so.1"])

    /// 31-bit compat image (arch/s390/kernel/vdso32).
    public static let s390 = ArchABI(
        "s390", EM.s390, is64: false, clang: "s390x-linux-gnu", soname: "linux-vdso32.so.1", node: "LINUX_2.6.29",
        current: ["__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres", "__kernel_getcpu"],
        baseline: ["__kernel_gettimeofday", "__kernel_clock_gettime", "__kernel_clock_getres"],
        extras: ["__kernel_restart_syscall", "__kernel_rt_sigreturn", "__kernel_sigreturn"],
        trampolines: ["__kernel_rt_sigreturn", "__kernel_sigreturn", "__kernel_restart_syscall"])

    // MARK: LoongArch, MIPS

    public static let loongarch64 = ArchABI(
        "loongarch64", EM.loongarch, is64: true, clang: "loongarch64-linux-gnu", node: "LINUX_5.10",
        current: ["__vdso_getcpu", "__vdso_clock_getres", "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_rt_sigreturn"],
        baseline: ["__vdso_getcpu", "__vdso_clock_getres", "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_rt_sigreturn"],
        extras: ["__vdso_getrandom"],
        trampolines: ["__vdso_rt_sigreturn"])

    /// MIPS exports nothing when the kernel cannot read its counter from user space
    /// (DISABLE_MIPS_VDSO): the node is there, the names are not.
    public static let mips64 = ArchABI(
        "mips64", EM.mips, is64: true, clang: "mips64el-linux-gnuabi64", node: "LINUX_2.6",
        current: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres"],
        baseline: [])
    public static let mipsn32 = ArchABI(
        "mipsn32", EM.mips, is64: false, clang: "mips64el-linux-gnuabin32", node: "LINUX_2.6",
        current: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_clock_gettime64"],
        baseline: [], matches: { $0.flags & mipsABI2 != 0 })
    public static let mips = ArchABI(
        "mips", EM.mips, is64: false, clang: "mipsel-linux-gnu", node: "LINUX_2.6",
        current: ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_clock_gettime64"],
        baseline: [])
    /// EF_MIPS_ABI2: the n32 ABI in an ELFCLASS32 file.
    private static let mipsABI2: UInt32 = 0x20

    // MARK: SuperH

    /// SuperH (arch/sh/kernel/vsyscall/vsyscall.lds.S): the i386-style gate page.
    public static let sh = ArchABI(
        "sh", EM.sh, is64: false, clang: "sh4-linux-gnu", soname: "linux-gate.so.1", node: "LINUX_2.6",
        current: ["__kernel_vsyscall", "__kernel_sigreturn", "__kernel_rt_sigreturn"],
        baseline: ["__kernel_vsyscall", "__kernel_sigreturn", "__kernel_rt_sigreturn"],
        trampolines: ["__kernel_sigreturn", "__kernel_rt_sigreturn"])

    // MARK: C-SKY, SPARC, PA-RISC

    public static let csky = ArchABI(
        "csky", EM.csky, is64: false, clang: "csky-linux-gnu", node: "LINUX_5.10",
        current: ["__vdso_rt_sigreturn", "__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_gettimeofday",
                  "__vdso_clock_getres"],
        baseline: ["__vdso_rt_sigreturn"],
        trampolines: ["__vdso_rt_sigreturn"])

    public static let sparc64 = ArchABI(
        "sparc64", EM.sparcv9, is64: true, clang: "sparcv9-linux-gnu", node: "LINUX_2.6",
        current: ["clock_gettime", "__vdso_clock_gettime", "__vdso_clock_gettime_stick",
                  "gettimeofday", "__vdso_gettimeofday", "__vdso_gettimeofday_stick"],
        baseline: ["clock_gettime", "__vdso_clock_gettime", "gettimeofday", "__vdso_gettimeofday"])
    /// sparc64's compat image: ELFCLASS32 with EM_SPARC32PLUS.
    public static let sparc = ArchABI(
        "sparc", EM.sparc32plus, is64: false, clang: "sparc-linux-gnu", node: "LINUX_2.6",
        current: ["clock_gettime", "__vdso_clock_gettime", "__vdso_clock_gettime_stick",
                  "gettimeofday", "__vdso_gettimeofday", "__vdso_gettimeofday_stick"],
        baseline: ["clock_gettime", "__vdso_clock_gettime", "gettimeofday", "__vdso_gettimeofday"])

    public static let parisc64 = ArchABI(
        "parisc64", EM.parisc, is64: true, clang: "hppa64-linux-gnu", soname: "linux-vdso64.so.1", node: "LINUX_6.11",
        // The time functions arrived in 6.11, with the node renamed from LINUX_5.18.
        current: ["__kernel_sigtramp_rt64", "__kernel_restart_syscall64", "__vdso_gettimeofday", "__vdso_clock_gettime"],
        baseline: ["__kernel_sigtramp_rt64", "__kernel_restart_syscall64"],
        trampolines: ["__kernel_sigtramp_rt64", "__kernel_restart_syscall64"],
        earlierNodes: ["LINUX_5.18"])
    public static let parisc = ArchABI(
        "parisc", EM.parisc, is64: false, clang: "hppa-linux-gnu", soname: "linux-vdso32.so.1", node: "LINUX_6.11",
        current: ["__kernel_sigtramp_rt32", "__kernel_restart_syscall32", "__vdso_gettimeofday", "__vdso_clock_gettime",
                  "__vdso_clock_gettime64"],
        baseline: ["__kernel_sigtramp_rt32", "__kernel_restart_syscall32"],
        trampolines: ["__kernel_sigtramp_rt32", "__kernel_restart_syscall32"],
        earlierNodes: ["LINUX_5.18"])
}
