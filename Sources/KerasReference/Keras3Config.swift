import KerasFormat
import KerasJSON

/// A legacy model config (a Keras 3 legacy `.h5` or a tf-keras file: entries without `module`) rewritten as
/// Keras 3 serializes the model it builds from it, so that `keras.saving.load_model` reads the `.keras`
/// archive or folder kconform writes: every entry gets `module`, `class_name`, `config`,
/// `registered_name` (and `build_config` with the shapes its first call saw); dtype policies, initializers,
/// regularizers and constraints become envelopes; tf-keras node lists become `args`/`kwargs` with
/// `__keras_tensor__` markers; the model classes take the modules Keras writes for them
/// (`keras` Sequential, `keras.src.models.functional` Functional). A Sequential without an InputLayer gets
/// the one Keras 3 creates from its input shape.
///
/// Arguments Keras 3's constructors reject (``KerasCallFacts``) are dropped only where tf-keras's value is
/// what Keras 3 computes anyway (``droppable``); any other is refused (`KC-REF-012`), never dropped.
/// Config fields Keras would fill in with their defaults are not added: the archive holds what the source
/// holds, which Keras reads to the same model.
struct Keras3Config {
    /// tf-keras arguments Keras 3 does not take, with the values that mean what Keras 3 does without them;
    /// nil: any value (the argument only chose an implementation).
    static let droppable: [String: [String: JSONValue?]] = [
        "*": ["time_major": .bool(false)],
        "Embedding": ["input_length": nil],
        "LSTM": ["implementation": nil], "GRU": ["implementation": nil], "SimpleRNN": ["implementation": nil],
        "SeparableConv1D": ["groups": .number(JSONNumber(1)), "kernel_initializer": nil, "kernel_regularizer": nil, "kernel_constraint": nil],
        "SeparableConv2D": ["groups": .number(JSONNumber(1)), "kernel_initializer": nil, "kernel_regularizer": nil, "kernel_constraint": nil],
        "DepthwiseConv2D": ["groups": .number(JSONNumber(1)), "kernel_initializer": nil, "kernel_regularizer": nil, "kernel_constraint": nil],
        "DepthwiseConv1D": ["groups": .number(JSONNumber(1)), "kernel_initializer": nil, "kernel_regularizer": nil, "kernel_constraint": nil],
    ]
    /// tf-keras arguments Keras 3 knows under another name.
    static let renamed: [String: [String: String]] = ["LeakyReLU": ["alpha": "negative_slope"]]
    /// Config keys whose value is a nested object of a Keras namespace, by suffix.
    static let namespaces: [(suffix: String, module: String)] = [
        ("_initializer", "keras.initializers"), ("_regularizer", "keras.regularizers"), ("_constraint", "keras.constraints"),
    ]

    let first: CallRecorder?
    let second: CallRecorder?
    let keras2Nodes: Bool

    /// The Keras 3 config of `model`, whose source holds a legacy config; a Keras 3 config as it is.
    static func config(of model: KerasModel) throws(ReferenceError) -> JSONValue {
        guard let config = model.file.configJSON else { throw ReferenceError(ReferenceError.Code.notAModel, "no config to save", at: model.file.path) }
        if config["module"] != nil { return config }
        let writer = Keras3Config(first: CallRecorder.run(model, unknownAs: 1), second: CallRecorder.run(model, unknownAs: 2),
                                  keras2Nodes: (model.root as? FunctionalModel)?.keras2Nodes ?? false)
        var root = try writer.envelope(config, pointer: "", layer: model.root)
        if let text = LegacySaver.storedTrainingConfig(model), let training = try? JSONReader.parse(text), var object = root.objectValue {
            let (compile, warning) = compileConfig(training)
            if let compile { object["compile_config"] = compile }
            if let warning { model.saveWarnings.append(warning) }
            root = .object(object)
        }
        return root
    }

    /// The `compile_config` of a legacy `training_config`, as `compile_args_from_training_config` compiles
    /// it: a Keras 3 optimizer as its envelope; tf-keras's `Custom>Adam` as `optimizers.get("adam")`, a
    /// default-configured optimizer (the warning says the hyperparameters are gone, as in Keras 3); loss
    /// and metrics as named; nil with a warning where Keras 3 cannot compile it.
    static func compileConfig(_ training: JSONValue) -> (JSONValue?, String?) {
        guard let fields = training.objectValue, let optimizer = fields["optimizer_config"], let className = optimizer["class_name"]?.stringValue else {
            return (nil, "the training_config has no optimizer_config: the archive is not compiled")
        }
        var warning: String?
        let optimizerValue: JSONValue
        if className.hasPrefix(LegacyTrainingConfig.tfKerasPackage), !LegacyTrainingConfig.kerasOptimizers.contains(className.lowercased()) {
            guard let name = optimizer["config"]?["name"]?.stringValue, LegacyTrainingConfig.kerasOptimizers.contains(name.lowercased()) else {
                return (nil, "\(className) is tf-keras's optimizer class without a Keras 3 optimizer name: Keras 3 cannot compile this model, so the archive is not compiled")
            }
            optimizerValue = .string(name.lowercased())
            warning = "\(className) is tf-keras's optimizer class: compiled as Keras 3 compiles it, optimizers.get(\"\(name.lowercased())\") with its default hyperparameters"
        } else {
            optimizerValue = object(optimizer, module: "keras.optimizers")
        }
        func namespaced(_ value: JSONValue?, _ module: String) -> JSONValue {
            guard let value else { return .null }
            if value.objectValue != nil { return object(value, module: module) }
            if let items = value.arrayValue { return .array(items.map { namespaced($0, module) }) }
            return value
        }
        let compile = JSONValue.object(JSONObject([
            ("optimizer", optimizerValue), ("loss", namespaced(fields["loss"], "keras.losses")),
            ("loss_weights", fields["loss_weights"] ?? .null), ("metrics", namespaced(fields["metrics"], "keras.metrics")),
            ("weighted_metrics", namespaced(fields["weighted_metrics"], "keras.metrics")), ("run_eagerly", .bool(false)),
            ("steps_per_execution", .number(JSONNumber(1))), ("jit_compile", .bool(true)),
        ]))
        return (compile, warning)
    }

    private static func refusal(_ reason: String, _ pointer: String) -> ReferenceError {
        ReferenceError(ReferenceError.Code.saveFailed, "Keras 3 cannot hold this model: \(reason)", at: pointer.isEmpty ? "config" : pointer)
    }

    /// `{"module": "keras", "class_name": "DTypePolicy", ...}` for a policy name or a legacy policy dict.
    static func policy(_ value: JSONValue) -> JSONValue {
        if value["module"] != nil { return value }
        let name = value.stringValue ?? value["config"]?["name"]?.stringValue ?? "float32"
        return .object(JSONObject([("module", .string("keras")), ("class_name", .string("DTypePolicy")),
                                   ("config", .object(JSONObject([("name", .string(name))]))), ("registered_name", .null)]))
    }

    /// A nested object without `module` (`{"class_name": "GlorotUniform", "config": {...}}`) as a Keras 3
    /// envelope of `module`.
    static func object(_ value: JSONValue, module: String) -> JSONValue {
        guard var object = value.objectValue, object["module"] == nil, let className = object["class_name"]?.stringValue else { return value }
        let config = object.removeValue(forKey: "config") ?? .object(JSONObject())
        return .object(JSONObject([("module", .string(module)), ("class_name", .string(className)), ("config", config), ("registered_name", .null)]))
    }

    /// The entry of a layer or model, with the loaded `layer` it built (for its sub-layers).
    func envelope(_ entry: JSONValue, pointer: String, layer: (any Layer)?, modelName: String? = nil) throws(ReferenceError) -> JSONValue {
        // tf-keras 2.13 and later write nested objects (a Bidirectional's layer) with `module`, in Keras 2's
        // vocabulary: the envelope stays, its config is translated.
        if entry["module"] != nil, var object = entry.objectValue, let className = entry["class_name"]?.stringValue {
            if let config = entry["config"]?.objectValue, !["Sequential", "Functional", "Model"].contains(className) {
                object["config"] = .object(try layerConfig(className, config, pointer: pointer + "/config", layer: layer))
            }
            return .object(object)
        }
        guard let className = entry["class_name"]?.stringValue, let legacy = ObjectEnvelope(entry, pointer: pointer) else {
            throw Self.refusal("an entry without class_name", pointer)
        }
        switch className {
        case "Sequential": return try sequential(legacy, pointer: pointer, layer: layer as? SequentialModel)
        case "Functional", "Model": return try functional(legacy, pointer: pointer, layer: layer as? FunctionalModel)
        default: break
        }
        let translated = LegacyConfig.translate(legacy)
        var config = try layerConfig(className, translated.config.objectValue ?? JSONObject(), pointer: pointer + "/config", layer: layer)
        if config["name"] == nil, let name = entry["name"] { config["name"] = name }
        var fields: [(String, JSONValue)] = [("module", .string("keras.layers")), ("class_name", .string(className)),
                                             ("config", .object(config)), ("registered_name", .null)]
        if let build = buildConfig(className, layer: modelName.map { ($0, config["name"]?.stringValue ?? "") }) { fields.append(("build_config", build)) }
        return .object(JSONObject(fields))
    }

    private func layerConfig(_ className: String, _ source: JSONObject, pointer: String, layer: (any Layer)?) throws(ReferenceError) -> JSONObject {
        var config = JSONObject()
        let facts = KerasCallFacts.layers[className]
        for (key, value) in source {
            var key = key
            if let newName = Self.renamed[className]?[key] { key = newName }
            if let facts, !facts.acceptsAnyArgument, !facts.constructorArguments.contains(key), !["name", "dtype", "trainable"].contains(key) {
                let rule = Self.droppable[className]?[key] ?? Self.droppable["*"]?[key]
                if let rule, rule == nil || rule == value { continue }
                throw Self.refusal("Keras 3's \(className) takes no argument `\(key)` (the source gives \(JSONWriter.dumps(value)))", pointer + "/" + key)
            }
            if key == "dtype" {
                config[key] = className == "InputLayer" ? (value.stringValue.map { JSONValue.string($0) } ?? value["config"]?["name"] ?? value) : Self.policy(value)
            } else if let namespace = Self.namespaces.first(where: { key.hasSuffix($0.suffix) }) {
                config[key] = Self.object(value, module: namespace.module)
            } else if ["layer", "backward_layer"].contains(key), value["class_name"] != nil {
                let child = layer?.children.first { $0.attribute == (key == "layer" ? (className == "Bidirectional" ? "forward_layer" : "layer") : "backward_layer") }?.layer
                config[key] = try envelope(value, pointer: pointer + "/" + key, layer: child)
            } else {
                config[key] = value
            }
        }
        return config
    }

    /// `{"input_shape": ...}` (or `shapes_dict` for several tensor arguments) from the first call the runs
    /// saw; nil for a layer built at init, and when no run saw it.
    private func buildConfig(_ className: String, layer: (model: String, name: String)?) -> JSONValue? {
        guard !BuiltAtInit.classNames.contains(className), className != "InputLayer", let layer,
              let call = first?.call(layer.name, 0) else { return nil }
        let other = second?.call(layer.name, 0)
        var byParameter: [(String, [(path: String, shape: Shape)])] = []
        for (index, input) in call.inputs.enumerated() {
            let parameter = String(input.path.prefix { $0 != "." })
            if parameter == "mask" || parameter.hasSuffix("_mask") { continue }
            let shape = CallRecorder.symbolic(input.shape, other.flatMap { index < $0.inputs.count ? $0.inputs[index].shape : nil })
            if let slot = byParameter.firstIndex(where: { $0.0 == parameter }) { byParameter[slot].1.append((input.path, shape)) } else { byParameter.append((parameter, [(input.path, shape)])) }
        }
        func value(_ entries: [(path: String, shape: Shape)], parameter: String) -> JSONValue {
            if entries.count == 1, entries[0].path == parameter { return Self.shapeJSON(entries[0].shape) }
            return .array(entries.map { Self.shapeJSON($0.shape) })
        }
        guard !byParameter.isEmpty else { return nil }
        if byParameter.count == 1 { return .object(JSONObject([("input_shape", value(byParameter[0].1, parameter: byParameter[0].0))])) }
        return .object(JSONObject([("shapes_dict", .object(JSONObject(byParameter.map { ($0.0 + "_shape", value($0.1, parameter: $0.0)) })))]))
    }

    static func shapeJSON(_ shape: Shape) -> JSONValue { .array(shape.map { $0.map { JSONValue.number(JSONNumber($0)) } ?? .null }) }

    private func sequential(_ legacy: ObjectEnvelope, pointer: String, layer: SequentialModel?) throws(ReferenceError) -> JSONValue {
        var config = JSONObject()
        let source = legacy.config.objectValue ?? JSONObject()
        let name = source["name"]?.stringValue ?? layer?.name ?? "sequential"
        config["name"] = .string(name)
        config["trainable"] = source["trainable"] ?? .bool(true)
        config["dtype"] = Self.policy(source["dtype"] ?? .string("float32"))
        var layers: [JSONValue] = []
        let entries = source["layers"]?.arrayValue ?? []
        let inputShape = layer?.inputShapes.first
        if entries.first?["class_name"]?.stringValue != "InputLayer", let inputShape, !inputShape.isEmpty {
            layers.append(.object(JSONObject([
                ("module", .string("keras.layers")), ("class_name", .string("InputLayer")),
                ("config", .object(JSONObject([("batch_shape", Self.shapeJSON(inputShape)), ("dtype", .string("float32")), ("sparse", .bool(false)),
                                               ("ragged", .bool(false)), ("name", .string("input_layer")), ("optional", .bool(false))]))),
                ("registered_name", .null),
            ])))
        }
        let built = layer?.layers ?? []
        var builtIndex = 0
        for (index, entry) in entries.enumerated() {
            let isInput = entry["class_name"]?.stringValue == "InputLayer"
            let child: (any Layer)? = isInput ? nil : (builtIndex < built.count ? built[builtIndex] : nil)
            if !isInput { builtIndex += 1 }
            var converted = try envelope(entry, pointer: pointer + "/config/layers/" + String(index), layer: child, modelName: name)
            // The input shape now lives in the InputLayer, as in the model Keras 3 builds.
            if index == 0, !isInput, var object = converted.objectValue, var inner = object["config"]?.objectValue {
                inner.removeValue(forKey: "input_shape")
                inner.removeValue(forKey: "batch_shape")
                object["config"] = .object(inner)
                converted = .object(object)
            }
            layers.append(converted)
        }
        config["layers"] = .array(layers)
        if let inputShape { config["build_input_shape"] = Self.shapeJSON(inputShape) }
        var fields: [(String, JSONValue)] = [("module", .string("keras")), ("class_name", .string("Sequential")), ("config", .object(config)),
                                             ("registered_name", .null)]
        if let inputShape { fields.append(("build_config", .object(JSONObject([("input_shape", Self.shapeJSON(inputShape))])))) }
        return .object(JSONObject(fields))
    }

    private func functional(_ legacy: ObjectEnvelope, pointer: String, layer: FunctionalModel?) throws(ReferenceError) -> JSONValue {
        let source = legacy.config.objectValue ?? JSONObject()
        let name = source["name"]?.stringValue ?? layer?.name ?? "functional"
        let entries = source["layers"]?.arrayValue ?? []
        var layers: [JSONValue] = []
        var classes: [String: String] = [:]
        for entry in entries { if let layerName = entry["name"]?.stringValue ?? entry["config"]?["name"]?.stringValue { classes[layerName] = entry["class_name"]?.stringValue } }
        for (index, entry) in entries.enumerated() {
            let entryPointer = pointer + "/config/layers/" + String(index)
            let layerName = entry["name"]?.stringValue ?? entry["config"]?["name"]?.stringValue ?? ""
            let child = layer?.layers.first { $0.name == layerName }
            guard var object = try envelope(entry, pointer: entryPointer, layer: child, modelName: name).objectValue else { continue }
            object["name"] = .string(layerName)
            let nodes = entry["inbound_nodes"]?.arrayValue ?? []
            object["inbound_nodes"] = .array(try nodes.enumerated().map { (position, node) throws(ReferenceError) in
                try self.node(node, classes: classes, pointer: entryPointer + "/inbound_nodes/" + String(position))
            })
            layers.append(.object(object))
        }
        var config = JSONObject()
        config["name"] = .string(name)
        config["trainable"] = source["trainable"] ?? .bool(true)
        config["layers"] = .array(layers)
        config["input_layers"] = source["input_layers"].map { references($0, classes: classes, outputs: false) } ?? .array([])
        config["output_layers"] = source["output_layers"].map { references($0, classes: classes, outputs: true) } ?? .array([])
        return .object(JSONObject([
            ("module", .string("keras.src.models.functional")), ("class_name", .string("Functional")), ("config", .object(config)),
            ("registered_name", .string("Functional")), ("build_config", .object(JSONObject([("input_shape", .null)]))),
        ]))
    }

    /// The Keras 3 node index of a reference into `layer` (tf-keras counts a nested model's construction
    /// as its node 0, see ``FunctionalModel/firstCallNode(of:)``).
    private func historyIndex(_ node: Int, layer: String, classes: [String: String]) -> Int {
        guard keras2Nodes, let className = classes[layer], ["Functional", "Model", "Sequential"].contains(className) else { return node }
        return max(node - 1, 0)
    }

    /// `input_layers` / `output_layers` with Keras 3's node indices (a nested Functional's outputs are
    /// referenced from node 1 in Keras 3's `output_layers`).
    private func references(_ value: JSONValue, classes: [String: String], outputs: Bool) -> JSONValue {
        if let triple = FunctionalModel.triple(value) {
            var node = historyIndex(triple.node, layer: triple.layer, classes: classes)
            if outputs, keras2Nodes, ["Functional", "Model"].contains(classes[triple.layer] ?? "") { node += 1 }
            return .array([.string(triple.layer), .number(JSONNumber(node)), .number(JSONNumber(triple.tensor))])
        }
        if let items = value.arrayValue { return .array(items.map { references($0, classes: classes, outputs: outputs) }) }
        if let object = value.objectValue { return .object(JSONObject(object.map { ($0.key, references($0.value, classes: classes, outputs: outputs)) })) }
        return value
    }

    /// A node as Keras 3 writes it: `{"args": [...], "kwargs": {...}}`, tensors as `__keras_tensor__`.
    private func node(_ node: JSONValue, classes: [String: String], pointer: String) throws(ReferenceError) -> JSONValue {
        if node.objectValue != nil { return node }
        guard let entries = node.arrayValue else { throw Self.refusal("a node that is neither a list nor args/kwargs", pointer) }
        var tensors: [JSONValue] = []
        for entry in entries {
            guard let triple = FunctionalModel.triple(entry) else { throw Self.refusal("a node entry that is not [layer, node, tensor]", pointer) }
            tensors.append(tensor(triple, classes: classes))
        }
        let kwargs = entries.last?[3]?.objectValue ?? JSONObject()
        for (key, value) in kwargs where value.arrayValue != nil || value.objectValue != nil {
            throw Self.refusal("tensors among the keyword arguments of a tf-keras node (\(key))", pointer)
        }
        let argument = tensors.count == 1 ? tensors[0] : .array(tensors)
        return .object(JSONObject([("args", .array([argument])), ("kwargs", .object(kwargs))]))
    }

    private func tensor(_ reference: FunctionalModel.TensorReference, classes: [String: String]) -> JSONValue {
        let node = historyIndex(reference.node, layer: reference.layer, classes: classes)
        let seen = first?.call(reference.layer, reference.node)?.outputs
        let again = second?.call(reference.layer, reference.node)?.outputs
        var shape: JSONValue = .null
        var dtype = "float32"
        if let seen, reference.tensor < seen.count {
            shape = Self.shapeJSON(CallRecorder.symbolic(seen[reference.tensor].shape, again.flatMap { reference.tensor < $0.count ? $0[reference.tensor].shape : nil }))
            dtype = seen[reference.tensor].dtype.rawValue
        }
        let history: JSONValue = .array([.string(reference.layer), .number(JSONNumber(node)), .number(JSONNumber(reference.tensor))])
        return .object(JSONObject([("class_name", .string("__keras_tensor__")),
                                   ("config", .object(JSONObject([("shape", shape), ("dtype", .string(dtype)), ("keras_history", history)])))]))
    }
}
