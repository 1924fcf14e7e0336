import Foundation
import Testing
import VDSOKit

/// `vdsogen inspect`: the dump as data, text and JSON.
@Suite("inspect")
struct InspectTests {
    let dir = TestSupport.fixtures

    @Test("the good fixture: exports with versions and lines, notes, consumers")
    func data() throws {
        let i = Inspection(image: try ELFReader.read(path: dir + "/good.so"), debug: try ELFReader.read(path: dir + "/good.so.dbg"))
        #expect(i.machine == "x86_64" && i.elfClass == 64)
        #expect(i.exports.count == 10)
        let cg = try #require(i.exports.first { $0.name == "__vdso_clock_gettime" })
        #expect(cg.version == "LINUX_2.6" && cg.type == "FUNC" && cg.size > 0)
        #expect(cg.location?.file == "vdso.c")
        #expect(i.buildID?.count == 40)
        #expect(i.linuxVersion == "6.18.0")
        #expect(i.dataPageABI == "Linux (linux-vdso.so.1, LINUX_2.6)")
        #expect(i.properties.claims == "nothing")
        #expect(i.consumers.allFound)
        #expect(i.dwarfVersions == [5])
    }

    @Test("GNU properties and data-page symbols")
    func notesAndData() throws {
        let ibt = Inspection(image: try ELFReader.read(path: dir + "/cet-ibt.so"))
        #expect(ibt.properties.claimsIBT && ibt.text().contains("claims IBT"))
        let out = TestSupport.temporaryDirectory("inspect-default")
        let b = try TestSupport.run([TestSupport.vdsogen, "build", TestSupport.path("kernel-vdso/arch/x86_64/vdso.toml"), "-o", out, "-q"])
        try #require(b.status == 0, "\(b.output)")
        let i = Inspection(image: try ELFReader.read(path: out + "/vdso.so"), debug: try ELFReader.read(path: out + "/vdso.so.dbg"))
        #expect(i.dataSymbols.contains { $0.name == "vdso_time_data" && $0.offset < 0 })
        #expect(i.dataPageABI == "vdsogen-1" && i.text().contains("  data-page ABI: vdsogen-1\n"))
    }

    @Test("vdsogen inspect: text and JSON; exit 2 for a missing file")
    func commandLine() throws {
        let t = try TestSupport.run([TestSupport.vdsogen, "inspect", dir + "/good.so", "--debug", dir + "/good.so.dbg"])
        #expect(t.status == 0)
        for heading in ["Segments:", "Sections:", "Exported symbols:", "Notes:", "Data-page symbols", "Consumer lookups:"] {
            #expect(t.output.contains(heading))
        }
        #expect(t.output.contains("__vdso_getcpu@LINUX_2.6"))
        let j = try TestSupport.run([TestSupport.vdsogen, "inspect", dir + "/good.so", "--format", "json"])
        #expect(j.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(j.output.utf8)) as? [String: Any])
        #expect(Set(root.keys) == ["image", "class", "machine", "segments", "sections", "exports", "notes", "data_symbols", "consumers"])
        let missing = try TestSupport.run([TestSupport.vdsogen, "inspect", dir + "/no-such.so"])
        #expect(missing.status == 2 && missing.output.contains("no-such.so"))
    }
}
