import Testing
@testable import VDSOKit

/// The per-architecture Linux ABI tables and how the checker picks from them.
@Suite("Architecture ABIs")
struct ArchABITests {
    @Test("parisc's node was LINUX_5.18 before 6.11: accepted when judging shipped images, not for new ones")
    func earlierNodeNames() {
        for abi in [ArchABI.parisc, ArchABI.parisc64] {
            let e = abi.expectations
            #expect(e.nodes.first?.name == "LINUX_6.11")
            let old = e.resolvingEarlierNodes(defined: ["LINUX_5.18"], under: .linux)
            #expect(old.nodes.first?.name == "LINUX_5.18")
            #expect(e.resolvingEarlierNodes(defined: ["LINUX_5.18"], under: .strict).nodes.first?.name == "LINUX_6.11")
            #expect(e.resolvingEarlierNodes(defined: ["LINUX_6.11", "LINUX_5.18"], under: .linux).nodes.first?.name == "LINUX_6.11")
            #expect(e.resolvingEarlierNodes(defined: ["LINUX_4.0"], under: .qemu).nodes.first?.name == "LINUX_6.11")
        }
    }

    @Test("every Linux ABI has a distinct name, a node, and a baseline inside its node's symbols")
    func tablesAreConsistent() {
        #expect(Set(ArchABI.linux.map(\.name)).count == ArchABI.linux.count)
        for abi in ArchABI.linux {
            let symbols = Set(abi.expectations.nodes.flatMap(\.symbols))
            #expect(!abi.expectations.nodes.isEmpty, "\(abi.name)")
            #expect(abi.expectations.baseline.map { $0.isSubset(of: symbols) } ?? false, "\(abi.name): baseline outside the node")
            #expect(abi.signalTrampolines.isSubset(of: symbols.union(abi.expectations.knownExtras)), "\(abi.name): trampoline not exported")
        }
    }
}
