/// `elf-header`: the file is a well-formed ELF shared object whose tables lie inside the file.
struct ELFHeaderRule: Rule {
    let id = "elf-header"
    let summary = "A well-formed ELF shared object (ET_DYN) whose header tables lie inside the file."
    let protects = "Loaders and kernels that trust e_phoff/e_shoff read out of bounds; an ET_EXEC cannot be mapped at a random base."

    func check(_ c: CheckContext) -> [Finding] {
        let h = c.image.header
        var out = c.image.defects.map { error("\($0): the file is malformed; rebuild it rather than patch it") }
        out += c.image.noteDefects.map {
            strictError("\($0): readelf and eu-readelf stop reading notes there too, and the notes after it are lost; give every input note the alignment of the area it lands in (a 4-byte-format note after an 8-byte-aligned GNU property note is read as garbage), or put the property note in its own output section", c)
        }
        if h.type != ET.dyn {
            let kind = [ET.rel: "ET_REL (an object file)", ET.exec: "ET_EXEC (an executable)", ET.core: "ET_CORE"][h.type] ?? "\(h.type)"
            out.append(error("e_type is \(kind); a vDSO must be ET_DYN: link it with -shared"))
        }
        if c.image.bytes.bytes[6] != 1 || h.version != 1 {
            out.append(error("ELF version is \(h.version) (e_ident[EI_VERSION] \(c.image.bytes.bytes[6])); only EV_CURRENT (1) exists"))
        }
        if UInt64(h.ehsize) != h.headerSize {
            out.append(error("e_ehsize is \(h.ehsize), not \(h.headerSize) as ELF\(h.is64 ? 64 : 32) requires"))
        }
        if h.phnum == 0 && c.image.defects.isEmpty {
            out.append(error("no program headers: a loader cannot map the image; link with a linker script that has PHDRS"))
        }
        if let expected = c.expectedMachine, expected != h.machine {
            out.append(error("e_machine is \(EM.name(h.machine)), but the image was expected for \(EM.name(expected))"))
        }
        return out
    }
}
