import Foundation
import Testing
import VDSOKit

/// The folders of VDSOKit are pipeline stages, and each uses only the stages below it: reading
/// (ELF), the model and context a rule sees (Check), the rules (Rules), the renderers (Report),
/// the emitters (Emit), ..., the manifest, the toolchain, and the sessions the CLI drives. A type
/// used by a folder below the one declaring it is a cycle in the tree's design; this test finds it.
@Suite("Layering")
struct LayeringTests {
    /// Bottom to top: a folder may name types of the folders before it only.
    static let stages = ["Support", "ELF", "Check", "Rules", "Report", "Emit", "Inspect", "Install", "Manifest",
                         "Toolchain", "Session"]

    static func swiftFiles(under dir: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: dir)
        var out: [String] = []
        while let f = e?.nextObject() as? String { if f.hasSuffix(".swift") { out.append(dir + "/" + f) } }
        return out.sorted()
    }

    @Test("every stage folder exists, and no file names a type declared in a stage above its own")
    func oneWay() throws {
        let root = TestSupport.path("Sources/VDSOKit")
        let folders = try FileManager.default.contentsOfDirectory(atPath: root).filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/.") }
        #expect(Set(folders) == Set(Self.stages), "stages: \(folders.sorted())")
        let declaration = try Regex(#"(?m)^(?:public |final |indirect )*(?:struct|enum|class|protocol|typealias)\s+([A-Z]\w+)"#)
        var owner: [String: Int] = [:], texts: [(stage: Int, file: String, text: String)] = []
        for (i, stage) in Self.stages.enumerated() {
            for file in Self.swiftFiles(under: root + "/" + stage) {
                let text = try FileIO.readText(file)
                texts.append((i, file, text))
                for m in text.matches(of: declaration) { owner[String(m.output[1].substring ?? "")] = i }
            }
        }
        #expect(owner.count > 100, "declarations found: \(owner.count)")
        let word = try Regex(#"\b[A-Z]\w+\b"#)
        var upward: [String] = []
        for (stage, file, text) in texts {
            let code = text.split(separator: "\n").map { $0.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }.joined(separator: "\n")
            for name in Set(code.matches(of: word).map { String(code[$0.range]) }) {
                if let o = owner[name], o > stage {
                    upward.append("\(file.dropFirst(root.count + 1)) (\(Self.stages[stage])) uses \(name) (\(Self.stages[o]))")
                }
            }
        }
        #expect(upward.isEmpty, "\(upward.sorted().joined(separator: "\n"))")
    }

    @Test("the library holds no command-line parsing")
    func noCLIInLibrary() throws {
        for file in Self.swiftFiles(under: TestSupport.path("Sources/VDSOKit")) {
            let text = try FileIO.readText(file)
            #expect(!text.contains("import ArgumentParser") && !text.contains("CommandLine.arguments"), "\(file)")
        }
    }
}
