import KerasJSON

/// Random config values at the JSON level, as Keras's `serialize_keras_object` writes them (FORMAT.md 2.1):
/// plain values, lists and dicts, every special marker (`__numpy__`, `__tensor__`, `__bytes__`, `__slice__`,
/// `__ellipsis__`, `__keras_tensor__`) and object envelopes of Keras's own classes (from ``KerasTemplates``)
/// of which some are shared by `shared_object_id`, as Keras writes one object met twice. With
/// probability ``invalidRate`` a marker is made invalid the way a hostile or broken file would be (ragged or
/// out-of-range arrays, unknown dtypes, missing fields, wrong types); Keras then raises, and so must kconform.
///
/// Driven by ``Choices``: a seed or a fuzzer's bytes. The Python oracle
/// (`Tests/python/test_keras_values.py`) deserializes every generated value in Keras and compares.
public struct ValueGenerator {
    /// Deepest nesting of lists, dicts and slices.
    public var maxDepth = 3
    /// Most items in a list or dict.
    public var maxItems = 4
    /// The probability that a marker is made invalid.
    public var invalidRate = 0.12

    /// The generator with its defaults.
    public init() {}

    /// One config value.
    public func value(_ choices: inout Choices) -> JSONValue {
        var state = State()
        guard choices.bool(0.15) else { return draw(&choices, depth: 0, state: &state) }
        // One object at two places, as Keras writes a layer whose initializers are one instance.
        var shared = object(&choices, state: &state)
        if case .object(var envelope) = shared, envelope["shared_object_id"] == nil {
            _ = envelope.updateValue(.number(.integer(state.nextID)), forKey: "shared_object_id")
            shared = .object(envelope)
        }
        return .object(JSONObject([("kernel_initializer", shared), ("bias_initializer", shared),
                                   ("other", draw(&choices, depth: 1, state: &state))]))
    }

    /// The shared objects drawn so far in one value, for re-use.
    private struct State {
        var shared: [JSONValue] = []
        var nextID = 140_000_000_000_000
    }

    private static let numpyDTypes = ["float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
                                      "uint8", "uint16", "uint32", "uint64", "bool"]
    private static let tensorDTypes = numpyDTypes
    private static let symbolicDTypes = ["float32", "float16", "bfloat16", "int32", "int64", "bool", "string"]
    private static let strings = ["", "a", "relu", "class_name", "dense_1", "Ünïcödé", "名前", "emoji 🙂", "quote\"back\\slash", "tab\tnl\n"]
    private static let objectGroups = ["initializers", "regularizers", "constraints", "policies"]

    private func draw(_ choices: inout Choices, depth: Int, state: inout State) -> JSONValue {
        let leaf = depth >= maxDepth
        let kind = depth == 0 && choices.bool(0.5) ? choices.int(in: 11...13) : choices.int(in: 0...(leaf ? 10 : 14))
        switch kind {
        case 0: return .null
        case 1: return .bool(choices.bool())
        case 2: return .number(.integer(Self.integer(&choices)))
        case 3: return .number(.float(Self.float(&choices)))
        case 4: return .string(choices.element(of: Self.strings))
        case 5: return numpy(&choices)
        case 6: return tensor(&choices)
        case 7: return bytesMarker(&choices)
        case 8: return symbolic(&choices)
        case 9, 10: return object(&choices, state: &state)
        case 11: return .array(choices.list(count: choices.int(in: 0...maxItems)) { draw(&$0, depth: depth + 1, state: &state) })
        case 12: return dict(&choices, depth: depth, state: &state)
        case 13: return slice(&choices, depth: depth, state: &state)
        default: return Self.marker("__ellipsis__", .object(JSONObject()))
        }
    }

    private static func marker(_ name: String, _ config: JSONValue) -> JSONValue {
        .object(JSONObject([("class_name", .string(name)), ("config", config)]))
    }

    private static func integer(_ choices: inout Choices) -> Int {
        choices.bool(0.8) ? choices.int(in: -5...300) : choices.element(of: [Int.min, Int.max, -129, 128, 255, 256, 65_535, 2_147_483_647, 2_147_483_648, -2_147_483_649])
    }

    private static func float(_ choices: inout Choices) -> Double {
        choices.bool(0.8) ? Double(choices.float(in: -4...4))
            : choices.element(of: [0.1, -0.0, 1e-300, 5e-324, 1.5e300, 65_504, 65_520, 3.4028235677973366e38, 1e39, .nan, .infinity, -.infinity, 0.5, 2.5, -1.5])
    }

    private func dict(_ choices: inout Choices, depth: Int, state: inout State) -> JSONValue {
        var object = JSONObject()
        for index in 0..<choices.int(in: 0...maxItems) {
            let key = choices.bool(0.2) ? choices.element(of: ["class_name", "module", "value", "dtype"]) : "key_\(index)"
            _ = object.updateValue(draw(&choices, depth: depth + 1, state: &state), forKey: key)
        }
        return .object(object)
    }

    private func slice(_ choices: inout Choices, depth: Int, state: inout State) -> JSONValue {
        func bound(_ choices: inout Choices) -> JSONValue {
            choices.bool(0.4) ? .null : choices.bool(0.9) ? .number(.integer(choices.int(in: -4...8))) : draw(&choices, depth: depth + 1, state: &state)
        }
        var members = [("start", bound(&choices)), ("stop", bound(&choices)), ("step", bound(&choices))]
        if choices.bool(invalidRate) { members.remove(at: choices.int(in: 0...2)) }
        return Self.marker("__slice__", .object(JSONObject(members)))
    }

    private func bytesMarker(_ choices: inout Choices) -> JSONValue {
        let value: JSONValue = choices.bool(invalidRate) ? .number(.integer(3)) : .string(choices.element(of: Self.strings))
        return Self.marker("__bytes__", .object(JSONObject([("value", value)])))
    }

    private func symbolic(_ choices: inout Choices) -> JSONValue {
        let shape = JSONValue.array(choices.list(count: choices.int(in: 0...3)) { $0.bool(0.3) ? .null : .number(.integer($0.int(in: 0...8))) })
        let history: JSONValue = choices.bool() ? .null
            : .array([.string(choices.element(of: ["input_layer", "dense", "x"])), .number(.integer(choices.int(in: 0...2))), .number(.integer(0))])
        var members: [(String, JSONValue)] = [("shape", shape), ("dtype", .string(choices.element(of: Self.symbolicDTypes))), ("keras_history", history)]
        if choices.bool(invalidRate) {
            switch choices.int(in: 0...2) {
            case 0: members.remove(at: choices.int(in: 0...2))
            case 1: members[0].1 = .array([.number(.integer(-1))])
            default: members[1].1 = .string("float8")
            }
        }
        return Self.marker("__keras_tensor__", .object(JSONObject(members)))
    }

    /// A valid or invalid array marker of `dtypes`.
    private func array(_ name: String, dtypes: [String], _ choices: inout Choices) -> JSONValue {
        let dtype = choices.element(of: dtypes)
        let shape = choices.list(count: choices.int(in: name == "__tensor__" ? 0...3 : 1...3)) { $0.int(in: 0...3) }
        var value = Self.nested(shape: shape[...]) { Self.element(dtype, &choices) }
        var dtypeValue = JSONValue.string(dtype)
        if choices.bool(invalidRate) {
            switch choices.int(in: 0...4) {
            case 0: value = .array([.array([.number(.integer(1)), .number(.integer(2))]), .array([.number(.integer(3))])])
            case 1: dtypeValue = .string(choices.element(of: ["float8", "complex32", "object"]))
            case 2: value = .array([.number(.integer(dtype.hasPrefix("uint") ? -1 : 1 << 40))])
            case 3: value = .array([.string("a")])
            default: value = .array([.number(.float(.nan))])
            }
        }
        var members: [(String, JSONValue)] = [("value", value), ("dtype", dtypeValue)]
        if choices.bool(invalidRate / 3) { members.remove(at: choices.int(in: 0...1)) }
        return Self.marker(name, .object(JSONObject(members)))
    }

    private func numpy(_ choices: inout Choices) -> JSONValue { array("__numpy__", dtypes: Self.numpyDTypes, &choices) }
    private func tensor(_ choices: inout Choices) -> JSONValue { array("__tensor__", dtypes: Self.tensorDTypes, &choices) }

    private static func nested(shape: ArraySlice<Int>, _ element: () -> JSONValue) -> JSONValue {
        guard let first = shape.first else { return element() }
        return .array((0..<first).map { _ in nested(shape: shape.dropFirst(), element) })
    }

    /// An element a Keras array of `dtype` could hold, written as `tolist()` writes it.
    private static func element(_ dtype: String, _ choices: inout Choices) -> JSONValue {
        switch dtype {
        case "bool": return .bool(choices.bool())
        case "float16", "bfloat16", "float32", "float64":
            let value = choices.bool(0.9) ? Double(choices.float(in: -8...8)) : choices.element(of: [-0.0, .nan, .infinity, 1e-8, 65_504])
            return .number(.float(value))
        default:
            let signed = dtype.hasPrefix("int")
            let bits = Int(dtype.drop { !$0.isNumber }) ?? 8
            // JAX narrows 64-bit tensors to 32 bits; bounds of the narrow type keep such values valid.
            let high = bits >= 32 ? Int(Int32.max) : signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1
            let low = signed ? -high - 1 : 0
            return .number(.integer(choices.bool(0.8) ? choices.int(in: max(low, -100)...min(high, 100)) : choices.element(of: [low, high])))
        }
    }

    /// An envelope of a Keras object, fresh or (when one was drawn before) the same object again.
    private func object(_ choices: inout Choices, state: inout State) -> JSONValue {
        if !state.shared.isEmpty, choices.bool(0.5) { return choices.element(of: state.shared) }
        let catalogue = TemplateCatalogue.shared
        let group = choices.element(of: Self.objectGroups)
        let template = catalogue.object(group, choices.element(of: catalogue.names(group)))
        guard choices.bool(0.7), case .object(var envelope) = template else { return template }
        state.nextID += choices.int(in: 1...4096)
        _ = envelope.updateValue(.number(.integer(state.nextID)), forKey: "shared_object_id")
        state.shared.append(.object(envelope))
        return .object(envelope)
    }
}
