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

    /// The image's name in messages.
    public var name: String { image.path }

    /// The single PT_LOAD, if there is exactly one.
    public var onlyLoad: Segment? {
        let loads = image.segments(ofType: PT.load)
        return loads.count == 1 ? loads[0] : nil
    }
}
