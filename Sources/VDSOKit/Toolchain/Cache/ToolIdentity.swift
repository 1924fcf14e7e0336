import CLibELF
import CPlatform
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
    /// vendor build, the source revision). Asking costs a process start per tool, too much for a
    /// no-op build, so answers are remembered in `memo` under what would change if the tool did:
    /// the file the path names (device, inode, size, mtime, ctime; symbolic links followed) and,
    /// for clang, the `InstalledDir` its answer names — the directory of the driver that really
    /// runs, whose times change when a package replaces anything in it, so a ccache link or a
    /// wrapper script in front of an upgraded clang is asked again. Tools not remembered, or whose
    /// identity moved, are asked in parallel; only successful answers are remembered. (Still
    /// unseen: a wrapper for ld.lld or objcopy that starts another one; `--force` covers it.)
    static func versions(of tools: [String], memo: String, logDirectory: String) -> [String] {
        var known: [String: (installedDir: String, identity: String, hash: String)] = [:]
        for line in ((try? FileIO.readText(memo)) ?? "").split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if f.count == 4 { known[f[0]] = (f[1], f[2], f[3]) }
        }
        func identity(_ tool: String, _ installedDir: String) -> String? {
            guard let file = fileIdentity(tool) else { return nil }
            return installedDir.isEmpty ? file : file + "|" + (fileIdentity(installedDir) ?? "gone")
        }
        var hashes = tools.map { t in known[t].flatMap { k in identity(t, k.installedDir) == k.identity ? k.hash : nil } }
        let unknown = tools.indices.filter { hashes[$0] == nil }
        guard !unknown.isEmpty else { return hashes.map { $0! } }
        let asked = (try? Subprocess.run(unknown.map { Command([tools[$0], "--version"]) }, jobs: unknown.count,
                                         logDirectory: logDirectory)) ?? []
        for (n, i) in unknown.enumerated() {
            var h = ContentHash()
            guard n < asked.count else {
                h.add("\(tools[i]): could not be started")
                hashes[i] = h.hex
                continue
            }
            h.add("status \(asked[n].status)")
            h.add(asked[n].output)
            hashes[i] = h.hex
            let dir = asked[n].output.split(separator: "\n").first { $0.hasPrefix("InstalledDir: ") }
                .map { String($0.dropFirst("InstalledDir: ".count)) } ?? ""
            if asked[n].status == 0, let id = identity(tools[i], dir) { known[tools[i]] = (dir, id, h.hex) }
        }
        let text = known.keys.sorted().map { t in
            let k = known[t]!
            return "\(t)\t\(k.installedDir)\t\(k.identity)\t\(k.hash)\n"
        }.joined()
        try? AtomicFile.write(text, to: memo, durable: false)
        return hashes.map { $0! }
    }

    /// `dev:ino:size:mtime:ctime` of the file or directory a path names (links followed), or nil.
    static func fileIdentity(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return "\(st.st_dev):\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)"
    }

    /// The GNU build-id note of the running executable, found through its program headers.
    static func ownBuildID() -> [UInt8]? {
        guard MemoryLayout<UInt>.size == 8 else { return nil }  // the table is Elf64_Phdr below
        let count = Int(getauxval(UInt(AT_PHNUM)))
        guard count > 0, count < 0x1_0000, let start = UnsafeRawPointer(bitPattern: UInt(getauxval(UInt(AT_PHDR)))) else {
            return nil
        }
        let table = UnsafeBufferPointer(start: start.assumingMemoryBound(to: Elf64_Phdr.self), count: count)
        // The load bias: where PT_PHDR says the table is, against where the kernel put it. A
        // static, non-PIE executable (what `make tool` links) has no PT_PHDR and is never moved.
        let bias = table.first(where: { $0.p_type == PT.phdr }).map { UInt(bitPattern: start) &- UInt($0.p_vaddr) } ?? 0
        for note in table where note.p_type == PT.note {
            guard let at = UnsafeRawPointer(bitPattern: bias &+ UInt(note.p_vaddr)) else { continue }
            let bytes = [UInt8](UnsafeRawBufferPointer(start: at, count: Int(min(note.p_memsz, 1 << 20))))
            var defects: [String] = []
            let notes = NoteParser.parse(ByteView(bytes, littleEndian: littleEndianHost), offset: 0,
                                         size: UInt64(bytes.count), alignment: UInt64(note.p_align), location: "PT_NOTE", defects: &defects)
            if let id = notes.first(where: { $0.owner == "GNU" && $0.type == NT.gnuBuildID })?.descriptor, !id.isEmpty {
                return id
            }
        }
        return nil
    }

    private static var littleEndianHost: Bool { UInt16(littleEndian: 1) == 1 }
}
