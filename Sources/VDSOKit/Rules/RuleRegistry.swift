/// Every rule, in the order they run and are documented. The CLI, Docs/rules.md and the
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

    /// The rule with this id, if any.
    public static func rule(_ id: String) -> (any Rule)? { all.first { $0.id == id } }
}
