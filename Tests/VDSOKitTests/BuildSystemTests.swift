import Foundation
import Testing
import VDSOKit

/// What CI pipelines and debuggers rely on: --quiet, --werror, install-debug, the man page's source.
@Suite("Build-system integration")
struct BuildSystemTests {
    @Test("--quiet prints errors only; --werror turns warnings into errors")
    func quietAndWerror() throws {
        let image = TestSupport.fixtures + "/exports-unexpected.so"
        let debug = ["--debug", image + ".dbg"]
        let plain = try TestSupport.run([TestSupport.vdsogen, "check", image] + debug)
        #expect(plain.status == 0 && plain.output.contains("warning[exports]"), "\(plain.output)")
        let quiet = try TestSupport.run([TestSupport.vdsogen, "check", "--quiet", image] + debug)
        #expect(quiet.status == 0 && quiet.output.isEmpty, "\(quiet.output)")
        let werror = try TestSupport.run([TestSupport.vdsogen, "check", "--werror", image] + debug)
        #expect(werror.status == 1 && werror.output.contains("error[exports]"), "\(werror.output)")
    }

    @Test("install-debug lays the debug image out by build-id, as gdb and perf look it up")
    func installDebug() throws {
        let root = TestSupport.temporaryDirectory("debugroot")
        let dbg = TestSupport.fixtures + "/good.so.dbg"
        let r = try TestSupport.run([TestSupport.vdsogen, "install-debug", dbg, "--root", root])
        #expect(r.status == 0, "\(r.output)")
        let id = try #require(try ELFReader.read(path: dbg).buildID)
        let hex = id.map { String(format: "%02x", $0) }.joined()
        let installed = root + "/usr/lib/debug/.build-id/\(hex.prefix(2))/\(hex.dropFirst(2)).debug"
        #expect(try FileIO.read(installed) == FileIO.read(dbg))
        #expect(r.output.contains(installed))
        // A stripped image has nothing for a debugger: refused with the reason.
        let stripped = try TestSupport.run([TestSupport.vdsogen, "install-debug", TestSupport.fixtures + "/good.so", "--root", root])
        #expect(stripped.status == 2 && stripped.output.contains("no .debug_info"))
    }

    @Test("help for every subcommand and the man page's source (--experimental-dump-help)")
    func manual() throws {
        for sub in ["build", "check", "emit", "inspect", "run", "install-debug"] {
            let r = try TestSupport.run([TestSupport.vdsogen, "help", sub])
            #expect(r.status == 0 && r.output.contains("USAGE: vdsogen \(sub)"), "\(sub): \(r.output)")
        }
        let dump = try TestSupport.run([TestSupport.vdsogen, "--experimental-dump-help"])
        #expect(dump.status == 0 && dump.output.contains("\"commandName\" : \"install-debug\""), "\(dump.output.prefix(300))")
    }
}
