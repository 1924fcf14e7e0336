/// Renders an `Inspection` as a readable dump or as JSON for scripts.
extension Inspection {
    /// Sections of `readelf`-like tables, one blank line apart.
    public func text() -> String {
        func h(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        var out = "\(path): ELF\(elfClass) \(machine)\n"
        out += "\nSegments:\n"
        for p in segments {
            out += "  [\(p.index)] " + pad(p.typeName, 14) + pad("offset \(h(p.offset))", 16) + pad("vaddr \(h(p.vaddr))", 16)
                + pad("filesz \(h(p.filesz))", 16) + pad("memsz \(h(p.memsz))", 16) + PF.describe(p.flags).trimmed + "\n"
        }
        out += "\nSections:\n"
        for s in sections where s.index != 0 {
            var flags = ""
            if s.isAllocated { flags += "A" }
            if s.isWritable { flags += "W" }
            if s.isExecutable { flags += "X" }
            out += "  [\(s.index)] " + pad(s.name, 20) + pad(s.typeName(machine: machineNumber), 18) + pad("addr \(h(s.addr))", 14)
                + pad("size \(h(s.size))", 14) + flags + "\n"
        }
        if !layoutAdvice.isEmpty { out += "\nLayout:\n" + layoutAdvice.map { "  " + $0 + "\n" }.joined() }
        out += "\nExported symbols:\n"
        for e in exports {
            let name = e.name + (e.version.map { "@" + $0 } ?? "")
            out += "  " + pad(name, 34) + pad(h(e.value), 8) + pad("\(e.size) bytes", 11) + pad("\(e.type) \(e.bind)", 12)
                + (e.location?.description ?? "") + "\n"
        }
        out += "\nNotes:\n"
        out += "  build-id: \(buildID ?? "none")\n"
        out += "  Linux version note: \(linuxVersion ?? "none")\n"
        out += "  data-page ABI: \(dataPageABI)\n"
        out += "  GNU properties: \(properties.location == nil ? "none" : "claims \(properties.claims) (\(properties.location!))")\n"
        out += "  DWARF: \(dwarfVersions.isEmpty ? "none" : "version " + dwarfVersions.map(String.init).joined(separator: ", "))\n"
        out += "\nData-page symbols (offset from the image base):\n"
        if dataSymbols.isEmpty { out += "  none (pass the debug image with --debug)\n" }
        for s in dataSymbols {
            out += "  " + pad(s.name, 28) + (s.offset < 0 ? "-0x" + String(s.offset.magnitude, radix: 16) : "0x" + String(s.offset, radix: 16)) + "\n"
        }
        out += "\nConsumer lookups:\n" + consumers.text()
        return out
    }

    /// `{"image", "class", "machine", "segments", "sections", "exports", "notes", "data_symbols", "consumers"}`.
    public var json: JSONValue {
        func i(_ v: UInt64) -> JSONValue { .int(Int64(bitPattern: v)) }
        return .object([
            ("image", .string(path)),
            ("class", .int(Int64(elfClass))),
            ("machine", .string(machine)),
            ("segments", .array(segments.map { p in
                .object([("index", .int(Int64(p.index))), ("type", .string(p.typeName)), ("offset", i(p.offset)),
                         ("vaddr", i(p.vaddr)), ("filesz", i(p.filesz)), ("memsz", i(p.memsz)),
                         ("flags", .string(PF.describe(p.flags).trimmed))])
            })),
            ("sections", .array(sections.filter { $0.index != 0 }.map { s in
                .object([("index", .int(Int64(s.index))), ("name", .string(s.name)),
                         ("type", .string(s.typeName(machine: machineNumber))), ("addr", i(s.addr)),
                         ("offset", i(s.offset)), ("size", i(s.size)), ("allocated", .bool(s.isAllocated)),
                         ("writable", .bool(s.isWritable)), ("executable", .bool(s.isExecutable))])
            })),
            ("exports", .array(exports.map { e in
                var f: [(String, JSONValue)] = [("name", .string(e.name)), ("version", e.version.map(JSONValue.string) ?? .null),
                                                ("value", i(e.value)), ("size", i(e.size)), ("type", .string(e.type)),
                                                ("bind", .string(e.bind))]
                f.append(("file", e.location.map { .string($0.file) } ?? .null))
                f.append(("line", e.location.map { .int(Int64($0.line)) } ?? .null))
                return .object(f)
            })),
            ("notes", .object([
                ("build_id", buildID.map(JSONValue.string) ?? .null),
                ("linux_version", linuxVersion.map(JSONValue.string) ?? .null),
                ("data_page_abi", .string(dataPageABI)),
                ("gnu_properties", .object([
                    ("location", properties.location.map(JSONValue.string) ?? .null),
                    ("x86_ibt", .bool(properties.claimsIBT)), ("x86_shstk", .bool(properties.claimsSHSTK)),
                    ("aarch64_bti", .bool(properties.claimsBTI)), ("aarch64_pac", .bool(properties.claimsPAC)),
                ])),
                ("dwarf_versions", .array(dwarfVersions.map { .int(Int64($0)) })),
            ])),
            ("data_symbols", .array(dataSymbols.map { .object([("name", .string($0.name)), ("offset", .int($0.offset))]) })),
            ("consumers", consumers.json),
        ])
    }
}
