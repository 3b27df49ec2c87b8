import KerasFormat
import KerasJSON

/// `keras.saving.deserialize_keras_object` on a JSON config, inside one `ObjectSharingScope` (SER:433-798;
/// FORMAT.md 2.1), without importing or running anything: markers become ``KerasValue`` cases, function
/// and class references are resolved by the ``SafetyPolicy`` (plus the custom objects of the options), and
/// every envelope naming a `shared_object_id` seen before yields the instance made the first time, without
/// looking at the rest of that envelope, as Keras does (SER:746-749).
///
/// Errors: ``ReferenceError/Code/invalidConfig`` where Keras raises on a malformed marker or envelope,
/// ``ReferenceError/Code/unknownClass`` for a reference the policy refuses, ``ReferenceError/Code/unsafeLambda``
/// for a lambda in safe mode; each located by the JSON pointer of the offending value.
///
/// Deliberate differences, all refusals of what Keras never writes: non-ASCII numeric strings as array
/// elements (NumPy parses `"١٢"` as Python's `int` does), dtype spellings other than the standardized names
/// (`"f4"`, `"double"`), and `__typespec__` (TensorFlow objects; kconform has no TensorFlow).
public struct ValueDeserializer {
    /// The load options: safe mode and custom objects.
    public var options: LoadOptions
    /// The classes and functions a config may name.
    public var policy: SafetyPolicy
    /// The instances by `shared_object_id` (`ObjectSharingScope`'s `id_to_obj_map`).
    private var shared: [JSONValue: KerasInstance] = [:]

    /// NumPy's largest number of dimensions (`NPY_MAXDIMS` in NumPy 2).
    public static let maxDimensions = 64

    /// A deserializer with its own sharing scope.
    public init(options: LoadOptions = LoadOptions(), policy: SafetyPolicy = SafetyPolicy()) {
        self.options = options
        self.policy = policy
    }

    /// The value of `json`, located at `pointer` in its document.
    public mutating func deserialize(_ json: JSONValue, at pointer: String = "") throws(ReferenceError) -> KerasValue {
        try value(json, pointer, markers: true)
    }

    /// `markers: false` inside a class's inner config, where Keras leaves interpretation to the class's
    /// `from_config`: plain values and markers stay data, envelopes are still instances (and shared).
    private mutating func value(_ json: JSONValue, _ pointer: String, markers: Bool) throws(ReferenceError) -> KerasValue {
        switch json {
        case .null: return .none
        case .bool(let flag): return .bool(flag)
        case .number(let number): return number.isInteger ? .int(number) : .float(number.doubleValue ?? .nan)
        case .string(let text): return .string(text)
        case .array(let items):
            var result: [KerasValue] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() { result.append(try value(item, pointer + "/" + String(index), markers: markers)) }
            return .list(result)
        case .object(let object):
            guard let classValue = object["class_name"], let inner = object["config"] else { return try dict(object, pointer, markers: markers) }
            guard let className = classValue.stringValue else {
                throw Self.invalid("class_name is \(Self.kind(classValue)), not a string", pointer + "/class_name")
            }
            if className == "__lambda__" {
                guard !options.safeMode else {
                    throw ReferenceError(ReferenceError.Code.unsafeLambda,
                                         "Requested the deserialization of a Python lambda; it is refused in safe mode (kconform never runs it)", at: pointer)
                }
                return .lambda(object)
            }
            if markers, let marker = try self.marker(className, object: object, inner: inner, pointer) { return marker }
            if !markers, className.hasPrefix("__"), className.hasSuffix("__") { return try dict(object, pointer, markers: false) }
            if className == "function" { return try function(object, inner: inner, pointer) }
            return try instance(className, object: object, inner: inner, pointer)
        }
    }

    private mutating func dict(_ object: JSONObject, _ pointer: String, markers: Bool) throws(ReferenceError) -> KerasValue {
        var items: [(key: String, value: KerasValue)] = []
        items.reserveCapacity(object.count)
        for (key, item) in object { items.append((key, try value(item, Self.appending(pointer, key), markers: markers))) }
        return .dict(items)
    }

    // MARK: Markers (SER:643-715)

    private mutating func marker(_ className: String, object: JSONObject, inner rawInner: JSONValue, _ pointer: String) throws(ReferenceError) -> KerasValue? {
        let inner: JSONValue = rawInner == .null ? .object(JSONObject()) : rawInner
        let at = pointer + "/config"
        func field(_ key: String) throws(ReferenceError) -> JSONValue {
            guard case .object(let members) = inner else { throw Self.invalid("\(className) config is \(Self.kind(inner)), not a dict", at) }
            guard let item = members[key] else { throw Self.invalid("\(className) config has no \"\(key)\"", at) }
            return item
        }
        switch className {
        case "__keras_tensor__":
            let shape = try Self.symbolicShape(try field("shape"), at + "/shape")
            let dtype = try field("dtype")
            // `KerasTensor(shape, dtype=None)` takes `floatx()`.
            guard let name = dtype == .null ? "float32" : dtype.stringValue, Self.tensorDTypes.contains(name) else {
                throw Self.invalid("Invalid dtype: \(dtype)", at + "/dtype")
            }
            return .kerasTensor(SymbolicTensor(shape: shape, dtype: name, history: try field("keras_history")))
        case "__tensor__":
            return .array(try ArrayConversion.array(.tensor, value: try field("value"), dtype: try field("dtype"), at))
        case "__numpy__":
            return .array(try ArrayConversion.array(.numpy, value: try field("value"), dtype: try field("dtype"), at))
        case "__bytes__":
            let text = try field("value")
            guard let string = text.stringValue else { throw Self.invalid("__bytes__ value is \(Self.kind(text)), not a str", at + "/value") }
            return .bytes(Array(string.utf8))
        case "__ellipsis__":
            return .ellipsis
        case "__slice__":
            let start = try field("start"), stop = try field("stop"), step = try field("step")
            return .slice(start: try value(start, at + "/start", markers: true), stop: try value(stop, at + "/stop", markers: true),
                          step: try value(step, at + "/step", markers: true))
        case "__typespec__":
            throw ReferenceError(ReferenceError.Code.unknownClass, "__typespec__ names a TensorFlow TypeSpec; kconform has no TensorFlow", at: pointer)
        default:
            return nil
        }
    }

    /// `KerasTensor(shape)`'s `standardize_shape`: a list of non-negative ints and nulls.
    private static func symbolicShape(_ json: JSONValue, _ pointer: String) throws(ReferenceError) -> [Int?] {
        guard let items = json.arrayValue else { throw invalid("Cannot convert \(json) to a shape", pointer) }
        var shape: [Int?] = []
        for (index, item) in items.enumerated() {
            if item == .null { shape.append(nil); continue }
            guard let dimension = item.intValue else { throw invalid("Cannot convert \(json) to a shape: \(item) is not an int", pointer + "/" + String(index)) }
            guard dimension >= 0 else { throw invalid("Negative dimensions are not allowed: \(json)", pointer + "/" + String(index)) }
            shape.append(dimension)
        }
        return shape
    }

    /// The dtypes `standardize_dtype` accepts for a symbolic tensor (Keras's `ALLOWED_DTYPES`).
    static let tensorDTypes: Set<String> = Set(ArrayDType.allCases.map(\.rawValue))
        .union(["float8_e4m3fn", "float8_e5m2", "complex64", "complex128", "string", "int4", "uint4"])

    // MARK: Functions and classes (SER:717-798)

    private func function(_ object: JSONObject, inner: JSONValue, _ pointer: String) throws(ReferenceError) -> KerasValue {
        guard let name = inner.stringValue else {
            throw Self.invalid("Expected 'config' to be a non-null str for a function class name, got \(Self.kind(inner))", pointer + "/config")
        }
        let module = object["module"]?.stringValue
        let registered = Self.registeredName(object, className: "function")
        let verdict = policy.allowedFunction(module: module, name: name, registeredName: registered)
        if case .refused(let rule, let reason) = verdict, options.customObjects[name] == nil, registered.flatMap({ options.customObjects[$0] }) == nil {
            throw ReferenceError(ReferenceError.Code.unknownClass, "\(reason) (\(rule.id))", at: pointer)
        }
        var isKerasFunction = false
        if case .allowed = verdict { isKerasFunction = true }
        return .function(KerasValue.FunctionReference(module: module, name: name, registeredName: registered, isKerasFunction: isKerasFunction))
    }

    private mutating func instance(_ className: String, object: JSONObject, inner: JSONValue, _ pointer: String) throws(ReferenceError) -> KerasValue {
        let innerConfig: JSONValue = inner == .null ? .object(JSONObject()) : inner
        guard case .object(let members) = innerConfig else {
            throw Self.invalid("Expected 'config' to be a dict for \(className), got \(Self.kind(inner))", pointer + "/config")
        }
        let sharedID = object["shared_object_id"]
        if let sharedID, let existing = shared[sharedID] { return .object(existing) }
        let module = object["module"]?.stringValue
        let registered = Self.registeredName(object, className: className)
        // Keras 3 resolves a class without a module only among custom objects (`_retrieve_class_or_fn`);
        // the by-name lookup of legacy configs is the legacy loader's, not this one's.
        var verdict: SafetyVerdict? = module == nil
            ? SafetyVerdict.refused(Rule.unknownObject, "\(className) has no module; Keras resolves it only to a custom object")
            : policy.allowed(module: module, className: className, registeredName: registered)
        if case .refused(let rule, let reason)? = verdict {
            guard [registered, className].contains(where: { $0.flatMap { options.customObjects[$0] } != nil }) else {
                throw ReferenceError(ReferenceError.Code.unknownClass, "\(reason) (\(rule.id))", at: pointer)
            }
            verdict = nil
        }
        if case .allowed(let object) = verdict, ["DTypePolicy", "FloatDTypePolicy"].contains(object.canonicalName.split(separator: ".").last ?? "") {
            try Self.checkPolicyName(members["name"], pointer + "/config/name")
        }
        let config = try dict(members, pointer + "/config", markers: false)
        let made = KerasInstance(
            module: module, className: className, registeredName: registered, hasRegisteredName: object["registered_name"] != nil,
            config: config, buildConfig: Self.truthy(object["build_config"]), compileConfig: Self.truthy(object["compile_config"]), verdict: verdict)
        if let sharedID { shared[sharedID] = made }
        return .object(made)
    }

    /// `DTypePolicy(name)`'s check: a float dtype, or `mixed_float16` / `mixed_bfloat16` (`"mixed_int8"` is
    /// Keras's "Cannot convert ... to a mixed precision DTypePolicy").
    private static func checkPolicyName(_ name: JSONValue?, _ pointer: String) throws(ReferenceError) {
        let valid: Set<String> = ["float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16"]
        guard let name else { return }
        guard let text = name.stringValue, valid.contains(text) else {
            throw invalid("DTypePolicy name \(name) is none of \(valid.sorted())", pointer)
        }
    }

    /// `config.get("registered_name", class_name)` (SER:719): the class name when the key is absent, nil when null.
    private static func registeredName(_ object: JSONObject, className: String) -> String? {
        guard let value = object["registered_name"] else { return className }
        return value.stringValue
    }

    /// A Python-truthy value, else nil (`if build_config and ...`, SER:785-792).
    private static func truthy(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case nil, .null?, .bool(false)?: return nil
        case .object(let members)? where members.count == 0: return nil
        case .array(let items)? where items.isEmpty: return nil
        case .string(let text)? where text.isEmpty: return nil
        case .number(let number)? where number.doubleValue == 0: return nil
        default: return value
        }
    }

    // MARK: Helpers

    static func invalid(_ reason: String, _ pointer: String) -> ReferenceError {
        ReferenceError(ReferenceError.Code.invalidConfig, reason, at: pointer)
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "None"
        case .bool: "a bool"
        case .number(let number): number.isInteger ? "an int" : "a float"
        case .string: "a str"
        case .array: "a list"
        case .object: "a dict"
        }
    }

    static func appending(_ pointer: String, _ key: String) -> String {
        pointer + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
