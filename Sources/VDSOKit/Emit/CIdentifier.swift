/// C identifier helpers for emitted names.
public enum CIdentifier {
    public static func isValid(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// `s` with every character that cannot appear in a C identifier replaced by `_`.
    public static func sanitize(_ s: String) -> String {
        var out = String(s.unicodeScalars.map { c -> Character in
            c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) ? Character(c) : "_"
        })
        if let f = out.unicodeScalars.first, ("0"..."9").contains(f) { out = "_" + out }
        return out
    }
}
