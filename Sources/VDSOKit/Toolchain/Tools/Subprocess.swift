#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A command to run: argv[0] is looked up on PATH unless it contains a slash.
public struct Command: Sendable, Equatable {
    public var arguments: [String]

    public init(_ arguments: [String]) { self.arguments = arguments }

    /// The command as a shell would need it typed (for V=1 output and error messages).
    public var shellLine: String {
        arguments.map { a in
            a.isEmpty || a.contains(where: { " \t\"'$\\*?;&|<>()`".contains($0) }) ? "'" + a.replacingAll("'", "'\\''") + "'" : a
        }.joined(separator: " ")
    }
}

/// Runs processes with posix_spawn: no shell, no Foundation, several at once.
public enum Subprocess {
    /// The result of one finished command.
    public struct Result: Sendable {
        public var command: Command
        public var status: Int32
        /// stdout and stderr, interleaved as written.
        public var output: String
    }

    /// Runs `commands` with at most `jobs` at a time; outputs are collected through temporary
    /// files (pipes could fill and deadlock with verbose compilers). Results are in input order.
    public static func run(_ commands: [Command], jobs: Int, logDirectory: String) throws(VDSOError) -> [Result] {
        try FileIO.makeDirectories(logDirectory)
        var results = [Result?](repeating: nil, count: commands.count)
        var running: [pid_t: (Int, String)] = [:]
        var next = 0
        while next < commands.count || !running.isEmpty {
            while next < commands.count && running.count < max(1, jobs) {
                // Unique per process and call: two builds sharing an object directory (or two
                // threads of one process) must not read each other's output.
                let log = Path.join(logDirectory, ".cmd-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))-\(next).log")
                let pid = try spawn(commands[next], outputPath: log)
                running[pid] = (next, log)
                next += 1
            }
            // Wait for our own children only: waitpid(-1) would reap processes other code in
            // this process started (tests run builds concurrently).
            var status: Int32 = 0
            var pid: pid_t = 0
            if running.count == 1 {
                pid = waitpid(running.keys.first!, &status, 0)
            } else {
                for candidate in running.keys {
                    pid = waitpid(candidate, &status, WNOHANG)
                    if pid != 0 { break }
                }
                if pid == 0 {
                    var pause = timespec(tv_sec: 0, tv_nsec: 500_000)
                    nanosleep(&pause, nil)
                    continue
                }
            }
            if pid < 0 {
                if errno == EINTR { continue }
                throw .commandFailed(command: "waitpid", status: 127, output: FileIO.errnoString())
            }
            guard let (index, log) = running.removeValue(forKey: pid) else { continue }
            let output = (try? FileIO.readText(log)) ?? ""
            FileIO.remove(log)
            results[index] = Result(command: commands[index], status: exitStatus(status), output: output)
        }
        return results.map { $0! }
    }

    /// Runs one command and waits for it.
    public static func run(_ command: Command, logDirectory: String) throws(VDSOError) -> Result {
        try run([command], jobs: 1, logDirectory: logDirectory)[0]
    }

    private static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }

    private static func spawn(_ command: Command, outputPath: String) throws(VDSOError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = command.arguments.map { strdup($0) }
        argv.append(nil)
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0]!, &actions, nil, argv, environ)
        if rc != 0 {
            throw .commandFailed(command: command.shellLine, status: 127, output: FileIO.errnoString(rc))
        }
        return pid
    }

    /// The number of CPUs this process may run on.
    public static var cpuCount: Int {
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        let t = Array(target.utf8)
        var i = startIndex
        while i < endIndex {
            var j = i, k = 0
            while k < t.count && j < endIndex && self.utf8[j] == t[k] { j = self.utf8.index(after: j); k += 1 }
            if k == t.count { return i..<j }
            i = index(after: i)
        }
        return nil
    }
}
