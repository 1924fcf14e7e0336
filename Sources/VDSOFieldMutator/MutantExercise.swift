import VDSOKit

/// What the sweep runs on each mutant: everything `check`, `inspect` and `emit` do with an image,
/// in process. A thrown VDSOError is a valid outcome; a trap (which ends the process) or a case
/// that runs past its time bound is a bug.
public enum MutantExercise {
    /// Runs `image` (and its debug twin, when there is one) through every rule under the strict
    /// profile, alone and with the twin, then the inspection dump and the C and Swift emitters.
    /// Either side may be the mutant. Returns how many findings the checks reported (so that the
    /// work cannot be optimised away, and so that a caller can tell a parse failure: -1).
    @discardableResult
    public static func run(image bytes: [UInt8], debug debugBytes: [UInt8]?) -> Int {
        guard let image = try? ELFReader.parse(bytes, path: "mutant.so") else { return -1 }
        let debug = debugBytes.flatMap { try? ELFReader.parse($0, path: "mutant.so.dbg") }
        let options = CheckOptions(profile: .strict, stopAtTruncation: false)
        var findings = Checker.check(image, options: options).findings.count
        if let debug {
            findings += Checker.check(image, debug: debug, options: options).findings.count
            // The twin as a debug image checks on its own too (`vdsogen check vdso.so.dbg`).
            findings += Checker.check(debug, options: options).findings.count
        }
        _ = Inspection(image: image, debug: debug).text()
        if let layout = try? ImageLayout.gather(image: image, debug: debug, dataSymbol: nil, extraSymbols: []) {
            let emitter = CEmitter(layout: layout, prefix: "vdso", headerName: "vdso-image.h", toolVersion: "sweep")
            _ = emitter.header()
            _ = emitter.source()
            _ = emitter.assembly(blobPath: "vdso.bin")
            _ = SwiftEmitter(layout: layout, prefix: "vdso", toolVersion: "sweep").source()
        }
        return findings
    }
}
