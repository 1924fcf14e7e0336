import Foundation
import Testing
import VDSOKit

/// Replays every fuzz finding (Tests/fuzz/regressions) and the minimised corpus (Tests/fuzz/corpus)
/// through the fuzz target's own function, `fuzzOne`: the plain build of `vdsogen-fuzz` is a replay
/// program that runs each file through it (reader, every rule in both profiles, the loader's view
/// and its lookups, inspect, the reports and the emitters). A thrown VDSOError is a valid outcome;
/// a crash (a signal) or a hang (SIGALRM after 5 s on one input, VDSOGEN_REPLAY_LIMIT) fails the
/// test and names the input. A stripped image NAME with NAME.dbg beside it is also replayed as the
/// pair that `check --debug`, inspect and emit see (MutantExercise). Running in a child process
/// keeps a crash from taking the test runner down with it.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// The replay build of the fuzz target, next to vdsogen.
    static var replayer: String {
        Path.join(Path.directory(of: TestSupport.vdsogen), "vdsogen-fuzz")
    }

    static func files(_ dir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.path(dir))) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { TestSupport.path(dir) + "/" + $0 }
    }

    /// Runs the replayer over `inputs` with a time limit; returns the status (128+N for signal N)
    /// and the output.
    static func replay(_ inputs: [String], seconds: Int) throws -> (status: Int32, output: String) {
        try TestSupport.run(["/usr/bin/timeout", "-s", "KILL", "\(seconds)", replayer] + inputs,
                            environment: ["SWIFT_BACKTRACE": "enable=no"])
    }

    /// The input the replayer was on when it stopped.
    static func lastInput(_ output: String) -> String {
        output.split(separator: "\n").last { $0.hasPrefix("RUN ") }.map(String.init) ?? "(none)"
    }

    @Test("the replay build of vdsogen-fuzz exists")
    func replayerExists() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.replayer), "build it with swift build (it is part of the package)")
    }

    @Test("every regression and corpus input runs through the fuzz target without a crash or a hang")
    func replayAll() throws {
        let inputs = Self.files("Tests/fuzz/regressions") + Self.files("Tests/fuzz/corpus")
        #expect(!inputs.isEmpty)
        let r = try Self.replay(inputs, seconds: 600)
        #expect(r.status == 0, "vdsogen-fuzz stopped with status \(r.status) at \(Self.lastInput(r.output)):\n\(r.output.suffix(3000))")
        #expect(r.output.contains("replayed \(inputs.count) inputs"))
    }
}
