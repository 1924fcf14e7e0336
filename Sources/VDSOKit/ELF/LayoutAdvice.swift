/// What to change in a linker script when it lays a non-allocated build-attributes section
/// (`.riscv.attributes`, `.ARM.attributes`, ...) out inside the PT_LOAD: ld.lld then gives the
/// segment a memsz that is not its filesz and the code addresses stop matching, so the findings
/// that follow (filesz != memsz, exports outside executable code) name the effect, not the cause.
/// Nothing in a process reads those attributes; Linux discards them.
public enum LayoutAdvice {
    /// Section types that carry build attributes for tools reading the file.
    static let attributeTypes: [UInt16: UInt32] = [EM.riscv: 0x7000_0003, EM.arm: 0x7000_0003, EM.aarch64: 0x7000_0003]
    static let gnuAttributes: UInt32 = 0x6fff_fff5

    /// One line per attributes section inside the first PT_LOAD's file range, with the fix.
    public static func notes(for image: ELFImage) -> [String] {
        guard let load = image.segments(ofType: PT.load).first else { return [] }
        let machine = image.header.machine
        var out: [String] = []
        for s in image.sections where !s.isAllocated && s.size > 0
            && (s.type == attributeTypes[machine] || s.type == gnuAttributes || s.name.hasSuffix(".attributes")) {
            let (end, overflow) = s.offset.addingReportingOverflow(s.size)
            guard !overflow, s.offset >= load.offset, end <= load.fileEnd else { continue }
            let sizes = load.memsz == load.filesz ? ""
                : ", and the linker gave that segment memsz 0x\(String(load.memsz, radix: 16)) for filesz 0x\(String(load.filesz, radix: 16))"
            out.append("section \(s.name) (\(TypeNames.sectionConstant(s.type, machine: machine)), build attributes for tools "
                       + "that read the file, not allocated) lies inside PT_LOAD [\(load.index)] at file offset "
                       + "0x\(String(s.offset, radix: 16)): the linker script puts it in the loaded segment\(sizes); nothing "
                       + "in a process reads it: discard it with /DISCARD/ : { *(\(s.name)) }")
        }
        return out
    }
}
