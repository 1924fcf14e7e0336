/// `w-xor-x`: no segment is both writable and executable.
struct WXorXRule: Rule {
    let id = "w-xor-x"
    let summary = "No segment is both writable and executable."
    let protects = "A writable, executable mapping in every process is a ready-made place for injected code; hardened kernels refuse to map it."

    func check(_ c: CheckContext) -> [Finding] {
        c.image.segments.filter { $0.isWritable && $0.isExecutable && $0.type != PT.gnuStack }.map {
            let message = "\($0.typeName) [\($0.index)] is \(PF.describe($0.flags).trimmed): writable and executable at once; make the text segment FLAGS(5) (R+X) and keep data out of the image"
            // QEMU's linux-user loader writes the image (relocating it in place), then maps it
            // R+X itself: the flags in the file are never the mapping's.
            return c.profile == .qemu ? warning(message + " (accepted by the qemu profile: QEMU's loader maps the image R+X after relocating it)") : error(message)
        } + c.image.segments.filter { $0.type == PT.gnuStack && $0.isExecutable }.map { _ in
            error("PT_GNU_STACK asks for an executable stack: link with -z noexecstack")
        }
    }
}
