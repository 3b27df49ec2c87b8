import Foundation
import KerasFormat
import KerasJSON

/// The recorded call (`inbound_nodes[i]`: `args`, `kwargs`) a Functional is replaying, for layers whose
/// forward pass depends on call arguments (`use_causal_mask`, which tensor is the `key`).
enum CallContext {
    /// The node being replayed; nil outside a Functional's call loop.
    @TaskLocal static var node: JSONValue?

    /// `layer.invoke(inputs)` with `node` as the current recorded call.
    static func invoke(_ layer: any Layer, _ inputs: [Tensor], node: JSONValue?) throws(ReferenceError) -> [Tensor] {
        do {
            return try $node.withValue(node) { try layer.invoke(inputs) }
        } catch let error as ReferenceError {
            throw error
        } catch {
            throw ReferenceError(ReferenceError.Code.invalidGraph, "\(error)", at: layer.name)
        }
    }

    /// `layer.call(call)` (built and rounded to its precision as ``Layer/invoke(_:)``) with `node` as the
    /// current recorded call; the masks the layer set stay with its outputs.
    static func invoke(_ layer: any Layer, _ call: LayerCall, node: JSONValue?) throws(ReferenceError) -> LayerResult {
        do {
            return try $node.withValue(node) { () throws(ReferenceError) -> LayerResult in
                if !layer.isBuilt { try layer.build(call.inputs.map { $0.shape.map(Optional.some) }) }
                let precision = layer.precision
                var rounded = call
                rounded.inputs = call.inputs.map(precision.round)
                var result = try layer.call(rounded)
                result.outputs = result.outputs.map(precision.round)
                return result
            }
        } catch let error as ReferenceError {
            throw error
        } catch {
            throw ReferenceError(ReferenceError.Code.invalidGraph, "\(error)", at: layer.name)
        }
    }
}

/// The non-tensor keyword arguments of a layer's call (`kwargs`: `use_causal_mask`,
/// `return_attention_scores`), and how a node records its arguments: from the call a Functional is
/// replaying, or outside one from every recorded call, which must then agree.
struct CallArguments {
    let nodes: [JSONValue]
    let layer: String

    /// The call being replayed when a Functional runs the layer, else every recorded call.
    init(_ envelope: ObjectEnvelope, layer: String) {
        nodes = CallContext.node.map { [$0] } ?? envelope.object["inbound_nodes"]?.arrayValue ?? []
        self.layer = layer
    }

    /// The value of keyword `key` shared by every recorded call; nil when no call passes it.
    func value(_ key: String) throws(ReferenceError) -> JSONValue? {
        let values = nodes.map { node -> JSONValue? in
            guard let value = Self.keywordArguments(node)[key], !value.isNull else { return nil }
            return value
        }
        guard let first = values.first else { return nil }
        guard values.allSatisfy({ $0 == first }) else {
            throw ReferenceError(ReferenceError.Code.notImplemented, "calls of this layer pass different \(key) values", at: layer)
        }
        return first
    }

    func flag(_ key: String) throws(ReferenceError) -> Bool { try value(key)?.boolValue ?? false }

    /// The positional arguments of a node: Keras 3's `args`, or for a tf-keras node list
    /// `[[layer, node, tensor, kwargs], ...]` the one first argument it records (a tensor, or a list of them).
    static func positionalArguments(_ node: JSONValue) -> [JSONValue] {
        guard let entries = node.arrayValue else { return node["args"]?.arrayValue ?? [] }
        let tensors = entries.map { entry in JSONValue.array(Array((entry.arrayValue ?? []).prefix(3))) }
        return tensors.count == 1 ? tensors : [.array(tensors)]
    }

    /// The keyword arguments of a node: Keras 3's `kwargs`, or the dict tf-keras stores with each tensor of
    /// a node list (the last one's, which tf-keras calls the layer with).
    static func keywordArguments(_ node: JSONValue) -> JSONObject {
        guard let entries = node.arrayValue else { return node["kwargs"]?.objectValue ?? JSONObject() }
        return entries.last?[3]?.objectValue ?? JSONObject()
    }
}

/// `Attention` (attention/attention.py), Luong-style: inputs `[query, value]` or `[query, value, key]`;
/// scores `q · kᵀ` (times `scale` with `use_scale`) or, with `score_mode: "concat"`,
/// `concat_score_weight * sum(tanh(scale * (q + k)))`; softmax over the value steps (causal mask from the
/// call's `use_causal_mask`, value mask from the call's `mask`), then `weights · v`, zero where the query
/// mask is false. Variables `[scale]` with `use_scale`, then
/// `[concat_score_weight]` with `concat`; both scalars.
final class AttentionLayer: BaseLayer, @unchecked Sendable {
    private var scale: Variable?
    private var concatScoreWeight: Variable?

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        if try config.bool("use_scale", default: false) { scale = try addVariable("scale", []) }
        if try config.string("score_mode", default: "dot") == "concat" { concatScoreWeight = try addVariable("concat_score_weight", []) }
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        try call(LayerCall(inputs)).outputs
    }

    /// `mask` is `[query_mask, value_mask]` (given, or filled in from the inputs' Keras masks).
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        var tensors: [String: Tensor] = [:]
        for (argument, tensor) in zip(call.names, call.inputs) { tensors[argument] = tensor }
        for (index, mask) in (call.masks["mask"] ?? []).enumerated() { if let mask { tensors["mask.\(index)"] = mask } }
        return LayerResult(try attend(tensors))
    }

    /// `Attention.compute_mask`: the query's mask.
    override func computeMask(_ call: LayerCall) throws(ReferenceError) -> [Tensor?]? {
        guard let queryMask = call.masks["mask"]?.first, let queryMask else { return nil }
        return [queryMask]
    }

    private func attend(_ tensors: [String: Tensor]) throws(ReferenceError) -> [Tensor] {
        let arguments = CallArguments(envelope, layer: name)
        let names = Array(tensors.keys)
        let inputs = Array(tensors.values)
        guard let query = tensors["inputs.0"], let value = tensors["inputs.1"], Set(names).isSubset(of: ["inputs.0", "inputs.1", "inputs.2", "mask.0", "mask.1", "mask.2"]),
              [query, value].allSatisfy({ $0.rank == 3 }) else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "Attention takes [query, value] or [query, value, key] of rank 3 and a mask list, got \(names) \(inputs.map(\.shape))", at: name)
        }
        let key = tensors["inputs.2"] ?? value
        let (batch, queries, steps) = (query.shape[0], query.shape[1], key.shape[1])
        guard key.shape[2] == query.shape[2], key.shape[0] == batch, value.shape[0] == batch, value.shape[1] == steps else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "Attention inputs do not fit: \(inputs.map(\.shape))", at: name)
        }
        let dim = query.shape[2]
        let scaleValue = scale.map { precision.round($0.values[0]) }
        var scores = [Float](repeating: 0, count: batch * queries * steps)
        if try config.string("score_mode", default: "dot") == "concat" {
            let weight = precision.round(concatScoreWeight?.values.first ?? 1)
            for sample in 0..<batch {
                for row in 0..<queries {
                    for column in 0..<steps {
                        var total: Float = 0
                        for feature in 0..<dim {
                            let sum = query.scalars[(sample * queries + row) * dim + feature] + key.scalars[(sample * steps + column) * dim + feature]
                            total += tanh(scaleValue.map { $0 * sum } ?? sum)
                        }
                        scores[(sample * queries + row) * steps + column] = weight * total
                    }
                }
            }
        } else {
            let keysTransposed = key.transposed([0, 2, 1])
            for sample in 0..<batch {
                let product = LinearAlgebra.matmul(Array(query.scalars[(sample * queries * dim)..<((sample + 1) * queries * dim)]),
                                                   Array(keysTransposed.scalars[(sample * dim * steps)..<((sample + 1) * dim * steps)]),
                                                   m: queries, k: dim, n: steps)
                for index in product.indices { scores[sample * queries * steps + index] = scaleValue.map { product[index] * $0 } ?? product[index] }
            }
        }
        // `scores - 1e9` where the value mask is false or, with `use_causal_mask`, the key step is after the
        // query step (`_calculate_score_mask`, `_apply_scores`).
        let valueMask = tensors["mask.1"]
        let causal = try arguments.flag("use_causal_mask")
        if causal || valueMask != nil {
            for sample in 0..<batch {
                for row in 0..<queries {
                    for column in 0..<steps {
                        let hidden = (causal && row < column) || (valueMask.map { $0.scalars[sample * steps + column] == 0 } ?? false)
                        if hidden { scores[(sample * queries + row) * steps + column] -= 1e9 }
                    }
                }
            }
        }
        let weights = SoftmaxLayer.softmax(Tensor(shape: [batch, queries, steps], scalars: precision.round(scores)), axes: [2])
        let valueDim = value.shape[2]
        var output: [Float] = []
        output.reserveCapacity(batch * queries * valueDim)
        for sample in 0..<batch {
            output += LinearAlgebra.matmul(Array(weights.scalars[(sample * queries * steps)..<((sample + 1) * queries * steps)]),
                                           Array(value.scalars[(sample * steps * valueDim)..<((sample + 1) * steps * valueDim)]),
                                           m: queries, k: steps, n: valueDim)
        }
        if let queryMask = tensors["mask.0"] {
            for sample in 0..<batch {
                for row in 0..<queries where queryMask.scalars[sample * queries + row] == 0 {
                    for feature in 0..<valueDim { output[(sample * queries + row) * valueDim + feature] = 0 }
                }
            }
        }
        let result = Tensor(shape: [batch, queries, valueDim], scalars: output)
        return try arguments.flag("return_attention_scores") ? [result, weights] : [result]
    }
}

/// `MultiHeadAttention` (attention/multi_head_attention.py): `query_dense`, `key_dense`, `value_dense`
/// (EinsumDense to `(…, num_heads, key_dim|value_dim)`), scaled dot-product attention over
/// `attention_axes` with a softmax over the key attention axes (causal mask from the call's
/// `use_causal_mask`), optional sigmoid `gate`, then `output_dense` back to the query's last dimension or
/// `output_shape`. No own variables; children in Keras's attribute order: `key_dense`, `output_dense`,
/// `query_dense`, `value_dense`, then `_dropout_layer`, `_gate_dense`, `_softmax` (variable-free ones too,
/// since Keras writes their empty `vars` groups).
final class MultiHeadAttention: BaseLayer, @unchecked Sendable {
    private var queryDense: EinsumDense?
    private var keyDense: EinsumDense?
    private var valueDense: EinsumDense?
    private var outputDense: EinsumDense?
    private var gateDense: EinsumDense?
    private var dropoutLayer: IdentityAtInference?
    private var softmaxLayer: SoftmaxLayer?
    private var dotProductEquation = ""
    private var combineEquation = ""
    private var attentionAxes: [Int] = []
    private var scoresRank = 0

    override var children: [(attribute: String, layer: any Layer)] {
        var list: [(attribute: String, layer: any Layer)] = []
        if let keyDense { list.append(("key_dense", keyDense)) }
        if let outputDense { list.append(("output_dense", outputDense)) }
        if let queryDense { list.append(("query_dense", queryDense)) }
        if let valueDense { list.append(("value_dense", valueDense)) }
        if let dropoutLayer { list.append(("_dropout_layer", dropoutLayer)) }
        if let gateDense { list.append(("_gate_dense", gateDense)) }
        if let softmaxLayer { list.append(("_softmax", softmaxLayer)) }
        return list
    }

    /// `build` assigns query, key, gate, value, output dense layers in that order (MHA:266-360), which orders
    /// `layer.weights` and so legacy `.h5` files.
    override var trackedChildren: [any Layer] {
        [queryDense, keyDense, gateDense, valueDense, outputDense, softmaxLayer, dropoutLayer].compactMap { $0 }
    }

    private static func letter(_ index: Int) -> String { String(UnicodeScalar(UInt8(ascii: "a") + UInt8(index))) }

    /// `_build_proj_equation`: equation, bias axes and output rank.
    private static func projection(free: Int, bound: Int, output: Int) -> (String, String, Int) {
        var (input, kernel, out, bias) = ("", "", "", "")
        for index in 0..<free { input += letter(index); out += letter(index) }
        for index in free..<(free + bound) { input += letter(index); kernel += letter(index) }
        for index in (free + bound)..<(free + bound + output) { kernel += letter(index); out += letter(index); bias += letter(index) }
        return ("\(input),\(kernel)->\(out)", bias, out.count)
    }

    private func dense(_ name: String, free: Int, bound: Int, lastDims: [Int], activation: String = "linear",
                       shape: Shape) throws(ReferenceError) -> EinsumDense {
        let (equation, biasAxes, outputRank) = Self.projection(free: free, bound: bound, output: lastDims.count)
        let outputShape: [JSONValue] = [JSONValue](repeating: .null, count: outputRank - 1 - lastDims.count) + lastDims.map { .number(JSONNumber($0)) }
        var sub = JSONObject()
        sub["name"] = .string(name)
        sub["trainable"] = envelope.config["trainable"] ?? .bool(true)
        sub["dtype"] = envelope.config["dtype"] ?? .null
        sub["equation"] = .string(equation)
        sub["output_shape"] = .array(outputShape)
        sub["activation"] = .string(activation)
        sub["bias_axes"] = try config.bool("use_bias", default: true) ? .string(biasAxes) : .null
        let layer = try SubLayer.synthesize(EinsumDense.self, className: "EinsumDense", config: sub, pointer: envelope.pointer + "/config")
        try layer.build([shape])
        return layer
    }

    override func makeVariables(_ shapes: [Shape]) throws(ReferenceError) {
        guard shapes.count == 2 || shapes.count == 3 else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "MultiHeadAttention builds from query, value (and key) shapes, got \(shapes)", at: name)
        }
        let (queryShape, valueShape) = (shapes[0], shapes[1])
        let keyShape = shapes.count == 3 ? shapes[2] : valueShape
        let heads = try config.int("num_heads")
        let keyDim = try config.int("key_dim")
        let valueDim = try config.int("value_dim", default: keyDim)
        guard let queryLast = queryShape.last ?? nil else { throw ReferenceError(ReferenceError.Code.invalidConfig, "unknown query features", at: name) }
        queryDense = try dense("query", free: queryShape.count - 1, bound: 1, lastDims: [heads, keyDim], shape: queryShape)
        keyDense = try dense("key", free: keyShape.count - 1, bound: 1, lastDims: [heads, keyDim], shape: keyShape)
        if try config.bool("use_gate", default: false) {
            gateDense = try dense("gate", free: queryShape.count - 1, bound: 1, lastDims: [heads, valueDim], activation: "sigmoid", shape: queryShape)
        }
        valueDense = try dense("value", free: valueShape.count - 1, bound: 1, lastDims: [heads, valueDim], shape: valueShape)
        let rank = valueShape.count + 1
        if let axes = config["attention_axes"] {
            let list = axes.intValue.map { [$0] } ?? axes.arrayValue?.compactMap(\.intValue) ?? []
            attentionAxes = list.map { $0 >= 0 ? $0 : (rank - 1) + $0 }
        } else {
            attentionAxes = Array(1..<(rank - 2))
        }
        buildAttentionEquations(rank: rank)
        let outputDims: [Int]
        if let shape = config["output_shape"] {
            outputDims = shape.intValue.map { [$0] } ?? shape.arrayValue?.compactMap(\.intValue) ?? []
        } else {
            outputDims = [queryLast]
        }
        let projected: Shape = Array(queryShape.dropLast()) + [heads, valueDim]
        outputDense = try dense("attention_output", free: queryShape.count - 1, bound: 2, lastDims: outputDims, shape: projected)
        // `_build_attention`: the Softmax, then the Dropout, both named by `auto_name`.
        var softmax = JSONObject()
        softmax["name"] = .string(AutoName.make("softmax"))
        softmax["axis"] = .array(((scoresRank - attentionAxes.count)..<scoresRank).map { .number(JSONNumber($0)) })
        var dropout = JSONObject()
        dropout["name"] = .string(AutoName.make("dropout"))
        dropout["rate"] = envelope.config["dropout"] ?? .number(JSONNumber(0))
        dropoutLayer = try SubLayer.synthesize(IdentityAtInference.self, className: "Dropout", config: dropout, pointer: envelope.pointer + "/config")
        softmaxLayer = try SubLayer.synthesize(SoftmaxLayer.self, className: "Softmax", config: softmax, pointer: envelope.pointer + "/config")
    }

    /// `_build_attention_equation`.
    private func buildAttentionEquations(rank: Int) {
        let target = (0..<rank).map(Self.letter)
        let batchDims = (0..<rank).filter { !attentionAxes.contains($0) && $0 != rank - 1 }
        var offset = rank
        var source: [String] = []
        for index in 0..<rank {
            if batchDims.contains(index) || index == rank - 1 { source.append(target[index]) } else {
                source.append(Self.letter(offset))
                offset += 1
            }
        }
        let product = batchDims.map { target[$0] } + attentionAxes.map { target[$0] } + attentionAxes.map { source[$0] }
        dotProductEquation = "\(source.joined()),\(target.joined())->\(product.joined())"
        combineEquation = "\(product.joined()),\(source.joined())->\(target.joined())"
        scoresRank = product.count
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        try call(LayerCall(inputs)).outputs
    }

    /// `MultiHeadAttention.call`: the query's Keras mask is read and the Keras masks of query, value and key
    /// are cleared (on the graph values themselves, so later consumers of those tensors see no mask,
    /// unless the layer's autocast made a copy); `query_mask`, `value_mask` and `key_mask` are the mask
    /// arguments `Layer.__call__` filled in; the output carries the query's mask.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        var tensors: [String: Tensor] = [:]
        let names = call.names == ["inputs"] || call.names.allSatisfy({ $0.hasPrefix("inputs.") })
            ? Array(["query", "value", "key"].prefix(call.inputs.count)) : call.names
        for (argument, tensor) in zip(names, call.inputs) { tensors[argument] = tensor }
        for parameter in ["value_mask", "key_mask"] { if let mask = call.mask(parameter) { tensors[parameter] = mask } }
        var queryMask: Tensor?
        for (index, argument) in names.enumerated() where ["query", "value", "key"].contains(argument) {
            guard index < call.values.count, let value = call.values[index] else { continue }
            if argument == "query" { queryMask = value.mask }
            // `DTypePolicy.convert_input` returns the same tensor when no cast is needed.
            if !value.tensor.dtype.isFloat || value.tensor.dtype == precision.dtype { value.mask = nil }
        }
        if let queryMask { tensors["query_mask"] = queryMask }
        let outputs = try attend(tensors)
        return LayerResult(outputs, masks: [queryMask] + outputs.dropFirst().map { _ in nil })
    }

    private func attend(_ tensors: [String: Tensor]) throws(ReferenceError) -> [Tensor] {
        let arguments = CallArguments(envelope, layer: name)
        if let unsupported = tensors.keys.first(where: { !["query", "value", "key", "query_mask", "value_mask", "key_mask", "attention_mask"].contains($0) }) {
            throw ReferenceError(ReferenceError.Code.notImplemented, "MultiHeadAttention argument \(unsupported) is not implemented", at: name)
        }
        guard let query = tensors["query"], let value = tensors["value"] else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "MultiHeadAttention needs query and value", at: name)
        }
        let key = tensors["key"] ?? value
        guard let queryDense, let keyDense, let valueDense, let outputDense else {
            throw ReferenceError(ReferenceError.Code.invalidConfig, "MultiHeadAttention was never built", at: name)
        }
        let returnScores = try arguments.flag("return_attention_scores")
        let mask = try attentionMask(query: query, value: value, tensors: tensors, causal: try arguments.flag("use_causal_mask"))
        let gate = try gateDense?.invoke([query])[0]
        var projectedQuery = try queryDense.invoke([query])[0]
        let projectedKey = try keyDense.invoke([key])[0]
        let projectedValue = try valueDense.invoke([value])[0]
        let inverseRoot = precision.round(Float(1 / Double(try config.int("key_dim")).squareRoot()))
        projectedQuery = precision.round(projectedQuery.map { $0 * inverseRoot })
        let dot = try Einsum(dotProductEquation, leftRank: projectedKey.rank, rightRank: projectedQuery.rank, layer: name)
        var scores = precision.round(try dot.apply(projectedKey, projectedQuery, layer: name))
        let normAxes = Array((scoresRank - attentionAxes.count)..<scoresRank)
        var weights: Tensor
        if let mask {
            // The mask gains size-1 axes at -2 * len(attention_axes) - 1 (the heads) up to the scores' rank.
            var expanded = mask
            while expanded.rank < scores.rank {
                let position = expanded.rank + 1 - (2 * attentionAxes.count + 1)
                var shape = expanded.shape
                shape.insert(1, at: max(position, 0))
                expanded = expanded.reshaped(shape)
            }
            // JAX's dot_product_attention (rank-4 projections, no dropout, no scores returned) fills masked
            // logits with -0.7 * float32 max and keeps a fully masked row uniform; the Softmax layer path
            // fills -1e9 and zeroes the masked weights afterwards.
            let dropout = try config.float("dropout", default: 0)
            let fused = projectedQuery.rank == 4 && !returnScores && dropout == 0
            let fill: Float = fused ? -0.7 * Float.greatestFiniteMagnitude : -1e9
            guard let masked = scores.broadcast(with: expanded, { $1 != 0 ? $0 : fill }), masked.shape == scores.shape else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "attention mask \(mask.shape) does not broadcast to scores \(scores.shape)", at: name)
            }
            scores = masked
            weights = SoftmaxLayer.softmax(scores, axes: normAxes)
            if !fused, let zeroed = weights.broadcast(with: expanded, { $1 != 0 ? $0 : 0 }) { weights = zeroed }
        } else {
            weights = SoftmaxLayer.softmax(scores, axes: normAxes)
        }
        weights = precision.round(weights)
        let combine = try Einsum(combineEquation, leftRank: weights.rank, rightRank: projectedValue.rank, layer: name)
        var attended = precision.round(try combine.apply(weights, projectedValue, layer: name))
        if let gate {
            guard let gated = attended.broadcast(with: gate, *) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "gate \(gate.shape) does not match \(attended.shape)", at: name)
            }
            attended = precision.round(gated)
        }
        let output = try outputDense.invoke([attended])[0]
        return returnScores ? [output, weights] : [output]
    }

    /// `_compute_attention_mask` as 0/1 values broadcastable to `(batch, T, S)`: the query's Keras mask as
    /// `(batch, T, 1)`, `value_mask` and `key_mask` as `(batch, 1, S)`, the causal and sliding-window masks
    /// as `(1, T, S)`, `attention_mask` as given (nonzero is kept), combined with `&`; nil when there is none.
    private func attentionMask(query: Tensor, value: Tensor, tensors: [String: Tensor], causal: Bool) throws(ReferenceError) -> Tensor? {
        var parts: [Tensor] = []
        func boolean(_ tensor: Tensor) -> Tensor { tensor.map { $0 != 0 ? 1 : 0 } }
        if let mask = tensors["query_mask"], mask.rank >= 1 {
            parts.append(boolean(mask).reshaped(mask.shape + [1]))
        }
        for key in ["value_mask", "key_mask"] {
            if let mask = tensors[key], mask.rank >= 1 {
                parts.append(boolean(mask).reshaped(Array(mask.shape.dropLast()) + [1, mask.shape[mask.rank - 1]]))
            }
        }
        let (queryLength, valueLength) = (query.rank > 1 ? query.shape[1] : 1, value.rank > 1 ? value.shape[1] : 1)
        func positional(_ keep: (Int, Int) -> Bool) -> Tensor {
            var values = [Float](repeating: 0, count: queryLength * valueLength)
            for row in 0..<queryLength { for column in 0..<valueLength where keep(row, column) { values[row * valueLength + column] = 1 } }
            return Tensor(shape: [1, queryLength, valueLength], scalars: values)
        }
        if causal { parts.append(positional { $0 >= $1 }) }
        if config["sliding_window"] != nil {
            let window = try config.int("sliding_window")
            parts.append(positional { abs($0 - $1) < window })
        }
        if let mask = tensors["attention_mask"] { parts.append(boolean(mask)) }
        guard var combined = parts.first else { return nil }
        for part in parts.dropFirst() {
            guard let both = combined.broadcast(with: part, *) else {
                throw ReferenceError(ReferenceError.Code.inputMismatch, "attention masks \(combined.shape) and \(part.shape) do not broadcast", at: name)
            }
            combined = both
        }
        return combined
    }
}
