// The structure-aware mutator in the libFuzzer campaign (issues 15 and 21).
//
// With VDSOGEN_FUZZ_STRUCTURE=1 in the environment (Tests/fuzz/run.sh sets it for
// `make fuzz-structure`), three mutations in four are drawn from VDSOFieldMutator: one to three ELF
// fields set to boundary values, to values near their own or to another field's, or a rebase of
// every address; the fourth is libFuzzer's own byte-level mutation, which also mutates inputs
// that are not (or no longer) ELF. Without it, every mutation is libFuzzer's own.
#if VDSOGEN_LIBFUZZER
import VDSOFieldMutator
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer's own mutator (the symbol name is libFuzzer's).
@_silgen_name("LLVMFuzzerMutate")
func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

let structureAware: Bool = getenv("VDSOGEN_FUZZ_STRUCTURE").map { String(cString: $0) == "1" } ?? false

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    guard structureAware, seed % 4 != 0, size <= maxSize,
          let mutator = FieldMutator(Array(UnsafeBufferPointer(start: data, count: size))) else {
        return libFuzzerMutate(data, size, maxSize)
    }
    var random = SplitMix64(seed: UInt64(seed))
    let mutant = mutator.mutate(random: &random)
    mutant.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: mutant.count) }
    return mutant.count
}
#endif
