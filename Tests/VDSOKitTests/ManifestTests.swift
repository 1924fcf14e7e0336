import Foundation
import Testing

@testable import VDSOKit

@Suite("Manifests")
struct ManifestTests {
    /// A manifest that loads, to break one line at a time. Line numbers below refer to it.
    static let good = """
        arch = "x86_64"
        linker-script = "x.lds"
        sources = ["a.c", "b.S"]
        size-limit = 8192

        [[version]]
        name = "LINUX_2.6"
        symbols = ["__vdso_time", "__vdso_getcpu"]
        aliases = { time = "__vdso_time", getcpu = "__vdso_getcpu" }

        [check]
        profile = "linux"
        """

    /// The error `text` gives, as the user sees it ("m.toml:L:C: message").
    static func error(_ text: String) -> String {
        do {
            _ = try Manifest.parse(text, path: "m.toml")
            return "loaded"
        } catch {
            return error.description
        }
    }

    /// `good` with line `n` (1-based) replaced by `line`.
    static func replacing(_ n: Int, with line: String) -> String {
        var lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[n - 1] = line
        return lines.joined(separator: "\n")
    }

    @Test("the base manifest loads: nodes, aliases, [check]")
    func base() throws {
        let m = try Manifest.parse(Self.good, path: "/m/m.toml")
        #expect(m.sources == ["/m/a.c", "/m/b.S"] && m.linkerScript == "/m/x.lds" && m.sizeLimit == 8192)
        #expect(
            m.versions == [
                VersionNodeSpec(
                    name: "LINUX_2.6", symbols: ["__vdso_time", "__vdso_getcpu"],
                    aliases: [("time", "__vdso_time"), ("getcpu", "__vdso_getcpu")])
            ])
        #expect(m.check.profile == .linux)
    }

    @Test("every default manifest loads, and checks its own image")
    func defaultManifests() throws {
        for arch in ArchABI.all.map(\.name) {
            let m = try Manifest.load(TestSupport.path("kernel-vdso/arch/\(arch)/vdso.toml"))
            #expect(m.arch.name == arch)
            #expect(m.sources.allSatisfy { $0.hasPrefix("/") && FileIO.exists($0) }, "\(arch)")
            #expect(FileIO.exists(m.linkerScript))
            #expect(!m.versions.isEmpty && m.versions.allSatisfy { !$0.exportedNames.isEmpty }, "\(arch)")
        }
        let m = try Manifest.load(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"))
        #expect(m.soname == "linux-vdso.so.1")
        #expect(m.versions.first?.name == "LINUX_2.6")
        #expect(Set(m.expectations.requiredSymbols) == Set(ArchABI.x86_64.expectations.requiredSymbols).union(["__vdso_getrandom", "getrandom"]))
        #expect(m.versionScript.contains("LINUX_2.6 {"))
        #expect(m.versionScript.contains("local: *;"))
    }

    @Test("an unknown key is an error at its line and column, at every level")
    func unknownKeys() {
        #expect(
            Self.error(Self.replacing(4, with: "size-limt = 8192"))
                == "m.toml:4:1: unknown key 'size-limt' at the top level (known: arch, soname, linker-script, sources, include-dirs, "
                + "cflags, ldflags, data-symbol, extra-symbols, size-limit, prefix, source-root, version, check); did you mean 'size-limit'?")
        #expect(
            Self.error(Self.replacing(8, with: "symbolz = [\"__vdso_time\"]"))
                == "m.toml:8:1: unknown key 'symbolz' in [[version]] (known: name, symbols, aliases); did you mean 'symbols'?")
        #expect(
            Self.error(Self.replacing(12, with: "  skipp = [\"dwarf\"]"))
                == "m.toml:12:3: unknown key 'skipp' in [check] (known: profile, skip, werror); did you mean 'skip'?")
        #expect(
            Self.error(Self.replacing(11, with: "[chek]"))
                == "m.toml:11:2: unknown key 'chek' at the top level (known: arch, soname, linker-script, sources, include-dirs, "
                + "cflags, ldflags, data-symbol, extra-symbols, size-limit, prefix, source-root, version, check); did you mean 'check'?")
        // A dotted key names the table it goes into: the unknown part is the error's column.
        #expect(
            Self.error(Self.replacing(5, with: "check.colour = true").replacingOccurrences(of: "[check]\nprofile = \"linux\"", with: ""))
                .hasPrefix("m.toml:5:7: unknown key 'colour' in [check]"))
        #expect(
            Self.error(Self.replacing(5, with: "version.x = 1"))
                == "m.toml:6:3: [[version]]: version is already a table (at 5:1), not an array of tables")
    }

    @Test("a value of the wrong type is an error at the value, saying what to write")
    func wrongTypes() {
        #expect(
            Self.error(Self.replacing(1, with: "arch = 64"))
                == "m.toml:1:8: arch must be a string (arch = \"x86_64\"), not an integer")
        #expect(
            Self.error(Self.replacing(3, with: "sources = \"a.c\""))
                == "m.toml:3:11: sources must be an array of strings (sources = [\"vdso.c\"]), not a string")
        #expect(
            Self.error(Self.replacing(3, with: "sources = [\"a.c\", 7]"))
                == "m.toml:3:19: sources[1] must be a string (sources = [\"vdso.c\"]), not an integer")
        #expect(
            Self.error(Self.replacing(4, with: "size-limit = \"8k\""))
                == "m.toml:4:14: size-limit must be an integer (size-limit = 65536), not a string")
        #expect(Self.error(Self.replacing(4, with: "size-limit = 0")) == "m.toml:4:14: size-limit must be a positive number of bytes, not 0")
        #expect(
            Self.error(Self.replacing(7, with: "name = [\"LINUX_2.6\"]"))
                == "m.toml:7:8: version.name must be a string (name = \"LINUX_2.6\"), not an array")
        #expect(
            Self.error(Self.replacing(12, with: "werror = \"yes\""))
                == "m.toml:12:10: check.werror must be true or false (werror = true), not a string")
        #expect(Self.error(Self.replacing(12, with: "profile = \"lenient\"")).hasPrefix("m.toml:12:11: unknown check.profile \"lenient\""))
        #expect(Self.error(Self.replacing(12, with: "skip = [\"dwarf\", \"stack-usge\"]")).hasPrefix("m.toml:12:18: check.skip: unknown rule \"stack-usge\""))
        #expect(Self.error(Self.replacing(1, with: "arch = \"vax\"")).hasPrefix("m.toml:1:8: unknown arch \"vax\""))
        #expect(
            Self.error(Self.replacing(6, with: "[version]"))
                == "m.toml:6:1: version must be an array of tables: write each as a [[version]] header followed by its keys, not a table")
        let noCheck = Self.good.replacingOccurrences(of: "[check]\nprofile = \"linux\"", with: "")
        #expect(
            Self.error(noCheck.replacingOccurrences(of: "size-limit = 8192", with: "check = 1"))
                == "m.toml:4:9: check must be a table (check = { profile = \"linux\" }), not an integer")
    }

    @Test("an alias must name its target as a string, at the alias's value")
    func aliasTypes() {
        #expect(
            Self.error(Self.replacing(9, with: "aliases = { time = \"__vdso_time\", getcpu = 3 }"))
                == "m.toml:9:44: alias 'getcpu' of LINUX_2.6 must name its target as a string (getcpu = \"__vdso_getcpu\"), not an integer")
        #expect(Self.error(Self.replacing(9, with: "aliases = { time = [\"__vdso_time\"] }")).hasPrefix("m.toml:9:20: alias 'time' of LINUX_2.6"))
        #expect(
            Self.error(Self.replacing(9, with: "aliases = [\"time\"]"))
                == "m.toml:9:11: version.aliases must be a table (aliases = { time = \"__vdso_time\" }), not an array")
    }

    @Test("a key defined twice is an error at the second, naming the first")
    func duplicates() {
        #expect(
            Self.error(Self.replacing(2, with: "arch = \"i386\""))
                == "m.toml:2:1: arch is defined twice (first at 1:1): keep one")
        #expect(Self.error(Self.replacing(8, with: "name = \"LINUX_2.6\"")) == "m.toml:8:1: version.name is defined twice (first at 7:1): keep one")
        #expect(
            Self.error(Self.replacing(9, with: "aliases = { time = \"a\", time = \"b\" }"))
                == "m.toml:9:25: time is defined twice (first at 9:13): keep one")
        #expect(Self.error(Self.good + "\n[check]").hasPrefix("m.toml:13:1: table [check] is already defined"))
    }

    @Test("what is missing is an error too: at the file's start, or at the [[version]] that lacks it")
    func missing() {
        #expect(Self.error(Self.replacing(1, with: "")).hasPrefix("m.toml:1:1: arch is required"))
        #expect(Self.error(Self.replacing(3, with: "sources = []")) == "m.toml:3:11: sources must list at least one C or assembly file: sources = [\"vdso.c\"]")
        #expect(Self.error(Self.replacing(7, with: "")).hasPrefix("m.toml:6:1: this [[version]] has no name"))
        #expect(
            Self.error("arch = \"x86_64\"\nlinker-script = \"x.lds\"\nsources = [\"a.c\"]\n").hasPrefix("m.toml:1:1: at least one version node is required"))
    }

    @Test("a file that is not UTF-8 is refused at the bad byte")
    func notUTF8() throws {
        let bytes = Array("arch = \"x86_64\"\nsoname = \"ab".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        do {
            _ = try Manifest.text(of: bytes, path: "m.toml")
            Issue.record("decoded")
        } catch {
            #expect(error.description.hasPrefix("m.toml:2:13: the file is not UTF-8 text"), "\(error)")
        }
        #expect(try Manifest.text(of: Array("a = \"é\"\n".utf8), path: "m.toml") == "a = \"é\"\n")
    }

    @Test("check --manifest with an unknown [[version]] key: exit 2 and the place, not a pass")
    func commandLine() throws {
        let dir = TestSupport.temporaryDirectory("manifest")
        let text = try FileIO.readText(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"))
        try AtomicFile.write(text.replacingOccurrences(of: "\nsymbols = ", with: "\nsymbolz = "), to: dir + "/vdso.toml")
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("symbols = ") }.map { $0 + 1 } ?? 0
        let r = try TestSupport.run([TestSupport.vdsogen, "check", "--manifest", dir + "/vdso.toml", TestSupport.path("out/vdso.so")])
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.contains("\(dir)/vdso.toml:\(line):1: unknown key 'symbolz' in [[version]]"), "\(r.output)")
    }

    @Test("the manifest examples in Docs/manifest.md and vdsogen-manifest(5) are TOML, and the full ones load")
    func documentedExamples() throws {
        var blocks: [String] = []
        let md = try FileIO.readText(TestSupport.path("Docs/manifest.md"))
        for match in md.matches(of: #/```toml\n((?s).*?)```/#) { blocks.append(String(match.output.1)) }
        let man = try FileIO.readText(TestSupport.path("Docs/man/vdsogen-manifest.5"))
        for match in man.matches(of: #/\.Bd -literal -offset indent\n((?s).*?)\.Ed/#)
        where match.output.1.contains("[[version]]") && !match.output.1.contains("vdso.toml:") {
            blocks.append(String(match.output.1))
        }
        #expect(blocks.count == 3, "found \(blocks.count) examples")
        for block in blocks {
            #expect(throws: Never.self, "\(block)") { _ = try TOMLParser.parse(block) }
            if block.contains("arch = ") { #expect(throws: Never.self, "\(block)") { _ = try Manifest.parse(block, path: "/m/m.toml") } }
        }
    }

    @Test("command-line overrides replace or extend manifest fields")
    func overrides() throws {
        let base = try Manifest.load(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"))
        var o = ManifestOverrides()
        o.soname = "other.so.1"
        o.versionNodes = ["V_1:f,g=f"]
        o.cflags = ["-DX=1"]
        o.sizeLimit = 4096
        let m = try o.apply(to: base)
        #expect(m.soname == "other.so.1")
        #expect(m.versions == [VersionNodeSpec(name: "V_1", symbols: ["f"], aliases: [("g", "f")])])
        #expect(m.cflags.last == "-DX=1")
        #expect(m.sizeLimit == 4096)
        #expect(m.sources == base.sources)
    }
}
