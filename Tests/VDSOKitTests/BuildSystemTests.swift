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

    @Test("vdsogen.mk: vdsogen decides every time; a no-op remakes nothing downstream; a new clang rebuilds")
    func makeFragment() throws {
        let dir = TestSupport.temporaryDirectory("mk")
        try ReproducibilityTests.checkout(into: dir)
        _ = try TestSupport.run(["/bin/cp", TestSupport.path("vdsogen.mk"), dir + "/vdsogen.mk"])
        // A consumer of the header: remade only when the header really changes.
        try AtomicFile.write("""
            include vdsogen.mk
            $(eval $(call vdsogen_image,vdso,kernel-vdso/arch/x86_64/vdso.toml,build))
            consumer: build/vdso-image.h
            \t@echo CONSUMER REMADE; touch consumer

            """, to: dir + "/Makefile")
        let realClang = try #require(Toolchain.which("clang"))
        let wrapper = dir + "/clang"
        func clangSaying(_ version: String) throws {
            try AtomicFile.write("#!/bin/sh\n[ \"$1\" = --version ] && { echo '\(version)'; exit 0; }\nexec \(realClang) \"$@\"\n", to: wrapper)
            chmod(wrapper, 0o755)
        }
        try clangSaying("clang version 21")
        let make = ["make", "-C", dir, "--no-print-directory", "VDSOGEN=\(TestSupport.vdsogen)", "consumer"]
        let env = ["CLANG": wrapper, "LD_LLD": Path.directory(of: realClang) + "/ld.lld"]
        var r = try TestSupport.run(make, environment: env)
        #expect(r.status == 0 && r.output.contains("  VDSO    build/vdso.so") && r.output.contains("CONSUMER REMADE"), "\(r.output)")
        r = try TestSupport.run(make, environment: env)
        #expect(r.status == 0 && !r.output.contains("VDSO") && !r.output.contains("REMADE"), "no-op: \(r.output)")
        // Same file times, another compiler behind the same path: Make alone would not notice.
        try clangSaying("clang version 22")
        r = try TestSupport.run(make, environment: env)
        #expect(r.status == 0 && r.output.contains("  VDSO    build/vdso.so"), "a new compiler: \(r.output)")
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
