import Foundation
import Testing
import VDSOKit

/// `examples/ci/github-actions.yml`, followed as a user would in a fresh directory: its `run:`
/// steps after "Build vdsogen" are run with bash, in a copy of the default sources, once as they
/// are and once with a planted defect. What CI uploads must exist and say what is wrong.
@Suite("The CI workflow example")
struct WorkflowExampleTests {
    /// The `env:` values and the `run:` scripts of the steps after `after`, in order (the subset of
    /// YAML the example uses: `KEY: value` under `env:`, `run: cmd` and `run: |` blocks).
    static func steps(after: String) throws -> (env: [String: String], runs: [String]) {
        let lines = try FileIO.readText(TestSupport.path("examples/ci/github-actions.yml")).split(separator: "\n", omittingEmptySubsequences: false)
        var env: [String: String] = [:], runs: [String] = [], started = false, inEnv = false
        var i = 0
        while i < lines.count {
            let line = String(lines[i]), trimmed = line.trimmingCharacters(in: .whitespaces)
            if line == "env:" { inEnv = true } else if !line.hasPrefix(" ") { inEnv = false }
            if inEnv, line.hasPrefix("  "), let colon = trimmed.firstIndex(of: ":") {
                env[String(trimmed[..<colon])] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            if trimmed == "- name: \(after)" { started = true }
            if started, trimmed.hasPrefix("run:") {
                let rest = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)
                if rest == "|" {
                    let indent = line.prefix { $0 == " " }.count + 2
                    var block: [String] = []
                    while i + 1 < lines.count, lines[i + 1].prefix(indent).allSatisfy({ $0 == " " }), !lines[i + 1].isEmpty {
                        i += 1
                        block.append(String(lines[i].dropFirst(indent)))
                    }
                    runs.append(block.joined(separator: "\n"))
                } else {
                    runs.append(rest)
                }
            }
            i += 1
        }
        return (env, runs.dropFirst().map { $0 })  // the first is "Build vdsogen" itself
    }

    /// A fresh directory holding the default sources, `out/bin/vdsogen`, and `plant` applied.
    static func checkout(plant: String?) throws -> String {
        let dir = TestSupport.temporaryDirectory("workflow")
        for sub in ["kernel-vdso", "linker-scripts"] {
            #expect(try TestSupport.run(["/bin/cp", "-R", TestSupport.path(sub), dir + "/" + sub]).status == 0)
        }
        try FileIO.makeDirectories(dir + "/out/bin")
        #expect(try TestSupport.run(["/bin/ln", "-s", TestSupport.vdsogen, dir + "/out/bin/vdsogen"]).status == 0)
        if let plant {
            let file = dir + "/kernel-vdso/arch/x86_64/vgetcpu.c"
            try AtomicFile.write(try FileIO.readText(file) + plant, to: file)
        }
        return dir
    }

    static func runSteps(in dir: String) throws -> (status: Int32, output: String, sarif: [String: Any]?) {
        let (env, runs) = try steps(after: "Build vdsogen")
        #expect(!runs.isEmpty && env["MANIFEST"] != nil)
        var last: (status: Int32, output: String) = (0, "")
        for script in runs {
            last = try TestSupport.run(["/bin/bash", "-e", "-c", script], environment: env, in: dir)
            if last.status != 0 { break }
        }
        let data = FileManager.default.contents(atPath: dir + "/vdso.sarif")
        let sarif = data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return (last.status, last.output, sarif)
    }

    static func results(_ sarif: [String: Any]?) -> [[String: Any]] {
        ((sarif?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
    }

    @Test("as shipped: the build passes and leaves a SARIF log with no results and an absolute SRCROOT")
    func passes() throws {
        let dir = try Self.checkout(plant: nil)
        let r = try Self.runSteps(in: dir)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.sarif != nil && Self.results(r.sarif).isEmpty, "\(r.output)")
        let base = ((r.sarif?["runs"] as? [[String: Any]])?.first?["originalUriBaseIds"] as? [String: Any])?["SRCROOT"] as? [String: Any]
        #expect((base?["uri"] as? String)?.hasPrefix("file:///") == true && (base?["uri"] as? String)?.hasSuffix("/") == true)
    }

    @Test("with a planted writable variable: exit 1, and the SARIF log names the rule and the kept image")
    func rejected() throws {
        let dir = try Self.checkout(plant: "\nint vdsogen_planted_counter = 1;\nint *vdsogen_planted(void) { return &vdsogen_planted_counter; }\n")
        let r = try Self.runSteps(in: dir)
        #expect(r.status == 1, "\(r.output)")
        let results = Self.results(r.sarif)
        #expect(results.contains { ($0["ruleId"] as? String) == "writable-data" }, "\(results)")
        #expect("\(results)".contains("obj/vdso/rejected/vdso.so"), "\(results)")
    }

    @Test("with a pre-link defect (a pointer table): exit 1, and the SARIF log holds it with its rule id")
    func rejectedBeforeLink() throws {
        let dir = try Self.checkout(plant: "\nstatic const int planted_a = 1;\nconst int *const planted_table[1] = { &planted_a };\n")
        let r = try Self.runSteps(in: dir)
        #expect(r.status == 1, "\(r.output)")
        #expect(Self.results(r.sarif).contains { ($0["ruleId"] as? String) == "no-dynamic-relocations" }, "\(r.output)")
    }
}
