import Testing
@testable import VDSOKit

/// The data area the emitters describe (`VDSO_DATA_AREA_OFFSET/SIZE`): what it spans, and that
/// odd or hostile symbol tables neither shrink it silently nor stretch it nor trap.
@Suite("Data area")
struct DataAreaTests {
    /// The default x86-64 debug image's bytes (built once by BuildAndEmitTests).
    static var debugBytes: [UInt8] { get throws { try FileIO.read(BuildAndEmitTests.built.request.debugImagePath) } }

    /// `bytes` with the 8-byte little-endian `value` at `offset`.
    static func patched(_ bytes: [UInt8], at offset: Int, _ value: UInt64, width: Int = 8) -> [UInt8] {
        var b = bytes
        for i in 0..<width { b[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        return b
    }

    /// File offset of the `.symtab` entry named `name`.
    static func symtabEntry(_ image: ELFImage, _ name: String) throws -> Int {
        let symtab = try #require(image.section(named: ".symtab"))
        let sym = try #require(image.symbols.first { $0.name == name })
        return Int(symtab.offset) + sym.index * Int(image.header.symbolEntrySize)
    }

    static func layout(_ bytes: [UInt8], extra: [String] = []) throws -> ImageLayout {
        let image = try ELFReader.parse(bytes, path: "patched.so")
        return try ImageLayout.gather(image: image, debug: image, dataSymbol: nil, extraSymbols: extra)
    }

    @Test("the default image: rng page and time page, 2 pages below the image")
    func defaultImage() throws {
        let l = try Self.layout(try Self.debugBytes)
        #expect(l.dataAreaOffset == -0x2000 && l.dataOffset == -0x1000)
    }

    @Test("a data symbol the linker made absolute still counts when the manifest names it")
    func absoluteExtraSymbol() throws {
        let bytes = try Self.debugBytes
        let entry = try Self.symtabEntry(try ELFReader.parse(bytes, path: "x"), "vdso_rng_data")
        let absolute = Self.patched(bytes, at: entry + 6, UInt64(SHN.abs), width: 2)
        // Section-relative symbols outside the image are data; an absolute one is only if named.
        #expect(try Self.layout(absolute).dataAreaOffset == -0x1000)
        #expect(try Self.layout(absolute, extra: ["vdso_rng_data"]).dataAreaOffset == -0x2000)
    }

    @Test("a symbol far below the image is refused, not turned into a 256 MiB data area")
    func farSymbolRefused() throws {
        let bytes = try Self.debugBytes
        let entry = try Self.symtabEntry(try ELFReader.parse(bytes, path: "x"), "vdso_rng_data")
        let far = Self.patched(bytes, at: entry + 8, UInt64(bitPattern: -0x1000_0000))
        do {
            _ = try Self.layout(far)
            Issue.record("a 256 MiB data area was accepted")
        } catch {
            #expect("\(error)".contains("data area below the image would be 268435456 bytes (down to vdso_rng_data at -0x10000000)"), "\(error)")
        }
    }

    @Test("a PT_LOAD ending past 2^64 traps neither emit's layout nor inspect")
    func loadPastAddressSpace() throws {
        let bytes = try Self.debugBytes
        let image = try ELFReader.parse(bytes, path: "x")
        let load = try #require(image.segments.first { $0.type == PT.load })
        let phdr = Int(image.header.phoff) + load.index * Int(image.header.programHeaderSize)
        // p_vaddr 0x1000, p_memsz 2^64 - 1: vaddr + memsz overflows.
        let hostile = Self.patched(Self.patched(bytes, at: phdr + 16, 0x1000), at: phdr + 40, UInt64.max)
        let parsed = try ELFReader.parse(hostile, path: "hostile.so")
        // Every symbol now lies inside the (absurd) load: no data symbol, no area; and no trap.
        let area = DataArea(image: parsed, symbols: parsed.symbols, knownNames: [], pageSize: 4096)
        #expect(area.start == nil)
        _ = Inspection(image: parsed, debug: parsed)
    }
}
