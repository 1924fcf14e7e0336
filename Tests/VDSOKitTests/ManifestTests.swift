import Testing
import VDSOKit

@Suite("Manifests")
struct ManifestTests {
    @Test("the TOML subset: tables, arrays of tables, inline tables, comments, multi-line arrays")
    func toml() throws {
        let doc = try MiniTOML.parse("""
            # comment
            a = "x" # trailing
            n = 0x10_00
            b = true
            list = [
              "one", # first
              'two',
            ]
            [[node]]
            name = "N1"
            map = { k = "v", "quoted key" = "w" }
            [[node]]
            name = "N2"
            """)
        #expect(doc["a"] == .string("x"))
        #expect(doc["n"] == .integer(4096))
        #expect(doc["b"] == .bool(true))
        #expect(doc["list"] == .array([.string("one"), .string("two")]))
        guard case .array(let nodes)? = doc["node"] else { Issue.record("no array of tables"); return }
        #expect(nodes.count == 2)
        #expect(nodes[0]["map"]?["quoted key"] == .string("w"))
        #expect(nodes[1]["name"] == .string("N2"))
    }

    @Test("errors name the line")
    func tomlErrors() {
        for (text, line) in [("a = 1\nb = \"open\n", 2), ("a = 1\na = 2\n", 2), ("x = bare\n", 1)] {
            do {
                _ = try MiniTOML.parse(text)
                Issue.record("parsed: \(text)")
            } catch {
                #expect(error.line == line, "\(text): \(error.message)")
            }
        }
    }

    @Test("the default x86-64 manifest loads, with paths made absolute")
    func defaultManifest() throws {
        let m = try Manifest.load(TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"))
        #expect(m.arch.name == "x86_64")
        #expect(m.soname == "linux-vdso.so.1")
        #expect(m.sources.allSatisfy { $0.hasPrefix("/") && FileIO.exists($0) })
        #expect(FileIO.exists(m.linkerScript))
        #expect(m.versions.first?.name == "LINUX_2.6")
        #expect(Set(m.expectations.requiredSymbols) == Set(ArchABI.x86_64.expectations.requiredSymbols).union(["__vdso_getrandom", "getrandom"]))
        #expect(m.versionScript.contains("LINUX_2.6 {"))
        #expect(m.versionScript.contains("local: *;"))
    }

    @Test("unknown keys and bad values are refused with the manifest's name")
    func badManifest() throws {
        let dir = TestSupport.temporaryDirectory("manifest")
        try AtomicFile.write("arch = \"x86_64\"\nlinker-scrpit = \"x.lds\"\n", to: dir + "/m.toml")
        #expect(throws: VDSOError.self) { try Manifest.load(dir + "/m.toml") }
        try AtomicFile.write("arch = \"sparc\"\n", to: dir + "/m2.toml")
        do { _ = try Manifest.load(dir + "/m2.toml") } catch { #expect(error.description.contains("m2.toml")) }
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
