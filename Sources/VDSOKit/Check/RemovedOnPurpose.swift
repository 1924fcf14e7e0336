/// Allocated sections a producer's build takes out of the runtime image on purpose, after
/// reading them from the debug image: not a mismatch between the image and its debug twin.
enum RemovedOnPurpose {
    /// True for a section of `debug` that the runtime image may lack, and whose bytes it may
    /// not carry. Linux's x86 build (arch/x86/entry/vdso/Makefile) strips the vDSO with
    /// `objcopy -S --remove-section __ex_table`: vdso2c copies the exception table from the
    /// debug image into the kernel, which is the only reader of it.
    static func section(_ s: Section, of debug: ELFImage) -> Bool {
        let machine = debug.header.machine
        return s.name == "__ex_table" && (machine == EM.x86_64 || machine == EM.i386)
    }
}
