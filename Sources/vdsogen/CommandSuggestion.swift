/// What the root command line names that is not a command: `vdsogen bulid`, `vdsogen help nosuch`.
/// swift-argument-parser reports the first as an unexpected argument with no hint and answers the
/// second with the general help and exit 0; both are usage errors naming the nearest command.
enum CommandSuggestion {
    /// The one-line message for `arguments` (without the program name), or nil when they start
    /// with an option, a known command, or `help` followed by a known command.
    static func problem(_ arguments: [String], commands: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        if first == "help" {
            guard arguments.count >= 2, !arguments[1].hasPrefix("-"), !commands.contains(arguments[1]) else { return nil }
            return "vdsogen: help: there is no command '\(arguments[1])'\(hint(arguments[1], commands)) (commands: "
                + commands.joined(separator: ", ") + ")"
        }
        guard !commands.contains(first) else { return nil }
        return "vdsogen: unknown command '\(first)'\(hint(first, commands)) (commands: " + commands.joined(separator: ", ") + ")"
    }

    /// ": did you mean 'build'?" for the nearest command within two edits (or one it starts), else "".
    static func hint(_ word: String, _ commands: [String]) -> String {
        let scored = commands.map { (name: $0, distance: distance(word, $0)) }.filter { $0.distance <= 2 }
        if let best = scored.min(by: { $0.distance < $1.distance }) { return ": did you mean '\(best.name)'?" }
        if word.count >= 2, let prefixed = commands.first(where: { $0.hasPrefix(word) }) { return ": did you mean '\(prefixed)'?" }
        return ""
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}
