import KerasJSON

/// A symbolic `KerasTensor` deserialized from `__keras_tensor__` (SER:644-649): a shape, a dtype and the
/// `keras_history` recorded before serialization, which Keras keeps as it was given
/// (`_pre_serialization_keras_history`) and does not write again.
public struct SymbolicTensor: Sendable, Equatable {
    /// The shape; nil for an unknown dimension.
    public let shape: [Int?]
    /// The standardized dtype name.
    public let dtype: String
    /// `[operation name, node index, tensor index]` as written, or null.
    public let history: JSONValue
}
