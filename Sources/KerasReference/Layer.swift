import KerasBytes
import KerasFormat
import KerasJSON

/// A shape with an unknown batch dimension: `[nil, 3]`.
public typealias Shape = [Int?]

/// A Keras layer in the reference core: built from its config envelope, holding its variables in the
/// order Keras saves them, and computing its forward pass on float32 tensors.
public protocol Layer: AnyObject, Sendable {
    /// The envelope the layer was built from, kept to re-save it unchanged.
    var envelope: ObjectEnvelope { get }
    /// The layer name.
    var name: String { get }
    /// The layer's own variables, in the order Keras writes them to `<path>/vars/0..n-1`.
    var variables: [Variable] { get }
    /// Saveable attributes holding other layers, in Keras's traversal order (`cell`, `query_dense`).
    var children: [(attribute: String, layer: any Layer)] { get }
    /// The same sublayers in the order Keras tracks them, which is the order of `layer.weights` that legacy
    /// `.h5` files use (`Bidirectional`: forward, then backward; saving sorts them by attribute instead).
    var trackedChildren: [any Layer] { get }
    /// Whether ``build(_:)`` has run (from `build_config` or on first call).
    var isBuilt: Bool { get }
    /// The precision the layer computes in, from its dtype policy.
    var precision: Precision { get }
    /// Creates the variables for inputs of `shapes` (one per input tensor).
    func build(_ shapes: [Shape]) throws(ReferenceError)
    /// The forward pass at inference (no dropout, moving statistics).
    func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor]
    /// The forward pass with the mask arguments `Layer.__call__` passes (``LayerCall``); outputs may carry
    /// masks set during the call. The default refuses a mask the class reads and calls ``call(_:)-([Tensor])``.
    func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult
    /// `supports_masking` of the instance: whether `compute_mask` runs on its outputs.
    var supportsMasking: Bool { get }
    /// `compute_mask(inputs, previous_mask)`: one mask (or nil) per output, or nil for none at all.
    func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]?
}

extension Layer {
    /// The sublayers in ``children`` order, for layers whose tracking order is their saving order.
    public var trackedChildren: [any Layer] { children.map(\.layer) }

    /// A layer that reads masks in Keras refuses a call holding one (it would predict other numbers);
    /// otherwise masks do not change the math.
    public func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        try refuseUnreadMasks(call)
        return LayerResult(try self.call(call.inputs))
    }

    /// Keras's class supports masking (``KerasCallFacts``); false for classes Keras does not define.
    public var supportsMasking: Bool { KerasCallFacts.layers[className]?.supportsMasking ?? false }

    /// Keras's default `compute_mask` returns `previous_mask`; a class with its own `compute_mask` must
    /// implement it here, or is refused when a mask reaches it.
    public func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        let owner = KerasCallFacts.layers[className]?.computeMaskOwner ?? "Layer"
        guard owner == "Layer" else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) computes masks with \(owner).compute_mask, which kconform does not implement", at: name)
        }
        return call.previousMask
    }

    /// Throws ``ReferenceError/Code/notImplemented`` when `call` holds a mask for a parameter the layer does
    /// not implement.
    func refuseUnreadMasks(_ call: LayerCall) throws(ReferenceError) {
        if let (parameter, _) = call.masks.first(where: { $0.value.contains { $0 != nil } }) {
            throw ReferenceError(ReferenceError.Code.notImplemented,
                                 "\(className) reads its `\(parameter)` argument in Keras, and kconform does not implement masked \(className)", at: name)
        }
    }

    /// The class name from the envelope (`Dense`).
    public var className: String { envelope.className }

    /// Builds from the inputs' shapes when not built yet (Keras builds on first call), then calls.
    func invoke(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        if !isBuilt { try build(inputs.map { $0.shape.map(Optional.some) }) }
        let precision = self.precision
        return try call(inputs.map(precision.round)).map(precision.round)
    }
}

/// Shared plumbing of the built-in layers: the config, the build from `build_config`, the variables.
///
/// Subclasses override ``build(_:)`` to create variables and ``call(_:)`` for the math; a layer that
/// overrides neither still loads (variables come from the file) and re-saves, and `call` names it as not
/// implemented.
class BaseLayer: Layer, @unchecked Sendable {
    let envelope: ObjectEnvelope
    let config: ConfigReader
    let name: String
    var variables: [Variable] = []
    var children: [(attribute: String, layer: any Layer)] { [] }
    var trackedChildren: [any Layer] { children.map(\.layer) }
    private(set) var isBuilt = false
    let precision: Precision

    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        self.envelope = envelope
        self.config = ConfigReader(envelope.config, pointer: envelope.pointer + "/config")
        self.name = try config.string("name")
        let policy = envelope.config["dtype"]
        self.precision = Precision(policy: policy?["config"]?["name"]?.stringValue ?? policy?.stringValue)
    }

    /// Marks the layer built and lets the subclass create its variables in ``makeVariables(_:)``.
    final func build(_ shapes: [Shape]) throws(ReferenceError) {
        guard !isBuilt else { return }
        isBuilt = true
        try makeVariables(shapes)
    }

    /// Creates the variables for inputs of `shapes`; the default has none.
    func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {}

    func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        throw ReferenceError(ReferenceError.Code.notImplemented, "\(envelope.className) has no forward math in kconform", at: name)
    }

    /// Overridden by the layers that read masks or set them during their call.
    func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        try refuseUnreadMasks(call)
        return LayerResult(try self.call(call.inputs))
    }

    var supportsMasking: Bool { KerasCallFacts.layers[className]?.supportsMasking ?? false }

    /// Overridden by the layers with their own `compute_mask`; the default is Keras's (see ``Layer``).
    func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        let owner = KerasCallFacts.layers[className]?.computeMaskOwner ?? "Layer"
        guard owner == "Layer" else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "\(className) computes masks with \(owner).compute_mask, which kconform does not implement", at: name)
        }
        return call.previousMask
    }

    /// Declares a variable in save order.
    @discardableResult
    func addVariable(_ name: String, _ shape: [Int], trainable: Bool = true, dtype: String = "float32") throws(ReferenceError) -> Variable {
        // Keras refuses negative sizes (`standardize_shape`, and each layer's own argument checks such as
        // Dense's positive `units`); the element budget bounds what a few bytes of config can allocate.
        if shape.contains(where: { $0 < 0 }) {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "Negative dimensions are not allowed in the shape argument. Received shape=\(shape) for variable \(name)", at: envelope.pointer)
        }
        guard let elements = Checked.product(shape), elements <= Variable.maxElements else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "variable \(name) of shape \(shape) exceeds kconform's budget of \(Variable.maxElements) elements per variable", at: envelope.pointer)
        }
        let variable = Variable(name: name, shape: shape, dtype: dtype, trainable: trainable)
        variables.append(variable)
        return variable
    }

    /// The single input of a one-input layer.
    func single(_ inputs: [Tensor]) throws(ReferenceError) -> Tensor {
        guard inputs.count == 1 else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "\(envelope.className) takes one input, got \(inputs.count)", at: name)
        }
        return inputs[0]
    }

    /// The last dimension of the single input shape, required known.
    func lastDimension(_ shapes: [Shape]) throws(ReferenceError) -> Int {
        guard shapes.count == 1, let last = shapes[0].last, let size = last else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "\(envelope.className) needs a known last input dimension, got \(shapes)", at: name)
        }
        return size
    }
}

/// Typed access to a config object; every failure names the JSON pointer.
struct ConfigReader: Sendable {
    let value: JSONValue
    let pointer: String

    init(_ value: JSONValue, pointer: String) {
        self.value = value
        self.pointer = pointer
    }

    func error(_ key: String, _ expected: String) -> ReferenceError {
        ReferenceError(ReferenceError.Code.invalidConfig, "\"\(key)\" must be \(expected)", at: pointer + "/" + key)
    }

    subscript(key: String) -> JSONValue? {
        guard let field = value[key], !field.isNull else { return nil }
        return field
    }

    func string(_ key: String) throws(ReferenceError) -> String {
        guard let text = value[key]?.stringValue else { throw error(key, "a string") }
        return text
    }

    func string(_ key: String, default fallback: String) throws(ReferenceError) -> String {
        guard let field = self[key] else { return fallback }
        guard let text = field.stringValue else { throw error(key, "a string") }
        return text
    }

    func int(_ key: String) throws(ReferenceError) -> Int {
        guard let number = value[key]?.intValue else { throw error(key, "an integer") }
        return number
    }

    func int(_ key: String, default fallback: Int) throws(ReferenceError) -> Int {
        guard let field = self[key] else { return fallback }
        guard let number = field.intValue else { throw error(key, "an integer") }
        return number
    }

    func float(_ key: String, default fallback: Float) throws(ReferenceError) -> Float {
        guard let field = self[key] else { return fallback }
        guard let number = field.doubleValue ?? field.intValue.map(Double.init) else { throw error(key, "a number") }
        return Float(number)
    }

    func bool(_ key: String, default fallback: Bool) throws(ReferenceError) -> Bool {
        guard let field = self[key] else { return fallback }
        guard let flag = field.boolValue else { throw error(key, "a boolean") }
        return flag
    }

    /// A list of integers, or a single integer repeated `count` times (Keras's `standardize_tuple`).
    func ints(_ key: String, count: Int, default fallback: [Int]? = nil) throws(ReferenceError) -> [Int] {
        guard let field = self[key] else {
            if let fallback { return fallback }
            throw error(key, "an integer or a list of \(count)")
        }
        if let single = field.intValue { return [Int](repeating: single, count: count) }
        guard let list = field.arrayValue, list.count == count else { throw error(key, "an integer or a list of \(count)") }
        var result: [Int] = []
        for item in list {
            guard let number = item.intValue else { throw error(key, "a list of integers") }
            result.append(number)
        }
        return result
    }

    /// A list of integers where `null` means unknown.
    func shape(_ key: String) throws(ReferenceError) -> Shape {
        guard let list = value[key]?.arrayValue else { throw error(key, "a list of dimensions") }
        var shape: Shape = []
        for item in list {
            if item.isNull { shape.append(nil) } else if let size = item.intValue { shape.append(size) } else { throw error(key, "a list of dimensions") }
        }
        // `standardize_shape` (keras/src/backend/common/variables.py) refuses negative dimensions.
        if shape.contains(where: { ($0 ?? 0) < 0 }) { throw error(key, "a shape without negative dimensions (Negative dimensions are not allowed in the shape argument)") }
        return shape
    }
}
