/// Names of the relocation types a vDSO check is likely to meet, per machine, for messages.
public enum RelocationNames {
    public static func name(_ type: UInt32, machine: UInt16) -> String {
        if type == UInt32.max { return "packed relocation" }
        let table: [UInt32: String]
        switch machine {
        case EM.x86_64:
            table = [0: "R_X86_64_NONE", 1: "R_X86_64_64", 2: "R_X86_64_PC32", 6: "R_X86_64_GLOB_DAT",
                     7: "R_X86_64_JUMP_SLOT", 8: "R_X86_64_RELATIVE", 10: "R_X86_64_32", 11: "R_X86_64_32S",
                     16: "R_X86_64_DTPMOD64", 18: "R_X86_64_TPOFF64", 37: "R_X86_64_IRELATIVE"]
        case EM.i386:
            table = [0: "R_386_NONE", 1: "R_386_32", 2: "R_386_PC32", 6: "R_386_GLOB_DAT",
                     7: "R_386_JMP_SLOT", 8: "R_386_RELATIVE", 42: "R_386_IRELATIVE"]
        case EM.aarch64:
            table = [0: "R_AARCH64_NONE", 257: "R_AARCH64_ABS64", 1025: "R_AARCH64_GLOB_DAT",
                     1026: "R_AARCH64_JUMP_SLOT", 1027: "R_AARCH64_RELATIVE", 1032: "R_AARCH64_IRELATIVE"]
        case EM.riscv:
            table = [0: "R_RISCV_NONE", 1: "R_RISCV_32", 2: "R_RISCV_64", 3: "R_RISCV_RELATIVE",
                     5: "R_RISCV_JUMP_SLOT"]
        case EM.arm:
            table = [0: "R_ARM_NONE", 2: "R_ARM_ABS32", 21: "R_ARM_GLOB_DAT", 22: "R_ARM_JUMP_SLOT",
                     23: "R_ARM_RELATIVE"]
        default:
            table = [0: "R_NONE"]
        }
        return table[type] ?? "relocation type \(type)"
    }
}
