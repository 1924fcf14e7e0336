/// Content hashing for incremental builds: a step is skipped when the hash of everything it
/// reads (its command line and the bytes of its inputs) matches the one recorded when its
/// outputs were made. Timestamps play no part, so touching a file rebuilds nothing and a
/// checkout in another directory reuses nothing by accident.
struct ContentHash {
    // Two independent FNV-1a lanes (different offset bases and primes): 128 bits of state.
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x6c62_272e_07bb_0142

    mutating func add(_ bytes: [UInt8]) {
        add(UInt64(bytes.count))
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_0193
        }
    }

    mutating func add(_ text: String) { add(Array(text.utf8)) }

    mutating func add(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            let byte = UInt8(truncatingIfNeeded: value >> UInt64(shift))
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_0193
        }
    }

    /// Adds a file's path and contents; false if it cannot be read.
    mutating func addFile(_ path: String) -> Bool {
        guard let bytes = try? FileIO.read(path) else { return false }
        add(path)
        add(bytes)
        return true
    }

    var hex: String {
        func h(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return h(a) + h(b)
    }
}

/// Stamps (`KEY` files) and Make-style dependency files.
enum BuildCache {
    /// The recorded key of a step, if any.
    static func recordedKey(_ stamp: String) -> String? {
        guard let text = try? FileIO.readText(stamp) else { return nil }
        return text.split(separator: "\n").first.map(String.init)
    }

    static func record(_ key: String, _ stamp: String) throws(VDSOError) {
        try AtomicFile.write(key + "\n", to: stamp, durable: false)
    }

    /// The prerequisites of a Make-style dependency file (clang's -MD output): every path after
    /// the first `target:`, with `\`-newlines joined and `\ `-escaped spaces kept.
    static func prerequisites(ofDepfile path: String) -> [String]? {
        guard let text = try? FileIO.readText(path) else { return nil }
        guard let colon = Substring(text).range(of: ": ") else { return [] }
        var result: [String] = []
        var current = ""
        var chars = text[colon.upperBound...].makeIterator()
        while let c = chars.next() {
            if c == "\\" {
                guard let n = chars.next() else { break }
                if n == "\n" { continue }
                if n == " " { current.append(" "); continue }
                current.append(c); current.append(n)
            } else if c == " " || c == "\n" || c == "\t" {
                if !current.isEmpty { result.append(current); current = "" }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// A Make rule: `targets: prerequisites`, with spaces escaped.
    static func depfile(targets: [String], prerequisites: [String]) -> String {
        func esc(_ p: String) -> String { p.replacingAll(" ", "\\ ") }
        var out = targets.map(esc).joined(separator: " ") + ":"
        for p in prerequisites { out += " \\\n  " + esc(p) }
        return out + "\n"
    }
}
