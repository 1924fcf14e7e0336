/// Every rule, in the order they run and are documented. The CLI, the README table and the
/// report metadata all read this list.
public enum RuleRegistry {
    public static let all: [any Rule] = [
        ELFHeaderRule(),
        LoadLayoutRule(),
        WXorXRule(),
        WritableDataRule(),
        NoDynamicRelocationsRule(),
        NoTextrelRule(),
        NoUndefinedSymbolsRule(),
        NoNeededRule(),
        NoInitializersRule(),
        DynamicSectionRule(),
        SonameRule(),
        HashTablesRule(),
        SymbolVersionsRule(),
        ExportsRule(),
        BuildIDRule(),
        DebugMatchRule(),
        DWARFRule(),
        UnwindInfoRule(),
        CETBTIRule(),
        ConsumersRule(),
        ImageSizeRule(),
        StackUsageRule(),
        SectionHeadersRule(),
        TimePairsRule(),
    ]

    /// All rule ids.
    public static var ids: [String] { all.map(\.id) }

    /// Every rule with what it requires and what it protects against, for `check --list-rules`.
    public static func describe() -> String {
        all.map { "\($0.id)\n    \($0.summary)\n    Protects: \($0.protects)\n" }.joined(separator: "\n")
    }

    /// The rule with this id, if any.
    public static func rule(_ id: String) -> (any Rule)? { all.first { $0.id == id } }
}
