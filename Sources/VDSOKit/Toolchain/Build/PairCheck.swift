/// Step 5 of a build: check the debug image and the stripped image with every rule. A rejected
/// pair never reaches the output directory; it is kept under `obj/NAME/rejected/` for the user
/// (and CI's annotations) to inspect, and checked there again so that every finding names a file
/// that exists — the output directory keeps the previous good image.
enum PairCheck {
    struct Verdict {
        var reports: [ImageReport]
        var kept: (debug: String, image: String)?
        var passed: Bool { reports.allSatisfy(\.passed) }
    }

    static func judge(_ r: BuildRequest, linked: LinkStep, debug: ELFImage, image: ELFImage,
                      log: BuildLog) throws(VDSOError) -> Verdict {
        let m = r.manifest
        log.step("CHECK", r.debugImagePath)
        log.action("vdsogen check --manifest \(m.path ?? "-") \(linked.debugImage)")
        log.step("CHECK", r.imagePath)
        log.action("vdsogen check --manifest \(m.path ?? "-") --debug \(linked.debugImage) \(linked.image)")
        var reports = check(m, debug, image)
        let kept = (debug: Path.join(r.rejectedDirectory, r.name + ".so.dbg"),
                    image: Path.join(r.rejectedDirectory, r.name + ".so"))
        FileIO.remove(kept.debug)
        FileIO.remove(kept.image)
        if reports.allSatisfy(\.passed) {
            // Named after the outputs they become.
            reports[0].image = r.debugImagePath
            reports[1].image = r.imagePath
            return Verdict(reports: reports, kept: nil)
        }
        try FileIO.makeDirectories(r.rejectedDirectory)
        try AtomicFile.writeAll([(kept.debug, debug.bytes.bytes), (kept.image, image.bytes.bytes)], durable: false)
        FileIO.remove(linked.debugImage)
        FileIO.remove(linked.image)
        reports = check(m, try ELFReader.read(path: kept.debug), try ELFReader.read(path: kept.image))
        return Verdict(reports: reports, kept: kept)
    }

    /// Both images judged under the manifest's expectations and check policy.
    static func check(_ m: Manifest, _ debug: ELFImage, _ image: ELFImage) -> [ImageReport] {
        let options = m.check.options(expectations: m.expectations, machine: m.arch.machine, sizeLimit: m.sizeLimit)
        return [m.check.judge(Checker.check(debug, options: options)),
                m.check.judge(Checker.check(image, debug: debug, options: options))]
    }

    /// The reports with each finding kept only for the first image that has it, for the text a
    /// build prints: the stripped image shares most of its twin's defects, and one defect is one
    /// line there (the reports a build returns keep every finding of each image).
    static func onceEach(_ reports: [ImageReport]) -> [ImageReport] {
        var seen: [Finding] = []
        return reports.map { report in
            let fresh = report.findings.filter { f in !seen.contains(f) }
            seen += fresh
            return ImageReport(image: report.image, findings: fresh, consumers: report.consumers)
        }
    }
}
