import KerasFormat
import KerasJSON

/// The base of a layer class supplied by a Swift user for a custom Keras layer (a class saved with a
/// `registered_name` such as `"my_pkg>Scale"`): it is built from its config envelope, creates its
/// variables in ``makeVariables(_:)`` in the order Keras saves them, and computes its forward pass in
/// ``call(_:)``. Register the subclass in ``CustomObjects``.
///
///     final class Scale: CustomLayer, @unchecked Sendable {
///         override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
///             addVariable("scale", shape: [shapes[0].last!!])
///         }
///         override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] { ... }
///     }
///
/// Variables are created from the envelope's `build_config` when loading (LAY:479-494), or on the first call.
open class CustomLayer: Layer, @unchecked Sendable {
    /// The envelope the layer was built from; re-saving writes it unchanged.
    public let envelope: ObjectEnvelope
    /// `config.name`.
    public let name: String
    /// The variables in creation order, which is the order Keras writes them (`vars/0..n-1`).
    public private(set) var variables: [Variable] = []
    /// Whether ``build(_:)`` has run.
    public private(set) var isBuilt = false
    /// The precision of the layer's dtype policy (`config.dtype`).
    public let precision: Precision

    /// Reads `config.name` and the dtype policy; override to read more of `envelope.config`, throwing
    /// `ReferenceError.Code.invalidConfig` for a bad value.
    public required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        self.envelope = envelope
        guard let name = envelope.config["name"]?.stringValue else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "\"name\" must be a string", at: envelope.pointer + "/config/name")
        }
        self.name = name
        let policy = envelope.config["dtype"]
        self.precision = Precision(policy: policy?["config"]?["name"]?.stringValue ?? policy?.stringValue)
    }

    /// Sub-layers held in attributes, in Keras's traversal order; none by default.
    open var children: [(attribute: String, layer: any Layer)] { [] }

    /// Marks the layer built and calls ``makeVariables(_:)`` once.
    public final func build(_ shapes: [Shape]) throws(ReferenceError) {
        guard !isBuilt else { return }
        isBuilt = true
        try makeVariables(shapes)
    }

    /// Creates the variables for inputs of `shapes` with ``addVariable(_:shape:dtype:trainable:)``; none by default.
    open func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {}

    /// The forward pass at inference; the default names the layer as having no math.
    open func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        throw ReferenceError(ReferenceError.Code.notImplemented, "\(envelope.className) has no forward math", at: name)
    }

    /// Declares a variable of zeros, saved after the ones declared before it. Keras saves trainable
    /// variables before non-trainable ones (LAY:1469-1471); declare them in that order.
    @discardableResult
    public final func addVariable(_ name: String, shape: [Int], dtype: String = "float32", trainable: Bool = true) -> Variable {
        let variable = Variable(name: name, shape: shape, dtype: dtype, trainable: trainable)
        variables.append(variable)
        return variable
    }
}
