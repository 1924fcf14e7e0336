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
}

func hexBytes(_ bytes: [UInt8]) -> String {
    bytes.map { let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
}
