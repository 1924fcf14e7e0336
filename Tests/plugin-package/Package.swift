// swift-tools-version:6.0
// A Swift "hypervisor" that embeds the default vDSO through vdsogen's build-tool plugin: the
// manifest Sources/Hypervisor/vdso.vdso.toml becomes `enum VDSOImage` with no script.
// Tests/plugin-package/run.sh builds and runs it against this checkout.
import PackageDescription

let package = Package(
    name: "PluginConsumer",
    dependencies: [.package(path: "../vdsogen")],
    targets: [
        .executableTarget(
            name: "Hypervisor",
            plugins: [.plugin(name: "VDSOGenPlugin", package: "vdsogen")]
        ),
    ]
)
