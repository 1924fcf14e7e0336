// vdsogen-fuzz: the libFuzzer target over VDSOKit (issue 7).
//
// One function, `fuzzOne`, runs an input through everything that reads untrusted image bytes:
// ELFReader.parse, every rule (both profiles, with and without the image as its own debug twin),
// the loader's view (DynamicView, DT_HASH / DT_GNU_HASH lookups, version definitions), the
// consumer matrix, the inspection dump, the text report, and, when the image parses,
// ImageLayout and CEmitter; an input that is not ELF goes through the manifest reader (TOML 1.0,
// then every key). A thrown VDSOError is a valid outcome; a crash, a hang or a leak is a bug.
//
// Two ways to build it:
//   fuzzer  swift build --scratch-path .build-fuzz -c debug --product vdsogen-fuzz \
//             -Xswiftc -sanitize=fuzzer,address -Xswiftc -DVDSOGEN_LIBFUZZER
//           With VDSOGEN_LIBFUZZER, main hands over to libFuzzer's driver (LLVMFuzzerRunDriver),
//           which calls LLVMFuzzerTestOneInput; every libFuzzer option works (Tests/fuzz/run.sh).
//           The file is not main.swift, so SwiftPM compiles it with -parse-as-library itself.
//   replay  a plain `swift build` / `swift test` builds it as an ordinary program:
//             vdsogen-fuzz FILE|DIR...
//           runs every file (directories: every file in them) through the same function, printing
//           each name before it runs, so a crash names its input. FuzzRegressionTests replays
//           Tests/fuzz/regressions and Tests/fuzz/corpus this way.
import VDSOFieldMutator
import VDSOKit
#if canImport(Glibc)
import Glibc
#endif

/// Runs one input through the reader, every rule and the emitters.
func fuzzOne(_ bytes: [UInt8]) {
    let image: ELFImage
    do {
        image = try ELFReader.parse(bytes, path: "fuzz.so")
    } catch {
        _ = error.description
        // Not ELF: the other untrusted text vdsogen reads, a manifest (TOML 1.0 and its keys).
        if bytes.prefix(4) != [0x7f, 0x45, 0x4c, 0x46] {
            do { _ = try Manifest.parse(bytes: bytes, path: "fuzz.toml") } catch { _ = error.description }
        }
        return
    }
    // Every rule, both profiles, even on a truncated file; the second pass hands the image in as
    // its own debug twin. On a truncated file, also what `check` does there (load-layout alone).
    let strict = Checker.check(image, options: CheckOptions(profile: .strict, stopAtTruncation: false))
    let linux = Checker.check(image, debug: image, options: CheckOptions(profile: .linux, stopAtTruncation: false))
    if image.isTruncated { _ = Checker.check(image) }
    let reports = [strict, linux]

    // The loader's view and the lookups consumers make through it.
    let d = DynamicView(image)
    let expectations = Expectations.forImage(image.header)
    var names = d.symbols.prefix(64).map(\.name)
    names += expectations.nodes.flatMap(\.symbols)
    for name in names {
        _ = d.sysvHash?.lookup(name, in: d)
        _ = d.gnuHash?.lookup(name, in: d)
        _ = d.gnuHash?.bloomAdmits(name, in: d)
    }
    _ = d.exports.map(\.displayName)
    _ = d.versionDefinitions.map(\.name)
    _ = d.soname
    // The inspection dump (`vdsogen inspect`) builds its own consumer matrix; the text report
    // prints each report's under a consumers finding, as `check` does. The text report only: JSON and
    // SARIF render the same findings (no image bytes of their own) and cost 55% of every
    // execution, so they are left to the unit tests.
    let inspection = Inspection(image: image, debug: image)
    _ = inspection.text()
    _ = ReportRenderer.text(reports, color: false, summary: true, consumerTables: true)

    // What `vdsogen emit` writes (without touching the file system).
    guard let layout = try? ImageLayout.gather(image: image, debug: image, dataSymbol: nil, extraSymbols: []) else { return }
    let emitter = CEmitter(layout: layout, prefix: "vdso", headerName: "vdso-image.h", toolVersion: "fuzz")
    _ = emitter.header()
    _ = emitter.source()
    _ = emitter.assembly(blobPath: "vdso.bin")
    _ = layout.paddedBytes.count
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Replay mode: every file named (or found in a named directory) through `fuzzOne`.
func replay(_ arguments: [String]) -> Int32 {
    if arguments.isEmpty {
        Console.error("usage: vdsogen-fuzz FILE|DIR... (runs each input through the fuzz target once)")
        return 2
    }
    var files: [String] = []
    for arg in arguments {
        if FileIO.isDirectory(arg) {
            guard let dir = opendir(arg) else { Console.error("\(arg): cannot open directory"); return 2 }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                names.append(name)
            }
            closedir(dir)
            files += names.sorted().map { Path.join(arg, $0) }.filter { !FileIO.isDirectory($0) }
        } else {
            files.append(arg)
        }
    }
    // A hang is a failure: each input gets `limit` seconds (SIGALRM then ends the process, and
    // the last RUN line names the input).
    let limit = getenv("VDSOGEN_REPLAY_LIMIT").flatMap { UInt32(String(cString: $0)) } ?? 5
    let names = Set(files)
    for file in files {
        guard let bytes = try? FileIO.read(file) else { Console.error("\(file): cannot read"); return 2 }
        Console.out("RUN \(file) (\(bytes.count) bytes)")
        alarm(limit)
        fuzzOne(bytes)
        // A stripped image with its twin beside it (NAME and NAME.dbg): also as the pair `check
        // --debug`, inspect and emit see (the boundary sweep's regressions).
        if names.contains(file + ".dbg"), let debug = try? FileIO.read(file + ".dbg") {
            Console.out("RUN \(file) with \(file).dbg")
            MutantExercise.run(image: bytes, debug: debug)
        }
        alarm(0)
    }
    Console.out("replayed \(files.count) inputs")
    return 0
}

enum Console {
    static func out(_ s: String) { write(1, s + "\n") }
    static func error(_ s: String) { write(2, s + "\n") }
    static func write(_ fd: Int32, _ s: String) {
        let bytes = Array(s.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n <= 0 { if errno == EINTR { continue }; return }
            done += n
        }
    }
}

#if VDSOGEN_LIBFUZZER
/// libFuzzer's driver (in libclang_rt.fuzzer, linked by -sanitize=fuzzer). Calling it from our own
/// main, rather than letting libFuzzer's main() run, works whether or not SwiftPM renames the
/// entry point of a testable executable (it does in debug builds on Linux).
// swift-format-ignore: AlwaysUseLowerCamelCase
// (the C symbol's own name)
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
#endif

@main
struct FuzzMain {
    static func main() {
        #if VDSOGEN_LIBFUZZER
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzz))
        #else
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--sweep" || arguments.first == "--sweep-write" { exit(sweep(arguments)) }
        exit(replay(arguments))
        #endif
    }
}
