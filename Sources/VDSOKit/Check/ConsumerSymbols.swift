/// The symbols each consumer looks up in a Linux vDSO, per architecture, with the version node
/// it asks for: glibc (sysdeps/unix/sysv/linux/*/sysdep.h and dl-vdso-setup.c), musl
/// (arch/*/syscall_arch.h: VDSO_CGT_SYM, VDSO_CGT32_SYM, VDSO_GETCPU_SYM), the Go runtime
/// (runtime/vdso_linux_*.go) and rustix (src/backend/linux_raw/vdso_wrappers.rs). A consumer
/// is only ever judged on what it really looks up on the image's architecture.
enum ConsumerSymbols {
    /// `(symbol, version)` pairs `consumer` looks up on `abi`, in lookup order.
    static func lookups(_ consumer: Consumer, _ abi: ArchABI) -> [(name: String, version: String)] {
        let node = abi.expectations.nodes.first?.name ?? ""
        let names: [String]
        switch consumer {
        case .glibc: names = glibc[abi.name] ?? []
        case .musl: names = musl[abi.name] ?? []
        case .go: names = go[abi.name] ?? []
        case .rustix: names = rustix[abi.name] ?? []
        }
        return names.map { name in
            // i386's __kernel_vsyscall lives in the LINUX_2.5 node; everything else in the first.
            let version = abi.expectations.nodes.first { $0.symbols.contains(name) }?.name ?? node
            return (name, version)
        }
    }

    private static let glibc: [String: [String]] = [
        "x86_64": ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu",
                   "__vdso_clock_getres", "__vdso_getrandom"],
        "x32": ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu", "__vdso_clock_getres"],
        "i386": ["__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_gettimeofday", "__vdso_time",
                 "__vdso_clock_getres"],
        "aarch64": ["__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres", "__kernel_getrandom"],
        "arm": ["__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_gettimeofday"],
        "riscv64": ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_getcpu",
                    "__vdso_flush_icache", "__vdso_riscv_hwprobe", "__vdso_getrandom"],
        "riscv32": ["__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe"],
        "ppc64": ["__kernel_clock_gettime", "__kernel_clock_getres", "__kernel_gettimeofday", "__kernel_time",
                  "__kernel_getcpu", "__kernel_get_tbfreq", "__kernel_sigtramp_rt64", "__kernel_getrandom"],
        "ppc": ["__kernel_clock_gettime", "__kernel_clock_gettime64", "__kernel_clock_getres", "__kernel_gettimeofday",
                "__kernel_time", "__kernel_getcpu", "__kernel_get_tbfreq", "__kernel_sigtramp32", "__kernel_sigtramp_rt32"],
        "s390x": ["__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres", "__kernel_getcpu",
                  "__kernel_getrandom"],
        "s390": ["__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres", "__kernel_getcpu"],
        "loongarch64": ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres", "__vdso_getcpu",
                        "__vdso_getrandom"],
        "mips64": ["__vdso_clock_gettime", "__vdso_gettimeofday"],
        "mipsn32": ["__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_gettimeofday"],
        "mips": ["__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_gettimeofday"],
        "csky": ["__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_gettimeofday"],
        "sparc64": ["__vdso_clock_gettime", "__vdso_gettimeofday"],
        "sparc": ["__vdso_clock_gettime", "__vdso_gettimeofday"],
    ]

    private static let musl: [String: [String]] = [
        "x86_64": ["__vdso_clock_gettime", "__vdso_getcpu"],
        "x32": ["__vdso_clock_gettime", "__vdso_getcpu"],
        "i386": ["__vdso_clock_gettime64", "__vdso_clock_gettime"],
        "aarch64": ["__kernel_clock_gettime"],
        "arm": ["__vdso_clock_gettime64", "__vdso_clock_gettime"],
        "riscv64": ["__vdso_clock_gettime"],
        "ppc64": ["__kernel_clock_gettime"],
        "ppc": ["__kernel_clock_gettime64", "__kernel_clock_gettime"],
        "s390x": ["__kernel_clock_gettime"],
        "loongarch64": ["__vdso_clock_gettime"],
        "mips64": ["__vdso_clock_gettime"],
        "mipsn32": ["__vdso_clock_gettime64", "__vdso_clock_gettime"],
        "mips": ["__vdso_clock_gettime64", "__vdso_clock_gettime"],
    ]

    private static let go: [String: [String]] = [
        "x86_64": ["__vdso_gettimeofday", "__vdso_clock_gettime", "__vdso_getrandom"],
        "i386": ["__vdso_clock_gettime"],
        "aarch64": ["__kernel_clock_gettime", "__kernel_getrandom"],
        "arm": ["__vdso_clock_gettime"],
        "riscv64": ["__vdso_clock_gettime"],
        "ppc64": ["__kernel_clock_gettime", "__kernel_sigtramp_rt64"],
        "s390x": ["__kernel_clock_gettime"],
        "loongarch64": ["__vdso_clock_gettime", "__vdso_getrandom"],
        "mips64": ["__vdso_clock_gettime"],
    ]

    private static let rustix: [String: [String]] = [
        "x86_64": ["__vdso_clock_gettime", "__vdso_getcpu"],
        "i386": ["__vdso_clock_gettime64", "__vdso_getcpu", "__kernel_vsyscall"],
        "aarch64": ["__kernel_clock_gettime"],
        "arm": ["__vdso_clock_gettime64"],
        "riscv64": ["__vdso_clock_gettime", "__vdso_getcpu"],
        "ppc64": ["__kernel_clock_gettime"],
        "ppc": ["__kernel_clock_gettime64"],
        "s390x": ["__kernel_clock_gettime", "__kernel_getcpu"],
        "loongarch64": ["__vdso_clock_gettime"],
        "mips64": ["__vdso_clock_gettime"],
        "mipsn32": ["__vdso_clock_gettime64"],
        "mips": ["__vdso_clock_gettime64"],
    ]
}
