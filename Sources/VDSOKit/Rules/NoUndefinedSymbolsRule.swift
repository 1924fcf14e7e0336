/// `no-undefined-symbols`: the image references nothing outside itself.
struct NoUndefinedSymbolsRule: Rule {
    let id = "no-undefined-symbols"
    let summary = "No undefined symbol in the dynamic symbol table."
    let protects = "Nothing resolves a vDSO's imports: an undefined function is a call to address 0."

    func check(_ c: CheckContext) -> [Finding] {
        let symbols = c.dynamic.symbols.isEmpty ? c.image.dynamicSymbolSection.map {
            DynamicSymbol(index: $0.index, name: $0.name, value: $0.value, size: $0.size, type: $0.type,
                          bind: $0.bind, other: $0.other, shndx: $0.shndx, versionIndex: nil,
                          versionHidden: false, versionName: nil)
        } : c.dynamic.symbols
        let undefined = symbols.filter { $0.index != 0 && !$0.isDefined && !$0.name.isEmpty }
        guard !undefined.isEmpty else { return [] }
        // Where the compiler says each one is called or declared (DWARF call sites).
        let locator = c.sourceLocator
        return undefined.map {
            error("\($0.name) is undefined\(($0.bind == STB.weak) ? " (weak)" : "")\(locator.references(to: $0.name)): \(Self.advice(for: $0.name))",
                  at: locator.referenceLocation(to: $0.name))
        }
    }

    /// What to do about an undefined symbol, naming compiler-inserted calls for what they are.
    static func advice(for name: String) -> String {
        switch name {
        case "memset", "memcpy", "memmove", "memcmp", "bzero":
            return "the compiler inserted a call to \(name) (a struct initialisation or copy, or a loop it recognised); write the assignment field by field or the loop so it cannot become a libcall"
        case "__stack_chk_fail", "__stack_chk_guard", "__stack_chk_fail_local":
            return "the stack protector is on; build the vDSO with -fno-stack-protector"
        case "_mcount", "mcount", "__fentry__", "__cyg_profile_func_enter", "__cyg_profile_func_exit":
            return "profiling instrumentation (-pg, -mfentry, -finstrument-functions) leaked in; remove those flags for the vDSO"
        case _ where name.hasPrefix("__x86_indirect_thunk") || name.hasPrefix("__x86_return_thunk"):
            return "retpoline/return thunks leaked in; build the vDSO without -mretpoline/-mfunction-return=thunk-extern"
        case _ where name.hasPrefix("__asan") || name.hasPrefix("__ubsan") || name.hasPrefix("__tsan") || name.hasPrefix("__sanitizer") || name.hasPrefix("__msan"):
            return "sanitizer instrumentation leaked in; build the vDSO with -fno-sanitize=all"
        case _ where name.hasPrefix("__aeabi_unwind_cpp_pr"):
            return "the Arm EHABI personality routine that the .ARM.exidx entries name (an R_ARM_NONE marker, never called); ld.lld exports the reference where GNU ld does not: define a hidden stub of that name in the vDSO, or build the unwind tables as DWARF (-fdwarf-exceptions)"
        case _ where name.hasPrefix("__udivdi3") || name.hasPrefix("__divdi3") || name.hasPrefix("__umoddi3") || name.hasPrefix("__aeabi_"):
            return "a compiler runtime helper (64-bit division on a 32-bit target); avoid the division or implement it in the vDSO"
        default:
            return "nothing resolves a vDSO's imports; define it in the vDSO, make it static, or remove the reference (link with --no-undefined to catch this at link time)"
        }
    }
}
