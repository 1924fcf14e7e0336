/// Source locations of findings.
///
/// Rules cite a source line in their message as `at FILE:LINE` (`SourceLocation.phrase`), right
/// after the symbol or variable it belongs to. This extension recovers the first such citation,
/// so renderers (SARIF, editors) can point at the line without every rule carrying a second,
/// structured copy of it.
extension Finding {
    /// The first `at FILE:LINE` the message cites, if any.
    public var sourceLocation: SourceLocation? {
        let words = message.split(separator: " ", omittingEmptySubsequences: true)
        var i = 0
        while i + 1 < words.count {
            defer { i += 1 }
            guard words[i] == "at" || words[i] == "(at" else { continue }
            var token = words[i + 1]
            while let last = token.last, ",;:)".contains(last) { token = token.dropLast() }
            guard let colon = token.lastIndex(of: ":") else { continue }
            let file = token[..<colon], digits = token[token.index(after: colon)...]
            guard !file.isEmpty, !file.hasPrefix("0x"), !digits.isEmpty, digits.allSatisfy(\.isNumber),
                  let line = Int(digits), line > 0 else { continue }
            return SourceLocation(file: String(file), line: line)
        }
        return nil
    }
}
