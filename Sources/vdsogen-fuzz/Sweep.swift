// Sweep mode: every boundary mutation of an image pair, one after another, naming each case before
// it runs (so that a trap names its mutant) and timing it.
//
//   vdsogen-fuzz --sweep IMAGE [DEBUG] [--from N]       run cases N... (default 0)
//   vdsogen-fuzz --sweep-write IMAGE [DEBUG] N FILE     write case N's mutant to FILE
//   VDSOGEN_SWEEP_LIST=1 vdsogen-fuzz --sweep ...       list the cases without running them
//
// The cases are the mutations of IMAGE (checked alone and with DEBUG unchanged), then those of
// DEBUG (with IMAGE unchanged). A driver that restarts at the case after a crash lists every site.
import VDSOFieldMutator
import VDSOKit
#if canImport(Glibc)
import Glibc
#endif

struct SweepCase {
    var index: Int
    var mutatesDebug: Bool
    var mutation: FieldMutator.Mutation
}

func sweepCases(image: FieldMutator, debug: FieldMutator?) -> [SweepCase] {
    var cases: [SweepCase] = []
    for m in image.mutations { cases.append(SweepCase(index: cases.count, mutatesDebug: false, mutation: m)) }
    for m in debug?.mutations ?? [] { cases.append(SweepCase(index: cases.count, mutatesDebug: true, mutation: m)) }
    return cases
}

/// CPU time of this thread: the bound is on the work a case does, not on how loaded the machine is.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func sweep(_ arguments: [String]) -> Int32 {
    var args = arguments
    var from = 0
    if let i = args.firstIndex(of: "--from"), i + 1 < args.count, let n = Int(args[i + 1]) { from = n; args.removeSubrange(i...i + 1) }
    let write = args.first == "--sweep-write"
    args.removeFirst()
    var out: String?
    if write {
        guard args.count >= 3, let n = Int(args[args.count - 2]) else { Console.error("usage: --sweep-write IMAGE [DEBUG] N FILE"); return 2 }
        from = n; out = args.removeLast(); args.removeLast()
    }
    guard (1...2).contains(args.count), let imageBytes = try? FileIO.read(args[0]), let image = FieldMutator(imageBytes) else {
        Console.error("usage: vdsogen-fuzz --sweep IMAGE [DEBUG] [--from N] (IMAGE and DEBUG: readable ELF files)")
        return 2
    }
    let debug = args.count == 2 ? (try? FileIO.read(args[1])).flatMap(FieldMutator.init) : nil
    let cases = sweepCases(image: image, debug: debug)
    if let out {
        guard from < cases.count else { Console.error("no case \(from) (\(cases.count) cases)"); return 2 }
        let c = cases[from]
        let bytes = c.mutatesDebug ? debug!.apply(c.mutation) : image.apply(c.mutation)
        do { try AtomicFile.write(bytes, to: out) } catch { Console.error("\(out): \(error)"); return 2 }
        Console.out("wrote case \(from) (\(c.mutatesDebug ? "debug" : "image"): \(c.mutation)) to \(out)")
        return 0
    }
    if getenv("VDSOGEN_SWEEP_LIST") != nil {
        for c in cases.dropFirst(from) { Console.out("CASE \(c.index) \(c.mutatesDebug ? "debug" : "image") \(c.mutation)") }
        return 0
    }
    var slow = 0
    for c in cases.dropFirst(from) {
        let side = c.mutatesDebug ? "debug" : "image"
        Console.out("CASE \(c.index) \(side) \(c.mutation)")
        let start = cpuSeconds()
        if c.mutatesDebug {
            MutantExercise.run(image: imageBytes, debug: debug!.apply(c.mutation))
        } else {
            MutantExercise.run(image: image.apply(c.mutation), debug: debug?.bytes)
        }
        let seconds = cpuSeconds() - start
        if seconds > 1 { slow += 1; Console.out("SLOW \(c.index) \(side) \(c.mutation): \(seconds) s of CPU time") }
    }
    Console.out("swept \(cases.count - min(from, cases.count)) cases, \(slow) slow")
    return slow == 0 ? 0 : 1
}
