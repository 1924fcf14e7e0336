/// Scans compiled objects before the link for relocations that would make the image need a
/// dynamic relocation — or, worse, that the linker resolves to a wrong absolute address without
/// a trace in the final image (GCC on arm64 once emitted absolute relocations for data-page
/// offsets ≥ 64 KiB; Linux now scans its vDSO objects too).
public enum ObjectScan {
    /// Relocation types that store an absolute address, per machine.
    public static func absoluteTypes(_ machine: UInt16) -> [UInt32: String] {
        switch machine {
        case EM.x86_64: return [1: "R_X86_64_64", 10: "R_X86_64_32", 11: "R_X86_64_32S", 12: "R_X86_64_16", 14: "R_X86_64_8"]
        case EM.i386: return [1: "R_386_32", 20: "R_386_16", 22: "R_386_8"]
        case EM.aarch64:
            return [257: "R_AARCH64_ABS64", 258: "R_AARCH64_ABS32", 259: "R_AARCH64_ABS16",
                    263: "R_AARCH64_MOVW_UABS_G0", 264: "R_AARCH64_MOVW_UABS_G0_NC", 265: "R_AARCH64_MOVW_UABS_G1",
                    266: "R_AARCH64_MOVW_UABS_G1_NC", 267: "R_AARCH64_MOVW_UABS_G2", 268: "R_AARCH64_MOVW_UABS_G2_NC",
                    269: "R_AARCH64_MOVW_UABS_G3"]
        case EM.riscv: return [1: "R_RISCV_32", 2: "R_RISCV_64", 26: "R_RISCV_HI20", 27: "R_RISCV_LO12_I", 28: "R_RISCV_LO12_S"]
        case EM.arm: return [2: "R_ARM_ABS32", 43: "R_ARM_MOVW_ABS_NC", 44: "R_ARM_MOVT_ABS", 5: "R_ARM_ABS16", 8: "R_ARM_ABS8"]
        default: return [:]
        }
    }

    /// A refused relocation, located.
    public struct Problem: Sendable, CustomStringConvertible {
        public var object: String
        public var section: String
        public var offset: UInt64
        public var type: String
        public var symbol: String
        /// The function (`name()`) or variable holding the relocated bytes.
        public var function: String?
        public var source: String

        public var description: String {
            let inFunction = function.map { " in \($0)" } ?? ""
            return "\(object) (from \(source)): \(type) against \(symbol.isEmpty ? "a section" : symbol) at \(section)+0x\(String(offset, radix: 16))\(inFunction): an absolute address in allocated code or data; reference it PC-relatively (a hidden or static symbol, -fPIC), or store an offset instead of a pointer"
        }
    }

    /// Every absolute relocation in an allocated section of `object` (debug sections are exempt:
    /// DWARF legitimately holds absolute addresses that no one applies at run time).
    public static func scan(object: String, source: String) throws(VDSOError) -> [Problem] {
        let image = try ELFReader.read(path: object)
        let absolute = absoluteTypes(image.header.machine)
        guard !absolute.isEmpty else { return [] }
        var problems: [Problem] = []
        for reloc in image.relocations {
            guard let name = absolute[reloc.type],
                  let relocSection = image.sections.first(where: { $0.name == reloc.section }),
                  Int(relocSection.info) < image.sections.count else { continue }
            let target = image.sections[Int(relocSection.info)]
            guard target.isAllocated else { continue }
            var symbol = ""
            if Int(reloc.symbolIndex) < image.symbols.count {
                let s = image.symbols[Int(reloc.symbolIndex)]
                symbol = s.type == STT.section && Int(s.shndx) < image.sections.count ? image.sections[Int(s.shndx)].name : s.name
            }
            // The function or variable the relocated bytes belong to.
            let owner = image.symbols.first {
                ($0.type == STT.function || $0.type == STT.object) && Int($0.shndx) == target.index
                    && reloc.offset >= $0.value && reloc.offset - $0.value < $0.size
            }
            let function = owner.map { $0.type == STT.function ? $0.name + "()" : $0.name }
            problems.append(Problem(object: object, section: target.name, offset: reloc.offset, type: name,
                                    symbol: symbol, function: function, source: source))
        }
        return problems
    }
}
