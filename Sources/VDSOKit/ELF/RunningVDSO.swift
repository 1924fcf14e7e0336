import CPlatform
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The vDSO the kernel mapped into this very process: a real image no one here wrote.
public enum RunningVDSO {
    /// The name it is reported under.
    public static let displayName = "[vdso]"

    /// Copies the running process's vDSO out of memory (base from AT_SYSINFO_EHDR, size from
    /// the `[vdso]` line of /proc/self/maps).
    public static func bytes() throws(VDSOError) -> [UInt8] {
        let base = UInt(getauxval(UInt(AT_SYSINFO_EHDR)))
        guard base != 0 else { throw .cannotRead(path: displayName, reason: "the kernel gave this process no vDSO (AT_SYSINFO_EHDR is 0)") }
        let maps = try FileIO.readText("/proc/self/maps")
        for line in maps.split(separator: "\n") where line.hasSuffix("[vdso]") {
            let range = line.split(separator: " ")[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  start == base, end > start else { continue }
            let pointer = UnsafeRawPointer(bitPattern: start)!
            return Array(UnsafeRawBufferPointer(start: pointer, count: Int(end - start)))
        }
        throw .cannotRead(path: displayName, reason: "no [vdso] mapping at 0x\(String(base, radix: 16)) in /proc/self/maps")
    }

    /// The running vDSO, parsed.
    public static func image() throws(VDSOError) -> ELFImage {
        try ELFReader.parse(try bytes(), path: displayName)
    }
}
