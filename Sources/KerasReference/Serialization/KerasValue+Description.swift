import KerasJSON

extension KerasValue {
    /// The canonical description of the value that the Python oracle
    /// (`scripts/conformance/keras_values.py describe`) writes for the object Keras deserializes: a tagged
    /// JSON object per value (`{"type": "ndarray", "dtype", "shape", "values"}`, ...), floats as Python's
    /// `repr`, instances as their class name and the index of their identity in order of first appearance.
    /// The format: `Tests/python/README-kit.md`.
    public var oracleDescription: JSONValue {
        var identities: [ObjectIdentifier: Int] = [:]
        return describe(&identities)
    }

    private func describe(_ identities: inout [ObjectIdentifier: Int]) -> JSONValue {
        func tagged(_ type: String, _ members: [(String, JSONValue)] = []) -> JSONValue {
            .object(JSONObject([("type", .string(type))] + members))
        }
        switch self {
        case .none: return tagged("none")
        case .bool(let flag): return tagged("bool", [("value", .bool(flag))])
        case .int(let number): return tagged("int", [("value", .string(number.integerDecimal ?? number.description))])
        case .float(let double): return tagged("float", [("value", .string(Self.pythonRepr(double)))])
        case .string(let text): return tagged("str", [("value", .string(text))])
        case .list(let items): return tagged("list", [("items", .array(items.map { $0.describe(&identities) }))])
        case .dict(let items):
            return tagged("dict", [("items", .array(items.map { .array([.string($0.key), $0.value.describe(&identities)]) }))])
        case .bytes(let bytes):
            return tagged("bytes", [("hex", .string(bytes.map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined()))])
        case .slice(let start, let stop, let step):
            return tagged("slice", [("start", start.describe(&identities)), ("stop", stop.describe(&identities)), ("step", step.describe(&identities))])
        case .ellipsis: return tagged("ellipsis")
        case .array(let array):
            let values: [JSONValue] = (0..<array.elements.count).map { index in
                switch array.elements {
                case .floats(let values): .string(Self.pythonRepr(values[index]))
                case .signed(let values): .string(String(values[index]))
                case .unsigned(let values): .string(String(values[index]))
                case .bools(let values): .string(values[index] ? "True" : "False")
                }
            }
            return tagged(array.kind == .numpy ? "ndarray" : "tensor", [
                ("dtype", .string(array.dtype)), ("shape", .array(array.shape.map { .number(.integer($0)) })), ("values", .array(values)),
            ])
        case .kerasTensor(let tensor):
            return tagged("keras_tensor", [
                ("shape", .array(tensor.shape.map { $0.map { .number(.integer($0)) } ?? .null })), ("dtype", .string(tensor.dtype)),
                ("history", tensor.history),
            ])
        case .lambda: return tagged("function", [("name", .string("<lambda>"))])
        case .function(let function): return tagged("function", [("name", .string(function.name))])
        case .object(let instance):
            let key = ObjectIdentifier(instance)
            let identity = identities[key] ?? identities.count
            identities[key] = identity
            return tagged("object", [("class_name", .string(instance.className)), ("identity", .number(.integer(identity)))])
        }
    }

    /// Python's `repr` of a float.
    static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return JSONWriter.dumps(.number(.float(value)))
    }
}
