import Foundation
import Testing
import VDSOKit

/// What a new user types in the first hour and what they now get: a negative offset as written,
/// a mistyped command named, an empty --name refused, each build finding once, and the README
/// saying what `--help` says.
@Suite("First hour")
struct FirstHourTests {
    @Test("`run --realtime-offset -2h` parses (not only =-2h) and shifts the clock back two hours")
    func negativeOffset() throws {
        let image = TestSupport.path("out/vdso.so")
        try #require(FileIO.exists(image), "run `make` first: \(image)")
        let path = TestSupport.path("out/bin") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let before = Int(Date().timeIntervalSince1970)
        let r = try TestSupport.run([TestSupport.vdsogen, "run", "--image", image, "--realtime-offset", "-2h", "--", "/bin/date", "+%s"],
                                    environment: ["PATH": path])
        #expect(r.status == 0, "\(r.output)")
        let shown = Int(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(abs(shown - (before - 7200)) <= 3, "date +%s printed \(r.output), want about \(before - 7200)")
    }

    @Test("`help nosuch` and a misspelt command exit 2 with one line naming the nearest command")
    func unknownCommands() throws {
        let help = try TestSupport.run([TestSupport.vdsogen, "help", "nosuch"])
        #expect(help.status == 2 && help.output.contains("no command 'nosuch'") && !help.output.contains("OVERVIEW"), "\(help.output)")
        for (typed, meant) in [("bulid", "build"), ("chekc", "check"), ("emti", "emit"), ("insp", "inspect")] {
            let r = try TestSupport.run([TestSupport.vdsogen, typed, "x"])
            #expect(r.status == 2 && r.output.contains("did you mean '\(meant)'?"), "\(typed): \(r.output)")
            #expect(r.output.split(separator: "\n").count == 1, "\(r.output)")
        }
        #expect(try TestSupport.run([TestSupport.vdsogen, "help", "build"]).status == 0)
    }

    @Test("`run --help` prints the help (the passthrough argument does not swallow it)")
    func runHelp() throws {
        let r = try TestSupport.run([TestSupport.vdsogen, "run", "--help"])
        #expect(r.status == 0 && r.output.contains("OVERVIEW") && r.output.contains("--clock-mode"), "\(r.output)")
    }

    @Test("`build --name \"\"` and `--name a/b` are usage errors, and write nothing")
    func emptyName() throws {
        let dir = TestSupport.temporaryDirectory("empty-name")
        for name in ["", "sub/vdso", ".hidden"] {
            let r = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"),
                                         "-o", dir, "--name", name])
            #expect(r.status == 2 && r.output.contains("--name"), "--name '\(name)': \(r.output)")
        }
        #expect(!FileIO.exists(dir + "/.so") && !FileIO.exists(dir + "/obj"))
    }

    @Test("a build finding both images share is printed once")
    func findingOnce() throws {
        let dir = TestSupport.temporaryDirectory("finding-once")
        let r = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"),
                                     "-o", dir, "-q", "--size-limit", "1000"])
        #expect(r.status == 1, "\(r.output)")
        let lines = r.output.split(separator: "\n").filter { $0.contains("error[image-size]") }
        #expect(lines.count == 1, "\(r.output)")
    }

    @Test("README, Docs/run.md and `run --help` name the same --clock-mode values, and the default",
          arguments: ["README.md", "Docs/run.md"])
    func clockModeDocs(_ doc: String) throws {
        let readme = try FileIO.readText(TestSupport.path(doc))
        let synopsis = try #require(readme.firstRange(of: /--clock-mode ([a-z|]+)\]/), "README synopsis lacks --clock-mode")
        let documented = Set(readme[synopsis].dropFirst("--clock-mode ".count).dropLast().split(separator: "|").map(String.init))
        let help = try TestSupport.run([TestSupport.vdsogen, "run", "--help"]).output.replacingOccurrences(of: "\n", with: " ")
        for mode in ["auto", "counter", "none"] {
            #expect(documented.contains(mode), "README's --clock-mode lacks \(mode)")
            #expect(help.contains(mode), "help lacks \(mode)")
        }
        #expect(documented.count == 3)
        #expect(help.contains("auto (default"), "help: \(help)")
        if doc.hasPrefix("Docs/") { #expect(readme.contains("`--clock-mode` is `auto` by default")) }
    }
}

/// `vdsogen run` maps only images the checker accepts as Linux's own would be.
@Suite("run admission")
struct RunAdmissionTests {
    @Test("run refuses an image check --profile linux rejects (exit 1, the errors, --force named); --force maps it")
    func refusesRejected() throws {
        let loader = TestSupport.path("out/bin/vdso-run")
        let env = ["VDSOGEN_LOADER": loader, "PATH": "/usr/bin:/bin"]
        let bad = TestSupport.fixtures + "/exports-absolute.so"
        let refused = try TestSupport.run([TestSupport.vdsogen, "run", "--image", bad, "--", "/bin/true"], environment: env)
        #expect(refused.status == 1 && refused.output.contains("error[exports]") && refused.output.contains("--force"), "\(refused.output)")
        let forced = try TestSupport.run([TestSupport.vdsogen, "run", "--force", "--image", bad, "--", "/bin/true"], environment: env)
        #expect(forced.status == 0, "\(forced.output)")
        let good = try TestSupport.run([TestSupport.vdsogen, "run", "--image", TestSupport.path("out/vdso.so"), "--", "/bin/true"], environment: env)
        #expect(good.status == 0, "\(good.output)")
    }
}
