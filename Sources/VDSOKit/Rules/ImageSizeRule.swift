/// `image-size`: the image fits the space reserved for it.
struct ImageSizeRule: Rule {
    let id = "image-size"
    let summary = "The loadable image is no larger than the size limit (64 KiB unless the manifest or --size-limit says otherwise)."
    let protects = "Kernels reserve a fixed number of pages for the vDSO (FreeBSD fits it in 2 KiB of its shared page); a silent size jump usually means debug info or a library was linked in."

    func check(_ c: CheckContext) -> [Finding] {
        let limit = c.expectations.sizeLimit
        let mapped = c.image.segments(ofType: PT.load).map(\.memoryEnd).max() ?? 0
        // What the kernel maps: the loadable contents (a debug image's DWARF does not count).
        let size = mapped > 0 ? mapped : c.image.fileSize
        if size > limit {
            return [error("the image maps \(size) bytes, over the \(limit)-byte limit: look for a library, a table or debug data pulled into an allocated section, or raise size-limit in the manifest")]
        }
        return []
    }
}
