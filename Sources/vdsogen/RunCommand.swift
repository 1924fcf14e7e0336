import ArgumentParser
import VDSOKit
#if canImport(Glibc)
import Glibc
#endif

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an unmodified program with a given vDSO image in place of the kernel's.",
        discussion: """
            A user-space program loader (vdso-run, installed next to vdsogen) maps the program \
            (static, static-pie or dynamic, with its interpreter), the image and its data pages at \
            a random address, builds a fresh stack whose auxv points AT_SYSINFO_EHDR at the image, \
            unmaps the kernel's own vDSO and jumps to the program. A separate writer process keeps \
            the data page current (the "kernel side"), with optional offsets applied the way a time \
            namespace would: the program sees shifted time through the vDSO alone. Every program \
            the tree execs (a shell's commands, a #! script, an env-style shim) starts under the same \
            image and data page: a seccomp filter traps execve and execveat, and a ptrace tracer \
            turns each into an exec of the loader; set-id programs and programs the image does not \
            fit (another architecture, or a class no --image was given for) run as the kernel would \
            (--verbose notes them). An ELF32 i386 program runs under an i386 image: vdso-run hands it \
            to vdso-run32, its 32-bit half (installed next to it), which maps it below 4 GiB with \
            AT_SYSINFO pointing at the image's __kernel_vsyscall. An aarch64 or riscv64 program runs \
            under an image of its architecture through qemu-user (qemu-aarch64-static, libraries \
            from -L /usr/aarch64-linux-gnu or $QEMU_LD_PREFIX) and vdso-run-aarch64 (or -riscv64), \
            which maps it in the guest; its execs are not followed. `run` returns \
            when the program and everything it started are gone, with the program's exit status \
            (128+N for a death by signal N). A program the loader cannot run gives one line and exit 2. An image that `vdsogen check --profile linux` \
            rejects is not mapped (its errors are printed, exit 1), nor is one whose data-page ABI run \
            does not fill (a vdsogen note naming vdsogen-1, or a Linux soname and version node; one \
            line, exit 2), unless --force says so. An image of a data-page ABI of its own runs under a \
            kernel side of its own: --kernel-side FILE.c names C that defines the ABI's name, the \
            area's pages and an init and an update function (vdso/kernel_side.h); run builds it into \
            the writer it starts in place of its own, and maps the image only if its note names that \
            ABI. --verbose also says which of glibc's lookups the image serves.

            Durations: an integer with an optional unit: ns, us, ms, s (default), m, h, d; e.g. 365d, -2h.
            Examples:
              vdsogen run --image out/vdso.so -- date
              vdsogen run --image out/vdso.so --realtime-offset 365d -- date +%Y
              vdsogen run --image out/vdso.so --verbose -- python3 -c 'import time; print(time.time())'
              vdsogen run --image out/i386/vdso.so --realtime-offset 1d -- ./date32
              vdsogen run --image out/vdso.so --image out/i386/vdso.so -- sh -c ./prog32
              vdsogen run --image out/aarch64/vdso.so --realtime-offset 1d -- ./prog-arm64
              vdsogen run --image myos.so --kernel-side examples/custom-abi/kernel_side.c -- ./ticks
            """)

    @Option(help: "The vDSO image (the stripped NAME.so). Twice for a tree of 64- and 32-bit programs: an x86-64 image and an i386 one; each program gets the one for its class.")
    var image: [String] = []

    // .unconditional: a negative duration (`--realtime-offset -2h`) is the value, not an option.
    @Option(name: .customLong("realtime-offset"), parsing: .unconditional, help: "Shift REALTIME, REALTIME_COARSE, TAI, gettimeofday and time.")
    var realtimeOffset: String?

    @Option(name: .customLong("monotonic-offset"), parsing: .unconditional, help: "Shift MONOTONIC (and its coarse and raw forms) and BOOTTIME.")
    var monotonicOffset: String?

    @Option(name: .customLong("clock-mode"), help: "auto (default: counter when the kernel's clocksource is an invariant TSC, else none), counter, or none (every call takes the system call).")
    var clockMode: String?

    @Option(name: .customLong("data-pages"), help: "Pages between the data page and the image (default 1, vdsogen's layout).")
    var dataPages: Int?

    @Flag(help: "Before the program starts, print where everything was mapped and the calibration.")
    var verbose = false

    @Flag(name: .customLong("no-aslr"), help: "Map everything at the same addresses every run.")
    var noASLR = false

    @Flag(help: "Map the image even if `check --profile linux` rejects it, or it declares no data-page ABI run fills.")
    var force = false

    @Flag(name: .customLong("no-vdso"), help: "Start the program with no AT_SYSINFO_EHDR at all (the libc's no-vDSO fallback).")
    var noVDSO = false

    @Option(name: .customLong("kernel-side"), help: ArgumentHelp("A kernel side of your own for an image of your own data-page ABI: C that fills and updates the data area (vdso/kernel_side.h), built into the writer run starts instead of its own.", valueName: "FILE.c"))
    var kernelSide: String?

    @Flag(name: .customLong("no-follow-exec"), help: "Only the program itself gets the image: what it execs gets the kernel's vDSO (no tracer; the program keeps the loader's process).")
    var noFollowExec = false

    @Option(name: .customLong("follow-exec"), help: ArgumentHelp("How exec is followed: event (default: no filter, so no system call pays for one: at each PTRACE_EVENT_EXEC the tracer maps the image into the program the kernel loaded and points AT_SYSINFO_EHDR at it) or seccomp (a filter traps execve and execveat, and each becomes an exec of the loader).", valueName: "mode"))
    var followExec: String?

    @Argument(parsing: .captureForPassthrough, help: "-- PROGRAM [ARGS...]")
    var command: [String] = []

    func validate() throws {
        // The passthrough argument takes a lone --help too: answer it as every other command does.
        if command == ["--help"] || command == ["-h"] { throw CleanExit.helpRequest(self) }
        if image.isEmpty && !noVDSO { throw ValidationError("run: name the image with --image (or --no-vdso)") }
        if let followExec, followExec != "seccomp", followExec != "event" {
            throw ValidationError("run: --follow-exec is seccomp or event, not '\(followExec)'")
        }
        if command.first == "--" ? command.count < 2 : command.isEmpty {
            throw ValidationError("run: name the program to run after --")
        }
    }

    func run() throws {
        let own = try kernelSide.map { source throws -> KernelSide in
            guard image.count == 1, !noVDSO, dataPages == nil else {
                throw VDSOError.usage("run: --kernel-side serves one image (one --image, no --no-vdso), and declares the area's size itself (no --data-pages)")
            }
            return try KernelSide.build(source: source, loader: ProgramLoader.locate()) { Console.write(2, $0) }
        }
        if verbose, let own { Console.error("vdsogen: run: " + own.summary) }
        // The image is read once, for the three judgements before it is mapped.
        for image in image where !noVDSO {
            let elf = try ELFReader.read(path: image)
            if let refusal = own.map({ $0.refusal(of: elf) }) ?? ProgramLoader.abiRefusal(of: elf) {
                guard force else { throw VDSOError.usage(refusal) }
                Console.error("vdsogen: run: warning: mapping it anyway (--force): " + refusal)
            }
            // An image under a kernel side of its own is not for glibc: its lookups are no news.
            if verbose && own == nil {
                for line in ProgramLoader.lookupLines(of: elf) { Console.error(line) }
            }
            if !force, let rejected = ProgramLoader.rejection(of: elf) {
                Console.error(ReportRenderer.text([rejected], summary: false))
                Console.error("vdsogen: run: \(image) is rejected by check --profile linux; fix the image, or pass --force to map it anyway")
                throw ExitCode(1)
            }
        }
        var args: [String] = []
        for image in image { args += ["--image", image] }
        if let realtimeOffset { args += ["--realtime-offset", realtimeOffset] }
        if let monotonicOffset { args += ["--monotonic-offset", monotonicOffset] }
        if let clockMode { args += ["--clock-mode", clockMode] }
        if let dataPages { args += ["--data-pages", String(dataPages)] }
        if verbose { args.append("--verbose") }
        if noASLR { args.append("--no-aslr") }
        if noVDSO { args.append("--no-vdso") }
        if noFollowExec { args.append("--no-follow-exec") }
        if let own { args += ["--kernel-side", own.writer, "--data-pages", String(own.pages)] }
        if let followExec { args.append("--follow-exec=" + followExec) }
        args.append("--")
        args += command.first == "--" ? Array(command.dropFirst()) : command
        try ProgramLoader.exec(arguments: args)
    }
}
