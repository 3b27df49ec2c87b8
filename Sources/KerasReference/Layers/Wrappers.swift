import KerasFormat
import KerasJSON

/// Layers owned by another layer: built from a nested config (`Bidirectional.layer`) or synthesised the way
/// Keras creates them in `build` (`MultiHeadAttention.query_dense`).
enum SubLayer {
    /// The layer a nested config envelope describes, with `config.name` replaced by `rename(name)`.
    /// The enclosing envelope was already checked for lambdas when safe mode is on.
    static func make(_ value: JSONValue?, pointer: String, rename: ((String) -> String)? = nil,
                     edit: ((inout JSONObject) -> Void)? = nil) throws(ReferenceError) -> any Layer {
        guard var object = value?.objectValue, var config = object["config"]?.objectValue else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "a wrapped layer must be a layer config envelope", at: pointer)
        }
        if let rename, let name = config["name"]?.stringValue { config["name"] = .string(rename(name)) }
        edit?(&config)
        object["config"] = .object(config)
        guard let envelope = ObjectEnvelope(.object(object), pointer: pointer) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "a wrapped layer must be a layer config envelope", at: pointer)
        }
        return try LayerRegistry.make(envelope, options: LoadOptions(safeMode: false))
    }

    /// A built-in layer of `className` with `config` (Keras's own sub-layers, never in the file's config).
    static func synthesize<T: BaseLayer>(_ type: T.Type, className: String, config: JSONObject, pointer: String) throws(ReferenceError) -> T {
        let value = JSONValue.object(JSONObject([("module", .string("keras.layers")), ("class_name", .string(className)),
                                                 ("config", .object(config)), ("registered_name", .null)]))
        guard let envelope = ObjectEnvelope(value, pointer: pointer) else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "cannot synthesise \(className)", at: pointer)
        }
        return try T(envelope: envelope)
    }
}

extension String {
    /// Python's `str.removeprefix`.
    func removingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}

/// `Bidirectional` (rnn/bidirectional.py): `forward_layer` from `config.layer` (named `forward_…`) and
/// `backward_layer` from `config.backward_layer` (or the layer with `go_backwards` and `backward_…`), both
/// run on the sequence; the backward sequence output is flipped back in time, then merged by `merge_mode`
/// (`concat`, `sum`, `mul`, `ave`, or null for two outputs), states appended forward then backward.
/// No own variables; saved children `backward_layer`, `forward_layer` (attribute order).
final class Bidirectional: BaseLayer, @unchecked Sendable {
    let forward: any Layer
    let backward: any Layer

    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        let pointer = envelope.pointer + "/config"
        let layerValue = envelope.config["layer"]
        forward = try SubLayer.make(layerValue, pointer: pointer + "/layer", rename: { "forward_" + $0.removingPrefix("forward_") })
        if let backwardValue = envelope.config["backward_layer"], !backwardValue.isNull {
            backward = try SubLayer.make(backwardValue, pointer: pointer + "/backward_layer")
        } else {
            backward = try SubLayer.make(layerValue, pointer: pointer + "/layer", rename: { "backward_" + $0.removingPrefix("backward_") },
                                         edit: { $0["go_backwards"] = .bool(true) })
        }
        try super.init(envelope: envelope)
    }

    override var children: [(attribute: String, layer: any Layer)] { [("backward_layer", backward), ("forward_layer", forward)] }
    /// `__init__` assigns `forward_layer` first (BID:`self.forward_layer = ...`), so `weights` lists it first.
    override var trackedChildren: [any Layer] { [forward, backward] }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard let sequences = shapes.first else { return }
        try forward.build([sequences])
        try backward.build([sequences])
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        try call(LayerCall(inputs)).outputs
    }

    private var returnSequences: Bool { forward.envelope.config["return_sequences"]?.boolValue ?? false }
    private var returnState: Bool { forward.envelope.config["return_state"]?.boolValue ?? false }

    /// `Bidirectional.call`: the `mask` and the first and second halves of `initial_state` passed to the
    /// forward and backward layers, whose `zero_output_for_mask` Bidirectional sets to `return_sequences`.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        guard let sequences = call.input("sequences") ?? call.input("inputs") ?? call.inputs.first else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "Bidirectional needs sequences", at: name)
        }
        let states = zip(call.names, call.inputs).filter { $0.0.hasPrefix("initial_state") }.map(\.1)
        guard call.inputs.count == 1 + states.count, states.count % 2 == 0 else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "Bidirectional arguments \(call.names) are not implemented", at: name)
        }
        for layer in [forward, backward] { (layer as? Recurrent)?.zeroOutputForMask = returnSequences }
        let mask = call.mask()
        func run(_ layer: any Layer, _ initial: ArraySlice<Tensor>) throws(ReferenceError) -> [Tensor] {
            var inner = LayerCall([sequences] + initial, mask: mask.map { [$0] })
            inner.names = ["sequences"] + initial.indices.map { "initial_state.\($0 - initial.startIndex)" }
            return try layer.invoke(inner).outputs
        }
        let half = states.count / 2
        let forwardOutputs = try run(forward, states[0..<half])
        let backwardOutputs = try run(backward, states[half...])
        return LayerResult(try merge(forwardOutputs, backwardOutputs))
    }

    /// `Bidirectional.compute_mask`: the mask on the merged output (on both with `merge_mode=None`) when
    /// returning sequences; none on the states.
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        let mask = call.previousMask.first ?? nil
        let separate = config["merge_mode"] == nil
        if returnSequences { return separate ? [mask, mask] : [mask] }
        return separate ? [nil, nil] : nil
    }

    private func merge(_ forwardOutputs: [Tensor], _ backwardOutputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let y = forwardOutputs[0]
        var yReversed = backwardOutputs[0]
        if returnSequences { yReversed = yReversed.flipped(axis: 1) }
        let states = Array(forwardOutputs.dropFirst()) + Array(backwardOutputs.dropFirst())
        let mode = config["merge_mode"]?.stringValue
        let merged: [Tensor]
        switch mode {
        case "concat"?:
            guard let concatenated = try? Concatenate.join([y, yReversed], axis: y.rank - 1) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "cannot concatenate \(y.shape) and \(yReversed.shape)", at: name)
            }
            merged = [concatenated]
        case "sum"?: merged = [Tensor(shape: y.shape, scalars: zip(y.scalars, yReversed.scalars).map(+))]
        case "ave"?: merged = [Tensor(shape: y.shape, scalars: zip(y.scalars, yReversed.scalars).map { ($0 + $1) / 2 })]
        case "mul"?: merged = [Tensor(shape: y.shape, scalars: zip(y.scalars, yReversed.scalars).map(*))]
        case nil: merged = [y, yReversed]
        default: throw config.error("merge_mode", "one of concat, sum, mul, ave or null")
        }
        return merged.map(precision.round) + states
    }
}

/// `TimeDistributed` (rnn/time_distributed.py): the wrapped `layer` applied to every step of axis 1, built
/// for `(batch, *input_shape[2:])`; computed as one call on the batch and time axes folded together, which
/// equals Keras's per-step calls because every inference layer treats samples independently.
final class TimeDistributed: BaseLayer, @unchecked Sendable {
    let layer: any Layer

    required init(envelope: ObjectEnvelope) throws(ReferenceError) {
        layer = try SubLayer.make(envelope.config["layer"], pointer: envelope.pointer + "/config/layer")
        try super.init(envelope: envelope)
    }

    override var children: [(attribute: String, layer: any Layer)] { [("layer", layer)] }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard let shape = shapes.first, shape.count >= 3 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: \(shapes)", at: name)
        }
        if !(layer is any ModelLayer) { try layer.build([[shape[0]] + shape[2...]]) }
    }

    /// `TimeDistributed.call`: the mask reaches the wrapped layer only when its `call` takes one (then per
    /// step, which kconform does not implement); the output keeps the input's mask.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        if call.mask() != nil, layer.readsMasks {
            throw ReferenceError(ReferenceError.Code.notImplemented, "TimeDistributed passes its mask to \(layer.className) step by step, which kconform does not implement", at: name)
        }
        return LayerResult(try self.call(call.inputs))
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        let x = try single(inputs)
        guard x.rank >= 3 else { throw ReferenceError(ReferenceError.Code.inputMismatch, "TimeDistributed expects rank >= 3, got \(x.shape)", at: name) }
        let (batch, steps) = (x.shape[0], x.shape[1])
        let outputs = try layer.invoke([x.reshaped([batch * steps] + x.shape[2...])])
        return outputs.map { $0.reshaped([batch, steps] + $0.shape.dropFirst()) }
    }
}
