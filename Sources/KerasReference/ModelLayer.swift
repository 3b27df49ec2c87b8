import KerasFormat
import KerasJSON

/// A model used as a layer: its `layers` container comes first in the weights traversal (FORMAT.md 4.1).
protocol ModelLayer: Layer {
    /// `model.layers`: for Sequential without the InputLayer, for Functional with its InputLayers.
    var layers: [any Layer] { get }
    /// The input tensor shapes, batch included.
    var inputShapes: [Shape] { get }
}

/// Builds a layer from its `build_config` (LAY:479-494): `input_shape` is one shape or a list of shapes.
enum BuildConfig {
    static func shapes(_ envelope: ObjectEnvelope) throws(ReferenceError) -> [Shape]? {
        guard let buildConfig = envelope.buildConfig, let inputShape = buildConfig["input_shape"] else {
            // `shapes_dict`: one entry per tensor argument (`sequences_shape`, `initial_state_shape`), each a
            // shape or a list of shapes, flattened in the dict's order.
            if let shapes = envelope.buildConfig?["shapes_dict"]?.objectValue {
                var result: [Shape] = []
                for (_, value) in shapes {
                    if let list = value.arrayValue, list.contains(where: { $0.arrayValue != nil }) {
                        for item in list { result.append(try shape(item, envelope)) }
                    } else {
                        result.append(try shape(value, envelope))
                    }
                }
                return result
            }
            return nil
        }
        if inputShape.isNull { return nil }
        guard let list = inputShape.arrayValue else { throw invalid(envelope) }
        if list.contains(where: { $0.arrayValue != nil }) {
            return try list.map { (item) throws(ReferenceError) in try shape(item, envelope) }
        }
        return [try shape(inputShape, envelope)]
    }

    static func shape(_ value: JSONValue, _ envelope: ObjectEnvelope) throws(ReferenceError) -> Shape {
        guard let list = value.arrayValue else { throw invalid(envelope) }
        var shape: Shape = []
        for item in list {
            if item.isNull { shape.append(nil) } else if let size = item.intValue, size >= 0 { shape.append(size) } else { throw invalid(envelope) }
        }
        return shape
    }

    private static func invalid(_ envelope: ObjectEnvelope) -> ReferenceError {
        ReferenceError(ReferenceError.Code.invalidConfig, "build_config.input_shape is not a shape or a list of shapes", at: envelope.pointer + "/build_config")
    }

    /// Builds `layer` from its envelope's build config, when it has one and is not a model.
    static func apply(to layer: any Layer) throws(ReferenceError) {
        guard !(layer is any ModelLayer), let shapes = try shapes(layer.envelope) else { return }
        try layer.build(shapes)
    }
}

/// `Sequential` (SEQ:345-396): layers applied in order; the InputLayer is not one of `layers`.
final class SequentialModel: BaseLayer, ModelLayer, @unchecked Sendable {
    private(set) var layers: [any Layer] = []
    private(set) var inputShapes: [Shape] = []
    /// Whether the config lists an InputLayer (else the input shape comes from `build_input_shape`).
    private(set) var hasInputLayer = false
    /// The InputLayer's dtype, which the inputs are cast to.
    private(set) var inputDType: TensorDType?

    init(envelope: ObjectEnvelope, options: LoadOptions) throws(ReferenceError) {
        try super.init(envelope: envelope)
        guard let entries = envelope.config["layers"]?.arrayValue else { throw config.error("layers", "a list of layer envelopes") }
        for (index, entry) in entries.enumerated() {
            let pointer = config.pointer + "/layers/" + String(index)
            guard let layerEnvelope = ObjectEnvelope(entry, pointer: pointer) else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "layer entry is not an envelope", at: pointer)
            }
            let layer = try LayerRegistry.make(layerEnvelope, options: options)
            if let input = layer as? InputLayer {
                inputShapes = [input.batchShape]
                hasInputLayer = true
                inputDType = input.dtype
            } else {
                try BuildConfig.apply(to: layer)
                layers.append(layer)
            }
        }
        if inputShapes.isEmpty, config["build_input_shape"] != nil { inputShapes = [try config.shape("build_input_shape")] }
    }

    required convenience init(envelope: ObjectEnvelope) throws(ReferenceError) {
        try self.init(envelope: envelope, options: LoadOptions())
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        try run(GraphValue(try single(inputs))).map(\.tensor)
    }

    /// `Sequential.call(inputs, mask=...)`: each layer called on the previous one's output through
    /// ``KerasCall``, as the Functional Keras builds for it calls them, so masks pass from layer to layer
    /// and leave with the outputs.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        let tensor = try single(call.inputs)
        let value = call.values.first.flatMap { $0 }.flatMap { $0.tensor == tensor ? $0 : nil } ?? GraphValue(tensor)
        if let mask = call.mask() { value.mask = mask }
        let outputs = try run(value)
        return LayerResult(outputs.map(\.tensor), masks: outputs.map(\.mask))
    }

    private func run(_ input: GraphValue) throws(ReferenceError) -> [GraphValue] {
        var current = [input]
        if let dtype = inputDType, dtype != input.tensor.dtype { current = [GraphValue(input.tensor.cast(to: dtype), mask: input.mask)] }
        for layer in layers {
            let argument = KerasCall.Argument(parameter: layer.callParameters.first ?? "inputs",
                                              tensors: current.count == 1 ? [(layer.callParameters.first ?? "inputs", current[0])]
                                                  : current.enumerated().map { ("inputs.\($0)", $1) })
            let outputs = try KerasCall.invoke(layer, arguments: [argument], node: nil)
            CallRecorder.current?.record(layer: layer.name, node: 0, inputs: argument.tensors.map { ($0.path, $0.value.tensor.shape, $0.value.tensor.dtype) },
                                         outputs: outputs.map(\.tensor))
            current = outputs
        }
        return current
    }
}
