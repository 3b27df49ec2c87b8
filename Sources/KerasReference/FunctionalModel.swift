import KerasFormat
import KerasJSON

/// `Functional` (FUN:430-811): a graph of layer calls recorded as `inbound_nodes`, replayed in list order
/// and retried until no call makes progress.
final class FunctionalModel: BaseLayer, ModelLayer, @unchecked Sendable {
    /// `[layer name, node index, tensor index]`.
    struct TensorReference: Hashable {
        let layer: String
        let node: Int
        let tensor: Int
    }

    /// One recorded call of a layer: its arguments with `__keras_tensor__` markers, or a legacy node list.
    struct NodeCall {
        let arguments: JSONValue
        let pointer: String
    }

    private(set) var layers: [any Layer] = []
    private var layerByName: [String: any Layer] = [:]
    private var calls: [(layer: any Layer, nodes: [NodeCall])] = []
    private(set) var inputReferences: [TensorReference] = []
    private(set) var outputReferences: [TensorReference] = []
    /// The names of the outputs when `output_layers` is a dict.
    private(set) var outputKeys: [String]?
    /// Whether the nodes are tf-keras node lists (`[[layer, node, tensor, kwargs], ...]`), whose indices
    /// count a nested model's own construction as its node 0 (see ``firstCallNode(of:)``).
    private(set) var keras2Nodes = false

    init(envelope: ObjectEnvelope, options: LoadOptions) throws(ReferenceError) {
        try super.init(envelope: envelope)
        guard let entries = envelope.config["layers"]?.arrayValue else { throw config.error("layers", "a list of layer envelopes") }
        for (index, entry) in entries.enumerated() {
            let pointer = config.pointer + "/layers/" + String(index)
            guard let layerEnvelope = ObjectEnvelope(entry, pointer: pointer) else {
                throw ReferenceError(ReferenceError.Code.invalidConfig, "layer entry is not an envelope", at: pointer)
            }
            let layer = try LayerRegistry.make(layerEnvelope, options: options)
            try BuildConfig.apply(to: layer)
            let layerName = entry["name"]?.stringValue ?? layer.name
            guard layerByName[layerName] == nil else {
                throw ReferenceError(ReferenceError.Code.invalidGraph, "layer name \"\(layerName)\" is used twice", at: pointer)
            }
            layerByName[layerName] = layer
            // `model.layers` holds Layers only; a recorded `keras.ops` operation is not saved (FUN `layers`).
            if !(layer is OperationLayer) { layers.append(layer) }
            let nodes = entry["inbound_nodes"]?.arrayValue ?? []
            calls.append((layer, nodes.enumerated().map { NodeCall(arguments: $1, pointer: pointer + "/inbound_nodes/" + String($0)) }))
        }
        keras2Nodes = calls.contains { $0.nodes.contains { $0.arguments.arrayValue != nil } }
        inputReferences = try references("input_layers")
        let (outputs, keys) = try referencesWithKeys("output_layers")
        outputReferences = keras2Nodes ? outputs : outputs.map { reference in
            // A nested Functional's first call is recorded as node 1 here (FUN:444-459, 658-660).
            layerByName[reference.layer] is FunctionalModel
                ? TensorReference(layer: reference.layer, node: reference.node - 1, tensor: reference.tensor) : reference
        }
        outputKeys = keys
        for reference in inputReferences + outputReferences where layerByName[reference.layer] == nil {
            throw ReferenceError(ReferenceError.Code.invalidGraph, "Unknown layer: \(reference.layer)", at: config.pointer)
        }
    }

    required convenience init(envelope: ObjectEnvelope) throws(ReferenceError) {
        try self.init(envelope: envelope, options: LoadOptions())
    }

    var inputShapes: [Shape] {
        inputReferences.map { (layerByName[$0.layer] as? InputLayer)?.batchShape ?? [] }
    }

    private func references(_ key: String) throws(ReferenceError) -> [TensorReference] {
        try referencesWithKeys(key).0
    }

    /// The triples of `input_layers`/`output_layers` in structure order: a bare triple, a list, or a dict.
    private func referencesWithKeys(_ key: String) throws(ReferenceError) -> ([TensorReference], [String]?) {
        guard let value = config[key] else { throw config.error(key, "a layer reference structure") }
        if let triple = Self.triple(value) { return ([triple], nil) }
        if let object = value.objectValue {
            var result: [TensorReference] = []
            for (_, item) in object {
                guard let triple = Self.triple(item) else { throw config.error(key, "a dict of [name, node, tensor]") }
                result.append(triple)
            }
            return (result, object.keys)
        }
        guard let list = value.arrayValue else { throw config.error(key, "a layer reference structure") }
        var result: [TensorReference] = []
        for item in list {
            guard let triple = Self.triple(item) else { throw config.error(key, "a list of [name, node, tensor]") }
            result.append(triple)
        }
        return (result, nil)
    }

    /// `[name, node, tensor]` (FUN:664-676: a list of length 3 whose first item is a string).
    static func triple(_ value: JSONValue) -> TensorReference? {
        guard let items = value.arrayValue, items.count == 3 || items.count == 4, let name = items[0].stringValue,
              let node = items[1].intValue, let tensor = items[2].intValue
        else { return nil }
        return TensorReference(layer: name, node: node, tensor: tensor)
    }

    override func call(_ inputs: [Tensor]) throws(ReferenceError) -> [Tensor] {
        guard inputs.count == inputReferences.count else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "the model takes \(inputReferences.count) inputs, got \(inputs.count)", at: name)
        }
        var produced: [TensorReference: Tensor] = [:]
        for (reference, tensor) in zip(inputReferences, inputs) { produced[reference] = tensor }
        var pending: [(layer: any Layer, node: Int, call: NodeCall)] = []
        for (layer, nodes) in calls where !(layer is InputLayer) {
            for (index, node) in nodes.enumerated() { pending.append((layer, index, node)) }
        }
        let names = Dictionary(uniqueKeysWithValues: layerByName.map { (ObjectIdentifier($0.value), $0.key) })
        while !pending.isEmpty {
            var remaining: [(layer: any Layer, node: Int, call: NodeCall)] = []
            for item in pending {
                guard let arguments = try Self.tensors(in: item.call.arguments, produced: produced, layers: layerByName) else {
                    remaining.append(item)
                    continue
                }
                let outputs = try CallContext.invoke(item.layer, arguments, node: item.call.arguments)
                let layerName = names[ObjectIdentifier(item.layer)] ?? item.layer.name
                let node = item.node + firstCallNode(of: item.layer)
                for (index, output) in outputs.enumerated() {
                    produced[TensorReference(layer: layerName, node: node, tensor: index)] = output
                }
            }
            if remaining.count == pending.count {
                throw ReferenceError(ReferenceError.Code.invalidGraph,
                                     "Invalid Functional model configuration. The graph of the Functional model either has loops or disconnected nodes",
                                     at: remaining[0].call.pointer)
            }
            pending = remaining
        }
        var outputs: [Tensor] = []
        for reference in outputReferences {
            guard let tensor = produced[reference] else {
                throw ReferenceError(ReferenceError.Code.invalidGraph, "output \(reference.layer)[\(reference.node)][\(reference.tensor)] was never computed", at: name)
            }
            outputs.append(tensor)
        }
        return outputs
    }

    /// The node index of the first call of `layer` in this model's references. tf-keras skips the first
    /// node of a nested model that has its own InputLayer, the one its construction made
    /// (`functional._should_skip_first_node` in tf-keras), so its first call in the outer model is node 1;
    /// Keras 3 records such calls from node 0 (and fails to load these tf-keras configs: docs/DIVERGENCES.md).
    func firstCallNode(of layer: any Layer) -> Int {
        guard keras2Nodes else { return 0 }
        if layer is FunctionalModel { return 1 }
        if let sequential = layer as? SequentialModel, sequential.hasInputLayer { return 1 }
        return 0
    }

    /// The tensors a node passes to its layer, in argument order; nil while one is not computed yet.
    static func tensors(in arguments: JSONValue, produced: [TensorReference: Tensor], layers: [String: any Layer]) throws(ReferenceError) -> [Tensor]? {
        var result: [Tensor] = []
        var missing = false
        func visit(_ value: JSONValue) throws(ReferenceError) {
            switch value {
            case .object(let object):
                if object["class_name"]?.stringValue == "__keras_tensor__" {
                    guard let history = object["config"]?["keras_history"], let reference = triple(history) else {
                        throw ReferenceError(ReferenceError.Code.invalidGraph, "a __keras_tensor__ without keras_history")
                    }
                    try take(reference)
                    return
                }
                for (_, item) in object { try visit(item) }
            case .array(let items):
                if let reference = triple(value), layers[reference.layer] != nil {
                    try take(reference)
                    return
                }
                for item in items { try visit(item) }
            default:
                return
            }
        }
        func take(_ reference: TensorReference) throws(ReferenceError) {
            guard layers[reference.layer] != nil else { throw ReferenceError(ReferenceError.Code.invalidGraph, "Unknown layer: \(reference.layer)") }
            if let tensor = produced[reference] { result.append(tensor) } else { missing = true }
        }
        try visit(arguments)
        return missing ? nil : result
    }
}
