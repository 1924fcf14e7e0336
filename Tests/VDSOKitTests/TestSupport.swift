import Foundation
import VDSOKit

/// Paths and helpers shared by the tests.
enum TestSupport {
    /// The repository root, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "vdsogen-tests-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs a program and returns its exit status (128+N when signal N killed it, as a shell
    /// reports it) and combined output.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String]? = nil, in directory: String? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: arguments[0].contains("/") ? arguments[0] : (Toolchain.which(arguments[0]) ?? arguments[0]))
        p.arguments = Array(arguments.dropFirst())
        if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return (status, String(decoding: data, as: UTF8.self))
    }

    /// The fixture images (Tests/fixtures/make-images.sh), built once per test process.
    static let fixtures: String = {
        let dir = temporaryDirectory("fixtures")
        let result = try? run(["/bin/sh", path("Tests/fixtures/make-images.sh"), dir])
        precondition(result?.status == 0, "make-images.sh failed:\n\(result?.output ?? "")")
        return dir
    }()

    /// The built vdsogen executable, next to the test bundle.
    static let vdsogen: String = {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("vdsogen").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url.deleteLastPathComponent()
        }
        return root + "/.build/debug/vdsogen"
    }()
}
