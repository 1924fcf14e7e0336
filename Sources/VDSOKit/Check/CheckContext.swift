/// Everything a rule may look at, with derived views computed once and shared by all rules.
public final class CheckContext {
    /// The image under check.
    public let image: ELFImage
    /// The debug twin (`--debug`), if given.
    public let debug: ELFImage?
    public let profile: Profile
    public let expectations: Expectations
    /// The machine the manifest or `--arch` says the image is for, if any.
    public let expectedMachine: UInt16?

    public init(image: ELFImage, debug: ELFImage?, profile: Profile, expectations: Expectations,
                expectedMachine: UInt16? = nil) {
        self.image = image
        self.debug = debug
        self.profile = profile
        self.expectations = expectations
        self.expectedMachine = expectedMachine
    }

    /// The loader's view of the image.
    public lazy var dynamic: DynamicView = DynamicView(image)

    /// Exports as a loader sees them.
    public var exports: [DynamicSymbol] { dynamic.exports }

    /// Source lines and DWARF of the image (or its debug twin), for messages that cite code;
    /// built on first use and shared by every rule.
    public lazy var sourceLocator: SourceLocator = SourceLocator(image: image, debug: debug)

    /// Exported functions, aliases merged, at their code addresses.
    lazy var exportedFunctions: [ExportedFunction] = ExportedFunction.group(exports, header: image.header)

    /// The Linux architecture ABI the image is judged by: its machine's, when the expectations
    /// are that ABI's (the defaults, or a manifest that keeps the Linux soname); nil for a
    /// custom ABI or a machine Linux builds no vDSO for.
    public lazy var linuxABI: ArchABI? = {
        let header = expectedMachine.map { m -> ELFHeader in var h = image.header; h.machine = m; return h } ?? image.header
        guard let abi = ArchABI.forHeader(header), abi.expectations.soname == expectations.soname,
              dynamic.soname.map({ abi.expectations.acceptsSoname($0, under: profile) }) ?? true else { return nil }
        return abi
    }()

    /// What each consumer finds of what it looks up (the `consumers` rule and the report's table).
    public lazy var consumerMatrix: ConsumerMatrix = ConsumerMatrix(dynamic, expectations: expectations, abi: linuxABI)

    /// The image's name in messages.
    public var name: String { image.path }

    /// The single PT_LOAD, if there is exactly one.
    public var onlyLoad: Segment? {
        let loads = image.segments(ofType: PT.load)
        return loads.count == 1 ? loads[0] : nil
    }
}
