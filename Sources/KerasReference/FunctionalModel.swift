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
        try run(inputs.map { GraphValue($0) }).map(\.tensor)
    }

    /// `Functional.call(inputs, mask=...)`: the `mask` argument is set on the inputs; the outputs keep the
    /// masks the graph put on them (a Functional does not support masking itself, so nothing else is
    /// computed), which is how a mask leaves a nested model.
    override func call(_ call: LayerCall) throws(ReferenceError) -> LayerResult {
        let masks = call.masks["mask"] ?? []
        let values = call.inputs.enumerated().map { index, tensor in
            let mask = index < masks.count ? masks[index] : nil
            if index < call.values.count, let value = call.values[index], value.tensor == tensor {
                if let mask { value.mask = mask }
                return value
            }
            return GraphValue(tensor, mask: mask)
        }
        let outputs = try run(values)
        return LayerResult(outputs.map(\.tensor), masks: outputs.map(\.mask))
    }

    /// One recorded call of a layer in the graph, as `map_graph` knows it.
    private struct GraphNode {
        let layer: any Layer
        /// The key of its outputs in the produced tensors (the node index Keras references).
        let key: Int
        let call: NodeCall
        /// Its arguments bound to the layer's `call` parameters, tensors by path.
        let arguments: [(parameter: String, tensors: [(path: String, reference: TensorReference)])]
        /// Its input tensors in Keras's flattening order (`tree.flatten((args, kwargs))`: dict keys sorted).
        let flatInputs: [TensorReference]
        var isInput: Bool { layer is InputLayer }
    }

    /// Runs the graph as `Function._run_through_graph` does: the nodes `map_graph` reaches from the
    /// outputs, by decreasing depth, in its order within a depth; each layer called through ``KerasCall``
    /// so that masks travel with the values.
    private func run(_ inputs: [GraphValue]) throws(ReferenceError) -> [GraphValue] {
        guard inputs.count == inputReferences.count else {
            throw ReferenceError(ReferenceError.Code.inputMismatch, "the model takes \(inputReferences.count) inputs, got \(inputs.count)", at: name)
        }
        var produced: [TensorReference: GraphValue] = [:]
        for (reference, value) in zip(inputReferences, inputs) {
            // `Functional._standardize_inputs` converts each input to its InputLayer's dtype.
            if let input = layerByName[reference.layer] as? InputLayer, let dtype = input.dtype, dtype != value.tensor.dtype {
                produced[reference] = GraphValue(value.tensor.cast(to: dtype), mask: value.mask)
            } else {
                produced[reference] = value
            }
        }
        if let recorder = CallRecorder.current {
            for (reference, value) in zip(inputReferences, inputs) {
                recorder.record(layer: reference.layer, node: reference.node, inputs: [], outputs: [produced[reference]?.tensor ?? value.tensor])
            }
        }
        for node in try orderedNodes() where !node.isInput {
            var arguments: [KerasCall.Argument] = []
            var computable = true
            for argument in node.arguments {
                var tensors: [(path: String, value: GraphValue)] = []
                for (path, reference) in argument.tensors {
                    guard let value = produced[reference] else { computable = false; break }
                    tensors.append((path, value))
                }
                arguments.append(KerasCall.Argument(parameter: argument.parameter, tensors: tensors))
            }
            // `_run_through_graph` skips a node whose inputs are not all computed.
            guard computable else { continue }
            let layerName = names[ObjectIdentifier(node.layer)] ?? node.layer.name
            let outputs = try KerasCall.invoke(node.layer, arguments: arguments, node: node.call.arguments)
            CallRecorder.current?.record(layer: layerName, node: node.key,
                                         inputs: arguments.flatMap { $0.tensors.map { ($0.path, $0.value.tensor.shape, $0.value.tensor.dtype) } },
                                         outputs: outputs.map(\.tensor))
            for (index, output) in outputs.enumerated() {
                produced[TensorReference(layer: layerName, node: node.key, tensor: index)] = output
            }
        }
        var outputs: [GraphValue] = []
        for reference in outputReferences {
            guard let value = produced[reference] else {
                throw ReferenceError(ReferenceError.Code.invalidGraph, "output \(reference.layer)[\(reference.node)][\(reference.tensor)] was never computed", at: name)
            }
            outputs.append(value)
        }
        return outputs
    }

    private var names: [ObjectIdentifier: String] {
        Dictionary(uniqueKeysWithValues: layerByName.map { (ObjectIdentifier($0.value), $0.key) })
    }

    /// `map_graph`'s `nodes_by_depth`, flattened by decreasing depth: a depth-first walk from each output
    /// (`_build_map`, which also refuses cycles) lists the nodes from the inputs on; each node's depth is
    /// the largest of its consumers' plus one (an operation takes the largest depth of its nodes), and
    /// nodes of one depth keep the order in which their depth was first recorded.
    private func orderedNodes() throws(ReferenceError) -> [GraphNode] {
        var nodes: [TensorReference: GraphNode] = [:]
        var nodeKeys: [String: [Int]] = [:]
        for (layer, calls) in self.calls {
            let layerName = names[ObjectIdentifier(layer)] ?? layer.name
            if layer is InputLayer {
                let key = TensorReference(layer: layerName, node: 0, tensor: 0)
                nodes[key] = GraphNode(layer: layer, key: 0, call: NodeCall(arguments: .null, pointer: ""), arguments: [], flatInputs: [])
                continue
            }
            for (index, call) in calls.enumerated() {
                let key = index + firstCallNode(of: layer)
                let bound = try bind(call, layer: layer)
                nodes[TensorReference(layer: layerName, node: key, tensor: 0)] = GraphNode(
                    layer: layer, key: key, call: call, arguments: bound.arguments, flatInputs: bound.flat)
                nodeKeys[layerName, default: []].append(key)
            }
        }
        func node(of reference: TensorReference) -> GraphNode? {
            nodes[TensorReference(layer: reference.layer, node: reference.node, tensor: 0)]
        }
        func identity(_ node: GraphNode) -> TensorReference {
            TensorReference(layer: names[ObjectIdentifier(node.layer)] ?? node.layer.name, node: node.key, tensor: 0)
        }
        var finished: Set<TensorReference> = []
        var inProgress: Set<TensorReference> = []
        var decreasing: [GraphNode] = []
        let modelInputs = Set(inputReferences)
        func visit(_ reference: TensorReference) throws(ReferenceError) {
            guard let current = node(of: reference) else {
                throw ReferenceError(ReferenceError.Code.invalidGraph, "Unknown layer: \(reference.layer) (node \(reference.node))", at: config.pointer)
            }
            let id = identity(current)
            if finished.contains(id) { return }
            if !current.isInput, modelInputs.contains(reference) {
                finished.insert(id)
                return
            }
            if inProgress.contains(id) {
                throw ReferenceError(ReferenceError.Code.invalidGraph,
                                     "Invalid Functional model configuration. Tensor \(reference.layer)[\(reference.node)][\(reference.tensor)] is part of a cycle",
                                     at: current.call.pointer)
            }
            inProgress.insert(id)
            if !current.isInput {
                for input in current.flatInputs { try visit(input) }
            }
            finished.insert(id)
            inProgress.remove(id)
            decreasing.append(current)
        }
        for output in outputReferences { try visit(output) }
        var depths: [TensorReference: Int] = [:]
        var order: [TensorReference] = []
        var layerDepths: [ObjectIdentifier: Int] = [:]
        let inGraph = Set(decreasing.map(identity))
        func record(_ id: TensorReference, _ depth: Int) {
            if depths[id] == nil { order.append(id) }
            depths[id] = depth
        }
        for current in decreasing.reversed() {
            let id = identity(current)
            if depths[id] == nil { record(id, 0) }
            let depth = max(depths[id] ?? 0, layerDepths[ObjectIdentifier(current.layer)] ?? 0)
            layerDepths[ObjectIdentifier(current.layer)] = depth
            depths[id] = depth
            for input in current.flatInputs {
                guard let parent = node(of: input) else { continue }
                let parentID = identity(parent)
                guard inGraph.contains(parentID) else { continue }
                record(parentID, max(depth + 1, depths[parentID] ?? 0))
            }
        }
        let byID = Dictionary(decreasing.map { (identity($0), $0) }, uniquingKeysWith: { first, _ in first })
        let grouped = Dictionary(grouping: order, by: { depths[$0] ?? 0 })
        return grouped.keys.sorted(by: >).flatMap { depth in grouped[depth, default: []].compactMap { byID[$0] } }
    }

    /// A node's arguments bound to the layer's `call` parameters (positional by position, keywords by
    /// name), each with its tensors by path, and its input tensors in Keras's flattening order.
    private func bind(_ call: NodeCall, layer: any Layer) throws(ReferenceError)
        -> (arguments: [(parameter: String, tensors: [(path: String, reference: TensorReference)])], flat: [TensorReference]) {
        let parameters = layer.callParameters
        var arguments: [(parameter: String, tensors: [(path: String, reference: TensorReference)])] = []
        var flat: [TensorReference] = []
        func collect(_ value: JSONValue, _ path: String, _ tensors: inout [(path: String, reference: TensorReference)], sorted: Bool) throws(ReferenceError) {
            switch value {
            case .object(let object):
                if object["class_name"]?.stringValue == "__keras_tensor__" {
                    guard let history = object["config"]?["keras_history"], let reference = Self.triple(history) else {
                        throw ReferenceError(ReferenceError.Code.invalidGraph, "a __keras_tensor__ without keras_history", at: call.pointer)
                    }
                    tensors.append((path, reference))
                    return
                }
                let keys = sorted ? object.keys.sorted() : object.keys
                for key in keys { if let item = object[key] { try collect(item, path + "." + key, &tensors, sorted: sorted) } }
            case .array(let items):
                if let reference = Self.triple(value), layerByName[reference.layer] != nil {
                    tensors.append((path, reference))
                    return
                }
                for (index, item) in items.enumerated() { try collect(item, path + "." + String(index), &tensors, sorted: sorted) }
            default:
                return
            }
        }
        let positional = CallArguments.positionalArguments(call.arguments)
        for (index, value) in positional.enumerated() {
            let parameter = index < parameters.count ? parameters[index] : "argument\(index)"
            var tensors: [(path: String, reference: TensorReference)] = []
            try collect(value, parameter, &tensors, sorted: false)
            arguments.append((parameter, tensors))
            var ordered: [(path: String, reference: TensorReference)] = []
            try collect(value, parameter, &ordered, sorted: true)
            flat += ordered.map(\.reference)
        }
        // tf-keras node lists carry tensors only in their first argument (``CallArguments``).
        if call.arguments["args"] != nil {
            let keywords = CallArguments.keywordArguments(call.arguments)
            for key in keywords.keys {
                guard let value = keywords[key] else { continue }
                var tensors: [(path: String, reference: TensorReference)] = []
                try collect(value, key, &tensors, sorted: false)
                if !tensors.isEmpty { arguments.append((key, tensors)) }
            }
            for key in keywords.keys.sorted() {
                guard let value = keywords[key] else { continue }
                var ordered: [(path: String, reference: TensorReference)] = []
                try collect(value, key, &ordered, sorted: true)
                flat += ordered.map(\.reference)
            }
        }
        for reference in flat where layerByName[reference.layer] == nil {
            throw ReferenceError(ReferenceError.Code.invalidGraph, "Unknown layer: \(reference.layer)", at: call.pointer)
        }
        return (arguments, flat)
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
}
