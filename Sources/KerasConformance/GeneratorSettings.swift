/// The size and mix of generated models. Every limit is a setting; the defaults keep a model small enough
/// that a save, load and predict round trip takes milliseconds and a failing case shrinks to a few layers.
public struct GeneratorSettings: Sendable {
    /// Layers drawn per model, nested models' layers included (default 10: the performance goal
    /// is stated for models of up to 10 layers).
    public var maxLayers = 10
    /// Model inputs of a Functional model (default 3).
    public var maxInputs = 3
    /// Units, filters and embedding sizes are drawn from 1 to this (default 6).
    public var maxUnits = 6
    /// Elements per sample any tensor may have (default 768): larger draws are rejected, which keeps
    /// predict fast and outputs finite.
    public var maxElements = 768
    /// Probability that a model is Functional rather than Sequential (default 0.7).
    public var functionalProbability = 0.7
    /// Probability that a layer call reuses an existing layer (a shared layer, default 0.1).
    public var sharedLayerProbability = 0.1
    /// Probability that a step calls a nested sub-model (default 0.1; a sub-model is sometimes called twice).
    public var nestedModelProbability = 0.1
    /// Probability that a step merges tensors of compatible shapes (default 0.2).
    public var mergeProbability = 0.2
    /// Probability that a layer gets initializer, regularizer and constraint objects (default 0.3).
    public var objectProbability = 0.3
    /// Probability that a layer has a custom name rather than Keras's automatic one (default 0.3).
    public var customNameProbability = 0.3
    /// Probability that a model computes in a policy other than float32 (default 0.2).
    public var lowPrecisionProbability = 0.2
    /// Probability that a model has an integer input feeding an Embedding (default 0.1).
    public var embeddingProbability = 0.1
    /// The share of models with a `compile_config` (optimizer, learning rate or schedule, loss, metrics).
    /// Default 0.3.
    public var compileProbability = 0.3
    /// Attempts to draw a layer that fits a shape before the step is skipped (default 12).
    public var attemptsPerLayer = 12
    /// Layer classes never drawn (for example while a class is a known divergence).
    public var excludedClasses: Set<String> = []

    /// The defaults.
    public init() {}

    /// Settings for the smallest models: at most `layers` layers, one input.
    public static func small(layers: Int) -> GeneratorSettings {
        var settings = GeneratorSettings()
        settings.maxLayers = layers
        settings.maxInputs = 1
        return settings
    }
}
