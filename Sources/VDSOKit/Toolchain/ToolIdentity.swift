#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CPlatform
import CLibELF

/// Who made a build output, for the build cache. A step's key includes the identity of every
/// program that produced its outputs, so a new vdsogen (whose emitters may write a different
/// header) or a new clang or ld.lld installed at the same path rebuilds, rather than leaving
/// outputs behind that the tools now in use would not have made. (Kbuild does the same with
/// CONFIG_CC_VERSION_TEXT.)
enum ToolIdentity {
    /// vdsogen's version and its executable's GNU build-id, read from the program headers the
    /// kernel mapped (AT_PHDR), so nothing is read from disk; an executable linked without a
    /// build-id is identified by a hash of its bytes instead.
    static let vdsogen: String = {
        if let id = ownBuildID() { return "vdsogen \(VDSOGenVersion.string) build-id \(hexBytes(id))" }
        var h = ContentHash()
        let path = (try? FileIO.readLink("/proc/self/exe")) ?? "/proc/self/exe"
        if !h.addFile(path) { h.add("unreadable executable") }
        return "vdsogen \(VDSOGenVersion.string) executable \(h.hex)"
    }()

    /// A hash of what each tool's `--version` prints (LLVM tools name their release and, for a
    /// vendor build, the source revision), asked in parallel on every build, as Kbuild asks
    /// `$(CC) --version` on every make: nothing cheaper is right through wrapper scripts, ccache
    /// symbolic links or a shared libLLVM upgraded beside an unchanged driver. A tool that cannot
    /// answer stands for itself by path and exit status.
    static func versions(of tools: [String], logDirectory: String) -> [String] {
        let asked = (try? Subprocess.run(tools.map { Command([$0, "--version"]) }, jobs: tools.count,
                                         logDirectory: logDirectory)) ?? []
        return tools.indices.map { i in
            var h = ContentHash()
            if i < asked.count {
                h.add("status \(asked[i].status)")
                h.add(asked[i].output)
            } else {
                h.add("\(tools[i]): could not be started")
            }
            return h.hex
        }
    }

    /// The GNU build-id note of the running executable, found through its program headers.
    static func ownBuildID() -> [UInt8]? {
        guard MemoryLayout<UInt>.size == 8 else { return nil }  // the table is Elf64_Phdr below
        let count = Int(getauxval(UInt(AT_PHNUM)))
        guard count > 0, count < 0x1_0000, let start = UnsafeRawPointer(bitPattern: UInt(getauxval(UInt(AT_PHDR)))) else {
            return nil
        }
        let table = UnsafeBufferPointer(start: start.assumingMemoryBound(to: Elf64_Phdr.self), count: count)
        // The load bias: where PT_PHDR says the table is, against where the kernel put it.
        guard let phdr = table.first(where: { $0.p_type == PT.phdr }) else { return nil }
        let bias = UInt(bitPattern: start) &- UInt(phdr.p_vaddr)
        for note in table where note.p_type == PT.note {
            guard let at = UnsafeRawPointer(bitPattern: bias &+ UInt(note.p_vaddr)) else { continue }
            let bytes = [UInt8](UnsafeRawBufferPointer(start: at, count: Int(min(note.p_memsz, 1 << 20))))
            var defects: [String] = []
            let notes = NoteParser.parse(ByteView(bytes, littleEndian: littleEndianHost), offset: 0,
                                         size: UInt64(bytes.count), location: "PT_NOTE", defects: &defects)
            if let id = notes.first(where: { $0.owner == "GNU" && $0.type == NT.gnuBuildID })?.descriptor, !id.isEmpty {
                return id
            }
        }
        return nil
    }

    private static var littleEndianHost: Bool { UInt16(littleEndian: 1) == 1 }
}
