/// A place in the source: a file (as DWARF names it, relative to the compilation directory) and
/// a 1-based line.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// The location `text` names in the `file:line` form compilers and linkers print, or nil.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let line = Int(text[text.index(after: colon)...]), line > 0 else { return nil }
        self.init(file: String(text[..<colon]), line: line)
    }

    /// `file:line`, the form compilers print and editors jump to.
    public var description: String { "\(file):\(line)" }
    /// `at file:line`: how messages cite a location (findings also carry it as `Finding.location`).
    public var phrase: String { "at \(description)" }
}

/// Maps addresses of an image to source through DWARF: code to the line-table row in force,
/// data to the declaration of the variable that holds it. Uses the debug image's DWARF when
/// there is one (same addresses), else the image's own.
public struct SourceLocator: Sendable {
    /// The DWARF read, if any could be.
    public let dwarf: DWARFSummary?

    public init(image: ELFImage, debug: ELFImage?) {
        var found: DWARFSummary?
        for candidate in [debug, image].compactMap({ $0 }) {
            if case .success(let s)? = DWARFSummary.read(candidate) { found = s; break }
        }
        dwarf = found
    }

    public init(dwarf: DWARFSummary?) { self.dwarf = dwarf }

    /// The source line of a code address.
    public func line(at address: UInt64) -> SourceLocation? {
        dwarf?.line(at: address).map { SourceLocation(file: $0.file, line: $0.line) }
    }

    /// The function holding `address` and the line of `address` (or the function's declaration).
    public func function(containing address: UInt64) -> (name: String, location: SourceLocation?)? {
        guard let sub = dwarf?.subprogram(containing: address) else { return nil }
        let decl = sub.declFile.flatMap { f in sub.declLine.map { SourceLocation(file: f, line: $0) } }
        return (sub.name, line(at: address) ?? decl)
    }

    /// Where the function starting at `address` is defined: its subprogram's declaration line,
    /// else the line-table row at the address.
    public func entry(of address: UInt64) -> SourceLocation? {
        if let sub = dwarf?.subprogram(containing: address), let f = sub.declFile, let l = sub.declLine {
            return SourceLocation(file: f, line: l)
        }
        return line(at: address)
    }

    /// The variable whose storage holds `address`, with its declaration.
    public func variable(containing address: UInt64) -> (name: String, location: SourceLocation?)? {
        guard let v = dwarf?.variable(containing: address) else { return nil }
        return (v.name, v.declFile.flatMap { f in v.declLine.map { SourceLocation(file: f, line: $0) } })
    }

    /// Variables declared inside `[start, end)` (the contents of a section), in address order.
    public func variables(in start: UInt64, _ end: UInt64) -> [(name: String, location: SourceLocation?)] {
        (dwarf?.variables ?? []).filter { $0.address >= start && $0.address < end }.sorted { $0.address < $1.address }
            .map { v in (v.name, v.declFile.flatMap { f in v.declLine.map { SourceLocation(file: f, line: $0) } }) }
    }

    /// Where `name` is called from (the line of each call the compiler described), or, failing
    /// that, where it is declared. Empty when DWARF does not say.
    public func references(to name: String) -> String {
        guard let d = dwarf else { return "" }
        let calls = d.callSites.filter { $0.callee == name }
        if !calls.isEmpty {
            let shown = calls.prefix(3).map { c in
                "from \(c.caller.isEmpty ? "?" : c.caller)" + (line(at: c.returnPC &- 1).map { " \($0.phrase)" } ?? "")
            }
            return " (called " + shown.joined(separator: ", ") + (calls.count > 3 ? ", ..." : "") + ")"
        }
        if let decl = d.declarations[name] { return " (declared \(SourceLocation(file: decl.file, line: decl.line).phrase))" }
        return ""
    }

    /// Where `name` is first called from, or declared: the line a reference finding points at.
    public func referenceLocation(to name: String) -> SourceLocation? {
        guard let d = dwarf else { return nil }
        if let call = d.callSites.first(where: { $0.callee == name }), let l = line(at: call.returnPC &- 1) { return l }
        return d.declarations[name].map { SourceLocation(file: $0.file, line: $0.line) }
    }

    /// The declaration of the variable, or else the line of the code, at `address`.
    public func location(of address: UInt64) -> SourceLocation? {
        if let v = variable(containing: address) { return v.location }
        return function(containing: address)?.location
    }

    /// A phrase naming what lies at `address`: ` in NAME (declared at f:l)` for data, ` in NAME
    /// at f:l` for code; empty when DWARF does not know.
    public func describe(_ address: UInt64) -> String {
        if let v = variable(containing: address) {
            return " in \(v.name)" + (v.location.map { " (declared \($0.phrase))" } ?? "")
        }
        if let f = function(containing: address) {
            return " in \(f.name)" + (f.location.map { " \($0.phrase)" } ?? "")
        }
        return ""
    }
}
