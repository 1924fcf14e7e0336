/// `image-size`: the image fits the space reserved for it.
struct ImageSizeRule: Rule {
    let id = "image-size"
    let summary = "The loadable image is no larger than the size limit (64 KiB unless the manifest or --size-limit says otherwise)."
    let protects = "Kernels reserve a fixed number of pages for the vDSO (FreeBSD fits it in 2 KiB of its shared page); a silent size jump usually means debug info or a library was linked in."

    func check(_ c: CheckContext) -> [Finding] {
        let limit = c.expectations.sizeLimit
        // What the kernel maps: the loadable contents (a debug image's DWARF does not count).
        let size = Self.mappedSize(c.image) ?? c.image.fileSize
        if size > limit {
            return [error("the image maps \(size) bytes, over the \(limit)-byte limit: look for a library, a table or debug data pulled into an allocated section, or raise size-limit in the manifest")]
        }
        return []
    }

    /// The bytes the image spans in memory: from where its file starts (the lowest PT_LOAD's
    /// address less its file offset; images linked at 0xffffffffff700000, as gVisor's and
    /// User-mode Linux's are, or at 0xffffe000, as the old i386 page was, start high) to the
    /// end of the highest PT_LOAD. Nil when no PT_LOAD maps anything.
    static func mappedSize(_ image: ELFImage) -> UInt64? {
        let loads = image.segments(ofType: PT.load).filter { $0.memsz > 0 }
        guard let lowest = loads.min(by: { $0.vaddr < $1.vaddr }), let end = loads.map(\.memoryEnd).max() else { return nil }
        let start = lowest.vaddr - min(lowest.offset, lowest.vaddr)
        return end - start
    }
}
