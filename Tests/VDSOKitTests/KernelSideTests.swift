import Foundation
import Testing
import VDSOKit

/// `run --kernel-side FILE.c`: an image is mapped under a kernel side of the user's own only when
/// its note names exactly the ABI the kernel side declares; the combinations that cannot work are
/// refused in one line (examples/custom-abi/test.sh runs the example end to end).
@Suite("run --kernel-side")
struct KernelSideTests {
    static let side = KernelSide(source: "k.c", writer: "/nonexistent/writer", abi: "myos-page-3", pages: 1, periodMicroseconds: 1000)

    @Test("the image's note must name the kernel side's ABI exactly")
    func refusal() throws {
        let mine = try ELFReader.read(path: RunABITests.myos(abi: "myos-page-3"))
        #expect(Self.side.refusal(of: mine) == nil)
        let other = try ELFReader.read(path: RunABITests.myos(abi: "myos-page-30"))
        #expect(Self.side.refusal(of: other)?.contains("declares data-page ABI \"myos-page-30\", but the kernel side k.c serves \"myos-page-3\"") == true)
        let none = try ELFReader.read(path: RunABITests.myos(abi: nil))
        #expect(Self.side.refusal(of: none)?.contains("declares no data-page ABI, but the kernel side k.c serves") == true)
        let vdsogen = try ELFReader.read(path: TestSupport.path("out/vdso.so"))
        #expect(Self.side.refusal(of: vdsogen)?.contains("\"vdsogen-1\", but") == true)
        let running = try RunningVDSO.image()
        #expect(Self.side.refusal(of: running)?.contains("reads Linux's data-page layout") == true)
        for line in [other, none, vdsogen, running].compactMap(Self.side.refusal(of:)) { #expect(!line.contains("\n")) }
    }

    @Test("--kernel-side with two images, --data-pages, or a missing file: one line, exit 2, at once")
    func usage() throws {
        let k = TestSupport.path("examples/custom-abi/kernel_side.c")
        let img = TestSupport.path("out/vdso.so")
        for (args, says) in [
            (["--image", img, "--image", TestSupport.path("out/i386/vdso.so"), "--kernel-side", k], "serves one image"),
            (["--image", img, "--data-pages", "2", "--kernel-side", k], "no --data-pages"),
            (["--image", img, "--kernel-side", "/nonexistent/k.c"], "--kernel-side /nonexistent/k.c: No such file"),
        ] {
            let r = try RunABITests.run(args + ["--", "/bin/true"])
            #expect(r.status == 2 && r.output.split(separator: "\n").count == 1 && r.output.contains(says), "\(args): \(r.output)")
            #expect(r.seconds < 1, "\(args): \(r.seconds) s")
        }
    }
}
