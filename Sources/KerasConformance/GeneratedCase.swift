import KerasReference

/// The model of case `index` of a run with `seed`: every run, test and replay derives it the same way,
/// so `kconform gen --seed S --index I` and `kconform conform --seed S --index I` rebuild it alone.
public struct GeneratedCase: Sendable {
    /// The run's seed.
    public let seed: UInt64
    /// The case's index in the run.
    public let index: Int
    /// The generated model.
    public let model: GeneratedModel

    /// Generates case `index` of the run with `seed`.
    public init(seed: UInt64, index: Int, settings: GeneratorSettings = GeneratorSettings()) {
        self.seed = seed
        self.index = index
        var choices = Choices(seed: Self.caseSeed(seed: seed, index: index))
        model = ModelGenerator(settings: settings).generate(&choices)
    }

    /// The seed of one case: the run's seed and the index mixed (SplitMix64's increment), so neighbouring
    /// cases are unrelated.
    public static func caseSeed(seed: UInt64, index: Int) -> UInt64 { seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xBF58_476D_1CE4_E5B9 }

    /// The case's name in kits and reports.
    public var name: String { "gen-\(seed)-\(index)" }
}
