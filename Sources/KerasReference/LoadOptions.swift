/// How a model is loaded (`keras.saving.load_model` arguments).
public struct LoadOptions: Sendable {
    /// Refuse lambdas anywhere (Keras's default). With `false` a lambda loads but is never run.
    public var safeMode: Bool
    /// Keep and restore the compile config and optimizer state.
    public var compile: Bool
    /// Skip objects whose stored variables do not match (count or shape) instead of failing, like
    /// `model.load_weights(path, skip_mismatch=True)` (SL:636-695): each such object keeps the values it had,
    /// and the aggregated message Keras warns with is recorded in ``KerasModel/loadWarnings``. Keras's
    /// `load_model` has no such argument (it always fails, SL:554-574); off by default.
    public var skipMismatch: Bool
    /// The `custom_objects` argument: custom layer classes by the name the config looks them up under.
    /// A scope (``CustomObjects/withScope(_:)``) and the global registry are consulted before these,
    /// as Keras does (see ``CustomObjects``).
    public var customObjects: CustomObjects

    /// Keras's defaults: safe mode on, compile on, mismatches fail, no custom objects.
    public init(safeMode: Bool = true, compile: Bool = true, skipMismatch: Bool = false, customObjects: CustomObjects = CustomObjects()) {
        self.safeMode = safeMode
        self.compile = compile
        self.skipMismatch = skipMismatch
        self.customObjects = customObjects
    }
}
