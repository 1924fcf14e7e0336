/// The body of a C byte array in the layout another tool writes, so that a file vdsogen emits in
/// that tool's format reads like the tool's own: `perLine` bytes to a line, each line starting with
/// `linePrefix`, each byte as `before` + `0xNN` + `after`.
enum CByteArrayText {
    static func hex(_ bytes: [UInt8], perLine: Int, linePrefix: String, before: String, after: String,
                    upperCase: Bool) -> String {
        let digits = Array(upperCase ? "0123456789ABCDEF" : "0123456789abcdef")
        var out = ""
        out.reserveCapacity(bytes.count * (4 + before.count + after.count) + bytes.count / perLine * (linePrefix.count + 1))
        for (i, b) in bytes.enumerated() {
            if i % perLine == 0 { out += "\n" + linePrefix }
            out += before + "0x"
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
            out += after
        }
        return out
    }
}
