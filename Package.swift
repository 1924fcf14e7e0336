// swift-tools-version:6.0
//
// vdsogen: build, validate and emit vDSO images.
//
// Targets, from the bottom up:
//   CLibELF  — system library over elfutils' libelf (pkg-config `libelf`, Debian `libelf-dev`)
//   CLibDW   — system library over elfutils' libdw  (pkg-config `libdw`,  Debian `libdw-dev`)
//   CZstd    — system library over libzstd (pkg-config `libzstd`, Debian `libzstd-dev`): zstd-compressed
//              debug sections, which libelf before elfutils 0.189 cannot inflate
//   CPlatform — Linux headers the Glibc module leaves out (getauxval)
//   VDSOKit  — all logic: ELF model, rules, reports, emitters, the toolchain driver
//   vdsogen  — the command-line front end (swift-argument-parser), declarations only
//   VDSOGenPlugin — SwiftPM build-tool plugin: NAME.vdso.toml in a target becomes enum NAMEImage
import PackageDescription

let package = Package(
    name: "vdsogen",
    products: [
        .executable(name: "vdsogen", targets: ["vdsogen"]),
        .library(name: "VDSOKit", targets: ["VDSOKit"]),
        .plugin(name: "VDSOGenPlugin", targets: ["VDSOGenPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibELF",
            pkgConfig: "libelf",
            providers: [.apt(["libelf-dev"])]
        ),
        .systemLibrary(
            name: "CLibDW",
            pkgConfig: "libdw",
            providers: [.apt(["libdw-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(name: "CPlatform"),
        .target(
            name: "VDSOKit",
            dependencies: ["CLibELF", "CLibDW", "CZstd", "CPlatform"]
        ),
        .executableTarget(
            name: "vdsogen",
            dependencies: [
                "VDSOKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer target (issue 7): Tests/fuzz/run.sh builds it with -sanitize=fuzzer,address;
        // a plain build makes it a replay program (vdsogen-fuzz FILE|DIR...).
        // The structure-aware boundary mutator (issues 15, 21): the sweep test and the fuzz target's
        // custom mutator use it. It imports VDSOKit; VDSOKit never imports it.
        .target(name: "VDSOFieldMutator", dependencies: ["VDSOKit"]),
        .executableTarget(name: "vdsogen-fuzz", dependencies: ["VDSOKit", "VDSOFieldMutator"]),
        .plugin(
            name: "VDSOGenPlugin",
            capability: .buildTool(),
            dependencies: ["vdsogen"]
        ),
        .testTarget(
            name: "VDSOKitTests",
            dependencies: ["VDSOKit", "VDSOFieldMutator", "vdsogen"]
        ),
    ]
)
