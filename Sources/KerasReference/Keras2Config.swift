import KerasFormat
import KerasJSON

/// A Keras 3 model config rewritten the way tf-keras 2.x writes the `model_config` of a legacy `.h5`
/// (`tf_keras.Model.get_config` under `saving_lib.use_legacy_config`), so that `tf_keras.models.load_model`
/// builds the same model: entries reduced to `class_name` and `config` (plus `name` and `inbound_nodes` in a
/// Functional), `batch_shape` written as `batch_input_shape`, dtype policies as their names, Keras 3 nodes
/// (`args`/`kwargs` with `__keras_tensor__`) as tf-keras node lists `[[layer, node, tensor, kwargs], ...]`,
/// and the arguments tf-keras's constructors do not take removed when they hold their defaults.
/// What tf-keras cannot express (a quantized layer, a dict of model inputs, tensors among call keywords)
/// fails the save (`saveFailed`); it is never dropped silently.
enum Keras2Config {
    /// Keras 3 arguments tf-keras's constructor of every layer rejects, removed when they hold a default.
    static let keras3Only: [String: JSONValue] = ["quantization_config": .null, "lora_rank": .null, "lora_alpha": .null]
    /// Keras 3 arguments of particular classes tf-keras rejects, removed whatever they hold (they do not
    /// change what `predict` computes: a dropout seed, the cuDNN choice).
    static let keras3OnlyByClass: [String: Set<String>] = [
        "SimpleRNN": ["seed"], "LSTM": ["seed", "use_cudnn"], "GRU": ["seed", "use_cudnn"],
    ]
    /// Keras 3 arguments tf-keras knows under another name.
    static let keras3Renamed: [String: [(String, String)]] = ["LeakyReLU": [("negative_slope", "alpha")]]
    /// Keras 3 arguments of particular classes tf-keras rejects, removed when they hold the value that
    /// gives tf-keras's behaviour.
    static let keras3OnlyDefaults: [String: [(String, JSONValue)]] = [
        "ZeroPadding1D": [("data_format", .string("channels_last"))],
        "Cropping1D": [("data_format", .string("channels_last"))],
        "UpSampling1D": [("data_format", .string("channels_last"))],
        "LayerNormalization": [("rms_scaling", .bool(false))],
        "IntegerLookup": [("oov_method", .string("floormod")), ("salt", .null)],
        "StringLookup": [("oov_method", .string("floormod")), ("salt", .null)],
    ]
    /// Layers whose state tf-keras itself refuses to write to `.h5` ("Save or restore weights that is not
    /// an instance of `tf.Variable` is not supported in h5").
    static let h5UnsavableClasses: Set<String> = ["IntegerLookup", "StringLookup", "TextVectorization"]
    /// The activations `tf_keras.activations` (2.21) defines with Keras 3's meaning; Keras 3 has more (`celu`,
    /// `glu`, ...), and `hard_sigmoid` means another function in each (tf-keras `0.2x + 0.5`, Keras 3
    /// `relu6(x + 3) / 6`), so it is refused rather than written under a name that changes the outputs.
    static let tfKerasActivations: Set<String> = [
        "elu", "exponential", "gelu", "leaky_relu", "linear", "log_softmax", "mish", "relu", "relu6",
        "selu", "sigmoid", "silu", "softmax", "softplus", "softsign", "swish", "tanh",
    ]
    /// The pattern of a TensorFlow root name scope, which tf-keras makes of every layer name:
    /// `^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$` (tf-keras refuses other names when it builds the layer).
    static func isTensorFlowScopeName(_ name: String) -> Bool {
        func allowed(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
            guard scalar.isASCII else { return false }
            let character = Character(scalar)
            if character.isLetter || character.isNumber || character == "." { return true }
            return !first && "_\\/>-".contains(character)
        }
        let scalars = Array(name.unicodeScalars)
        guard let head = scalars.first, allowed(head, first: true) else { return false }
        return scalars.dropFirst().allSatisfy { allowed($0, first: false) }
    }
    /// Initializer arguments Keras 3 added (VarianceScaling's `input_axes`, `output_axes`), removed when null.
    static let keras3InitializerArguments = ["input_axes", "output_axes"]

    /// Model-level keys tf-keras writes for each model class.
    static let modelKeys: [String: [String]] = [
        "Sequential": ["name", "layers", "build_input_shape"],
        "Functional": ["name", "trainable", "layers", "input_layers", "output_layers"],
    ]

    /// The tf-keras form of the model envelope `envelope`.
    static func model(_ envelope: JSONValue, pointer: String = "") throws(ReferenceError) -> JSONValue {
        guard let className = envelope["class_name"]?.stringValue, let config = envelope["config"]?.objectValue else {
            throw unsupported("the model config is not an envelope", pointer)
        }
        let kind = className == "Model" ? "Functional" : className
        guard let keys = modelKeys[kind] else { throw unsupported("\(className) is not a Sequential or Functional model", pointer) }
        // tf-keras counts the construction of a nested model with an InputLayer as its node 0
        // (`_should_skip_first_node`); Keras 3's keras_history counts calls from 0, and its output_layers
        // already count from 1 for a nested Functional (FUN:449-455).
        var skipsFirstNode: [String: (inbound: Int, output: Int)] = [:]
        let entries = config["layers"]?.arrayValue ?? []
        let alreadyKeras2 = entries.contains { $0["inbound_nodes"]?.arrayValue?.first?.arrayValue != nil }
        for entry in entries where !alreadyKeras2 {
            guard let name = entry["name"]?.stringValue ?? entry["config"]?["name"]?.stringValue else { continue }
            switch entry["class_name"]?.stringValue {
            case "Functional", "Model": skipsFirstNode[name] = (1, 0)
            case "Sequential" where entry["config"]?["layers"]?.arrayValue?.first?["class_name"]?.stringValue == "InputLayer":
                skipsFirstNode[name] = (1, 1)
            default: break
            }
        }
        if let name = config["name"]?.stringValue, !isTensorFlowScopeName(name) {
            throw unsupported("the model name \"\(name)\" is not a TensorFlow name scope, which tf-keras requires", pointer + "/config/name")
        }
        var result = JSONObject()
        for key in keys {
            guard let value = config[key] else { continue }
            switch key {
            case "layers":
                guard let entries = value.arrayValue else { throw unsupported("layers is not a list", pointer + "/config/layers") }
                var layers: [JSONValue] = []
                for (index, entry) in entries.enumerated() {
                    layers.append(try layerEntry(entry, inFunctional: kind == "Functional", offsets: skipsFirstNode.mapValues(\.inbound),
                                                 pointer: pointer + "/config/layers/" + String(index)))
                }
                result["layers"] = .array(layers)
            case "input_layers", "output_layers":
                result[key] = try referenceList(value, offsets: key == "output_layers" ? skipsFirstNode.mapValues(\.output) : [:],
                                                pointer: pointer + "/config/" + key)
            default:
                result[key] = value
            }
        }
        if kind == "Sequential", result["build_input_shape"]?.isNull ?? false { result.removeValue(forKey: "build_input_shape") }
        return .object(JSONObject([("class_name", .string(kind)), ("config", .object(result))]))
    }

    /// A layer entry: `class_name`, `config` (and in a Functional `name`, `inbound_nodes`).
    private static func layerEntry(_ entry: JSONValue, inFunctional: Bool, offsets: [String: Int], pointer: String) throws(ReferenceError) -> JSONValue {
        guard let className = entry["class_name"]?.stringValue, entry["config"] != nil else {
            throw unsupported("layer entry is not an envelope", pointer)
        }
        if let module = entry["module"]?.stringValue, module.hasPrefix("keras.src.ops.") {
            throw unsupported("\(className) is a keras.ops operation, which tf-keras configs cannot hold", pointer)
        }
        if h5UnsavableClasses.contains(className) {
            throw unsupported("\(className) keeps its vocabulary outside tf.Variable weights, which tf-keras cannot save in .h5 either", pointer)
        }
        var result: JSONObject
        if modelKeys[className == "Model" ? "Functional" : className] != nil {
            result = try model(entry, pointer: pointer).objectValue ?? JSONObject()
        } else {
            result = JSONObject([("class_name", .string(className)), ("config", try layerConfig(entry, pointer: pointer))])
        }
        if inFunctional {
            result["name"] = entry["name"] ?? entry["config"]?["name"] ?? .null
            var nodes: [JSONValue] = []
            for (index, node) in (entry["inbound_nodes"]?.arrayValue ?? []).enumerated() {
                nodes.append(try nodeList(node, offsets: offsets, pointer: pointer + "/inbound_nodes/" + String(index)))
            }
            result["inbound_nodes"] = .array(nodes)
        }
        return .object(result)
    }

    /// A layer's own config in tf-keras's vocabulary.
    private static func layerConfig(_ entry: JSONValue, pointer: String) throws(ReferenceError) -> JSONValue {
        let className = entry["class_name"]?.stringValue ?? ""
        guard var config = entry["config"]?.objectValue else { return entry["config"] ?? .null }
        for (key, neutral) in keras3Only {
            guard let value = config[key] else { continue }
            guard value == neutral || value == .number(JSONNumber(0)) else {
                throw unsupported("\(className) has \(key) \(JSONWriter.dumps(value)), which tf-keras has no form for", pointer + "/config/" + key)
            }
            config.removeValue(forKey: key)
        }
        for key in keras3OnlyByClass[className] ?? [] { config.removeValue(forKey: key) }
        if className == "InputLayer", let shape = config.removeValue(forKey: "batch_shape") {
            config = JSONObject([("batch_input_shape", shape)] + config.map { ($0.key, $0.value) })
        }
        if let dtype = config["dtype"] { config["dtype"] = try policy(dtype, pointer: pointer + "/config/dtype") }

        // tf-keras draws an Orthogonal initializer with a QR decomposition TensorFlow has no bfloat16 kernel for:
        // such a layer cannot even be built in tf-keras.
        if config["dtype"]?.stringValue?.contains("bfloat16") ?? false || config["dtype"]?["config"]?["name"]?.stringValue?.contains("bfloat16") ?? false,
           let key = config.first(where: { $0.value["class_name"]?.stringValue == "Orthogonal" })?.key {
            throw unsupported("a bfloat16 layer with an Orthogonal \(key): tf-keras cannot build it (no bfloat16 QR in TensorFlow)", pointer + "/config/" + key)
        }
        for (key, value) in config where value["module"]?.stringValue == "keras.initializers" {
            config[key] = try initializer(value, pointer: pointer + "/config/" + key)
        }
        for (key, renamed) in keras3Renamed[className] ?? [] {
            if let value = config.removeValue(forKey: key) { config[renamed] = value }
        }
        for (key, neutral) in keras3OnlyDefaults[className] ?? [] {
            guard let value = config[key] else { continue }
            guard value == neutral else {
                throw unsupported("\(className) has \(key) \(JSONWriter.dumps(value)), which tf-keras has no form for", pointer + "/config/" + key)
            }
            config.removeValue(forKey: key)
        }
        if let name = config["name"]?.stringValue, !isTensorFlowScopeName(name) {
            throw unsupported("the layer name \"\(name)\" is not a TensorFlow name scope, which tf-keras requires", pointer + "/config/name")
        }
        for key in ["activation", "recurrent_activation"] {
            guard let value = config[key] else { continue }
            guard let activation = value.stringValue, tfKerasActivations.contains(activation) else {
                throw unsupported("\(key) \(JSONWriter.dumps(value)) is not a tf-keras activation", pointer + "/config/" + key)
            }
        }
        for key in ["layer", "backward_layer"] {
            guard let wrapped = config[key], wrapped.objectValue != nil else { continue }
            if let wrappedClass = wrapped["class_name"]?.stringValue, modelKeys[wrappedClass == "Model" ? "Functional" : wrappedClass] != nil {
                config[key] = try model(wrapped, pointer: pointer + "/config/" + key)
                continue
            }
            config[key] = .object(JSONObject([("class_name", wrapped["class_name"] ?? .null),
                                              ("config", try layerConfig(wrapped, pointer: pointer + "/config/" + key))]))
        }
        return .object(config)
    }

    /// A dtype policy: its name for a plain dtype, `{"class_name": "Policy", ...}` for a mixed one.
    private static func policy(_ value: JSONValue, pointer: String) throws(ReferenceError) -> JSONValue {
        guard value.objectValue != nil else { return value }
        guard let className = value["class_name"]?.stringValue, className == "DTypePolicy" || className == "Policy",
              let name = value["config"]?["name"]?.stringValue
        else { throw unsupported("dtype policy \(JSONWriter.dumps(value)) has no tf-keras form", pointer) }
        if name.hasPrefix("mixed_") {
            return .object(JSONObject([("class_name", .string("Policy")), ("config", .object(JSONObject([("name", .string(name))])))]))
        }
        return .string(name)
    }

    /// An initializer envelope without the arguments tf-keras does not take.
    private static func initializer(_ value: JSONValue, pointer: String) throws(ReferenceError) -> JSONValue {
        guard var envelope = value.objectValue, var config = envelope["config"]?.objectValue else { return value }
        for key in keras3InitializerArguments {
            guard let argument = config[key] else { continue }
            guard argument.isNull else {
                throw unsupported("initializer \(key) \(JSONWriter.dumps(argument)) has no tf-keras form", pointer + "/config/" + key)
            }
            config.removeValue(forKey: key)
        }
        envelope["config"] = .object(config)
        return .object(envelope)
    }

    /// `input_layers` / `output_layers` as a list of `[name, node, tensor]`.
    private static func referenceList(_ value: JSONValue, offsets: [String: Int], pointer: String) throws(ReferenceError) -> JSONValue {
        if value.objectValue != nil { throw unsupported("a dict of model inputs or outputs has no tf-keras form", pointer) }
        guard let items = value.arrayValue else { throw unsupported("not a list of layer references", pointer) }
        let references = FunctionalModel.triple(value) != nil ? [value] : items
        var result: [JSONValue] = []
        for reference in references {
            guard let triple = reference.arrayValue, triple.count >= 3 else { throw unsupported("not a list of layer references", pointer) }
            result.append(.array(shifted(Array(triple.prefix(3)), offsets)))
        }
        return .array(result)
    }

    /// `[layer, node, tensor]` with the node index moved by the layer's offset.
    private static func shifted(_ triple: [JSONValue], _ offsets: [String: Int]) -> [JSONValue] {
        guard let name = triple[0].stringValue, let offset = offsets[name], offset != 0, let node = triple[1].intValue else { return triple }
        return [triple[0], .number(JSONNumber(node + offset)), triple[2]]
    }

    /// A Keras 3 node `{"args": [...], "kwargs": {...}}` as tf-keras's `[[layer, node, tensor, kwargs], ...]`:
    /// the tensors of the one positional argument (a tensor, or a list of tensors), each carrying the call's
    /// keyword arguments. A legacy node list is kept.
    private static func nodeList(_ node: JSONValue, offsets: [String: Int], pointer: String) throws(ReferenceError) -> JSONValue {
        if node.arrayValue != nil { return node }
        guard let args = node["args"]?.arrayValue else { throw unsupported("node without args", pointer) }
        let kwargs = node["kwargs"]?.objectValue ?? JSONObject()
        for (key, value) in kwargs where containsTensor(value) {
            throw unsupported("the call passes a tensor as keyword \(key), which tf-keras node lists cannot express", pointer + "/kwargs/" + key)
        }
        guard args.count == 1 else { throw unsupported("the call has \(args.count) positional arguments; tf-keras node lists pass one", pointer + "/args") }
        let tensors = args[0].arrayValue ?? [args[0]]
        var result: [JSONValue] = []
        for (index, tensor) in tensors.enumerated() {
            guard tensor["class_name"]?.stringValue == "__keras_tensor__", let history = tensor["config"]?["keras_history"]?.arrayValue,
                  history.count == 3 else {
                throw unsupported("argument \(index) is not a tensor of the graph", pointer + "/args")
            }
            result.append(.array(shifted(history, offsets) + [.object(kwargs)]))
        }
        return .array(result)
    }

    private static func containsTensor(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object):
            return object["class_name"]?.stringValue == "__keras_tensor__" || object.contains { containsTensor($0.value) }
        case .array(let items): return items.contains(where: containsTensor)
        default: return false
        }
    }

    private static func unsupported(_ message: String, _ pointer: String) -> ReferenceError {
        ReferenceError(ReferenceError.Code.saveFailed, "cannot write the Keras 2 (tf-keras) form: " + message, at: pointer)
    }
}
