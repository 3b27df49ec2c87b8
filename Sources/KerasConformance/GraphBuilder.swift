import KerasJSON

/// Builds one model's config (the top-level model or a nested one) from drawn layers: a Sequential stack,
/// or a Functional graph grown call by call from a pool of tensors.
struct GraphBuilder {
    /// A tensor of the graph: shape without the batch axis, dtype, and the call that produced it.
    struct SymbolicTensor {
        let shape: [Int]
        let dtype: String
        let entry: Int
        let node: Int
        let index: Int
    }

    /// One layer of the graph with its calls.
    struct Entry {
        let name: String
        let className: String
        /// The envelope without `name` and `inbound_nodes`.
        let envelope: JSONValue
        /// Each call's serialized arguments (`{"args": [...], "kwargs": {...}}`).
        var nodes: [JSONValue] = []
        /// Each call's input tensors, by index into ``GraphBuilder/tensors``.
        var nodeInputs: [[Int]] = []
        /// The input shape of the first call; a later call with the same shape reuses the layer.
        let inputShape: [Int]?
        let outputShape: [Int]
        /// A nested Functional: Keras re-bases its output references by one (FUN:444-459).
        let isFunctionalModel: Bool
        let isInput: Bool
    }

    var state: GenerationState
    let name: String
    let sampler: LayerSampler
    let templates = TemplateCatalogue.shared
    private(set) var entries: [Entry] = []
    private(set) var tensors: [SymbolicTensor] = []
    private var consumers: [Int] = []

    init(state: GenerationState, name: String) {
        self.state = state
        self.name = name
        self.sampler = LayerSampler(settings: state.settings)
    }

    // MARK: Envelopes

    private var policyEnvelope: JSONValue { templates.object("policies", state.policy) }

    /// The compute dtype of the policy: what Keras records as a call's output dtype.
    private var computeDType: String {
        switch state.policy {
        case "float16", "mixed_float16": return "float16"
        case "bfloat16", "mixed_bfloat16": return "bfloat16"
        default: return "float32"
        }
    }

    /// The envelope of a drawn layer: its template with the draw's fields, its name and the policy.
    private func envelope(_ draft: LayerDraft, name: String, inputShapes: [[Int]]) -> JSONValue {
        var config = draft.config.map { key, value -> (String, JSONValue) in
            guard key == "layer" || key == "backward_layer" else { return (key, value) }
            return (key, value.settingConfig([("dtype", policyEnvelope)]))
        }
        config += [("name", .string(name)), ("dtype", policyEnvelope)]
        if state.policy == "float32", let quantization = draft.quantization { config += quantization }
        var result = templates.layer(draft.className).settingConfig(config)
        if !templates.isBuiltAtInit(draft.className) {
            let build = draft.buildConfig ?? .object(JSONObject([("input_shape", inputShapes.count == 1
                ? .batchShape(inputShapes[0]) : .array(inputShapes.map { .batchShape($0) }))]))
            result = result.setting("build_config", build)
        }
        return result
    }

    private func inputEnvelope(_ spec: GeneratedModel.InputSpec) -> JSONValue {
        templates.object("inputs", "InputLayer").settingConfig([("batch_shape", .batchShape(spec.shape)), ("dtype", .string(spec.dtype)),
                                                                ("name", .string(spec.name))])
    }

    // MARK: Sequential

    /// A Sequential of about `layers` layers on `input`; returns its envelope and output shape.
    mutating func sequential(input: GeneratedModel.InputSpec, layers: Int, choices: inout Choices, nested: Bool) -> (JSONValue, [Int]) {
        var list: [JSONValue] = [inputEnvelope(input)]
        var shape = input.shape
        if input.dtype == "int32", let vocabulary = input.vocabulary {
            let draft = sampler.drawEmbedding(input: shape, vocabulary: vocabulary, choices: &choices)
            list.append(envelope(draft, name: state.layerName("Embedding", &choices), inputShapes: [shape]))
            state.classes.append("Embedding")
            state.layerCount += 1
            shape = draft.outputShape
        }
        while state.layerCount < state.settings.maxLayers, list.count <= layers {
            guard let draft = drawSingle(for: shape, choices: &choices, sequential: true) else { break }
            list.append(envelope(draft, name: state.layerName(draft.className, &choices), inputShapes: [shape]))
            state.classes.append(draft.className)
            state.layerCount += 1
            shape = draft.outputShape
        }
        if list.count == 1 {
            let draft = LayerDraft("Activation", [("activation", .string("linear"))], output: shape)
            list.append(envelope(draft, name: state.layerName("Activation", &choices), inputShapes: [shape]))
            state.classes.append("Activation")
            state.layerCount += 1
        }
        let config: [(String, JSONValue)] = [("name", .string(name)), ("dtype", policyEnvelope), ("layers", .array(list)),
                                             ("build_input_shape", .batchShape(input.shape))]
        let model = templates.object("models", "Sequential").settingConfig(config)
            .setting("build_config", .object(JSONObject([("input_shape", .batchShape(input.shape))])))
        return (model, shape)
    }

    /// A single-input layer that fits `shape` and the element budget, or nil after the attempts run out.
    private mutating func drawSingle(for shape: [Int], choices: inout Choices, sequential: Bool) -> LayerDraft? {
        let candidates = LayerSampler.singleInput.filter { item in
            (item.rank == 0 || item.rank == shape.count) && !state.settings.excludedClasses.contains(item.className)
                && !(sequential && (item.className == "MultiHeadAttention" || item.className == "Attention"))
        }
        guard !candidates.isEmpty else { return nil }
        for _ in 0..<state.settings.attemptsPerLayer {
            let className = choices.element(of: candidates).className
            guard let draft = sampler.draw(className, input: shape, choices: &choices) else { continue }
            if draft.outputShape.reduce(1, *) <= state.settings.maxElements, draft.outputShape.allSatisfy({ $0 >= 1 }) { return draft }
        }
        return nil
    }

    // MARK: Functional

    /// A Functional on `inputs` with about `layers` layer calls; returns its envelope.
    mutating func functional(inputs: [GeneratedModel.InputSpec], layers: Int, choices: inout Choices) -> JSONValue {
        for spec in inputs {
            entries.append(Entry(name: spec.name, className: "InputLayer", envelope: inputEnvelope(spec), inputShape: nil,
                                 outputShape: spec.shape, isFunctionalModel: false, isInput: true))
            addTensor(shape: spec.shape, dtype: spec.dtype, entry: entries.count - 1, node: 0)
        }
        // Integer inputs feed an Embedding first; every input is consumed at least once.
        for (index, spec) in inputs.enumerated() {
            if spec.dtype == "int32", let vocabulary = spec.vocabulary {
                let draft = sampler.drawEmbedding(input: spec.shape, vocabulary: vocabulary, choices: &choices)
                call(newLayer: draft, on: [index], choices: &choices)
            } else if let draft = drawSingle(for: spec.shape, choices: &choices, sequential: false) {
                call(newLayer: draft, on: draft.arguments == .single ? [index] : [index, index], choices: &choices)
            } else {
                call(newLayer: LayerDraft("Activation", [("activation", .string("linear"))], output: spec.shape), on: [index], choices: &choices)
            }
        }
        var steps = 0
        while state.layerCount < min(layers, state.settings.maxLayers), steps < layers * 3 {
            steps += 1
            let target = pickTensor(&choices)
            let roll = choices.int(in: 0...99)
            let settings = state.settings
            if roll < Int(settings.mergeProbability * 100), merge(around: target, choices: &choices) { continue }
            if roll >= 100 - Int(settings.sharedLayerProbability * 100), share(on: target, choices: &choices) { continue }
            if roll >= 100 - Int((settings.sharedLayerProbability + settings.nestedModelProbability) * 100),
               state.layerCount + 2 <= settings.maxLayers, nest(on: target, choices: &choices) { continue }
            if let draft = drawSingle(for: tensors[target].shape, choices: &choices, sequential: false) {
                // Attention and MultiHeadAttention attend to the tensor itself.
                call(newLayer: draft, on: draft.arguments == .single ? [target] : [target, target], choices: &choices)
            }
        }
        return functionalEnvelope()
    }

    /// A tensor to build on: usually one nothing consumes yet, so the graph ends in few outputs.
    private func pickTensor(_ choices: inout Choices) -> Int {
        let sinks = tensors.indices.filter { consumers[$0] == 0 && tensors[$0].dtype != "int32" }
        let floats = tensors.indices.filter { tensors[$0].dtype != "int32" }
        if !sinks.isEmpty, choices.bool(0.8) { return choices.element(of: sinks) }
        return choices.element(of: floats.isEmpty ? Array(tensors.indices) : floats)
    }

    private mutating func addTensor(shape: [Int], dtype: String, entry: Int, node: Int) {
        tensors.append(SymbolicTensor(shape: shape, dtype: dtype, entry: entry, node: node, index: 0))
        consumers.append(0)
    }

    /// The serialized tensor: `__keras_tensor__` with its shape, dtype and history.
    private func tensorJSON(_ index: Int) -> JSONValue {
        let tensor = tensors[index]
        let config = JSONObject([("shape", .batchShape(tensor.shape)), ("dtype", .string(tensor.dtype)),
                                 ("keras_history", .array([.string(entries[tensor.entry].name), .int(tensor.node), .int(tensor.index)]))])
        return .object(JSONObject([("class_name", .string("__keras_tensor__")), ("config", .object(config))]))
    }

    /// Records a call of entry `entry` on the tensors `inputs`.
    private mutating func record(entry: Int, inputs: [Int], arguments: LayerDraft.Arguments, kwargs: [(String, JSONValue)]) {
        let args: JSONValue
        switch arguments {
        case .single: args = .array([tensorJSON(inputs[0])])
        case .list: args = .array([.array(inputs.map(tensorJSON))])
        case .positional: args = .array(inputs.map(tensorJSON))
        }
        entries[entry].nodes.append(.object(JSONObject([("args", args), ("kwargs", .object(JSONObject(kwargs)))])))
        entries[entry].nodeInputs.append(inputs)
        for input in inputs { consumers[input] += 1 }
        addTensor(shape: entries[entry].outputShape, dtype: computeDType, entry: entry, node: entries[entry].nodes.count - 1)
    }

    private mutating func call(newLayer draft: LayerDraft, on inputs: [Int], choices: inout Choices) {
        let layerName = state.layerName(draft.className, &choices)
        let shapes = inputs.map { tensors[$0].shape }
        entries.append(Entry(name: layerName, className: draft.className, envelope: envelope(draft, name: layerName, inputShapes: shapes),
                             inputShape: draft.arguments == .single ? shapes[0] : nil, outputShape: draft.outputShape,
                             isFunctionalModel: false, isInput: false))
        state.classes.append(draft.className)
        state.layerCount += 1
        record(entry: entries.count - 1, inputs: inputs, arguments: draft.arguments, kwargs: draft.kwargs)
    }

    /// Merges `target` with other tensors of a compatible shape; false when none fits.
    private mutating func merge(around target: Int, choices: inout Choices) -> Bool {
        let className = choices.element(of: LayerSampler.merges.filter { !state.settings.excludedClasses.contains($0) })
        let shape = tensors[target].shape
        let partners = tensors.indices.filter { index in
            index != target && tensors[index].dtype != "int32"
                && (className == "Concatenate" ? tensors[index].shape.count == shape.count && tensors[index].shape.dropLast() == shape.dropLast()
                    : tensors[index].shape == shape)
        }
        guard !partners.isEmpty else { return false }
        var inputs = [target, choices.element(of: partners)]
        if className != "Subtract", className != "Dot", partners.count > 1, choices.bool(0.3) {
            let third = choices.element(of: partners)
            if !inputs.contains(third) { inputs.append(third) }
        }
        guard let draft = sampler.drawMerge(className, inputs: inputs.map { tensors[$0].shape }, choices: &choices),
              draft.outputShape.reduce(1, *) <= state.settings.maxElements else { return false }
        call(newLayer: draft, on: inputs, choices: &choices)
        return true
    }

    /// Calls an existing layer or nested model again on `target` (a shared layer); false when none fits.
    private mutating func share(on target: Int, choices: inout Choices) -> Bool {
        let shape = tensors[target].shape
        let candidates = entries.indices.filter { index in
            !entries[index].isInput && entries[index].inputShape == shape
                && !entries[index].nodeInputs.contains([target])
        }
        guard !candidates.isEmpty else { return false }
        let entry = choices.element(of: candidates)
        let kwargs: [(String, JSONValue)] = entries[entry].className == "Sequential" || entries[entry].isFunctionalModel ? [("mask", .null)] : []
        record(entry: entry, inputs: [target], arguments: .single, kwargs: kwargs)
        return true
    }

    /// Builds a nested Sequential or Functional of one input on `target`'s shape and calls it.
    private mutating func nest(on target: Int, choices: inout Choices) -> Bool {
        let tensor = tensors[target]
        guard tensor.dtype != "int32" else { return false }
        let functional = choices.bool(0.5)
        let modelName = state.modelName(functional ? "functional" : "sequential", &choices)
        let spec = GeneratedModel.InputSpec(name: state.layerName("InputLayer", &choices), shape: tensor.shape, dtype: "float32", vocabulary: nil)
        let budget = min(3, state.settings.maxLayers - state.layerCount)
        var inner = GraphBuilder(state: state, name: modelName)
        let envelope: JSONValue
        let output: [Int]
        if functional {
            envelope = inner.functional(inputs: [spec], layers: state.layerCount + choices.int(in: 1...max(1, budget)), choices: &choices)
            let outputs = inner.outputTensors
            guard outputs.count == 1 else { return false }
            output = inner.tensors[outputs[0]].shape
        } else {
            (envelope, output) = inner.sequential(input: spec, layers: choices.int(in: 1...max(1, budget)), choices: &choices, nested: true)
        }
        guard output.reduce(1, *) <= state.settings.maxElements else { return false }
        state = inner.state
        state.classes.append(functional ? "Functional" : "Sequential")
        entries.append(Entry(name: modelName, className: functional ? "Functional" : "Sequential", envelope: envelope, inputShape: tensor.shape,
                             outputShape: output, isFunctionalModel: functional, isInput: false))
        record(entry: entries.count - 1, inputs: [target], arguments: .single, kwargs: [("mask", .null)])
        return true
    }

    /// The graph's outputs: every tensor nothing consumes, inputs excepted, in creation order.
    var outputTensors: [Int] {
        tensors.indices.filter { consumers[$0] == 0 && !entries[tensors[$0].entry].isInput }
    }

    /// The Functional envelope: layers in Keras's order, inputs and outputs as Keras references them.
    private func functionalEnvelope() -> JSONValue {
        let outputs = outputTensors
        let order = kerasOrder(outputs: outputs)
        let layers: [JSONValue] = order.map { index in
            let entry = entries[index]
            return entry.envelope.setting("name", .string(entry.name)).setting("inbound_nodes", .array(entry.nodes))
        }
        let inputReferences = entries.indices.filter { entries[$0].isInput }.map { index -> JSONValue in
            .array([.string(entries[index].name), .int(0), .int(0)])
        }
        let outputReferences = outputs.map { index -> JSONValue in
            let tensor = tensors[index]
            let node = tensor.node + (entries[tensor.entry].isFunctionalModel ? 1 : 0)
            return .array([.string(entries[tensor.entry].name), .int(node), .int(tensor.index)])
        }
        let config: [(String, JSONValue)] = [("name", .string(name)), ("layers", .array(layers)),
                                             ("input_layers", inputReferences.count == 1 ? inputReferences[0] : .array(inputReferences)),
                                             ("output_layers", outputReferences.count == 1 ? outputReferences[0] : .array(outputReferences))]
        return templates.object("models", "Functional").settingConfig(config)
    }

    /// The order of `Functional.layers` (ops/function.py `map_graph`): a depth-first walk from each output
    /// numbers the layers as first seen and lists nodes inputs-first; a node's depth is one more than the
    /// deepest node it feeds; layers sort by depth (deepest first), then by first-seen number.
    private func kerasOrder(outputs: [Int]) -> [Int] {
        struct NodeKey: Hashable { let entry: Int; let node: Int }
        var finished = Set<NodeKey>()
        var ordered: [NodeKey] = []
        var firstSeen: [Int: Int] = [:]
        func visit(_ tensorIndex: Int) {
            let tensor = tensors[tensorIndex]
            let key = NodeKey(entry: tensor.entry, node: tensor.node)
            guard !finished.contains(key) else { return }
            if firstSeen[key.entry] == nil { firstSeen[key.entry] = firstSeen.count }
            if !entries[key.entry].isInput {
                for input in entries[key.entry].nodeInputs[key.node] { visit(input) }
            }
            finished.insert(key)
            ordered.append(key)
        }
        for output in outputs { visit(output) }
        var nodeDepth: [NodeKey: Int] = [:]
        var layerDepth: [Int: Int] = [:]
        for key in ordered.reversed() {
            let depth = max(nodeDepth[key] ?? 0, layerDepth[key.entry] ?? 0)
            layerDepth[key.entry] = depth
            nodeDepth[key] = depth
            guard !entries[key.entry].isInput else { continue }
            for input in entries[key.entry].nodeInputs[key.node] {
                let parent = NodeKey(entry: tensors[input].entry, node: tensors[input].node)
                nodeDepth[parent] = max(depth + 1, nodeDepth[parent] ?? 0)
            }
        }
        return layerDepth.keys.sorted { (layerDepth[$0]!, -firstSeen[$0]!) > (layerDepth[$1]!, -firstSeen[$1]!) }
    }
}
