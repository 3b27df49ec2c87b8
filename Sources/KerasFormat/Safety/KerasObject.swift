/// A Keras modelling object of the allow-list: its canonical name and what it does beyond tensor math.
public struct KerasObject: Sendable, Hashable {
    /// What an object does besides tensor math; each trait has a rule of its own.
    public enum Trait: String, Sendable, Hashable, CaseIterable {
        /// A `Lambda` layer: calls the function its config names.
        case lambda
        /// A lookup or text-vectorization layer: a string `vocabulary` is a file path.
        case vocabulary
        /// Loads another model (TFSMLayer, TorchModuleWrapper); never allowed.
        case externalModel = "external-model"
        /// Wraps functions of another framework (JaxLayer, FlaxLayer).
        case foreignCode = "foreign-code"
    }

    /// The name Keras exports it under (`keras.layers.Dense`, `keras.activations.relu`), or
    /// `<module>.<Class>` for classes Keras uses without exporting them (`keras.src.models.functional.Functional`).
    public let canonicalName: String
    /// What it does beyond tensor math.
    public let traits: Set<Trait>
    /// Whether it is a function (else a class).
    public let isFunction: Bool

    /// An object of the allow-list.
    public init(canonicalName: String, traits: Set<Trait> = [], isFunction: Bool = false) {
        self.canonicalName = canonicalName
        self.traits = traits
        self.isFunction = isFunction
    }
}
