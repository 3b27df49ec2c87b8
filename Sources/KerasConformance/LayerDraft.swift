import KerasJSON

/// One sampled layer call: the class, the config fields that differ from Keras's template, the shape it
/// produces, and how it is called in a Functional graph.
struct LayerDraft: Sendable {
    /// How the call passes its input tensors (Keras records the call's arguments as written).
    enum Arguments: Sendable {
        /// `layer(x)`: `"args": [x]`.
        case single
        /// `layer([x, y, ...])`: `"args": [[x, y, ...]]` (merges, Attention).
        case list
        /// `layer(x, y)`: `"args": [x, y]` (MultiHeadAttention's query and value).
        case positional
    }

    /// The Keras class name (`Conv2D`).
    let className: String
    /// Config fields to set on the template, in order.
    var config: [(String, JSONValue)]
    /// The output shape without the batch axis.
    var outputShape: [Int]
    /// How the call passes its inputs.
    var arguments: Arguments = .single
    /// The call's keyword arguments (`use_causal_mask`).
    var kwargs: [(String, JSONValue)] = []
    /// A `build_config` other than `{"input_shape": ...}` (MultiHeadAttention's `shapes_dict`).
    var buildConfig: JSONValue?
    /// The output dtype when it is not the compute dtype (none of the drawn layers today).
    var outputDType: String?
    /// A quantized `Dense` or `EinsumDense`: its `dtype` (a quantized policy) and `quantization_config`,
    /// set over the model's policy when the model computes in float32 (Keras quantizes float32 layers).
    var quantization: [(String, JSONValue)]?

    init(_ className: String, _ config: [(String, JSONValue)] = [], output: [Int]) {
        self.className = className
        self.config = config
        self.outputShape = output
    }
}
