import KerasFormat
import KerasJSON

/// A tensor of a running graph with the Keras mask attached to it (`backend.set_keras_mask`). Keras keeps a
/// mask on the tensor object, so every consumer of one value sees the same mask, and a layer that clears
/// it (MultiHeadAttention clears its inputs' masks during its call) clears it for the consumers that run
/// after it.
final class GraphValue: @unchecked Sendable {
    let tensor: Tensor
    var mask: Tensor?

    init(_ tensor: Tensor, mask: Tensor? = nil) {
        self.tensor = tensor
        self.mask = mask
    }
}

/// One call of a layer as Keras's `Layer.__call__` makes it: the tensors bound to the parameters of the
/// class's `call`, and the mask parameters (`mask`, `<argument>_mask`) after Keras fills them in from the
/// inputs' Keras masks.
public struct LayerCall: Sendable {
    /// The tensors of every argument that is not a mask parameter, in the order the node passes them
    /// (positional arguments, then keyword arguments).
    public var inputs: [Tensor]
    /// The argument path of each input: `inputs`, `inputs.1`, `key`, `initial_state.0`.
    public var names: [String]
    /// The graph values behind ``inputs`` (nil for a call made by another layer, outside a graph).
    var values: [GraphValue?]
    /// Each mask parameter's value, flattened: one entry per tensor of the argument it masks, nil where
    /// that tensor has none. A parameter absent from the dictionary was neither passed nor filled in.
    public var masks: [String: [Tensor?]]
    /// `previous_mask`: the `mask` argument when it is given, else the Keras masks of the first argument.
    public var previousMask: [Tensor?]
    /// The tensors of the first argument (what `compute_mask` receives as `inputs`).
    public var firstArgument: [Tensor]

    /// A plain call of one or more positional tensors, as layers call their sub-layers, with an explicit
    /// `mask` argument.
    public init(_ inputs: [Tensor], mask: [Tensor?]? = nil) {
        self.inputs = inputs
        self.names = inputs.count == 1 ? ["inputs"] : inputs.indices.map { "inputs.\($0)" }
        self.values = inputs.map { _ in nil }
        self.masks = mask.map { ["mask": $0] } ?? [:]
        self.previousMask = mask ?? inputs.map { _ in nil }
        self.firstArgument = inputs
    }

    init(inputs: [Tensor], names: [String], values: [GraphValue?], masks: [String: [Tensor?]], previousMask: [Tensor?], firstArgument: [Tensor]) {
        self.inputs = inputs
        self.names = names
        self.values = values
        self.masks = masks
        self.previousMask = previousMask
        self.firstArgument = firstArgument
    }

    /// The one mask of `parameter` (`mask` of an RNN): nil when absent or None.
    public func mask(_ parameter: String = "mask") -> Tensor? { masks[parameter]?.first ?? nil }

    /// Whether any mask parameter holds a mask.
    public var hasMasks: Bool { masks.values.contains { $0.contains { $0 != nil } } }

    /// The input passed as argument path `name`.
    public func input(_ name: String) -> Tensor? { names.firstIndex(of: name).map { inputs[$0] } }
}

/// What a layer's call returns: its outputs, and the masks it set on them itself (`Masking`, the merge
/// layers, `MultiHeadAttention`), nil entries where it set none.
public struct LayerResult: Sendable {
    public var outputs: [Tensor]
    public var masks: [Tensor?]

    public init(_ outputs: [Tensor], masks: [Tensor?]? = nil) {
        self.outputs = outputs
        self.masks = masks ?? outputs.map { _ in nil }
    }
}

/// `Layer.__call__`'s handling of masks, steps 6 and 7 and `_set_mask_metadata` (keras/src/layers/layer.py):
///
/// 1. The recorded arguments are bound to the class's `call` parameters (``KerasCallFacts``).
/// 2. With one tensor argument and a `mask` parameter not passed, `mask` is the Keras masks of that
///    argument; with several, each `<argument>_mask` parameter not passed is that argument's masks.
/// 3. `previous_mask` is the `mask` argument when it is not None, else the masks of the first argument.
/// 4. After the call, a layer that supports masking puts `compute_mask(first argument, previous_mask)` on
///    every output that has no mask yet (unless every output already has one); any other layer's outputs
///    carry no mask (Keras warns that the mask is destroyed).
///
/// `keras.ops` operations are not layers: their outputs never carry a mask.
enum KerasCall {
    /// One recorded argument of a node: the `call` parameter it binds to and its tensors by path.
    struct Argument {
        let parameter: String
        var tensors: [(path: String, value: GraphValue)]
    }

    /// Calls `layer` on `arguments` (bound in signature order) with the recorded `node` as the context of
    /// its non-tensor keyword arguments; returns its outputs as graph values with their masks.
    static func invoke(_ layer: any Layer, arguments: [Argument], node: JSONValue?) throws(ReferenceError) -> [GraphValue] {
        let parameters = layer.callParameters
        // `mask`, and `<argument>_mask` for an argument of the signature (`query_mask`; not `attention_mask`).
        let isMaskParameter: (String) -> Bool = { name in
            guard !(layer is OperationLayer), parameters.contains(name) else { return false }
            return name == "mask" || (name.hasSuffix("_mask") && parameters.contains(String(name.dropLast(5))))
        }
        var inputs: [Tensor] = []
        var names: [String] = []
        var values: [GraphValue?] = []
        var masks: [String: [Tensor?]] = [:]
        for argument in arguments {
            if isMaskParameter(argument.parameter) {
                // A list of masks keeps its None entries' places: `mask=[None, value_mask]`.
                var placed: [Tensor?] = []
                for (path, value) in argument.tensors {
                    let position = path == argument.parameter ? 0 : Int(path.dropFirst(argument.parameter.count + 1).prefix { $0 != "." }) ?? placed.count
                    while placed.count <= position { placed.append(nil) }
                    placed[position] = value.tensor
                }
                masks[argument.parameter] = placed
                continue
            }
            for (path, value) in argument.tensors {
                inputs.append(value.tensor)
                names.append(path)
                values.append(value)
            }
        }
        if layer is OperationLayer {
            let outputs = try CallContext.invoke(layer, inputs, node: node)
            return outputs.map { GraphValue($0) }
        }
        // Step 6: fill in the mask parameters from the inputs' Keras masks. A passed mask argument counts
        // as a tensor argument, so an explicit `mask=` turns the one-argument rule off.
        let tensorArguments = arguments.filter { !$0.tensors.isEmpty }
        let ordered = parameters.isEmpty ? tensorArguments : tensorArguments.sorted {
            (parameters.firstIndex(of: $0.parameter) ?? Int.max) < (parameters.firstIndex(of: $1.parameter) ?? Int.max)
        }
        if ordered.count == 1 {
            if parameters.contains("mask"), masks["mask"] == nil {
                masks["mask"] = ordered[0].tensors.map(\.value.mask)
            }
        } else {
            for argument in ordered where parameters.contains(argument.parameter + "_mask") && masks[argument.parameter + "_mask"] == nil {
                masks[argument.parameter + "_mask"] = argument.tensors.map(\.value.mask)
            }
        }
        let first = parameters.first.flatMap { parameter in arguments.first { $0.parameter == parameter } } ?? arguments.first
        let firstTensors = first?.tensors.map(\.value) ?? []
        let previousMask: [Tensor?] = masks["mask"] ?? firstTensors.map(\.mask)
        let call = LayerCall(inputs: inputs, names: names, values: values, masks: masks, previousMask: previousMask,
                             firstArgument: firstTensors.map(\.tensor))
        let result = try CallContext.invoke(layer, call, node: node)
        let outputs = result.outputs.enumerated().map { index, tensor in
            GraphValue(tensor, mask: index < result.masks.count ? result.masks[index] : nil)
        }
        try setMaskMetadata(layer, call: call, outputs: outputs)
        return outputs
    }

    /// `_set_mask_metadata`: `compute_mask` onto the outputs that have no mask, unless all have one.
    static func setMaskMetadata(_ layer: any Layer, call: LayerCall, outputs: [GraphValue]) throws(ReferenceError) {
        guard layer.supportsMasking, !outputs.allSatisfy({ $0.mask != nil }) else { return }
        guard let computed = try layer.computeMask(call) else { return }
        for (output, mask) in zip(outputs, computed) where output.mask == nil {
            output.mask = mask
        }
    }
}

extension Layer {
    /// The parameter names of the Keras class's `call`, from ``KerasCallFacts`` (`["inputs"]` for a class
    /// Keras does not define, such as a custom object).
    public var callParameters: [String] {
        if self is any ModelLayer { return ["inputs", "training", "mask"] }
        return KerasCallFacts.layers[className]?.parameters ?? ["inputs"]
    }

    /// Whether any of the class's `call` parameters receives a mask.
    var readsMasks: Bool { callParameters.contains { $0 == "mask" || $0.hasSuffix("_mask") } }

    /// `layer(...)` inside a layer's own call (Keras's `__call__` of a sub-layer): builds, rounds to the
    /// layer's precision, calls with `call`'s masks, and returns the outputs with the masks `compute_mask`
    /// gives them (when the layer supports masking).
    func invoke(_ call: LayerCall) throws(ReferenceError) -> (outputs: [Tensor], masks: [Tensor?]) {
        if !isBuilt { try build(call.inputs.map { $0.shape.map(Optional.some) }) }
        let precision = self.precision
        var rounded = call
        rounded.inputs = call.inputs.map(precision.round)
        let result = try self.call(rounded)
        let outputs = result.outputs.map(precision.round)
        var masks = result.masks
        if supportsMasking, !masks.allSatisfy({ $0 != nil }), let computed = try computeMask(rounded) {
            for index in masks.indices where masks[index] == nil && index < computed.count { masks[index] = computed[index] }
        }
        if !supportsMasking { masks = outputs.map { _ in nil } }
        return (outputs, masks)
    }
}

/// The boolean mask helpers the layers share.
extension Tensor {
    /// A mask as Keras's `ops.cast(mask, "bool")`: nonzero is true.
    var asMask: Tensor { Tensor(shape: shape, scalars: scalars.map { $0 != 0 ? 1 : 0 }, dtype: .bool) }

    /// `ops.any(self, axis=-1)`: a boolean tensor without the last axis.
    var anyOverLastAxis: Tensor {
        let width = max(lastDimension, 1)
        let rows = count / width
        let values = (0..<rows).map { row in scalars[(row * width)..<((row + 1) * width)].contains { $0 != 0 } ? Float(1) : 0 }
        return Tensor(shape: Array(shape.dropLast()), scalars: values, dtype: .bool)
    }
}
