/// Budgets of the declared-shape rules (`KC-W-014`, `KC-W-015`): what building the model a config
/// describes may cost, checked from the config's numbers before anything is allocated.
public struct DeclaredShapeLimits: Sendable, Hashable {
    /// Most variable elements the config may declare beyond those the weights store with the same
    /// shape (`KC-W-015`). Building a model allocates every variable the config declares (Keras and
    /// `check --load` alike, 4 bytes an element as float32), so a config of a few bytes declaring a huge
    /// layer costs gigabytes at load while the stored weights stay small. Default 32 Mi elements
    /// (128 MiB as float32): half of kconform's 256 MB allowance beyond the input; variables that the
    /// file stores with their declared shape are paid for by the input itself and do not count.
    public var maxUnstoredVariableElements = 32 << 20
    /// Most elements of one tensor of the zero-input run that builds layers without `build_config`
    /// (legacy configs, batch 1) under `check --load`. Default 16 Mi elements (64 MiB as float32): the
    /// largest activation of the legacy models measured is a few thousand elements.
    public var maxDryRunTensorElements = 16 << 20

    /// The defaults.
    public init() {}
}
