/// How a model is loaded (`keras.saving.load_model` arguments).
public struct LoadOptions: Sendable {
    /// Refuse lambdas anywhere (Keras's default). With `false` a lambda loads but is never run.
    public var safeMode: Bool
    /// Keep and restore the compile config and optimizer state.
    public var compile: Bool

    /// Keras's defaults: safe mode on, compile on.
    public init(safeMode: Bool = true, compile: Bool = true) {
        self.safeMode = safeMode
        self.compile = compile
    }
}
