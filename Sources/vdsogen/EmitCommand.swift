import ArgumentParser
import VDSOKit

struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Write the C header and blob that embed a vDSO image.",
        discussion: """
            The header carries the page-rounded image size, the data-page offset, the offset of every \
            exported symbol and of each --extra-symbol (from the debug image's full symbol table), and \
            the build-id, the soname and the version nodes. Without --debug the data-page offset is \
            left out (the data symbol is hidden, in the debug image's symbol table only), with a note \
            on stderr saying so. The C source holds the page-aligned array: exactly the image, zero-padded to \
            the page size. --blob writes that padded image raw; --asm an .incbin wrapper for it, defining the \
            PREFIX_blob_start, PREFIX_blob_end and PREFIX_blob_size the header declares (and, weak, \
            PREFIX_image and PREFIX_build_id). --qemu writes the .c.inc QEMU's linux-user/gen-vdso writes \
            (refusing what gen-vdso refuses; see Docs/embedding.md, QEMU linux-user).
            Outputs are written atomically and are byte-reproducible.
            """)

    @Argument(help: "The stripped vDSO image.")
    var image: String

    @Option(help: "The unstripped debug image (for the data symbol and --extra-symbol).")
    var debug: String?

    @Option(help: "Header to write.")
    var header: String

    @Option(help: "C source to write.")
    var source: String

    @Option(help: "Raw, page-padded blob to write.")
    var blob: String?

    @Option(help: "Assembly .incbin wrapper to write (needs --blob).")
    var asm: String?

    @Option(help: "Swift source to write: an enum PREFIXImage with the bytes, sizes, offsets and build-id.")
    var swift: String?

    @Option(name: .customLong("linux-x86"), help: "Also write a vdso-image-64.c (-32.c, -x32.c) in the shape Linux's vdso2c writes, for the kernel's struct vdso_image (needs --debug).")
    var linuxX86: String?

    @Option(name: .customLong("linux-version"), help: "The kernel version whose struct vdso_image --linux-x86 fills (known: 7.2, 6.12, 6.1).")
    var linuxVersion = "6.12"

    @Option(help: ArgumentHelp("Also write the .c.inc QEMU's linux-user/gen-vdso writes: relocation offsets, image bytes, VdsoImageInfo.", valueName: "file"))
    var qemu: String?

    @Option(name: .customLong("qemu-version"), help: "The QEMU version whose VdsoImageInfo --qemu fills (known: 10.2).")
    var qemuVersion = QEMUVdsoEmitter.versions[0].version

    @Option(name: .customLong("qemu-sigreturn"), help: "Symbol for .sigreturn_ofs (gen-vdso's -s; default: the name QEMU's build uses for the machine).")
    var qemuSigreturn: String?

    @Option(name: .customLong("qemu-rt-sigreturn"), help: "Symbol for .rt_sigreturn_ofs (gen-vdso's -r; default: QEMU's name for the machine).")
    var qemuRtSigreturn: String?

    @Flag(name: .customLong("qemu-writable"), help: "Set PF_W on an R+X PT_LOAD in the --qemu copy (QEMU relocates the mapped image, then makes it read-only); without it such an image is refused, as gen-vdso does.")
    var qemuWritable = false

    @Option(help: "C identifier prefix (default vdso): vdso_image, VDSO_IMAGE_SIZE, ...; --qemu's vdso_relocs, vdso_image_info (gen-vdso's -p).")
    var prefix: String = "vdso"

    @Option(name: .customLong("data-symbol"), help: "Symbol at the start of the data pages (default: vdso_time_data or Linux's names).")
    var dataSymbol: String?

    @Option(name: .customLong("extra-symbol"), help: "A local symbol whose offset the header must carry (repeatable).")
    var extraSymbols: [String] = []

    func validate() throws {
        if asm != nil && blob == nil { throw ValidationError("--asm needs --blob: the wrapper includes the raw blob") }
        if linuxX86 != nil && debug == nil { throw ValidationError("--linux-x86 needs --debug: the symbols the kernel looks for are in the debug image") }
        let qemuOnly = qemuSigreturn != nil || qemuRtSigreturn != nil || qemuWritable
        if qemu == nil && qemuOnly { throw ValidationError("--qemu-sigreturn, --qemu-rt-sigreturn and --qemu-writable need --qemu FILE") }
        if !CIdentifier.isValid(prefix) { throw ValidationError("--prefix \(prefix) is not a C identifier") }
    }

    func run() throws {
        var request = EmitRequest(image: image, header: header, source: source)
        request.debug = debug
        request.blob = blob
        request.asm = asm
        request.swift = swift
        request.prefix = prefix
        request.dataSymbol = dataSymbol
        request.extraSymbols = extraSymbols
        // The QEMU file is made first, so that a refusal leaves nothing written.
        let qemuText = try qemu.map { (_: String) throws(VDSOError) in try qemuSource() }
        for note in try Emitter.emit(request) { Console.error("vdsogen: note: " + note) }
        if let qemu, let qemuText { try AtomicFile.write(qemuText, to: qemu) }
        if let linuxX86, let debug {
            let text = try LinuxX86Emitter.source(image: try ELFReader.read(path: image), debug: try ELFReader.read(path: debug),
                                                  version: linuxVersion, tool: "vdsogen " + VDSOGenVersion.string)
            try AtomicFile.write(text, to: linuxX86)
        }
    }

    func qemuSource() throws(VDSOError) -> String {
        var r = QEMUVdsoRequest(image: image)
        r.debug = debug
        r.prefix = prefix
        r.version = qemuVersion
        r.sigreturn = qemuSigreturn
        r.rtSigreturn = qemuRtSigreturn
        r.makeWritable = qemuWritable
        let (text, notes) = try QEMUVdsoEmitter.render(r, tool: "vdsogen " + VDSOGenVersion.string)
        for note in notes { Console.error("vdsogen: note: " + note) }
        return text
    }
}
