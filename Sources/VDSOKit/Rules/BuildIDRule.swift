/// `build-id`: a GNU build-id, the same in the image and its debug twin.
struct BuildIDRule: Rule {
    let id = "build-id"
    let summary = "An NT_GNU_BUILD_ID note is present (SHA-1 sized), identical in the image and in --debug."
    let protects = "gdb, perf and crash tools find the vDSO's debug file by build-id; a short or mismatched id points them at the wrong symbols."

    func check(_ c: CheckContext) -> [Finding] {
        guard let id = c.image.buildID else {
            return [error("no NT_GNU_BUILD_ID note: debuggers cannot find the debug image; link with --build-id=sha1 and keep .note* in a PT_NOTE")]
        }
        var out: [Finding] = []
        if id.isEmpty {
            out.append(error("the build-id note is empty: link with --build-id=sha1"))
        } else if id.count < 16 {
            out.append(warning("the build-id is \(id.count) bytes: lld's default fast hash is rejected by rpm and collides more easily; link with --build-id=sha1"))
        }
        if let reach = reachability(c) { out.append(reach) }
        if let debug = c.debug {
            if let did = debug.buildID {
                if did != id {
                    out.append(error("build-id \(hexBytes(id)) differs from the debug image's \(hexBytes(did)) (\(debug.path)): the debug file belongs to another build"))
                }
            } else {
                out.append(error("the debug image \(debug.path) has no build-id: it cannot be matched with this image"))
            }
        }
        return out
    }

    /// Whether a tool that reads the mapped image finds the build-id: it walks the PT_NOTE
    /// segments, each with its own p_align, and never looks at section headers.
    private func reachability(_ c: CheckContext) -> Finding? {
        let img = c.image
        let isBuildID = { (n: Note) in n.owner == "GNU" && n.type == NT.gnuBuildID }
        guard !img.sections.isEmpty, !img.segmentNotes.contains(where: isBuildID),
              let note = img.notes.first(where: isBuildID) else { return nil }
        let notes = img.segments(ofType: PT.note)
        if let stop = img.segmentNoteDefects.first,
           notes.contains(where: { note.offset >= $0.offset && note.offset - $0.offset < $0.filesz }) {
            // Linux has shipped this: a 4-byte-format note after an 8-aligned property note.
            return strictError("the build-id note (\(note.location)) is in a PT_NOTE whose walk stops before it: \(stop): tools that walk the segment (eu-readelf, perf, libdwfl) find no build-id: put 8-aligned notes (.note.gnu.property) and 4-aligned ones in separate PT_NOTE segments, or discard .note.gnu.property", c)
        }
        // gVisor ships its images without a PT_NOTE.
        return strictError("the build-id note (\(note.location), offset 0x\(hex(note.offset))) lies outside every PT_NOTE: tools that read the mapped vDSO (perf, gdb, libdwfl) never see it; assign the note sections to the PT_NOTE segment (:text :note)", c)
    }
}

func hexBytes(_ bytes: [UInt8]) -> String {
    bytes.map { let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
}
